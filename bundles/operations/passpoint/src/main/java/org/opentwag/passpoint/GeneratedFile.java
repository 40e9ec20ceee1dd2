package org.opentwag.passpoint;

/** One generated file: its suggested name, media type (for a download) and bytes (UTF-8 text). */
public record GeneratedFile(String fileName, String contentType, byte[] content) {

    public String text() {
        return new String(content, java.nio.charset.StandardCharsets.UTF_8);
    }
}
