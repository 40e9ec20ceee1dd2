package org.opentwag.radius.codec;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the wire form of a request as a client sends it: the DAS client (Disconnect/CoA toward an AP), the load
 * generator, tests.
 * <ul>
 *   <li>Access-Request / Status-Server: a fresh random Request Authenticator, a plain User-Password hidden with it
 *       (RFC 2865 section 5.2), Message-Authenticator first (always: BlastRADIUS);</li>
 *   <li>Accounting / Disconnect / CoA request: optional Message-Authenticator first, computed with a zero
 *       authenticator, then the MD5 Request Authenticator over the whole packet (RFC 2866, RFC 5176).</li>
 * </ul>
 */
public final class RadiusRequestEncoder {
    private static final SecureRandom RANDOM = new SecureRandom();

    private RadiusRequestEncoder() {
    }

    /** The request datagram; the packet's own authenticator is ignored. */
    public static byte[] encode(int code, int identifier, List<RadiusAttribute> attributes, byte[] secret,
                                boolean withMessageAuthenticator) {
        boolean random = RadiusCode.hasRandomRequestAuthenticator(code);
        if (!random && !RadiusCode.hasSignedRequestAuthenticator(code)) {
            throw new IllegalArgumentException(RadiusCode.name(code) + " is not a request this encoder signs");
        }
        byte[] authenticator = new byte[16];
        if (random) {
            RANDOM.nextBytes(authenticator);
        }
        List<RadiusAttribute> wireAttributes = new ArrayList<>(attributes.size() + 1);
        boolean addMessageAuthenticator = withMessageAuthenticator || random;
        if (addMessageAuthenticator) {
            wireAttributes.add(RadiusAttribute.of(RadiusDictionary.MESSAGE_AUTHENTICATOR, new byte[16]));
        }
        for (RadiusAttribute attribute : attributes) {
            if (attribute.is(RadiusDictionary.MESSAGE_AUTHENTICATOR)) {
                continue;
            }
            if (random && attribute.is(RadiusDictionary.USER_PASSWORD)) {
                wireAttributes.add(RadiusAttribute.of(RadiusDictionary.USER_PASSWORD,
                        UserPassword.hide(attribute.value(), authenticator, secret)));
            } else {
                wireAttributes.add(attribute);
            }
        }
        byte[] wire = new RadiusPacket(code, identifier, authenticator, wireAttributes).encode();
        if (addMessageAuthenticator) {
            byte[] ma = RadiusAuthenticators.messageAuthenticator(wire, authenticator, secret);
            System.arraycopy(ma, 0, wire, RadiusPacket.HEADER_LENGTH + 2, 16);
        }
        if (!random) {
            System.arraycopy(RadiusAuthenticators.signedRequestAuthenticator(wire, secret), 0, wire, 4, 16);
        }
        return wire;
    }
}
