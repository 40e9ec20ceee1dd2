package org.opentwag.milenage;

import java.io.File;
import java.io.IOException;
import java.util.HexFormat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Reads the published vectors of /vectors (3GPP TS 35.208, RFC 5448). */
final class Vectors {
    private Vectors() {
    }

    static JsonNode load(String name) throws IOException {
        String dir = System.getProperty("opentwag.vectors.dir", "../../../vectors");
        return new ObjectMapper().readTree(new File(dir, name));
    }

    static byte[] hex(JsonNode node, String field) {
        return HexFormat.of().parseHex(node.get(field).asText());
    }
}
