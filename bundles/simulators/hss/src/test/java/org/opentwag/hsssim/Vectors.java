package org.opentwag.hsssim;

import java.io.File;
import java.io.IOException;
import java.util.HexFormat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Reads the published TS 35.208 sets of /vectors/milenage.json. */
final class Vectors {
    private Vectors() {
    }

    static JsonNode milenageSet(int number) throws IOException {
        File dir = new File(System.getProperty("opentwag.vectors.dir", "../../../vectors"));
        if (!new File(dir, "milenage.json").isFile()) {
            dir = new File("../../../vectors");
        }
        for (JsonNode set : new ObjectMapper().readTree(new File(dir, "milenage.json")).get("sets")) {
            if (set.get("name").asText().startsWith("TS 35.208 test set " + number + " ")) {
                return set;
            }
        }
        throw new IllegalStateException("test set " + number + " not in milenage.json");
    }

    static byte[] hex(JsonNode node, String field) {
        return HexFormat.of().parseHex(node.get(field).asText());
    }
}
