package org.opentwag.passpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

class AndroidPasspointTest {

    /**
     * Reads an x-wifi-config file the way Android's ConfigParser is documented to: base64 of a MIME message whose
     * headers say multipart/mixed, a boundary and base64; parts up to the closing boundary, each base64.
     */
    static Map<String, byte[]> readWifiConfig(String body) throws IOException {
        String mime = new String(Base64.getMimeDecoder().decode(body), StandardCharsets.ISO_8859_1);
        BufferedReader r = new BufferedReader(new StringReader(mime));
        Map<String, String> headers = headers(r);
        String type = headers.get("Content-Type");
        assertThat(type).startsWith("multipart/mixed;");
        assertThat(headers.get("Content-Transfer-Encoding")).isEqualTo("base64");
        String boundary = type.substring(type.indexOf("boundary=") + 9).replace("\"", "");
        String line;
        while (!(line = r.readLine()).equals("--" + boundary)) {
            assertThat(line).as("text before the first boundary").isEmpty();
        }
        Map<String, byte[]> parts = new HashMap<>();
        boolean last = false;
        while (!last) {
            Map<String, String> h = headers(r);
            assertThat(h.get("Content-Transfer-Encoding")).isEqualTo("base64");
            StringBuilder data = new StringBuilder();
            while (!(line = r.readLine()).startsWith("--" + boundary)) {
                data.append(line);
            }
            last = line.equals("--" + boundary + "--");
            parts.put(h.get("Content-Type"), Base64.getDecoder().decode(data.toString()));
        }
        return parts;
    }

    private static Map<String, String> headers(BufferedReader r) throws IOException {
        Map<String, String> h = new LinkedHashMap<>();
        String line;
        while ((line = r.readLine()) != null && !line.isBlank()) {
            int colon = line.indexOf(':');
            assertThat(colon).isPositive();
            assertThat(Character.isWhitespace(line.charAt(0))).isFalse();
            h.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
        }
        return h;
    }

    /** The PPS MO tree flattened to paths: PerProviderSubscription/i001/HomeSP/FQDN -> value. */
    static Map<String, String> ppsValues(byte[] xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        Document d = f.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
        Element root = d.getDocumentElement();
        assertThat(root.getLocalName()).isEqualTo("MgmtTree");
        assertThat(root.getNamespaceURI()).isEqualTo("syncml:dmddf1.2");
        Map<String, String> out = new LinkedHashMap<>();
        for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals("VerDTD")) {
                out.put("VerDTD", e.getTextContent());
            } else if (n instanceof Element e && e.getTagName().equals("Node")) {
                walk(e, "", out);
            }
        }
        return out;
    }

    private static void walk(Element node, String parent, Map<String, String> out) {
        String name = null;
        for (Node n = node.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals("NodeName")) {
                name = parent + e.getTextContent();
            }
        }
        for (Node n = node.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (!(n instanceof Element e)) {
                continue;
            }
            switch (e.getTagName()) {
                case "NodeName" -> { }
                case "Value" -> out.put(name, e.getTextContent());
                case "Node" -> walk(e, name + "/", out);
                case "RTProperties" -> out.put(name + "/@DDFName", e.getTextContent().trim());
                default -> throw new AssertionError("tag Android's PpsMoParser refuses: " + e.getTagName());
            }
        }
    }

    @Test
    void wifiConfigHoldsAPpsMoWithTheSimCredential() throws Exception {
        PasspointProfile p = Profiles.operator().build();
        Map<String, byte[]> parts = readWifiConfig(AndroidPasspoint.wifiConfig(p));
        assertThat(parts).containsOnlyKeys("application/x-passpoint-profile");
        Map<String, String> v = ppsValues(parts.get("application/x-passpoint-profile"));
        String i = "PerProviderSubscription/i001/";
        assertThat(v).containsEntry("VerDTD", "1.2")
                .containsEntry("PerProviderSubscription/@DDFName", "urn:wfa:mo:hotspot2dot0-perprovidersubscription:1.0")
                .containsEntry(i + "HomeSP/FriendlyName", "Operator WiFi Network")
                .containsEntry(i + "HomeSP/FQDN", "operator.example")
                .containsEntry(i + "HomeSP/RoamingConsortiumOI", "505057,001BC50460")
                .containsEntry(i + "HomeSP/OtherHomePartners/x1/FQDN", "wlan.mnc057.mcc505.3gppnetwork.org")
                .containsEntry(i + "Credential/Realm", "wlan.mnc057.mcc505.3gppnetwork.org")
                // The IMSI prefix keeps the 2-digit MNC: IMSIs of 505-57 start 50557.
                .containsEntry(i + "Credential/SIM/IMSI", "50557*")
                .containsEntry(i + "Credential/SIM/EAPType", "50");
        // Android's SimCredential rule: at most 15 characters, digits with an optional trailing '*'.
        assertThat(v.get(i + "Credential/SIM/IMSI")).matches("\\d{1,14}\\*?");
    }

    @Test
    void akaOnlyTwagGivesAnAkaCredentialAndThreeDigitMncKeepsThreeDigits() throws Exception {
        PasspointProfile p = Profiles.operator().plmns("310-026").domainNames(java.util.List.of()).eapAkaPrime(false)
                .roamingConsortiumOis(java.util.List.of()).build();
        Map<String, String> v = ppsValues(AndroidPasspoint.ppsMo(p).getBytes(StandardCharsets.UTF_8));
        String i = "PerProviderSubscription/i001/";
        assertThat(v).containsEntry(i + "Credential/SIM/IMSI", "310026*")
                .containsEntry(i + "Credential/SIM/EAPType", "23")
                .containsEntry(i + "HomeSP/FQDN", "wlan.mnc026.mcc310.3gppnetwork.org")
                .doesNotContainKey(i + "HomeSP/RoamingConsortiumOI");
    }
}
