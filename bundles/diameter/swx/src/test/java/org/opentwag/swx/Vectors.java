package org.opentwag.swx;

import java.io.File;
import java.io.IOException;
import java.util.HexFormat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Reads the published reference data of /vectors (RFC 5448 App. C, SWx AVP table). */
final class Vectors {
    private Vectors() {
    }

    static JsonNode load(String name) throws IOException {
        File dir = new File(System.getProperty("opentwag.vectors.dir", "../../../vectors"));
        if (!new File(dir, name).isFile()) {
            dir = new File("../../../vectors");
        }
        return new ObjectMapper().readTree(new File(dir, name));
    }

    static byte[] hex(JsonNode node, String field) {
        return HexFormat.of().parseHex(node.get(field).asText());
    }

    /** The RFC 5448 Appendix C case with this number. */
    static JsonNode akaPrimeCase(int number) throws IOException {
        for (JsonNode set : load("eap-aka-prime.json").get("vector_sets")) {
            if (set.get("name").asText().startsWith("RFC 5448 Appendix C")) {
                for (JsonNode v : set.get("vectors")) {
                    if (v.get("case").asInt() == number) {
                        return v;
                    }
                }
            }
        }
        throw new IllegalStateException("RFC 5448 case " + number + " not in eap-aka-prime.json");
    }

    /** Code, vendor and flags of a 3GPP AVP as listed in diameter-swx.json. */
    record AvpRow(int code, int vendorId, String flagsMust, String flagsMustNot) {
    }

    static AvpRow swxAvp(String name) throws IOException {
        for (JsonNode a : load("diameter-swx.json").get("avps_3gpp")) {
            if (a.get("name").asText().equals(name)) {
                return new AvpRow(a.get("code").asInt(), a.get("vendor_id").asInt(), a.get("flags_must").asText(),
                        a.get("flags_must_not").asText());
            }
        }
        throw new IllegalStateException(name + " not in diameter-swx.json");
    }
}
