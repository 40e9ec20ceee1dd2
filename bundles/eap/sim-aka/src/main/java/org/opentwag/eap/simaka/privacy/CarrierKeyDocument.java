package org.opentwag.eap.simaka.privacy;

import java.security.cert.CertificateEncodingException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The carrier-key JSON document Android's telephony stack downloads from the carrier configuration's
 * {@code imsi_key_download_url} (CarrierKeyDownloadManager): {@code {"carrier-keys": [{"certificate": "<PEM>",
 * "key-type": "WLAN", "key-identifier": "..."}]}}. Android reads the public key and its expiry from the certificate
 * and appends the key identifier to every encrypted identity; it keeps one key per type, the last of the list, so
 * the key valid longest comes last.
 */
public final class CarrierKeyDocument {

    private CarrierKeyDocument() {
    }

    public static String json(List<ImsiPrivacyKey> keys) {
        List<ImsiPrivacyKey> published = new ArrayList<>();
        for (ImsiPrivacyKey k : keys) {
            if (k.published()) {
                published.add(k);
            }
        }
        published.sort(Comparator.comparing(k -> k.certificate().getNotAfter()));
        StringBuilder sb = new StringBuilder("{\n  \"carrier-keys\": [");
        for (int i = 0; i < published.size(); i++) {
            ImsiPrivacyKey k = published.get(i);
            String pem;
            try {
                pem = Pem.encode("CERTIFICATE", k.certificate().getEncoded());
            } catch (CertificateEncodingException e) {
                throw new IllegalStateException(e);
            }
            sb.append(i == 0 ? "\n" : ",\n")
                    .append("    {\"certificate\": ").append(quote(pem))
                    .append(", \"key-type\": \"WLAN\", \"key-identifier\": ").append(quote(k.keyIdentifier()))
                    .append("}");
        }
        return sb.append(published.isEmpty() ? "]\n}\n" : "\n  ]\n}\n").toString();
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
