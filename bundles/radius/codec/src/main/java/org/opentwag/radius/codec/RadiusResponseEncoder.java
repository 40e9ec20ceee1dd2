package org.opentwag.radius.codec;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the wire form of a server's answer to a verified request, hardened as FreeRADIUS 3.2.5+ and hostapd 2.11 do
 * since BlastRADIUS (CVE-2024-3596):
 * <ol>
 *   <li>Message-Authenticator is the FIRST attribute, on every Access-Accept/Reject/Challenge and every
 *       Disconnect/CoA ACK/NAK; an Accounting-Response carries none, because peers disagree on its key (FreeRADIUS
 *       3.2 computes it with a zero authenticator and rejects one computed with the request's, hostapd never sends
 *       one) while RFC 2866 does not require it and BlastRADIUS forges Access-* answers only;</li>
 *   <li>the caller's attributes follow in order; MS-MPPE-Send-Key / MS-MPPE-Recv-Key given in plain form are
 *       salt-encrypted with the request's authenticator (RFC 2548), each with its own salt;</li>
 *   <li>the request's Proxy-State attributes are appended unmodified and in order (RFC 2865 section 5.33);</li>
 *   <li>Message-Authenticator is computed with the Request Authenticator in place (RFC 3579 section 3.2), then the
 *       Response Authenticator over the result.</li>
 * </ol>
 * Any Message-Authenticator or Proxy-State the caller passes is ignored: the encoder owns those.
 */
public final class RadiusResponseEncoder {
    private static final SecureRandom RANDOM = new SecureRandom();

    private RadiusResponseEncoder() {
    }

    /** The response datagram for {@code request}, signed with {@code secret}. */
    public static byte[] encode(RadiusPacket request, byte[] secret, int code, List<RadiusAttribute> attributes) {
        byte[] requestAuthenticator = request.authenticator();
        List<RadiusAttribute> wireAttributes = new ArrayList<>(attributes.size() + 4);
        boolean signWithMessageAuthenticator = code != RadiusCode.ACCOUNTING_RESPONSE;
        if (signWithMessageAuthenticator) {
            wireAttributes.add(RadiusAttribute.of(RadiusDictionary.MESSAGE_AUTHENTICATOR, new byte[16]));
        }
        int salt = 0x8000 | RANDOM.nextInt(0x8000);
        for (RadiusAttribute attribute : attributes) {
            if (attribute.is(RadiusDictionary.MESSAGE_AUTHENTICATOR) || attribute.is(RadiusDictionary.PROXY_STATE)) {
                continue;
            }
            if (isMppeKey(attribute)) {
                // RFC 2548: the salt must be unique per attribute of a packet; consecutive values keep the MSB set.
                salt = 0x8000 | ((salt + 1) & 0x7FFF);
                byte[] hidden = MppeKeys.encrypt(attribute.value(), requestAuthenticator, secret, salt);
                wireAttributes.add(RadiusAttribute.vendor(attribute.vendorId(), attribute.vendorType(), hidden));
            } else {
                wireAttributes.add(attribute);
            }
        }
        wireAttributes.addAll(request.attributes(RadiusDictionary.PROXY_STATE));
        byte[] wire = new RadiusPacket(code, request.identifier(), requestAuthenticator, wireAttributes).encode();
        if (signWithMessageAuthenticator) {
            byte[] messageAuthenticator = RadiusAuthenticators.messageAuthenticator(wire, requestAuthenticator, secret);
            System.arraycopy(messageAuthenticator, 0, wire, RadiusPacket.HEADER_LENGTH + 2, 16);
        }
        byte[] responseAuthenticator = RadiusAuthenticators.responseAuthenticator(wire, requestAuthenticator, secret);
        System.arraycopy(responseAuthenticator, 0, wire, 4, 16);
        return wire;
    }

    private static boolean isMppeKey(RadiusAttribute attribute) {
        return attribute.isVendor(RadiusDictionary.VENDOR_MICROSOFT, RadiusDictionary.MS_MPPE_SEND_KEY)
                || attribute.isVendor(RadiusDictionary.VENDOR_MICROSOFT, RadiusDictionary.MS_MPPE_RECV_KEY);
    }
}
