package org.opentwag.dashboard.osgi;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.opentwag.api.check.Finding;
import org.opentwag.api.check.SafetyCheck;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.opentwag.dashboard.tls.KeystorePassword;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What is unsafe in how the dashboard is reachable: Pax Web's listening addresses and plain HTTP port
 * (etc/org.ops4j.pax.web.cfg), its certificate, and the dashboard's own HTTPS and login-limit settings
 * (etc/org.opentwag.dashboard.cfg). Read from Config Admin on each call.
 */
@Component(service = SafetyCheck.class)
public class DashboardSafetyCheck implements SafetyCheck {

    private static final Logger LOG = LoggerFactory.getLogger(DashboardSafetyCheck.class);
    static final String PAX_WEB_PID = "org.ops4j.pax.web";
    static final String AREA = "dashboard";
    private static final String DASHBOARD_CFG = "etc/org.opentwag.dashboard.cfg";
    private static final String PAX_WEB_CFG = "etc/org.ops4j.pax.web.cfg";

    @Reference
    private ConfigurationAdmin configurationAdmin;

    @Override
    public List<Finding> findings() {
        return findings(properties(PAX_WEB_PID), properties(DashboardServlet.PID));
    }

    /** The findings for these two configurations (absent keys take Pax Web's and the dashboard's defaults). */
    static List<Finding> findings(Map<String, Object> paxWeb, Map<String, Object> dashboard) {
        List<Finding> out = new ArrayList<>();
        if (!bool(dashboard, "requireHttps", true)) {
            out.add(Finding.unsafe(AREA, "The dashboard answers over plain HTTP (requireHttps = false): passwords "
                    + "and subscriber data cross the network in clear.", "Set requireHttps = true in "
                    + DASHBOARD_CFG + "."));
        }
        String addresses = string(paxWeb, "org.ops4j.pax.web.listening.addresses", "0.0.0.0");
        if (loopbackOnly(addresses)) {
            return out;
        }
        String where = "The dashboard listens on " + addresses.strip();
        int perUser = integer(dashboard, "loginFailuresPerUser", 5);
        int perAddress = integer(dashboard, "loginFailuresPerAddress", 20);
        if (perUser == 0 || perAddress == 0) {
            out.add(Finding.unsafe(AREA, where + " with no limit on wrong passwords per "
                    + (perUser == 0 && perAddress == 0 ? "user and per address" : perUser == 0 ? "user" : "address")
                    + ": anyone who reaches it can guess passwords at full speed.",
                    "Set loginFailuresPerUser and loginFailuresPerAddress above 0 in " + DASHBOARD_CFG
                            + ", or org.ops4j.pax.web.listening.addresses = 127.0.0.1 in " + PAX_WEB_CFG + "."));
        }
        if (bool(paxWeb, "org.osgi.service.http.enabled", true)) { // Pax Web's default is on
            out.add(Finding.warning(AREA, "Plain HTTP is open on port " + string(paxWeb, "org.osgi.service.http.port",
                    "8181") + " of " + addresses.strip() + ": the dashboard refuses it, but other web applications "
                    + "(Felix Web Console) would take passwords in clear.", "Set org.osgi.service.http.enabled = false "
                    + "in " + PAX_WEB_CFG + " (or listen on 127.0.0.1 only)."));
        }
        if (selfSigned(paxWeb)) {
            out.add(Finding.warning(AREA, where + " with the self-signed certificate made on first start: "
                    + "browsers cannot tell this server from an impostor, and operators learn to click through "
                    + "the warning.", "Put a certificate from your CA in the keystore named in " + PAX_WEB_CFG
                    + " (org.ops4j.pax.web.ssl.keystore) and restart, or set org.ops4j.pax.web.listening.addresses "
                    + "= 127.0.0.1 and reach it through an SSH tunnel."));
        }
        return out;
    }

