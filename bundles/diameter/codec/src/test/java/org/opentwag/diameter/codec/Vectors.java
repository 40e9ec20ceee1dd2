package org.opentwag.diameter.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads the published reference files in /work/main/vectors. */
final class Vectors {
    private Vectors() {
    }

    static JsonNode load(String file) throws IOException {
        String dir = System.getProperty("opentwag.vectors.dir");
        Path base = dir != null && Files.isDirectory(Path.of(dir)) ? Path.of(dir) : Path.of("../../../vectors");
        return new ObjectMapper().readTree(base.resolve(file).toFile());
    }
}
