package org.opentwag.vectors.local;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.opentwag.api.vectors.AuthScheme;
import org.opentwag.api.vectors.AuthVector;
import org.opentwag.api.vectors.AuthVectorSource;
import org.opentwag.api.vectors.VectorRequest;

/** Shared test data: the lab subscriber (TS 35.208 test set 1 K and OPc) and the published vectors. */
public final class Fixtures {
    public static final String IMSI = "001010000000001";
    public static final String KI = "465b5ce8b199b49faa5f0a2ee238a6bc";
    public static final String OPC = "cd63cb71954a9f4e48a5994e37a02baf";
    public static final HexFormat HEX = HexFormat.of();

    private Fixtures() {
    }

    public static String line(String imsi, String ki, String amf, String sqn) {
        return imsi + "," + ki + "," + OPC + "," + amf + "," + sqn;
    }

    public static Path writeCsv(Path file, String... lines) throws IOException {
        Files.writeString(file, "# test subscribers\nimsi,ki,opc,amf,sqn\n" + String.join("\n", lines) + "\n");
        return file;
    }

    public static AuthVector fetch(AuthVectorSource s, String imsi, AuthScheme scheme) {
        return s.fetch(new VectorRequest(imsi, scheme, "WLAN")).toCompletableFuture().join();
    }

    public static JsonNode vectors(String name) throws IOException {
        String dir = System.getProperty("opentwag.vectors.dir", "../../../vectors");
        return new ObjectMapper().readTree(new File(dir, name));
    }

    public static byte[] hex(JsonNode node, String field) {
        return HEX.parseHex(node.get(field).asText());
    }
}
