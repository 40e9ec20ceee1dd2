package org.opentwag.api.eap;

import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * The operator's side of IMSI privacy (encrypted permanent identities for EAP-AKA, EAP-AKA' and EAP-SIM): the RSA key
 * pairs the server decrypts with, and what is published to phones (each key's certificate and key identifier, and
 * the carrier-key JSON document Android downloads from {@code imsi_key_download_url}). Private keys never leave the
 * implementation.
 */
public interface ImsiPrivacy {

    /**
     * One key pair as the operator sees it.
     *
     * @param name           its name in the configuration (key.NAME.*)
     * @param keyIdentifier  what the phone appends after the comma of an encrypted identity to name this key
     * @param certificatePem the X.509 certificate (PEM) phones encrypt with
     * @param bits           RSA modulus size
     * @param notAfter       end of the certificate's validity
     * @param published      whether it goes into the carrier-key document
     * @param sha256         SHA-256 fingerprint of the certificate (hex)
     */
    record Key(String name, String keyIdentifier, String certificatePem, int bits, Instant notAfter,
               boolean published, String sha256) {
    }

    /** The keys the server decrypts with now, in configuration order. */
    List<Key> keys();

    /**
     * The carrier-key document for Android's {@code imsi_key_download_url}: {@code {"carrier-keys": [{"certificate":
     * PEM, "key-type": "WLAN", "key-identifier": ...}]}}, published keys only, the one expiring last last (Android
     * keeps the last WLAN key of the list).
     */
    String carrierKeysJson();

    /**
     * Generates a key pair of {@code bits} (2048 or more) with a self-signed certificate valid {@code validDays},
     * stores the private key owner-only under etc/ and adds it to the configuration. The key identifier is
     * {@code CertificateSerialNumber=<serial>} unless {@code keyIdentifier} is given.
     */
    Key generate(String name, int bits, int validDays, String keyIdentifier) throws IOException;

    /** Imports a PKCS#8 PEM private key and its certificate (PEM) as {@link #generate} stores a generated one. */
    Key importKey(String name, String privateKeyPem, String certificatePem, String keyIdentifier) throws IOException;
}
