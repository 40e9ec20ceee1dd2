package org.opentwag.radius.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

/** Reads the published vectors in /work/main/vectors (system property {@code opentwag.vectors.dir}). */
final class Vectors {
    private Vectors() {
    }

    static JsonNode radius() {
        String dir = System.getProperty("opentwag.vectors.dir", "../../../vectors");
        try {
            return new ObjectMapper().readTree(Files.readString(Path.of(dir, "radius.json")));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read radius.json from " + dir, e);
        }
    }

    /** The vector set whose name starts with {@code prefix}. */
    static JsonNode set(String prefix) {
        for (JsonNode set : radius().get("vector_sets")) {
            if (set.get("name").asText().startsWith(prefix)) {
                return set;
            }
        }
        throw new IllegalStateException("no vector set " + prefix);
    }

    /** The vector of a set whose "example" starts with {@code prefix}. */
    static JsonNode example(JsonNode set, String prefix) {
        for (JsonNode vector : set.get("vectors")) {
            if (vector.get("example").asText().startsWith(prefix)) {
                return vector;
            }
        }
        throw new IllegalStateException("no example " + prefix);
    }

    static byte[] hex(JsonNode node, String field) {
        return HexFormat.of().parseHex(node.get(field).asText());
    }
}
