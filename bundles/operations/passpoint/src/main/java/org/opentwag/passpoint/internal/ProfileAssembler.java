package org.opentwag.passpoint.internal;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import org.opentwag.passpoint.Finding;
import org.opentwag.passpoint.PasspointProfile;
import org.opentwag.passpoint.Plmn;
import org.opentwag.passpoint.SecretReference;
import org.opentwag.passpoint.Security;
import org.opentwag.passpoint.TwagSettings;
import org.opentwag.passpoint.Venue;

/**
 * Builds the {@link PasspointProfile} from etc/org.opentwag.passpoint.cfg, filling what it leaves empty from the
 * TWAG's other configurations (RADIUS ports and DAS port, EAP methods served), and the {@link TwagSettings} to
 * check it against (Diameter/SWx/EAP realms, RADIUS secrets). Plain maps in, so it is tested without OSGi.
 */
final class ProfileAssembler {

    /** The configurations read, by PID (an absent one is an empty map). */
    record Sources(Map<String, ?> passpoint, Map<String, ?> radius, List<Map<String, ?>> radiusClients,
            Map<String, ?> diameter, Map<String, ?> swx, Map<String, ?> eapAka) {
    }

    record Result(PasspointProfile profile, TwagSettings twag, List<Finding> derived) {
    }

    private final Supplier<String> localAddress;

    ProfileAssembler() {
        this(ProfileAssembler::firstSiteAddress);
    }

    ProfileAssembler(Supplier<String> localAddress) {
        this.localAddress = localAddress;
    }

    Result assemble(Sources s) {
        List<Finding> derived = new ArrayList<>();
        Map<String, ?> c = s.passpoint();
        boolean akaServed = bool(s.eapAka().get("akaEnabled"), true);
        boolean akaPrimeServed = bool(s.eapAka().get("akaPrimeEnabled"), true);

        PasspointProfile.Builder b = PasspointProfile.builder()
                .ssid(str(c.get("ssid"), "OperatorWiFi"))
                .security(Security.parse(str(c.get("security"), "wpa2-wpa3")))
                .secret(SecretReference.parse(str(c.get("secretReference"), "")))
                .plmns(list(c.get("plmns")).stream().map(Plmn::parse).toList())
                .realms(list(c.get("realms")))
                .domainNames(list(c.get("domainNames")))
                .roamingConsortiumOis(list(c.get("roamingConsortiumOis")))
                .venue(new Venue(integer(c.get("venueGroup"), 0), integer(c.get("venueType"), 0),
                        str(c.get("language"), "eng"), str(c.get("venueName"), "")))
                .operatorFriendlyName(str(c.get("language"), "eng"), str(c.get("operatorFriendlyName"), ""))
                .accessNetworkType(integer(c.get("accessNetworkType"), 2))
                .internet(bool(c.get("internet"), true))
                .hessid(str(c.get("hessid"), ""))
                .identifier(str(c.get("identifier"), "org.opentwag.passpoint"))
                .controllerWlanId(integer(c.get("controllerWlanId"), 1));

        String address = str(c.get("radiusAddress"), "");
        if (address.isEmpty()) {
            String bind = str(s.radius().get("bindAddress"), "0.0.0.0");
            address = bind.equals("0.0.0.0") || bind.equals("::") ? localAddress.get() : bind;
            derived.add(new Finding(Finding.Severity.INFO, Finding.Code.DERIVED_VALUE, "radiusAddress is empty: the"
                    + " APs are pointed at " + address + " (set radiusAddress to the TWAG address the APs reach)."));
        }
        b.radiusAddress(address);
        b.authPort(port(c.get("authPort"), s.radius().get("authPort"), 1812));
        b.acctPort(port(c.get("acctPort"), s.radius().get("acctPort"), 1813));
        int das = integer(c.get("dasPort"), 0);
        if (das == 0) {
            das = s.radiusClients().isEmpty() ? 3799 : integer(s.radiusClients().get(0).get("dasPort"), 3799);
        }
        b.dasPort(Math.max(das, 0));

        // Advertise what the TWAG serves unless told otherwise: the usual mistake is an AP that says less.
        String methods = str(c.get("eapMethods"), "auto").toLowerCase(Locale.ROOT);
        if (methods.equals("auto")) {
            b.eapAka(akaServed).eapAkaPrime(akaPrimeServed);
        } else {
            List<String> m = list(methods);
            b.eapAka(m.contains("aka") || m.contains("23")).eapAkaPrime(m.contains("aka-prime") || m.contains("50"));
        }
        int androidType = integer(c.get("androidEapType"), 0);
        if (androidType != 0) {
            b.androidEapType(androidType);
        }

        List<String> realms = new ArrayList<>();
        realms.add(str(s.diameter().get("originRealm"), ""));
        realms.add(str(s.swx().get("hssRealm"), ""));
        realms.add(str(s.eapAka().get("realm"), ""));
        List<String> secrets = new ArrayList<>();
        for (Map<String, ?> client : s.radiusClients()) {
            String secret = str(client.get("secret"), "");
            if (!secret.isEmpty()) {
                secrets.add(secret);
            }
        }
        TwagSettings twag = new TwagSettings(realms.stream().distinct().toList(), akaServed, akaPrimeServed, secrets);
        return new Result(b.build(), twag, derived);
    }

    private static int port(Object own, Object fromRadius, int standard) {
        int p = integer(own, 0);
        return p > 0 ? p : integer(fromRadius, standard);
    }

    static String str(Object v, String dflt) {
        if (v == null) {
            return dflt;
        }
        String s = v instanceof String[] a ? String.join(",", a) : String.valueOf(v).trim();
        return s.isEmpty() ? dflt : s;
    }

    static List<String> list(Object v) {
        String s = str(v, "");
        if (s.isEmpty()) {
            return Collections.emptyList();
        }
        return Arrays.stream(s.split("\\s*[,;]\\s*|\\s+")).map(String::trim).filter(x -> !x.isEmpty()).toList();
    }

    static int integer(Object v, int dflt) {
        if (v instanceof Number n) {
            return n.intValue();
        }
        String s = str(v, "");
        if (s.isEmpty()) {
            return dflt;
        }
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number: '" + s + "'");
        }
    }

    static boolean bool(Object v, boolean dflt) {
        if (v instanceof Boolean x) {
            return x;
        }
        String s = str(v, "");
        return s.isEmpty() ? dflt : Boolean.parseBoolean(s);
    }

    /** The first site-local IPv4 address of this host, the likeliest one APs reach; loopback when there is none. */
    static String firstSiteAddress() {
        try {
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!ni.isUp() || ni.isLoopback()) {
                    continue;
                }
                for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                    if (a instanceof Inet4Address && a.isSiteLocalAddress()) {
                        return a.getHostAddress();
                    }
                }
            }
        } catch (SocketException e) {
            // fall through to loopback
        }
        return "127.0.0.1";
    }
}
