package org.opentwag.gtp.codec;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * One GTPv2-C information element (TS 29.274 8.2.1): type, instance and value octets. Grouped IEs (Bearer Context)
 * carry their members as the value; {@link #children()} decodes them.
 *
 * @param type     IE type (see {@link IeType})
 * @param instance 0..15, distinguishes IEs of the same type in one message
 * @param value    the value octets (not copied: treat as read-only)
 */
public record InformationElement(int type, int instance, byte[] value) {

    public InformationElement {
        if (type < 0 || type > 255 || instance < 0 || instance > 15) {
            throw new IllegalArgumentException("IE type " + type + " / instance " + instance + " out of range");
        }
        if (value.length > 0xffff) {
            throw new IllegalArgumentException("IE value longer than 65535 octets");
        }
    }

    public static InformationElement of(int type, byte[] value) {
        return new InformationElement(type, 0, value);
    }

    public static InformationElement grouped(int type, int instance, List<InformationElement> members) {
        return new InformationElement(type, instance, encodeAll(members));
    }

    /** The members of a grouped IE. */
    public List<InformationElement> children() {
        return decodeAll(value, 0, value.length, 0);
    }

    /** The first member of a grouped IE with this type and instance. */
    public Optional<InformationElement> child(int type, int instance) {
        return find(children(), type, instance);
    }

    public int length() {
        return 4 + value.length;
    }

    /** The single value octet of a 1-octet IE (Recovery, RAT Type, EBI, PDN Type, Selection Mode). */
    public int octet() {
        if (value.length < 1) {
            throw new GtpDecodeException("IE " + type + " has no value octet", 0);
        }
        return value[0] & 0xff;
    }

    void encode(ByteBuffer out) {
        out.put((byte) type).putShort((short) value.length).put((byte) (instance & 0x0f)).put(value);
    }

    public static byte[] encodeAll(List<InformationElement> ies) {
        int n = 0;
        for (InformationElement ie : ies) {
            n += ie.length();
        }
        ByteBuffer b = ByteBuffer.allocate(n);
        for (InformationElement ie : ies) {
            ie.encode(b);
        }
        return b.array();
    }

    /** IEs from {@code bytes[from..to)}; {@code base} is added to offsets in error messages. */
    static List<InformationElement> decodeAll(byte[] bytes, int from, int to, int base) {
        List<InformationElement> ies = new ArrayList<>();
        int p = from;
        while (p < to) {
            if (to - p < 4) {
                throw new GtpDecodeException("truncated IE header", base + p);
            }
            int type = bytes[p] & 0xff;
            int len = ((bytes[p + 1] & 0xff) << 8) | (bytes[p + 2] & 0xff);
            int instance = bytes[p + 3] & 0x0f;
            if (p + 4 + len > to) {
                throw new GtpDecodeException("IE " + type + " length " + len + " runs past its container", base + p);
            }
            ies.add(new InformationElement(type, instance, Arrays.copyOfRange(bytes, p + 4, p + 4 + len)));
            p += 4 + len;
        }
        return ies;
    }

    public static Optional<InformationElement> find(List<InformationElement> ies, int type, int instance) {
        for (InformationElement ie : ies) {
            if (ie.type == type && ie.instance == instance) {
                return Optional.of(ie);
            }
        }
        return Optional.empty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InformationElement i && i.type == type && i.instance == instance
                && Arrays.equals(i.value, value);
    }

    @Override
    public int hashCode() {
        return (type * 31 + instance) * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "IE[" + type + "/" + instance + " " + HexFormat.of().formatHex(value) + "]";
    }
}
