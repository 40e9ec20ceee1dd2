package org.opentwag.radius.codec;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** EAP packets in RADIUS, RFC 3579 section 3.1: split over as many 253-octet EAP-Message attributes as needed. */
public final class EapMessages {
    private EapMessages() {
    }

    /** EAP-Message attributes carrying {@code eapPacket}, in order. */
    public static List<RadiusAttribute> split(byte[] eapPacket) {
        if (eapPacket.length == 0) {
            throw new IllegalArgumentException("an EAP packet has at least 4 octets");
        }
        List<RadiusAttribute> attributes = new ArrayList<>();
        for (int offset = 0; offset < eapPacket.length; offset += RadiusAttribute.MAX_VALUE_LENGTH) {
            int end = Math.min(eapPacket.length, offset + RadiusAttribute.MAX_VALUE_LENGTH);
            attributes.add(RadiusAttribute.of(RadiusDictionary.EAP_MESSAGE, Arrays.copyOfRange(eapPacket, offset, end)));
        }
        return attributes;
    }

    /** The EAP packet from every EAP-Message attribute concatenated in order; empty when there is none. */
    public static Optional<byte[]> join(List<RadiusAttribute> attributes) {
        ByteArrayOutputStream eap = new ByteArrayOutputStream();
        boolean found = false;
        for (RadiusAttribute attribute : attributes) {
            if (attribute.is(RadiusDictionary.EAP_MESSAGE)) {
                eap.writeBytes(attribute.value());
                found = true;
            }
        }
        return found ? Optional.of(eap.toByteArray()) : Optional.empty();
    }
}
