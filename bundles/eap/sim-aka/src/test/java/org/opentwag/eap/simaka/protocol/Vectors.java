package org.opentwag.eap.simaka.protocol;

import java.io.File;
import java.io.IOException;
import java.util.HexFormat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The published vectors of /vectors (RFC 4186 Appendix A, RFC 5448 Appendix C, FIPS 186-2, AOSP exchanges). */
public final class Vectors {
    private Vectors() {
    }

    public static JsonNode set(String file, String nameStart) throws IOException {
        String dir = System.getProperty("opentwag.vectors.dir", "../../../vectors");
        for (JsonNode s : new ObjectMapper().readTree(new File(dir, file)).get("vector_sets")) {
            if (s.get("name").asText().startsWith(nameStart)) {
                return s;
            }
        }
        throw new IllegalStateException("no vector set " + nameStart + " in " + file);
    }

    public static byte[] hex(JsonNode node, String field) {
        return HexFormat.of().parseHex(node.get(field).asText());
    }

    public static JsonNode packet(JsonNode set, String sectionStart) {
        for (JsonNode p : set.get("packets")) {
            if (p.get("section").asText().equals(sectionStart)) {
                return p;
            }
        }
        for (JsonNode p : set.get("packets")) {
            if (p.get("section").asText().startsWith(sectionStart)) {
                return p;
            }
        }
        throw new IllegalStateException("no packet " + sectionStart);
    }
}