    /** True when every listed address is a loopback address (an empty list means all interfaces to Pax Web). */
    static boolean loopbackOnly(String addresses) {
        boolean any = false;
        for (String a : addresses.split(",")) {
            String s = a.strip();
            if (s.isEmpty()) {
                continue;
            }
            any = true;
            if (!s.equalsIgnoreCase("localhost") && !isLoopbackLiteral(s)) {
                return false;
            }
        }
        return any;
    }

    private static boolean isLoopbackLiteral(String s) {
        if (!s.matches("[0-9A-Fa-f:.\\[\\]]+")) {
            return false; // a host name: resolving it is no job for a check that must answer quickly
        }
        try {
            return InetAddress.getByName(s.replace("[", "").replace("]", "")).isLoopbackAddress();
        } catch (IOException e) {
            return false;
        }
    }

    /** True when the HTTPS certificate is its own issuer; false when it cannot be read (nothing to say then). */
    static boolean selfSigned(Map<String, Object> paxWeb) {
        if (!bool(paxWeb, "org.osgi.service.http.secure.enabled", false)) {
            return false;
        }
        String location = string(paxWeb, "org.ops4j.pax.web.ssl.keystore", "");
        if (location.isBlank()) {
            return false;
        }
        String etc = System.getProperty("karaf.etc", "etc");
        Path file = Path.of(location.strip().replace("${karaf.etc}", etc));
        String type = string(paxWeb, "org.ops4j.pax.web.ssl.keystore.type", "PKCS12").strip();
        String password = string(paxWeb, "org.ops4j.pax.web.ssl.keystore.password", "");
        try {
            // Config Admin hands us the reference ($[secret:opentwag-web.password]), not its value: read the file.
            Optional<Path> secret = KeystorePassword.secretFile(password.strip(), Path.of(etc));
            if (secret.isPresent()) {
                password = Files.readString(secret.get(), java.nio.charset.StandardCharsets.UTF_8).strip();
            }
        } catch (IOException e) {
            return false;
        }
        String alias = string(paxWeb, "org.ops4j.pax.web.ssl.key.alias", "opentwag-web").strip();
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore ks = KeyStore.getInstance(type);
            ks.load(in, password.toCharArray());
            Certificate c = ks.getCertificate(alias);
            if (!(c instanceof X509Certificate cert)) {
                return false;
            }
            if (!cert.getIssuerX500Principal().equals(cert.getSubjectX500Principal())) {
                return false;
            }
            cert.verify(cert.getPublicKey());
            return true;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            LOG.debug("Cannot read the dashboard certificate in {}: {}", file, e.toString());
            return false;
        }
    }

    private Map<String, Object> properties(String pid) {
        Map<String, Object> out = new HashMap<>();
        try {
            Configuration[] found = configurationAdmin.listConfigurations("(service.pid=" + pid + ")");
            if (found != null && found.length > 0) {
                Dictionary<String, Object> d = found[0].getProperties();
                if (d != null) {
                    for (String k : Collections.list(d.keys())) {
                        out.put(k, d.get(k));
                    }
                }
            }
        } catch (IOException | org.osgi.framework.InvalidSyntaxException e) {
            LOG.warn("Cannot read configuration {}: {}", pid, e.getMessage());
        }
        return out;
    }

    private static String string(Map<String, Object> p, String key, String dflt) {
        Object v = p.get(key);
        if (v instanceof String[] a) {
            return String.join(",", a);
        }
        return v == null ? dflt : String.valueOf(v).strip();
    }

    private static boolean bool(Map<String, Object> p, String key, boolean dflt) {
        Object v = p.get(key);
        return v == null ? dflt : Boolean.parseBoolean(String.valueOf(v).strip());
    }

    private static int integer(Map<String, Object> p, String key, int dflt) {
        Object v = p.get(key);
        try {
            return v == null ? dflt : Integer.parseInt(String.valueOf(v).strip());
        } catch (NumberFormatException e) {
            return dflt;
        }
    }
}
