package org.opentwag.gtp.codec;

import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Typed values of the IEs S2a uses (TS 29.274 8.x), each with its encoder and decoder. */
public final class Ies {

    private Ies() {
    }

    // ------------------------------------------------------------------ TBCD digits (IMSI 8.3, MSISDN 8.11)

    public static InformationElement imsi(String digits) {
        return InformationElement.of(IeType.IMSI, tbcd(digits));
    }

    public static InformationElement msisdn(String digits) {
        return InformationElement.of(IeType.MSISDN, tbcd(digits));
    }

    /** Digits in TBCD (TS 29.002): two per octet, low nibble first, an odd count padded with 0xF. */
    static byte[] tbcd(String digits) {
        if (digits.isEmpty() || digits.length() > 16 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("not 1..16 decimal digits: " + digits);
        }
        byte[] out = new byte[(digits.length() + 1) / 2];
        for (int i = 0; i < digits.length(); i++) {
            int d = digits.charAt(i) - '0';
            out[i / 2] |= (byte) (i % 2 == 0 ? d : d << 4);
        }
        if (digits.length() % 2 == 1) {
            out[out.length - 1] |= (byte) 0xf0;
        }
        return out;
    }

    public static String digits(InformationElement ie) {
        StringBuilder s = new StringBuilder();
        byte[] v = ie.value();
        for (int i = 0; i < v.length; i++) {
            int lo = v[i] & 0x0f;
            int hi = (v[i] >> 4) & 0x0f;
            if (lo > 9) {
                throw new GtpDecodeException("TBCD nibble 0x" + Integer.toHexString(lo) + " in IE " + ie.type(), i);
            }
            s.append((char) ('0' + lo));
            if (hi == 0x0f && i == v.length - 1) {
                break;
            }
            if (hi > 9) {
                throw new GtpDecodeException("TBCD nibble 0x" + Integer.toHexString(hi) + " in IE " + ie.type(), i);
            }
            s.append((char) ('0' + hi));
        }
        return s.toString();
    }

    // ------------------------------------------------------------------ single octets

    public static InformationElement recovery(int restartCounter) {
        return InformationElement.of(IeType.RECOVERY, new byte[] {(byte) restartCounter});
    }

    /** RAT Type 8.17: 3 = WLAN. */
    public static final int RAT_WLAN = 3;

    public static InformationElement ratType(int rat) {
        return InformationElement.of(IeType.RAT_TYPE, new byte[] {(byte) rat});
    }

    public static InformationElement ebi(int ebi, int instance) {
        return new InformationElement(IeType.EBI, instance, new byte[] {(byte) (ebi & 0x0f)});
    }

    public static int ebi(InformationElement ie) {
        return ie.octet() & 0x0f;
    }

    /** PDN Type 8.34 and PAA 8.14: 1 IPv4, 2 IPv6, 3 IPv4v6. */
    public static final int PDN_IPV4 = 1;

    public static InformationElement pdnType(int type) {
        return InformationElement.of(IeType.PDN_TYPE, new byte[] {(byte) (type & 0x07)});
    }

    /** Selection Mode 8.58: 0 = MS or network provided APN, subscription verified. */
    public static InformationElement selectionMode(int mode) {
        return InformationElement.of(IeType.SELECTION_MODE, new byte[] {(byte) (mode & 0x03)});
    }

    // ------------------------------------------------------------------ APN 8.6 (labels as in DNS, TS 23.003 9.1)

