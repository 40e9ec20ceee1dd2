package org.opentwag.api.s2a;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

/**
 * The default bearers of the open PDN connections as the S2a user plane needs them: which phone (by the MAC the AP
 * reported as Calling-Station-Id) may send, with which address, into which GTP-U tunnel, and which phone a tunnel's
 * packets go back to. Offered by the S2a gateway, which alone owns the PDN connections; a bearer is gone from here
 * the moment its connection ends (Accounting-Stop, PGW Delete, PGW restart), so the user plane keeps no copy.
 */
public interface UserPlaneBearers {

    /** The bearer of the phone with this MAC (48 bits in a long), if its PDN connection is open. */
    Optional<Bearer> byMac(long mac);

    /** The bearer whose S2a TWAN GTP-U TEID (ours, what the PGW-U addresses) this is. */
    Optional<Bearer> byLocalTeid(long localTeid);

    /**
     * @param imsi         the subscriber
     * @param mac          the phone's MAC (Calling-Station-Id), 48 bits
     * @param address      the phone's IPv4 address (the PAA of the Create Session Response)
     * @param dnsServers   DNS servers the PGW gave in its PCO (may be empty)
     * @param localTeid    our user-plane TEID (S2a TWAN GTP-U F-TEID)
     * @param pgwTeid      the PGW-U's TEID (S2a PGW GTP-U F-TEID)
     * @param pgwUserPlane the PGW-U's GTP-U address, port 2152
     */
    record Bearer(String imsi, long mac, Inet4Address address, List<Inet4Address> dnsServers, long localTeid,
                  long pgwTeid, InetSocketAddress pgwUserPlane) {
    }

    /**
     * A MAC as APs write it in Calling-Station-Id ({@code 02-00-00-00-00-02}, {@code 02:00:00:00:00:02},
     * {@code 0200.0000.0002}, {@code 020000000002}) as 48 bits; -1 when it is not a MAC.
     */
    static long parseMac(String text) {
        if (text == null) {
            return -1;
        }
        // A loop, not a regex: called once per home-routed login (a regex compiles its pattern each call).
        long mac = 0;
        int digits = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '-' || c == ':' || c == '.') {
                continue;
            }
            int d = Character.digit(c, 16);
            if (d < 0 || ++digits > 12) {
                return -1;
            }
            mac = mac << 4 | d;
        }
        return digits == 12 ? mac : -1;
    }

    /** {@code 02:00:00:00:00:02}. */
    static String formatMac(long mac) {
        StringBuilder b = new StringBuilder(17);
        for (int i = 5; i >= 0; i--) {
            b.append(String.format("%02x", (mac >>> (8 * i)) & 0xff));
            if (i > 0) {
                b.append(':');
            }
        }
        return b.toString();
    }
}
