package org.opentwag.radius.codec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Location-Information and Location-Data (RFC 5580 4.2, 4.3) read for people: operators see where an access point (or
 * the phone) says it is. Each Location-Information names an index, a profile (civic or geospatial), whose location it
 * is and how it was found; the Location-Data with the same index holds the location itself, civic in the DHCP civic
 * address format (RFC 4776 3.1) or geospatial as the 16-octet RFC 6225 coordinates. Undecodable parts are shown in
 * hex rather than refused: location is informational, never a reason to reject a login.
 */
public final class LocationReport {

    private static final int CIVIC = 0;
    private static final int GEOSPATIAL = 1;
    private static final int GEO_LENGTH = 16;

    /** RFC 4776 3.4 civic address types, by CAtype, for the common ones. */
    private static final Map<Integer, String> CIVIC_TYPES = Map.ofEntries(
            Map.entry(1, "A1"), Map.entry(2, "A2"), Map.entry(3, "A3"), Map.entry(4, "A4"), Map.entry(5, "A5"),
            Map.entry(6, "A6"), Map.entry(19, "HNO"), Map.entry(20, "HNS"), Map.entry(21, "LMK"),
            Map.entry(22, "LOC"), Map.entry(23, "NAM"), Map.entry(24, "PC"), Map.entry(25, "BLD"),
            Map.entry(26, "UNIT"), Map.entry(27, "FLR"), Map.entry(28, "ROOM"), Map.entry(29, "PLC"),
            Map.entry(34, "RD"), Map.entry(35, "RDSEC"));

    private LocationReport() {
    }

    /**
     * One line per location: {@code [index] profile of entity (method): location}. Null when there is neither
     * attribute.
     *
     * @param informations the values of every Location-Information attribute
     * @param datas        the values of every Location-Data attribute
     */
    public static String describe(List<byte[]> informations, List<byte[]> datas) {
        if (informations.isEmpty() && datas.isEmpty()) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        for (byte[] data : datas) {
            if (data.length < 2) {
                parts.add("malformed Location-Data");
                continue;
            }
            int index = ((data[0] & 0xff) << 8) | (data[1] & 0xff);
            byte[] info = informationFor(index, informations);
            int code = info != null && info.length >= 4 ? info[2] & 0xff : guessCode(data);
            String where = code == GEOSPATIAL ? geospatial(data) : code == CIVIC ? civic(data)
                    : "profile " + code + " " + hex(data, 2);
            parts.add(header(index, info, code) + where);
        }
        for (byte[] info : informations) {
            int index = info.length >= 2 ? ((info[0] & 0xff) << 8) | (info[1] & 0xff) : -1;
            if (!hasData(index, datas)) {
                parts.add(header(index, info, info.length >= 4 ? info[2] & 0xff : -1) + "no Location-Data");
            }
        }
        return String.join("; ", parts);
    }

    private static String header(int index, byte[] info, int code) {
        StringBuilder b = new StringBuilder("[").append(index).append("] ")
                .append(code == CIVIC ? "civic" : code == GEOSPATIAL ? "geo" : "profile " + code);
        if (info != null && info.length >= 4) {
            b.append(info[3] == 0 ? " of the user" : info[3] == 1 ? " of the access network" : " entity " + info[3]);
            // Index(2) Code(1) Entity(1) Sighting Time(8) Time-to-Live(8) Method(rest)
            if (info.length > 20) {
                b.append(" (").append(printable(new String(info, 20, info.length - 20, StandardCharsets.UTF_8)))
                        .append(')');
            }
        }
        return b.append(": ").toString();
    }

    private static byte[] informationFor(int index, List<byte[]> informations) {
        for (byte[] info : informations) {
            if (info.length >= 2 && (((info[0] & 0xff) << 8) | (info[1] & 0xff)) == index) {
                return info;
            }
        }
        return null;
    }

    private static boolean hasData(int index, List<byte[]> datas) {
        for (byte[] d : datas) {
            if (d.length >= 2 && (((d[0] & 0xff) << 8) | (d[1] & 0xff)) == index) {
                return true;
            }
        }
        return false;
    }

    /** Without a Location-Information: 16 octets of coordinates are geospatial, else civic. */
    private static int guessCode(byte[] data) {
        return data.length - 2 == GEO_LENGTH && !letters(data, 2) && !letters(data, 3) ? GEOSPATIAL : CIVIC;
    }

    /**
     * RFC 4776 3.1 after the option header: what (1), country code (2), then CAtype (1), CAlength (1), CAvalue. Some
     * APs leave out the "what" octet; a value that starts with two capital letters is read that way.
     */
    static String civic(byte[] data) {
        int p = 2;
        if (data.length - p >= 3 && !letters(data, p) && letters(data, p + 1)) {
            p++; // the "what" octet: 0 DHCP server, 1 network element near the client, 2 the client
        }
        if (data.length - p < 2) {
            return "civic " + hex(data, 2);
        }
        StringBuilder b = new StringBuilder(new String(data, p, 2, StandardCharsets.US_ASCII));
        p += 2;
        while (p + 2 <= data.length) {
            int type = data[p] & 0xff;
            int len = data[p + 1] & 0xff;
            if (p + 2 + len > data.length) {
                return b.append(" (truncated)").toString();
            }
            String value = new String(data, p + 2, len, StandardCharsets.UTF_8);
            if (type != 0 && type != 128) { // 0 language, 128 script: not part of the address
                b.append(' ').append(CIVIC_TYPES.getOrDefault(type, "CA" + type)).append('=')
                        .append(printable(value));
            }
            p += 2 + len;
        }
        return b.toString();
    }

    /**
     * RFC 6225 2.2: LaUnc (6 bits), Latitude (34, 9.25 fixed point, two's complement), LoUnc (6), Longitude (34),
     * AT (4), AltUnc (6), Altitude (30), Ver (2), Res (3), Datum (3).
     */
    static String geospatial(byte[] data) {
        if (data.length - 2 != GEO_LENGTH) {
            return "geo " + hex(data, 2);
        }
        ByteBuffer buf = ByteBuffer.wrap(data, 2, GEO_LENGTH);
        long hi = buf.getLong();
        long lo = buf.getLong();
        long latitude = signExtend((hi >>> 24) & 0x3_FFFF_FFFFL, 34);
        long longitude = signExtend(((hi & 0x3FFFFL) << 16) | (lo >>> 48), 34);
        double scale = 1 << 25;
        int datum = (int) (lo & 0x7);
        return String.format(Locale.ROOT, "%.6f, %.6f%s", latitude / scale, longitude / scale,
                datum == 1 ? " (WGS84)" : datum == 2 ? " (NAD83/NAVD88)" : datum == 3 ? " (NAD83/MLLW)" : "");
    }

    private static long signExtend(long value, int bits) {
        return (value << (64 - bits)) >> (64 - bits);
    }

    private static boolean letters(byte[] d, int at) {
        return at + 1 < d.length && Character.isUpperCase(d[at]) && Character.isUpperCase(d[at + 1]);
    }

    private static String hex(byte[] data, int from) {
        return HexFormat.of().formatHex(data, from, data.length);
    }

    /** Location text comes from the AP: no control characters reach logs or pages. */
    private static String printable(String s) {
        return s.replaceAll("\\p{Cntrl}", "?");
    }
}
