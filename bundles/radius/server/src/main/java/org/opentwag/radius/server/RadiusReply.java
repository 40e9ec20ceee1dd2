package org.opentwag.radius.server;

import java.util.ArrayList;
import java.util.List;
import org.opentwag.radius.codec.EapMessages;
import org.opentwag.radius.codec.RadiusAttribute;
import org.opentwag.radius.codec.RadiusCode;
import org.opentwag.radius.codec.RadiusDictionary;

/**
 * What to answer to an Access-Request: Accept, Reject or Challenge, with attributes in plain form. The server adds
 * Message-Authenticator (first), copies Proxy-State, salt-encrypts MS-MPPE-Send/Recv-Key and signs.
 */
public record RadiusReply(int code, List<RadiusAttribute> attributes) {

    public RadiusReply {
        if (code != RadiusCode.ACCESS_ACCEPT && code != RadiusCode.ACCESS_REJECT && code != RadiusCode.ACCESS_CHALLENGE) {
            throw new IllegalArgumentException("an Access-Request is answered by Accept, Reject or Challenge, not "
                    + RadiusCode.name(code));
        }
        attributes = List.copyOf(attributes);
    }

    public static RadiusReply accept(List<RadiusAttribute> attributes) {
        return new RadiusReply(RadiusCode.ACCESS_ACCEPT, attributes);
    }

    public static RadiusReply reject(List<RadiusAttribute> attributes) {
        return new RadiusReply(RadiusCode.ACCESS_REJECT, attributes);
    }

    public static RadiusReply challenge(List<RadiusAttribute> attributes) {
        return new RadiusReply(RadiusCode.ACCESS_CHALLENGE, attributes);
    }

    /** Access-Reject with a Reply-Message. */
    public static RadiusReply reject(String replyMessage) {
        return reject(List.of(RadiusAttribute.ofString(RadiusDictionary.REPLY_MESSAGE, replyMessage)));
    }

    /**
     * A reply carrying an EAP packet (split over EAP-Message attributes) followed by {@code others}; for an Accept
     * pass the plain MS-MPPE keys in {@code others}: {@code RadiusAttribute.vendor(311, 17, msk[0..31])} (Recv) and
     * {@code RadiusAttribute.vendor(311, 16, msk[32..63])} (Send).
     */
    public static RadiusReply withEap(int code, byte[] eapPacket, List<RadiusAttribute> others) {
        List<RadiusAttribute> attributes = new ArrayList<>(EapMessages.split(eapPacket));
        attributes.addAll(others);
        return new RadiusReply(code, attributes);
    }

    @Override
    public String toString() {
        return RadiusCode.name(code) + attributes; // attributes hide their secret values
    }
}
