package org.opentwag.passpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

class AppleMobileconfigTest {

    /** An XML property list read into Java values (dict, array, string, integer, true/false). */
    static Object plist(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        // Never fetch Apple's DTD: the profile must parse offline.
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        Document d = f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        assertThat(d.getDoctype().getPublicId()).isEqualTo("-//Apple//DTD PLIST 1.0//EN");
        Element root = d.getDocumentElement();
        assertThat(root.getTagName()).isEqualTo("plist");
        return value(elements(root).get(0));
    }

    private static List<Element> elements(Element e) {
        List<Element> out = new ArrayList<>();
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element x) {
                out.add(x);
            }
        }
        return out;
    }

    private static Object value(Element e) {
        switch (e.getTagName()) {
            case "dict": {
                Map<String, Object> m = new LinkedHashMap<>();
                List<Element> kids = elements(e);
                for (int i = 0; i < kids.size(); i += 2) {
                    assertThat(kids.get(i).getTagName()).isEqualTo("key");
                    Object previous = m.put(kids.get(i).getTextContent(), value(kids.get(i + 1)));
                    assertThat(previous).as("duplicate key %s", kids.get(i).getTextContent()).isNull();
                }
                return m;
            }
            case "array":
                return elements(e).stream().map(AppleMobileconfigTest::value).toList();
            case "string":
                return e.getTextContent();
            case "integer":
                return Long.parseLong(e.getTextContent());
            case "true":
                return Boolean.TRUE;
            case "false":
                return Boolean.FALSE;
            default:
                throw new AssertionError("not a plist element: " + e.getTagName());
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void hotspotPayloadWithRealmsPlmnsAndEapAka() throws Exception {
        String xml = AppleMobileconfig.render(Profiles.operator().build());
        Map<String, Object> root = (Map<String, Object>) plist(xml);
        assertThat(root).containsEntry("PayloadType", "Configuration").containsEntry("PayloadVersion", 1L)
                .containsEntry("PayloadIdentifier", "org.opentwag.passpoint");
        List<Object> content = (List<Object>) root.get("PayloadContent");
        assertThat(content).hasSize(1);
        Map<String, Object> wifi = (Map<String, Object>) content.get(0);
        assertThat(wifi).containsEntry("PayloadType", "com.apple.wifi.managed")
                .containsEntry("PayloadIdentifier", "org.opentwag.passpoint.wifi")
                .containsEntry("IsHotspot", true)
                .containsEntry("AutoJoin", true)
                .containsEntry("EncryptionType", "WPA2")
                .containsEntry("DomainName", "operator.example")
                .containsEntry("DisplayedOperatorName", "Operator WiFi Network")
                .containsEntry("HESSID", "02:00:00:00:00:01")
                .containsEntry("NAIRealmNames", List.of("wlan.mnc057.mcc505.3gppnetwork.org",
                        "wlan.mnc026.mcc310.3gppnetwork.org"))
                .containsEntry("RoamingConsortiumOIs", List.of("505057", "001BC50460"));
        // Apple: "Each string must contain exactly six digits" - a 2-digit MNC is padded here.
        assertThat((List<String>) wifi.get("MCCAndMNCs")).containsExactly("505057", "310026")
                .allSatisfy(s -> assertThat(s).matches("[0-9]{6}"));
        Map<String, Object> eap = (Map<String, Object>) wifi.get("EAPClientConfiguration");
        // Apple's AcceptEAPTypes values are 13, 17, 18, 21, 23, 25, 43: EAP-AKA (23), not AKA' (50).
        assertThat(eap).containsEntry("AcceptEAPTypes", List.of(23L));
        String uuidPattern = "[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}";
        assertThat((String) root.get("PayloadUUID")).matches(uuidPattern);
        assertThat((String) wifi.get("PayloadUUID")).matches(uuidPattern).isNotEqualTo(root.get("PayloadUUID"));
        // A second profile gets new UUIDs.
        Map<String, Object> again = (Map<String, Object>) plist(AppleMobileconfig.render(Profiles.operator().build()));
        assertThat(again.get("PayloadUUID")).isNotEqualTo(root.get("PayloadUUID"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void uuidsComeFromTheGivenSourceAndWpa3IsDeclared() throws Exception {
        List<UUID> given = List.of(UUID.fromString("00000000-0000-4000-8000-000000000001"),
                UUID.fromString("00000000-0000-4000-8000-000000000002"));
        var it = given.iterator();
        Map<String, Object> root = (Map<String, Object>) plist(AppleMobileconfig.render(
                Profiles.operator().security(Security.WPA3).build(), it::next));
        Map<String, Object> wifi = (Map<String, Object>) ((List<Object>) root.get("PayloadContent")).get(0);
        assertThat(wifi).containsEntry("PayloadUUID", "00000000-0000-4000-8000-000000000001")
                .containsEntry("EncryptionType", "WPA3");
        assertThat(root).containsEntry("PayloadUUID", "00000000-0000-4000-8000-000000000002");
    }
}