    public static InformationElement apn(String apn) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (String label : apn.split("\\.")) {
            byte[] l = label.getBytes(StandardCharsets.US_ASCII);
            if (l.length == 0 || l.length > 63) {
                throw new IllegalArgumentException("APN label of " + l.length + " octets: " + apn);
            }
            b.write(l.length);
            b.writeBytes(l);
        }
        return InformationElement.of(IeType.APN, b.toByteArray());
    }

    public static String apn(InformationElement ie) {
        byte[] v = ie.value();
        StringBuilder s = new StringBuilder();
        int p = 0;
        while (p < v.length) {
            int n = v[p] & 0xff;
            if (n == 0 || p + 1 + n > v.length) {
                throw new GtpDecodeException("APN label length " + n + " runs past the IE", p);
            }
            if (s.length() > 0) {
                s.append('.');
            }
            s.append(new String(v, p + 1, n, StandardCharsets.US_ASCII));
            p += 1 + n;
        }
        return s.toString();
    }

    // ------------------------------------------------------------------ PLMN (Serving Network 8.18)

    /** A PLMN: MCC 3 digits, MNC 2 or 3 digits. */
    public record Plmn(String mcc, String mnc) {
        public Plmn {
            if (!mcc.matches("\\d{3}") || !mnc.matches("\\d{2,3}")) {
                throw new IllegalArgumentException("PLMN " + mcc + "/" + mnc);
            }
        }

        public byte[] encode() {
            int mnc3 = mnc.length() == 3 ? mnc.charAt(2) - '0' : 0x0f;
            return new byte[] {(byte) (((mcc.charAt(1) - '0') << 4) | (mcc.charAt(0) - '0')),
                    (byte) ((mnc3 << 4) | (mcc.charAt(2) - '0')),
                    (byte) (((mnc.charAt(1) - '0') << 4) | (mnc.charAt(0) - '0'))};
        }

        public static Plmn decode(byte[] v, int at) {
            if (v.length < at + 3) {
                throw new GtpDecodeException("PLMN needs 3 octets", at);
            }
            int[] n = {v[at] & 0x0f, (v[at] >> 4) & 0x0f, v[at + 1] & 0x0f, (v[at + 1] >> 4) & 0x0f,
                    v[at + 2] & 0x0f, (v[at + 2] >> 4) & 0x0f};
            for (int i = 0; i < 6; i++) {
                if (n[i] > 9 && !(i == 3 && n[i] == 0x0f)) {
                    throw new GtpDecodeException("PLMN digit 0x" + Integer.toHexString(n[i]), at + i / 2);
                }
            }
            return new Plmn("" + n[0] + n[1] + n[2], "" + n[4] + n[5] + (n[3] == 0x0f ? "" : "" + n[3]));
        }

        public InformationElement toServingNetwork() {
            return InformationElement.of(IeType.SERVING_NETWORK, encode());
        }

        /** The PLMN of an IMSI: MCC and an MNC of {@code mncLength} digits. */
        public static Plmn ofImsi(String imsi, int mncLength) {
            return new Plmn(imsi.substring(0, 3), imsi.substring(3, 3 + mncLength));
        }
    }

    // ------------------------------------------------------------------ F-TEID 8.22

    /** Interface types (TS 29.274 Table 8.22-1) of S2a and S2b. */
    public static final int IF_S2B_EPDG_GTPC = 30;
    public static final int IF_S2B_EPDG_GTPU = 31;
    public static final int IF_S2B_PGW_GTPC = 32;
    public static final int IF_S2B_PGW_GTPU = 33;
    public static final int IF_S2A_TWAN_GTPU = 34;
    public static final int IF_S2A_TWAN_GTPC = 35;
    public static final int IF_S2A_PGW_GTPC = 36;
    public static final int IF_S2A_PGW_GTPU = 37;

    /** A fully qualified TEID: interface type, TEID/GRE key and an IPv4 and/or IPv6 address. */
    public record FTeid(int interfaceType, long teid, Inet4Address ipv4, InetAddress ipv6) {
        public FTeid {
            if (interfaceType < 0 || interfaceType > 63 || teid < 0 || teid > 0xffffffffL) {
                throw new IllegalArgumentException("F-TEID field out of range");
            }
        }

        public InformationElement toIe(int instance) {
            ByteBuffer b = ByteBuffer.allocate(5 + (ipv4 != null ? 4 : 0) + (ipv6 != null ? 16 : 0));
            b.put((byte) ((ipv4 != null ? 0x80 : 0) | (ipv6 != null ? 0x40 : 0) | interfaceType)).putInt((int) teid);
            if (ipv4 != null) {
                b.put(ipv4.getAddress());
            }
            if (ipv6 != null) {
                b.put(ipv6.getAddress());
            }
            return new InformationElement(IeType.F_TEID, instance, b.array());
        }

        public static FTeid from(InformationElement ie) {
            byte[] v = ie.value();
            if (v.length < 5) {
                throw new GtpDecodeException("F-TEID of " + v.length + " octets", 0);
            }
            boolean v4 = (v[0] & 0x80) != 0;
            boolean v6 = (v[0] & 0x40) != 0;
            if (v.length < 5 + (v4 ? 4 : 0) + (v6 ? 16 : 0)) {
                throw new GtpDecodeException("F-TEID too short for its address flags", 0);
            }
            long teid = ByteBuffer.wrap(v, 1, 4).getInt() & 0xffffffffL;
            Inet4Address a4 = v4 ? Ies.ipv4(v, 5) : null;
            InetAddress a6 = null;
            if (v6) {
                byte[] a = new byte[16];
                System.arraycopy(v, v4 ? 9 : 5, a, 0, 16);
                try {
                    a6 = InetAddress.getByAddress(a);
                } catch (UnknownHostException e) {
                    throw new AssertionError(e);
                }
            }
            return new FTeid(v[0] & 0x3f, teid, a4, a6);
        }
    }

    static Inet4Address ipv4(byte[] v, int at) {
        try {
            return (Inet4Address) InetAddress.getByAddress(new byte[] {v[at], v[at + 1], v[at + 2], v[at + 3]});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    // ------------------------------------------------------------------ PAA 8.14

    /** PAA asking for a dynamic IPv4 address (0.0.0.0). */
    public static InformationElement paaIpv4(Inet4Address address) {
        byte[] a = address.getAddress();
        return InformationElement.of(IeType.PAA, new byte[] {PDN_IPV4, a[0], a[1], a[2], a[3]});
    }

    /** The IPv4 address of a PAA of PDN type IPv4 or IPv4v6. */
    public static Optional<Inet4Address> paaIpv4(InformationElement ie) {
        byte[] v = ie.value();
        if (v.length < 1) {
            throw new GtpDecodeException("empty PAA", 0);
        }
        int type = v[0] & 0x07;
        if (type == 1 && v.length >= 5) {
            return Optional.of(ipv4(v, 1));
        }
        if (type == 3 && v.length >= 22) {
            return Optional.of(ipv4(v, 18));
        }
        if (type == 1 || type == 3) {
            throw new GtpDecodeException("PAA too short for PDN type " + type, 0);
        }
        return Optional.empty();
    }

    // ------------------------------------------------------------------ AMBR 8.7, Bearer QoS 8.15

    /** Aggregate maximum bit rates in kbit/s. */
    public record Ambr(long uplinkKbps, long downlinkKbps) {
        public InformationElement toIe() {
            return InformationElement.of(IeType.AMBR,
                    ByteBuffer.allocate(8).putInt((int) uplinkKbps).putInt((int) downlinkKbps).array());
        }

        public static Ambr from(InformationElement ie) {
            if (ie.value().length != 8) {
                throw new GtpDecodeException("AMBR of " + ie.value().length + " octets (8 expected)", 0);
            }
            ByteBuffer b = ByteBuffer.wrap(ie.value());
            return new Ambr(b.getInt() & 0xffffffffL, b.getInt() & 0xffffffffL);
        }
    }

    /** Bearer-level QoS (22 octets): ARP (PCI, PL, PVI), QCI, MBR/GBR uplink and downlink in kbit/s. */
    public record BearerQos(boolean preemptionCapabilityDisabled, int priorityLevel,
                            boolean preemptionVulnerabilityDisabled, int qci, long mbrUplink, long mbrDownlink,
                            long gbrUplink, long gbrDownlink) {

        /** The default bearer of a WLAN PDN connection: QCI 9, ARP 8, not pre-empting, pre-emptable. */
        public static BearerQos defaultBearer() {
            return new BearerQos(true, 8, false, 9, 0, 0, 0, 0);
        }

        public InformationElement toIe() {
            ByteBuffer b = ByteBuffer.allocate(22);
            b.put((byte) ((preemptionCapabilityDisabled ? 0x40 : 0) | ((priorityLevel & 0x0f) << 2)
                    | (preemptionVulnerabilityDisabled ? 0x01 : 0))).put((byte) qci);
            for (long r : new long[] {mbrUplink, mbrDownlink, gbrUplink, gbrDownlink}) {
                b.put((byte) (r >>> 32)).putInt((int) r);
            }
            return InformationElement.of(IeType.BEARER_QOS, b.array());
        }
    }

    // ------------------------------------------------------------------ TWAN Identifier 8.100

    /** SSID and (when known) BSSID of the WLAN the phone attached to. */
    public record TwanIdentifier(String ssid, byte[] bssid) {
        public TwanIdentifier {
            if (bssid != null && bssid.length != 6) {
                throw new IllegalArgumentException("BSSID of " + bssid.length + " octets");
            }
        }

        public InformationElement toIe() {
            byte[] s = ssid.getBytes(StandardCharsets.UTF_8);
            if (s.length > 32) {
                s = java.util.Arrays.copyOf(s, 32); // an SSID is at most 32 octets (IEEE 802.11)
            }
            ByteBuffer b = ByteBuffer.allocate(2 + s.length + (bssid != null ? 6 : 0));
            b.put((byte) (bssid != null ? 0x01 : 0)).put((byte) s.length).put(s);
            if (bssid != null) {
                b.put(bssid);
            }
            return InformationElement.of(IeType.TWAN_IDENTIFIER, b.array());
        }

        /** Reads SSID and BSSID; the optional fields after them (civic address, PLMN, operator name) are skipped. */
        public static TwanIdentifier from(InformationElement ie) {
            byte[] v = ie.value();
            if (v.length < 2 || v.length < 2 + (v[1] & 0xff)) {
                throw new GtpDecodeException("TWAN Identifier shorter than its SSID", 0);
            }
            int n = v[1] & 0xff;
            String ssid = new String(v, 2, n, StandardCharsets.UTF_8);
            byte[] bssid = null;
            if ((v[0] & 0x01) != 0) {
                if (v.length < 2 + n + 6) {
                    throw new GtpDecodeException("TWAN Identifier shorter than its BSSID", 2 + n);
                }
                bssid = new byte[6];
                System.arraycopy(v, 2 + n, bssid, 0, 6);
            }
            return new TwanIdentifier(ssid, bssid);
        }

        /** "AA-BB-CC-DD-EE-FF:SSID" (Called-Station-Id, RFC 3580 3.20) into BSSID and SSID; null when unparseable. */
        public static TwanIdentifier fromCalledStationId(String calledStationId) {
            if (calledStationId == null) {
                return null;
            }
            java.util.regex.Matcher m = CALLED_STATION.matcher(calledStationId);
            if (!m.matches()) {
                return new TwanIdentifier(calledStationId.length() > 32 ? calledStationId.substring(0, 32)
                        : calledStationId, null);
            }
            String ssid = m.group(2) == null ? "" : m.group(2);
            return new TwanIdentifier(ssid, java.util.HexFormat.of().parseHex(m.group(1).replaceAll("[-:.]", "")));
        }

        /** A MAC (12 hex digits, optionally separated by '-', ':' or '.') and an optional ":SSID". */
        private static final java.util.regex.Pattern CALLED_STATION = java.util.regex.Pattern.compile(
                "((?:[0-9A-Fa-f]{2}[-:.]?){5}[0-9A-Fa-f]{2})(?::(.{0,32}))?");
    }

    // ------------------------------------------------------------------ PCO 8.13 (TS 24.008 10.5.6.3)

    /** PCO container 0x000D: DNS Server IPv4 Address Request (empty) / its answer (4 octets). */
    public static final int PCO_DNS_IPV4 = 0x000d;

    /** A PCO (configuration protocol PPP) with one empty container per requested id. */
    public static InformationElement pcoRequest(int... containerIds) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(0x80);
        for (int id : containerIds) {
            b.write(id >> 8);
            b.write(id);
            b.write(0);
        }
        return InformationElement.of(IeType.PCO, b.toByteArray());
    }

    /** A PCO container: id and contents. */
    public record PcoContainer(int id, byte[] contents) {
    }

    public static List<PcoContainer> pco(InformationElement ie) {
        byte[] v = ie.value();
        if (v.length < 1 || (v[0] & 0x80) == 0) {
            throw new GtpDecodeException("PCO without its extension octet", 0);
        }
        List<PcoContainer> out = new ArrayList<>();
        int p = 1;
        while (p < v.length) {
            if (p + 3 > v.length) {
                throw new GtpDecodeException("truncated PCO container", p);
            }
            int id = ((v[p] & 0xff) << 8) | (v[p + 1] & 0xff);
            int n = v[p + 2] & 0xff;
            if (p + 3 + n > v.length) {
                throw new GtpDecodeException("PCO container " + id + " runs past the IE", p);
            }
            byte[] c = new byte[n];
            System.arraycopy(v, p + 3, c, 0, n);
            out.add(new PcoContainer(id, c));
            p += 3 + n;
        }
        return out;
    }

    /** The IPv4 DNS servers a PCO answer carries (containers 0x000D of 4 octets). */
    public static List<Inet4Address> dnsServers(InformationElement pco) {
        List<Inet4Address> out = new ArrayList<>();
        for (PcoContainer c : pco(pco)) {
            if (c.id() == PCO_DNS_IPV4 && c.contents().length == 4) {
                out.add(ipv4(c.contents(), 0));
            }
        }
        return out;
    }

    /** Charging ID 8.29: 4 octets. */
    public static long chargingId(InformationElement ie) {
        if (ie.value().length != 4) {
            throw new GtpDecodeException("Charging ID of " + ie.value().length + " octets", 0);
        }
        return ByteBuffer.wrap(ie.value()).getInt() & 0xffffffffL;
    }
}
