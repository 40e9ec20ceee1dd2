package org.opentwag.support.simaka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** The identity forms of IMSI privacy, as wpa_supplicant's eap_sim_anonymous_username and eap_aka.c write them. */
class AnonymousAndEncryptedIdentityTest {

    @Test
    void anonymousFormsAreRecognised() {
        assertTrue(PeerIdentity.isAnonymous("anonymous@wlan.mnc001.mcc001.3gppnetwork.org"));
        assertTrue(PeerIdentity.isAnonymous("0anonymous@wlan.mnc001.mcc001.3gppnetwork.org"));
        assertTrue(PeerIdentity.isAnonymous("6anonymous@realm"));
        assertTrue(PeerIdentity.isAnonymous("@realm"));
        assertTrue(PeerIdentity.isAnonymous("home.example!anonymous@visited.example"));
        assertFalse(PeerIdentity.isAnonymous("0001010000000001@realm"));
        assertFalse(PeerIdentity.isAnonymous("anonymous@"));
        assertFalse(PeerIdentity.isAnonymous("anonymous"));
        assertEquals('6', PeerIdentity.anonymousPrefix("6anonymous@realm"));
        assertEquals(0, PeerIdentity.anonymousPrefix("anonymous@realm"));
    }

    @Test
    void encryptedFormIsNulBase64AndOptionalKeyIdentifier() {
        byte[] c = new byte[256];
        c[0] = 1;
        c[255] = 2;
        String b64 = Base64.getEncoder().encodeToString(c);
        EncryptedIdentity e = EncryptedIdentity.parse("\0" + b64 + ",CertificateSerialNumber=42");
        assertArrayEquals(c, e.ciphertext());
        assertEquals(Optional.of("CertificateSerialNumber=42"), e.keyIdentifier());
        assertEquals(Optional.empty(), EncryptedIdentity.parse("\0" + b64).keyIdentifier());
        assertThrows(IllegalArgumentException.class, () -> EncryptedIdentity.parse("\0***"));
        assertThrows(IllegalArgumentException.class, () -> EncryptedIdentity.parse("0anonymous@realm"));
        String shown = EncryptedIdentity.describe("\0" + b64 + ",CertificateSerialNumber=42");
        assertFalse(shown.contains(b64.substring(0, 16)), shown);
        assertTrue(shown.contains("CertificateSerialNumber=42"), shown);
    }
}
