package org.opentwag.eap.simaka.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentwag.eap.simaka.privacy.IdentityDecryptionException.Reason;

/**
 * Decryption of encrypted permanent identities made by an implementation we did not write: OpenSSL's
 * {@code pkeyutl -encrypt} with RSA-OAEP SHA-256 (MGF1 SHA-256, what wpa_supplicant's crypto_openssl.c does) and
 * with MGF1 SHA-1 (what Android's JCA transformation does), from keys and certificates OpenSSL made.
 */
class ImsiPrivacyKeyRingTest {

    static final String IDENTITY = "0234150999999999@wlan.mnc015.mcc234.3gppnetwork.org";

    @TempDir
    static Path dir;
    static ImsiPrivacyKey key;
    static ImsiPrivacyKey other;

    @BeforeAll
    static void keys() throws Exception {
        key = opensslKey("a", "CertificateSerialNumber=1001");
        other = opensslKey("b", "CertificateSerialNumber=1002");
    }

    static ImsiPrivacyKey opensslKey(String name, String id) throws Exception {
        Path k = dir.resolve(name + ".key");
        Path c = dir.resolve(name + ".crt");
        openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", k.toString());
        openssl("req", "-x509", "-new", "-key", k.toString(), "-subj", "/CN=test " + name, "-days", "30",
                "-out", c.toString());
        return new ImsiPrivacyKey(name, id, Pem.privateKey(Files.readString(k)), Pem.certificate(Files.readString(c)),
                true);
    }

    /** NUL, base64 of what openssl encrypted, and ",keyId" unless null: the wire format of wpa_supplicant. */
    static String encrypted(String name, String plaintext, String mgf1, String keyId) throws Exception {
        Path in = dir.resolve("plain-" + System.nanoTime());
        Path out = dir.resolve("cipher-" + System.nanoTime());
        Files.writeString(in, plaintext, StandardCharsets.UTF_8);
        List<String> cmd = new ArrayList<>(List.of("pkeyutl", "-encrypt", "-certin", "-inkey",
                dir.resolve(name + ".crt").toString(), "-pkeyopt", "rsa_padding_mode:oaep",
                "-pkeyopt", "rsa_oaep_md:sha256"));
        if (mgf1 != null) {
            cmd.addAll(List.of("-pkeyopt", "rsa_mgf1_md:" + mgf1));
        }
        cmd.addAll(List.of("-in", in.toString(), "-out", out.toString()));
        openssl(cmd.toArray(new String[0]));
        String b64 = Base64.getEncoder().encodeToString(Files.readAllBytes(out));
        return "\0" + b64 + (keyId == null ? "" : "," + keyId);
    }

