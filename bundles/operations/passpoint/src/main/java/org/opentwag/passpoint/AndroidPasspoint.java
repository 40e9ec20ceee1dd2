package org.opentwag.passpoint;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Android's Passpoint R1 provisioning file: a PerProviderSubscription MO tree (Hotspot 2.0 PPS MO, the subset
 * Android's PpsMoParser reads: HomeSP and a SIM Credential) in a base64 multipart/mixed MIME message, itself base64,
 * served as {@value #CONTENT_TYPE}. A SIM credential needs no CA certificate part.
 */
public final class AndroidPasspoint {

    public static final String CONTENT_TYPE = "application/x-wifi-config";
    public static final String PROFILE_PART_TYPE = "application/x-passpoint-profile";
    static final String PPS_MO_URN = "urn:wfa:mo:hotspot2dot0-perprovidersubscription:1.0";
    static final String BOUNDARY = "opentwag-passpoint-boundary";

    private AndroidPasspoint() {
    }

    /** The PPS MO XML (what a phone stores as the subscription). */
    public static String ppsMo(PasspointProfile p) {
        Plmn home = p.homePlmn();
        if (home == null) {
            throw new IllegalArgumentException("an Android SIM profile needs a home PLMN (plmns is empty)");
        }
        List<String> domains = p.effectiveDomainNames();
        Document d = Xml.newDocument();
        Element tree = d.createElementNS("syncml:dmddf1.2", "MgmtTree");
        d.appendChild(tree);
        Xml.element(d, tree, "VerDTD", "1.2");
        Element pps = node(d, tree, "PerProviderSubscription");
        Element rt = Xml.element(d, pps, "RTProperties", null);
        Xml.element(d, Xml.element(d, rt, "Type", null), "DDFName", PPS_MO_URN);
        Element instance = node(d, pps, "i001");

        Element homeSp = node(d, instance, "HomeSP");
        leaf(d, homeSp, "FriendlyName", p.operatorFriendlyName());
        leaf(d, homeSp, "FQDN", domains.get(0));
        if (!p.roamingConsortiumOis().isEmpty()) {
            leaf(d, homeSp, "RoamingConsortiumOI", String.join(",", p.roamingConsortiumOis()));
        }
        if (domains.size() > 1) {
            // Further operator domains count as home too (ANQP Domain Name list match).
            Element partners = node(d, homeSp, "OtherHomePartners");
            for (int i = 1; i < domains.size(); i++) {
                leaf(d, node(d, partners, "x" + i), "FQDN", domains.get(i));
            }
        }

        Element credential = node(d, instance, "Credential");
        leaf(d, credential, "Realm", home.wlanRealm());
        Element sim = node(d, credential, "SIM");
        // IMSI prefix at the MNC's true length: "50557*" for a 2-digit MNC, "310026*" for a 3-digit one.
        leaf(d, sim, "IMSI", home.imsiPrefix() + "*");
        leaf(d, sim, "EAPType", Integer.toString(p.androidEapType()));
        return Xml.write(d, null, null);
    }

    /** The installation file's body, as Android's ConfigParser reads it (base64 of the MIME message). */
    public static String wifiConfig(PasspointProfile p) {
        String profile = Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(ppsMo(p).getBytes(StandardCharsets.UTF_8));
        String mime = "Content-Type: multipart/mixed; boundary=" + BOUNDARY + "\r\n"
                + "Content-Transfer-Encoding: base64\r\n"
                + "\r\n"
                + "--" + BOUNDARY + "\r\n"
                + "Content-Type: " + PROFILE_PART_TYPE + "\r\n"
                + "Content-Transfer-Encoding: base64\r\n"
                + "\r\n"
                + profile + "\r\n"
                + "--" + BOUNDARY + "--\r\n";
        return Base64.getMimeEncoder().encodeToString(mime.getBytes(StandardCharsets.UTF_8)) + "\r\n";
    }

    private static Element node(Document d, Element parent, String name) {
        Element n = Xml.element(d, parent, "Node", null);
        Xml.element(d, n, "NodeName", name);
        return n;
    }

    private static void leaf(Document d, Element parent, String name, String value) {
        Element n = node(d, parent, name);
        Xml.element(d, n, "Value", value);
    }
}
