package org.opentwag.passpoint;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/**
 * Everything an access point and a phone must agree on for automatic offload, taken from the TWAG's own settings.
 * Built with {@link #builder()}; a value no generator could write (an MCC of 4 digits, a newline in a name, a port
 * out of range) is refused here with {@link IllegalArgumentException}. Mistakes that still produce a file but
 * would stop phones from offloading are {@link Finding}s of {@link PasspointValidator}.
 *
 * @param realms NAI realms advertised; empty = the 3GPP WLAN realm of every PLMN ({@link #effectiveRealms()})
 * @param domainNames the operator's domain names (ANQP Domain Name list, Android FQDN, Apple DomainName); empty = the
 *        effective realms
 * @param roamingConsortiumOis roaming consortium OIs as hex (3..15 octets)
 * @param dasPort the AP's RADIUS Dynamic Authorization port (RFC 5176), 0 = none
 * @param hessid homogeneous ESS id (a MAC address) or null
 * @param androidEapType EAP type of the Android SIM credential (one only: 23 EAP-AKA or 50 EAP-AKA')
 * @param identifier reverse-DNS prefix of Apple PayloadIdentifiers
 */
public record PasspointProfile(String ssid, Security security, String radiusAddress, int authPort, int acctPort,
        int dasPort, SecretReference secret, List<Plmn> plmns, List<String> realms, List<String> domainNames,
        List<String> roamingConsortiumOis, Venue venue, String operatorLanguage, String operatorFriendlyName,
        int accessNetworkType, boolean internet, String hessid, boolean eapAka, boolean eapAkaPrime,
        int androidEapType, String identifier, int controllerWlanId) {

    public static final int EAP_AKA = 23;
    public static final int EAP_AKA_PRIME = 50;

    public PasspointProfile {
        ssid = singleLine("ssid", ssid == null ? "" : ssid.trim());
        int ssidBytes = ssid.getBytes(StandardCharsets.UTF_8).length;
        if (ssidBytes < 1 || ssidBytes > 32) {
            throw new IllegalArgumentException("SSID must be 1..32 octets: '" + ssid + "'");
        }
        security = security == null ? Security.WPA2_WPA3 : security;
        radiusAddress = radiusAddress == null ? "" : radiusAddress.trim();
        if (!radiusAddress.matches("[0-9A-Za-z.:-]+")) {
            throw new IllegalArgumentException("RADIUS address must be an IP address or host name: '" + radiusAddress + "'");
        }
        port("auth port", authPort, false);
        port("acct port", acctPort, false);
        port("DAS port", dasPort, true);
        secret = secret == null ? SecretReference.parse("") : secret;
        plmns = List.copyOf(plmns == null ? List.of() : plmns);
        realms = names("realm", realms);
        domainNames = names("domain name", domainNames);
        List<String> ois = new ArrayList<>();
        for (String oi : roamingConsortiumOis == null ? List.<String>of() : roamingConsortiumOis) {
            String hex = oi.trim().toUpperCase(Locale.ROOT);
            if (!hex.matches("([0-9A-F]{2}){3,15}")) {
                throw new IllegalArgumentException("roaming consortium OI must be 3..15 octets of hex: '" + oi + "'");
            }
            ois.add(hex);
        }
        roamingConsortiumOis = List.copyOf(ois);
        venue = venue == null ? new Venue(0, 0, "eng", "") : venue;
        operatorLanguage = operatorLanguage == null || operatorLanguage.isBlank() ? "eng" : operatorLanguage.trim();
        if (!operatorLanguage.matches("[a-z]{2,3}")) {
            throw new IllegalArgumentException("operator name language must be an ISO-639 code: " + operatorLanguage);
        }
        operatorFriendlyName = singleLine("operator friendly name",
                operatorFriendlyName == null || operatorFriendlyName.isBlank() ? ssid : operatorFriendlyName.trim());
        if (accessNetworkType < 0 || accessNetworkType > 15) {
            throw new IllegalArgumentException("access network type must be 0..15: " + accessNetworkType);
        }
        hessid = hessid == null || hessid.isBlank() ? null : hessid.trim().toLowerCase(Locale.ROOT);
        if (hessid != null && !hessid.matches("([0-9a-f]{2}:){5}[0-9a-f]{2}")) {
            throw new IllegalArgumentException("HESSID must be a MAC address aa:bb:cc:dd:ee:ff: " + hessid);
        }
        if (androidEapType != EAP_AKA && androidEapType != EAP_AKA_PRIME) {
            throw new IllegalArgumentException("Android EAP type must be 23 (EAP-AKA) or 50 (EAP-AKA'): " + androidEapType);
        }
        identifier = identifier == null || identifier.isBlank() ? "org.opentwag.passpoint" : identifier.trim();
        if (!identifier.matches("[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+")) {
            throw new IllegalArgumentException("profile identifier must be reverse-DNS (com.example.wifi): " + identifier);
        }
        if (controllerWlanId < 1 || controllerWlanId > 4096) {
            throw new IllegalArgumentException("controller WLAN id must be 1..4096: " + controllerWlanId);
        }
    }

    /** The realms advertised: the configured ones, else the 3GPP WLAN realm of each PLMN, without duplicates. */
    public List<String> effectiveRealms() {
        if (!realms.isEmpty()) {
            return realms;
        }
        LinkedHashSet<String> derived = new LinkedHashSet<>();
        plmns.forEach(p -> derived.add(p.wlanRealm()));
        return List.copyOf(derived);
    }

    /** The domain names advertised: the configured ones, else the effective realms. */
    public List<String> effectiveDomainNames() {
        return domainNames.isEmpty() ? effectiveRealms() : domainNames;
    }

    /** The home PLMN: the first of the list (its IMSI prefix goes into the Android profile); null when none. */
    public Plmn homePlmn() {
        return plmns.isEmpty() ? null : plmns.get(0);
    }

    /** The EAP types advertised in the NAI realm list, AKA' first (the stronger one, bound to the access network). */
    public List<Integer> eapTypes() {
        List<Integer> types = new ArrayList<>();
        if (eapAkaPrime) {
            types.add(EAP_AKA_PRIME);
        }
        if (eapAka) {
            types.add(EAP_AKA);
        }
        return types;
    }

    static String singleLine(String what, String value) {
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw new IllegalArgumentException(what + " must not contain control characters (newline, tab...)");
            }
        }
        return value;
    }

    private static void port(String what, int port, boolean zeroAllowed) {
        if (port < (zeroAllowed ? 0 : 1) || port > 65535) {
            throw new IllegalArgumentException(what + " must be " + (zeroAllowed ? "0" : "1") + "..65535: " + port);
        }
    }

    private static List<String> names(String what, List<String> values) {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (String v : values == null ? List.<String>of() : values) {
            String n = v.trim().toLowerCase(Locale.ROOT);
            if (n.isEmpty()) {
                continue;
            }
            if (!n.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+")) {
                throw new IllegalArgumentException(what + " must be a domain name: '" + v + "'");
            }
            out.add(n);
        }
        return List.copyOf(out);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Defaults are those of the guide's examples where they are right (WPA2/WPA3-Enterprise, ports 1812/1813/3799). */
    public static final class Builder {
        private String ssid = "OperatorWiFi";
        private Security security = Security.WPA2_WPA3;
        private String radiusAddress = "127.0.0.1";
        private int authPort = 1812;
        private int acctPort = 1813;
        private int dasPort = 3799;
        private SecretReference secret = SecretReference.parse("");
        private List<Plmn> plmns = List.of();
        private List<String> realms = List.of();
        private List<String> domainNames = List.of();
        private List<String> ois = List.of();
        private Venue venue = new Venue(0, 0, "eng", "");
        private String operatorLanguage = "eng";
        private String operatorFriendlyName;
        private int accessNetworkType = 2;
        private boolean internet = true;
        private String hessid;
        private boolean eapAka = true;
        private boolean eapAkaPrime = true;
        private Integer androidEapType;
        private String identifier = "org.opentwag.passpoint";
        private int controllerWlanId = 1;

        public Builder ssid(String v) { ssid = v; return this; }
        public Builder security(Security v) { security = v; return this; }
        public Builder radiusAddress(String v) { radiusAddress = v; return this; }
        public Builder authPort(int v) { authPort = v; return this; }
        public Builder acctPort(int v) { acctPort = v; return this; }
        public Builder dasPort(int v) { dasPort = v; return this; }
        public Builder secret(SecretReference v) { secret = v; return this; }
        public Builder plmns(List<Plmn> v) { plmns = v; return this; }
        public Builder plmns(String... v) { plmns = java.util.Arrays.stream(v).map(Plmn::parse).toList(); return this; }
        public Builder realms(List<String> v) { realms = v; return this; }
        public Builder domainNames(List<String> v) { domainNames = v; return this; }
        public Builder roamingConsortiumOis(List<String> v) { ois = v; return this; }
        public Builder venue(Venue v) { venue = v; return this; }
        public Builder operatorFriendlyName(String language, String name) {
            operatorLanguage = language;
            operatorFriendlyName = name;
            return this;
        }
        public Builder accessNetworkType(int v) { accessNetworkType = v; return this; }
        public Builder internet(boolean v) { internet = v; return this; }
        public Builder hessid(String v) { hessid = v; return this; }
        public Builder eapAka(boolean v) { eapAka = v; return this; }
        public Builder eapAkaPrime(boolean v) { eapAkaPrime = v; return this; }
        /** Default: 50 (EAP-AKA') when advertised, else 23. */
        public Builder androidEapType(int v) { androidEapType = v; return this; }
        public Builder identifier(String v) { identifier = v; return this; }
        public Builder controllerWlanId(int v) { controllerWlanId = v; return this; }

        public PasspointProfile build() {
            int android = androidEapType != null ? androidEapType : eapAkaPrime ? EAP_AKA_PRIME : EAP_AKA;
            return new PasspointProfile(ssid, security, radiusAddress, authPort, acctPort, dasPort, secret, plmns,
                    realms, domainNames, ois, venue, operatorLanguage, operatorFriendlyName, accessNetworkType,
                    internet, hessid, eapAka, eapAkaPrime, android, identifier, controllerWlanId);
        }
    }
}