    static void openssl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add("openssl");
        cmd.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("this test needs the openssl command (apt-get install openssl)", e);
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("openssl " + String.join(" ", args) + " failed: " + output);
        }
    }

    @Test
    void decryptsWpaSupplicantStyleWithTheNamedKey() throws Exception {
        ImsiPrivacyKeyRing ring = new ImsiPrivacyKeyRing(List.of(other, key));
        assertEquals(IDENTITY, ring.decrypt(encrypted("a", IDENTITY, null, "CertificateSerialNumber=1001")));
    }

    @Test
    void decryptsAndroidStyleMgf1Sha1() throws Exception {
        ImsiPrivacyKeyRing ring = new ImsiPrivacyKeyRing(List.of(key));
        assertEquals(IDENTITY, ring.decrypt(encrypted("a", IDENTITY, "sha1", "CertificateSerialNumber=1001")));
    }

    @Test
    void withoutKeyIdentifierEveryKeyIsTried() throws Exception {
        ImsiPrivacyKeyRing ring = new ImsiPrivacyKeyRing(List.of(other, key));
        assertEquals(IDENTITY, ring.decrypt(encrypted("a", IDENTITY, "sha256", null)));
    }

    @Test
    void unknownKeyIdentifierIsRefused() throws Exception {
        ImsiPrivacyKeyRing ring = new ImsiPrivacyKeyRing(List.of(key));
        IdentityDecryptionException e = assertThrows(IdentityDecryptionException.class,
                () -> ring.decrypt(encrypted("a", IDENTITY, null, "CertificateSerialNumber=9")));
        assertEquals(Reason.UNKNOWN_KEY, e.reason());
    }

    @Test
    void ciphertextOfAnotherKeyDoesNotDecrypt() throws Exception {
        ImsiPrivacyKeyRing ring = new ImsiPrivacyKeyRing(List.of(key));
        // Made with key b but naming key a's identifier: OAEP's check refuses it, no garbage identity comes out.
        IdentityDecryptionException e = assertThrows(IdentityDecryptionException.class,
                () -> ring.decrypt(encrypted("b", IDENTITY, null, "CertificateSerialNumber=1001")));
        assertEquals(Reason.UNDECRYPTABLE, e.reason());
        assertFalse(e.getMessage().contains("234150999999999"));
    }

    @Test
    void plaintextThatIsNotAPermanentIdentityIsRefused() throws Exception {
        ImsiPrivacyKeyRing ring = new ImsiPrivacyKeyRing(List.of(key));
        IdentityDecryptionException e = assertThrows(IdentityDecryptionException.class,
                () -> ring.decrypt(encrypted("a", "2pseudonym@realm", null, null)));
        assertEquals(Reason.NOT_PERMANENT, e.reason());
    }

    @Test
    void brokenBase64AndNoKeysAreRefused() {
        ImsiPrivacyKeyRing ring = new ImsiPrivacyKeyRing(List.of(key));
        assertEquals(Reason.MALFORMED, assertThrows(IdentityDecryptionException.class,
                () -> ring.decrypt("\0###not base64###")).reason());
        assertEquals(Reason.NO_KEY, assertThrows(IdentityDecryptionException.class,
                () -> ImsiPrivacyKeyRing.empty().decrypt("\0AAAA")).reason());
    }

    @Test
    void shortKeysAndMismatchedCertificatesAreRefused() throws Exception {
        Path k = dir.resolve("short.key");
        openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024", "-out", k.toString());
        openssl("req", "-x509", "-new", "-key", k.toString(), "-subj", "/CN=short", "-days", "1",
                "-out", dir.resolve("short.crt").toString());
        IllegalArgumentException tooShort = assertThrows(IllegalArgumentException.class, () -> new ImsiPrivacyKey(
                "s", "id", Pem.privateKey(Files.readString(k)),
                Pem.certificate(Files.readString(dir.resolve("short.crt"))), true));
        assertTrue(tooShort.getMessage().contains("at least 2048"), tooShort.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ImsiPrivacyKey("m", "id", key.privateKey(),
                other.certificate(), true));
    }

    @Test
    void carrierKeyDocumentHasAndroidsFieldsAndTheCertificateOpensslMade() throws Exception {
        String json = CarrierKeyDocument.json(List.of(key));
        assertTrue(json.contains("\"carrier-keys\""), json);
        assertTrue(json.contains("\"key-type\": \"WLAN\""), json);
        assertTrue(json.contains("\"key-identifier\": \"CertificateSerialNumber=1001\""), json);
        String pem = Files.readString(dir.resolve("a.crt")).trim();
        String body = pem.replace("-----BEGIN CERTIFICATE-----", "").replace("-----END CERTIFICATE-----", "")
                .replaceAll("\\s", "");
        assertTrue(json.replace("\\n", "").contains(body), "the certificate's DER is the one openssl wrote");
    }

    @Test
    void generatedKeyDecryptsWhatOpensslEncryptsWithItsCertificate() throws Exception {
        ImsiPrivacyKey generated = KeyGenerator.generate("g", "CN=generated", 2048, 30, null);
        Files.writeString(dir.resolve("g.crt"), Pem.encode("CERTIFICATE", generated.certificate().getEncoded()));
        assertTrue(generated.keyIdentifier().startsWith("CertificateSerialNumber="));
        ImsiPrivacyKeyRing ring = new ImsiPrivacyKeyRing(List.of(generated));
        assertEquals(IDENTITY, ring.decrypt(encrypted("g", IDENTITY, null, generated.keyIdentifier())));
    }
}
