package org.opentwag.passpoint;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A hostapd.conf fragment (hostapd 2.10 syntax, its documented hostapd.conf) for a Passpoint SSID whose RADIUS
 * server is the TWAG. The radio part (interface, driver, hw_mode, channel, country) stays the operator's.
 */
public final class HostapdConfig {

    /** ANQP NAI Realm auth parameter "Credential Type" (ID 5) value USIM (2): AKA/AKA' run on the USIM. */
    static final String CREDENTIAL_USIM = "[5:2]";

    private HostapdConfig() {
    }

    public static String render(PasspointProfile p) {
        StringBuilder b = new StringBuilder();
        b.append("# Passpoint / Hotspot 2.0 for OpenTWAG, generated from its configuration (twag:passpoint ap).\n");
        b.append("# A fragment: add interface=, driver=, hw_mode=, channel=, country_code= for your radio.\n");
        b.append("# The RADIUS secret is a placeholder: replace ").append(p.secret().placeholder())
                .append(" (e.g. envsubst < this > hostapd.conf).\n\n");

        b.append("ssid=").append(p.ssid()).append('\n');
        b.append("utf8_ssid=1\n\n");

        b.append("# ").append(switch (p.security()) {
            case WPA2 -> "WPA2-Enterprise";
            case WPA2_WPA3 -> "WPA2/WPA3-Enterprise transition (PMF capable)";
            case WPA3 -> "WPA3-Enterprise (PMF required)";
        }).append(", 802.1X with EAP relayed to the TWAG\n");
        b.append("ieee8021x=1\n");
        b.append("eap_server=0\n");
        b.append("wpa=2\n");
        b.append("wpa_key_mgmt=").append(switch (p.security()) {
            case WPA2 -> "WPA-EAP";
            case WPA2_WPA3 -> "WPA-EAP WPA-EAP-SHA256";
            case WPA3 -> "WPA-EAP-SHA256";
        }).append('\n');
        b.append("ieee80211w=").append(switch (p.security()) {
            case WPA2 -> "0";
            case WPA2_WPA3 -> "1";
            case WPA3 -> "2";
        }).append('\n');
        b.append("rsn_pairwise=CCMP\n\n");

        b.append("# RADIUS: OpenTWAG authenticates (EAP-AKA/AKA') and records accounting\n");
        b.append("auth_server_addr=").append(p.radiusAddress()).append('\n');
        b.append("auth_server_port=").append(p.authPort()).append('\n');
        b.append("auth_server_shared_secret=").append(p.secret().placeholder()).append('\n');
        b.append("acct_server_addr=").append(p.radiusAddress()).append('\n');
        b.append("acct_server_port=").append(p.acctPort()).append('\n');
        b.append("acct_server_shared_secret=").append(p.secret().placeholder()).append('\n');
        if (p.dasPort() > 0) {
            b.append("# Disconnect/CoA from the TWAG (RFC 5176): quota exhausted, HSS deregistration\n");
            b.append("radius_das_port=").append(p.dasPort()).append('\n');
            b.append("radius_das_client=").append(p.radiusAddress()).append(' ').append(p.secret().placeholder())
                    .append('\n');
        }
        b.append('\n');

        b.append("# IEEE 802.11u interworking\n");
        b.append("interworking=1\n");
        b.append("access_network_type=").append(p.accessNetworkType()).append('\n');
        b.append("internet=").append(p.internet() ? 1 : 0).append('\n');
        b.append("asra=0\nesr=0\nuesa=0\n");
        b.append("venue_group=").append(p.venue().group()).append('\n');
        b.append("venue_type=").append(p.venue().type()).append('\n');
        if (!p.venue().name().isEmpty()) {
            b.append("venue_name=").append(p.venue().language()).append(':').append(p.venue().name()).append('\n');
        }
        if (p.hessid() != null) {
            b.append("hessid=").append(p.hessid()).append('\n');
        }
        for (String oi : p.roamingConsortiumOis()) {
            b.append("roaming_consortium=").append(oi).append('\n');
        }
        if (!p.effectiveDomainNames().isEmpty()) {
            b.append("domain_name=").append(String.join(",", p.effectiveDomainNames())).append('\n');
        }
        if (!p.plmns().isEmpty()) {
            b.append("# MCC,MNC with the MNC at its true length (2 or 3 digits, as on the SIM)\n");
            b.append("anqp_3gpp_cell_net=").append(anqp3gppCellNet(p.plmns())).append('\n');
        }
        String methods = p.eapTypes().stream().map(t -> t + CREDENTIAL_USIM).collect(Collectors.joining(","));
        b.append("# NAI realms: 50 = EAP-AKA', 23 = EAP-AKA, credential type 5:2 = USIM\n");
        for (String realm : p.effectiveRealms()) {
            b.append("nai_realm=0,").append(realm);
            if (!methods.isEmpty()) {
                b.append(',').append(methods);
            }
            b.append('\n');
        }
        b.append('\n');

        b.append("# Hotspot 2.0\n");
        b.append("hs20=1\n");
        b.append("disable_dgaf=1\n");
        b.append("hs20_oper_friendly_name=").append(p.operatorLanguage()).append(':')
                .append(p.operatorFriendlyName()).append('\n');
        return b.toString();
    }

    /** hostapd's anqp_3gpp_cell_net value: MCC,MNC pairs separated by ';'. */
    static String anqp3gppCellNet(List<Plmn> plmns) {
        return plmns.stream().map(x -> x.mcc() + "," + x.mnc()).collect(Collectors.joining(";"));
    }
}
