package org.opentwag.dashboard.osgi;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import org.opentwag.dashboard.tls.KeystorePassword;
import org.opentwag.dashboard.tls.SelfSignedKeystore;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Before Pax Web opens its HTTPS connector (the feature starts this bundle at a lower start level than Pax Web),
 * creates the self-signed keystore that etc/org.ops4j.pax.web.cfg names, if that file does not exist yet, with the
 * password the configuration gives (a per-install random one generated into the file a {@code $[secret:...]}
 * reference names).
 */
public final class WebCertificateActivator implements BundleActivator {

    private static final Logger LOG = LoggerFactory.getLogger(WebCertificateActivator.class);
    static final String PAX_WEB_CFG = "org.ops4j.pax.web.cfg";
    static final String PAX_WEB_PID = "org.ops4j.pax.web";
    static final String PAX_WEB_RUNTIME = "org.ops4j.pax.web.pax-web-runtime";

    @Override
    public void start(BundleContext context) {
        String etc = context.getProperty("karaf.etc");
        if (etc == null) {
            return; // not in Karaf: nothing to read the settings from
        }
        try {
            if (ensureKeystore(Path.of(etc)) && paxWebRunning(context)) {
                reloadPaxWeb(context);
            }
        } catch (Exception e) {
            // The dashboard stays unreachable, the rest of the server runs: log and go on.
            LOG.error("Cannot create the dashboard's self-signed HTTPS certificate: {}", e.toString());
        }
    }

    /** Reads Pax Web's settings and makes the keystore they name when HTTPS is on and the file is missing. */
    static boolean ensureKeystore(Path etc) throws Exception {
        Path cfg = etc.resolve(PAX_WEB_CFG);
        if (!Files.exists(cfg)) {
            return false;
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(cfg)) {
            p.load(in);
        }
        if (!Boolean.parseBoolean(p.getProperty("org.osgi.service.http.secure.enabled", "false").strip())) {
            return false;
        }
        String location = p.getProperty("org.ops4j.pax.web.ssl.keystore");
        if (location == null || location.isBlank()) {
            return false;
        }
        Path file = Path.of(location.strip().replace("${karaf.etc}", etc.toString()));
        String type = p.getProperty("org.ops4j.pax.web.ssl.keystore.type", "PKCS12").strip();
        if (!"PKCS12".equalsIgnoreCase(type)) {
            return false; // another kind of store: the operator brings it
        }
        if (Files.exists(file)) {
            return false; // a kept or operator-supplied keystore: its passwords are the operator's
        }
        // A secret reference ($[secret:NAME], resolved for Pax Web by Config Admin's interpolation plugin from
        // etc/NAME) gets its file generated here, before Pax Web (start level 30) reads the configuration.
        String storeValue = p.getProperty("org.ops4j.pax.web.ssl.keystore.password", "");
        String storePassword = KeystorePassword.resolve(storeValue, etc);
        String keyPassword = KeystorePassword.resolve(p.getProperty("org.ops4j.pax.web.ssl.key.password", storeValue),
                etc);
        String alias = p.getProperty("org.ops4j.pax.web.ssl.key.alias", "opentwag-web").strip();
        boolean created = SelfSignedKeystore.ensure(file, storePassword.toCharArray(), keyPassword.toCharArray(), alias,
                SelfSignedKeystore.defaultNames());
        if (created) {
            LOG.info("Created a self-signed HTTPS certificate for the dashboard in {} (names {}); replace it with a "
                    + "real one in production", file, SelfSignedKeystore.defaultNames());
        }
        return created;
    }

    /**
     * Whether Pax Web already read its configuration: the case of a keystore made after boot (the dashboard bundle
     * installed or restarted later, the keystore deleted to get a new one). Its SSL settings, and a password
     * reference resolved while the password file did not exist yet, are then stale.
     */
    static boolean paxWebRunning(BundleContext context) {
        for (Bundle b : context.getBundles()) {
            if (PAX_WEB_RUNTIME.equals(b.getSymbolicName()) && b.getState() == Bundle.ACTIVE) {
                return true;
            }
        }
        return false;
    }

    /** Hands Pax Web its configuration again (Config Admin resolves the references anew): it reopens HTTPS. */
    private static void reloadPaxWeb(BundleContext context) throws Exception {
        ServiceReference<ConfigurationAdmin> ref = context.getServiceReference(ConfigurationAdmin.class);
        if (ref == null) {
            return;
        }
        try {
            ConfigurationAdmin admin = context.getService(ref);
            Configuration[] configs = admin == null ? null
                    : admin.listConfigurations("(" + Constants.SERVICE_PID + "=" + PAX_WEB_PID + ")");
            if (configs != null) {
                for (Configuration c : configs) {
                    c.update(c.getProperties());
                }
                LOG.info("Pax Web was running: its HTTPS connector restarts with the new keystore");
            }
        } finally {
            context.ungetService(ref);
        }
    }

    @Override
    public void stop(BundleContext context) {
        // nothing held
    }
}
