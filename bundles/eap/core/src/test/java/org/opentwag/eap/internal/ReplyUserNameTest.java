package org.opentwag.eap.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The Access-Accept's User-Name never carries an IMSI: permanent and encrypted identities are left out. */
class ReplyUserNameTest {

    private static final String REALM = "@wlan.mnc001.mcc001.3gppnetwork.org";

    @Test
    void anonymousPseudonymAndReauthIdentitiesAreEchoed() {
        assertEquals("0anonymous" + REALM, RadiusEapAuthenticator.replyUserName("0anonymous" + REALM));
        assertEquals("anonymous" + REALM, RadiusEapAuthenticator.replyUserName("anonymous" + REALM));
        assertEquals("2abcdef0123456789abcd", RadiusEapAuthenticator.replyUserName("2abcdef0123456789abcd"));
        assertEquals("4abcdef0123456789abcd" + REALM, RadiusEapAuthenticator.replyUserName("4abcdef0123456789abcd" + REALM));
    }

    @Test
    void permanentAndEncryptedIdentitiesAreLeftOut() {
        assertNull(RadiusEapAuthenticator.replyUserName("0001010000000001" + REALM));
        assertNull(RadiusEapAuthenticator.replyUserName("6001010000000001" + REALM));
        assertNull(RadiusEapAuthenticator.replyUserName("1001010000000001" + REALM));
        assertNull(RadiusEapAuthenticator.replyUserName("\0AAAABBBBCCCC,CertificateSerialNumber=1"));
        assertNull(RadiusEapAuthenticator.replyUserName(""));
    }
}
