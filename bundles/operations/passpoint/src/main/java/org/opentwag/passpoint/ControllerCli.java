package org.opentwag.passpoint;

/**
 * A Cisco wireless controller (AireOS WLC "config wlan hotspot") style CLI snippet. Controller command sets differ by
 * release and vendor (Catalyst 9800 and Aruba use ANQP server/profile objects instead); this is a checklist of the
 * same values in command form, to be checked against the controller's command reference before pasting.
 */
public final class ControllerCli {

    private ControllerCli() {
    }

    public static String render(PasspointProfile p) {
        int wlan = p.controllerWlanId();
        StringBuilder b = new StringBuilder();
        b.append("! Passpoint / Hotspot 2.0 for OpenTWAG (twag:passpoint cisco), Cisco AireOS WLC style.\n");
        b.append("! Check each command against your controller release's command reference before pasting.\n");
        b.append("! The RADIUS secret is a placeholder: replace ").append(p.secret().placeholder()).append(".\n");
        b.append("! RADIUS servers: OpenTWAG\n");
        b.append("config radius auth add 1 ").append(p.radiusAddress()).append(' ').append(p.authPort())
                .append(" ascii ").append(p.secret().placeholder()).append('\n');
        b.append("config radius acct add 1 ").append(p.radiusAddress()).append(' ').append(p.acctPort())
                .append(" ascii ").append(p.secret().placeholder()).append('\n');
        if (p.dasPort() > 0) {
            b.append("! Disconnect/CoA from OpenTWAG (RFC 5176) on UDP ").append(p.dasPort()).append('\n');
            b.append("config radius auth rfc3576 enable 1\n");
        }
        b.append("! WLAN ").append(wlan).append(": SSID ").append(p.ssid()).append(", ")
                .append(p.security() == Security.WPA3 ? "WPA3" : "WPA2").append("-Enterprise (802.1X)\n");
        b.append("config wlan create ").append(wlan).append(' ').append(quote(p.ssid())).append(' ')
                .append(quote(p.ssid())).append('\n');
        b.append("config wlan radius_server auth add ").append(wlan).append(" 1\n");
        b.append("config wlan radius_server acct add ").append(wlan).append(" 1\n");
        b.append("config wlan security wpa akm 802.1x enable ").append(wlan).append('\n');
        b.append("config wlan security wpa wpa2 ciphers aes enable ").append(wlan).append('\n');
        b.append("! 802.11u interworking\n");
        b.append("config wlan hotspot dot11u enable ").append(wlan).append('\n');
        b.append("config wlan hotspot dot11u network-type ").append(wlan).append(' ')
                .append(networkType(p.accessNetworkType())).append(' ')
                .append(p.internet() ? "internet-access" : "internet-no-access").append('\n');
        if (p.hessid() != null) {
            b.append("config wlan hotspot dot11u hessid ").append(wlan).append(' ').append(p.hessid()).append('\n');
        }
        int i = 1;
        for (Plmn plmn : p.plmns()) {
            b.append("config wlan hotspot dot11u 3gpp-info add ").append(i++).append(' ').append(plmn.mcc())
                    .append(' ').append(plmn.mnc()).append(' ').append(wlan).append('\n');
        }
        i = 1;
        for (String domain : p.effectiveDomainNames()) {
            b.append("config wlan hotspot dot11u domain add ").append(wlan).append(' ').append(i++).append(' ')
                    .append(domain).append('\n');
        }
        i = 1;
        for (String realm : p.effectiveRealms()) {
            b.append("config wlan hotspot dot11u nai-realm add realm-name ").append(wlan).append(' ').append(i)
                    .append(' ').append(realm).append('\n');
            int e = 1;
            for (int type : p.eapTypes()) {
                b.append("config wlan hotspot dot11u nai-realm add eap ").append(wlan).append(' ').append(i)
                        .append(' ').append(e++).append(' ').append(type == PasspointProfile.EAP_AKA ? "aka" : "aka-prime")
                        .append('\n');
            }
            i++;
        }
        i = 1;
        for (String oi : p.roamingConsortiumOis()) {
            b.append("config wlan hotspot dot11u roam-oi add ").append(wlan).append(' ').append(i).append(' ')
                    .append(oi).append(' ').append(i <= 3 ? "enable" : "disable").append('\n');
            i++;
        }
        b.append("! Hotspot 2.0\n");
        b.append("config wlan hotspot hs2 enable ").append(wlan).append('\n');
        b.append("config wlan hotspot hs2 operator-name add ").append(wlan).append(" 1 ")
                .append(quote(p.operatorFriendlyName())).append(' ').append(p.operatorLanguage()).append('\n');
        b.append("config wlan enable ").append(wlan).append('\n');
        return b.toString();
    }

    private static String networkType(int accessNetworkType) {
        return switch (accessNetworkType) {
            case 0 -> "private";
            case 1 -> "guest-private";
            case 2 -> "chargeable-public";
            case 3 -> "free-public";
            case 4 -> "personal-device";
            case 5 -> "emergency-services";
            case 14 -> "experimental";
            default -> "wildcard";
        };
    }

    private static String quote(String s) {
        return s.matches("[A-Za-z0-9._-]+") ? s : '"' + s.replace("\"", "'") + '"';
    }
}
