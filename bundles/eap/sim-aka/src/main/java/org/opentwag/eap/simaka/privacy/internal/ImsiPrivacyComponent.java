package org.opentwag.eap.simaka.privacy.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateEncodingException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import org.opentwag.api.eap.ImsiPrivacy;
import org.opentwag.api.metrics.MetricsSource;
import org.opentwag.eap.simaka.privacy.CarrierKeyDocument;
import org.opentwag.eap.simaka.privacy.IdentityDecryptionException;
import org.opentwag.eap.simaka.privacy.IdentityDecryptor;
import org.opentwag.eap.simaka.privacy.ImsiPrivacyKey;
import org.opentwag.eap.simaka.privacy.ImsiPrivacyKeyRing;
import org.opentwag.eap.simaka.privacy.KeyGenerator;
import org.opentwag.eap.simaka.privacy.Pem;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The IMSI privacy keys of configuration PID {@value #PID}, as the {@link IdentityDecryptor} eap-aka and eap-sim use,
 * the operator's {@link ImsiPrivacy} (shell, REST) and a {@link MetricsSource} counting every decryption by result.
 *
 * <pre>
 * keys = k2026, k2027                       # several at once while phones move to the new certificate
 * key.k2026.privateKey = imsi-privacy-k2026.key   # a file under etc/ (owner-only), PEM text, or $[secret:...]
 * key.k2026.certificate = imsi-privacy-k2026.crt  # a file under etc/ or PEM text
 * key.k2026.identifier = CertificateSerialNumber=1234   # default: from the certificate's serial
 * key.k2026.published = true                # in the carrier-key document (default true)
 * </pre>
 *
 * A key that cannot be read, is shorter than 2048 bits or does not match its certificate is left out with an ERROR
 * naming it (never its content); the others stay in force.
 */
@Component(immediate = true, configurationPid = ImsiPrivacyComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {ImsiPrivacy.class, IdentityDecryptor.class, MetricsSource.class})
public class ImsiPrivacyComponent implements ImsiPrivacy, IdentityDecryptor, MetricsSource {

    public static final String PID = "org.opentwag.eap.privacy";
    static final String METRIC = "eap_imsi_privacy_count";

    private static final Logger LOG = LoggerFactory.getLogger(ImsiPrivacyComponent.class);

    private final ConfigurationAdmin configAdmin;
    private volatile ImsiPrivacyKeyRing ring = ImsiPrivacyKeyRing.empty();
    private final Map<String, LongAdder> results = new ConcurrentHashMap<>();

    @Activate
    public ImsiPrivacyComponent(@Reference ConfigurationAdmin configAdmin, Map<String, Object> config) {
        this.configAdmin = configAdmin;
        for (String r : List.of("decrypted", "no_key", "unknown_key", "malformed", "undecryptable", "not_permanent")) {
            results.put(r, new LongAdder());
        }
        modified(config);
    }

    @Modified
    void modified(Map<String, Object> config) {
        ring = new ImsiPrivacyKeyRing(load(config));
        LOG.info("IMSI privacy: {} key(s) in force{}", ring.keys().size(), ring.keys().isEmpty() ? ""
                : " " + ring.keys().stream().map(k -> k.name() + " (" + k.keyIdentifier() + ", until "
                + k.certificate().getNotAfter().toInstant() + ")").toList());
    }

    static List<ImsiPrivacyKey> load(Map<String, Object> config) {
        List<ImsiPrivacyKey> keys = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (String name : names(config)) {
            try {
                String keyValue = string(config, "key." + name + ".privateKey");
                String certValue = string(config, "key." + name + ".certificate");
                if (keyValue == null || certValue == null) {
                    throw new IllegalArgumentException("key." + name + ".privateKey and key." + name
                            + ".certificate are both needed");
                }
                var cert = Pem.certificate(content(certValue));
                String id = string(config, "key." + name + ".identifier");
                String published = string(config, "key." + name + ".published");
                ImsiPrivacyKey key = new ImsiPrivacyKey(name, id == null || id.isBlank()
                        ? ImsiPrivacyKey.defaultIdentifier(cert) : id.trim(),
                        Pem.privateKey(content(keyValue)), cert, published == null || Boolean.parseBoolean(published));
                if (ids.contains(key.keyIdentifier())) {
                    throw new IllegalArgumentException("key identifier " + key.keyIdentifier() + " is used twice");
                }
                ids.add(key.keyIdentifier());
                keys.add(key);
            } catch (IOException | RuntimeException e) {
                // The message names files and reasons, never key material.
                LOG.error("IMSI privacy key '{}' left out: {}", name, e.getMessage());
            }
        }
        return keys;
    }

    private static List<String> names(Map<String, Object> config) {
        String list = string(config, "keys");
        List<String> names = new ArrayList<>();
        if (list != null) {
            for (String n : list.split("[,\\s]+")) {
                if (!n.isBlank() && !names.contains(n.trim())) {
                    names.add(n.trim());
                }
            }
        }
        return names;
    }

    private static String string(Map<String, Object> config, String key) {
        Object v = config == null ? null : config.get(key);
        return v == null ? null : String.valueOf(v);
    }

    /** PEM text as it is, otherwise a file name under etc/ (or an absolute path). */
    private static String content(String value) throws IOException {
        if (value.contains("-----BEGIN")) {
            return value;
        }
        if (value.startsWith("$[")) {
            throw new IOException("the reference " + value + " was not resolved (missing secret file or variable)");
        }
        Path p = etc().resolve(value.trim());
        return Files.readString(p, StandardCharsets.US_ASCII);
    }

    static Path etc() {
        String etc = System.getProperty("karaf.etc");
        return Path.of(etc != null ? etc : "etc");
    }

    // ---------------------------------------------------------------- IdentityDecryptor

    @Override
    public String decrypt(String encryptedIdentity) throws IdentityDecryptionException {
        try {
            String identity = ring.decrypt(encryptedIdentity);
            results.get("decrypted").increment();
            return identity;
        } catch (IdentityDecryptionException e) {
            results.get(e.reason().label()).increment();
            throw e;
        }
    }

    @Override
    public boolean available() {
        return ring.available();
    }

    // ---------------------------------------------------------------- ImsiPrivacy

    @Override
    public List<Key> keys() {
        List<Key> out = new ArrayList<>();
        for (ImsiPrivacyKey k : ring.keys()) {
            out.add(view(k));
        }
        return out;
    }

    private static Key view(ImsiPrivacyKey k) {
        try {
            return new Key(k.name(), k.keyIdentifier(), Pem.encode("CERTIFICATE", k.certificate().getEncoded()),
                    k.bits(), k.certificate().getNotAfter().toInstant(), k.published(), k.sha256());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String carrierKeysJson() {
        return CarrierKeyDocument.json(ring.keys());
    }

    @Override
    public Key generate(String name, int bits, int validDays, String keyIdentifier) throws IOException {
        ImsiPrivacyKey key = KeyGenerator.generate(name, "CN=OpenTWAG IMSI privacy " + name, bits, validDays,
                keyIdentifier);
        return store(key);
    }

    @Override
    public Key importKey(String name, String privateKeyPem, String certificatePem, String keyIdentifier)
            throws IOException {
        var cert = Pem.certificate(certificatePem);
        ImsiPrivacyKey key = new ImsiPrivacyKey(name, keyIdentifier == null || keyIdentifier.isBlank()
                ? ImsiPrivacyKey.defaultIdentifier(cert) : keyIdentifier, Pem.privateKey(privateKeyPem), cert, true);
        return store(key);
    }

    /** Writes the key (owner-only) and certificate under etc/, then adds the key to the configuration. */
    private synchronized Key store(ImsiPrivacyKey key) throws IOException {
        for (ImsiPrivacyKey k : ring.keys()) {
            if (k.name().equals(key.name())) {
                throw new IllegalArgumentException("a key named " + key.name() + " exists already");
            }
            if (k.keyIdentifier().equals(key.keyIdentifier())) {
                throw new IllegalArgumentException("key identifier " + key.keyIdentifier() + " is in use by "
                        + k.name());
            }
        }
        String keyFile = "imsi-privacy-" + key.name() + ".key";
        String certFile = "imsi-privacy-" + key.name() + ".crt";
        Path etc = etc();
        writeOwnerOnly(etc.resolve(keyFile), Pem.encode("PRIVATE KEY", key.privateKey().getEncoded()));
        try {
            Files.writeString(etc.resolve(certFile), Pem.encode("CERTIFICATE", key.certificate().getEncoded()),
                    StandardCharsets.US_ASCII);
        } catch (CertificateEncodingException e) {
            throw new IOException(e);
        }
        Configuration c = configAdmin.getConfiguration(PID, "?");
        Dictionary<String, Object> props = c.getProperties() != null ? c.getProperties() : new Hashtable<>();
        List<String> names = new ArrayList<>(names(toMap(props)));
        names.add(key.name());
        props.put("keys", String.join(", ", names));
        props.put("key." + key.name() + ".privateKey", keyFile);
        props.put("key." + key.name() + ".certificate", certFile);
        props.put("key." + key.name() + ".identifier", key.keyIdentifier());
        props.put("key." + key.name() + ".published", "true");
        c.update(props);
        LOG.info("IMSI privacy key {} ({}, {} bits) stored in {} and {}", key.name(), key.keyIdentifier(), key.bits(),
                etc.resolve(keyFile), etc.resolve(certFile));
        return view(key);
    }

    private static Map<String, Object> toMap(Dictionary<String, Object> d) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String k : Collections.list(d.keys())) {
            m.put(k, d.get(k));
        }
        return m;
    }

    private static void writeOwnerOnly(Path file, String text) throws IOException {
        if (Files.exists(file)) {
            throw new IOException(file + " exists already");
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(tmp);
        }
        Files.writeString(tmp, text, StandardCharsets.US_ASCII);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    }

    // ---------------------------------------------------------------- MetricsSource

    @Override
    public Map<String, String> help() {
        return Map.of(METRIC, "Encrypted permanent identities (IMSI privacy) received, by result: decrypted, "
                + "no_key, unknown_key, malformed, undecryptable, not_permanent");
    }

    @Override
    public Map<String, Number> values() {
        Map<String, Number> v = new LinkedHashMap<>();
        results.forEach((r, n) -> v.put(METRIC + "{result=\"" + r + "\"}", n.sum()));
        return v;
    }
}
