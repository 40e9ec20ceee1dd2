package org.opentwag.gtp.gateway;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * The S2a gateway's configuration ({@code etc/org.opentwag.s2a.cfg}).
 *
 * @param pgw            the PGW's GTP-C address (port 2123)
 * @param local          where the TWAG's GTP-C endpoint binds; its address goes into our F-TEIDs
 * @param defaultApn     the APN asked for
 * @param servingMcc     MCC of the Serving Network IE (the TWAN's PLMN)
 * @param servingMnc     MNC of the Serving Network IE
 * @param imsiPrefixes   subscribers home-routed (IMSI prefixes; empty = every subscriber)
 * @param whenPgwDown    what a login gets when the PGW does not answer
 * @param t3             retransmission timer T3-RESPONSE
 * @param n3             retransmissions N3-REQUESTS
 * @param echoInterval   Echo Request period (0 = no Echo)
 */
public record S2aSettings(InetSocketAddress pgw, InetSocketAddress local, String defaultApn, String servingMcc,
                          String servingMnc, List<String> imsiPrefixes, WhenPgwDown whenPgwDown, Duration t3, int n3,
                          Duration echoInterval) {

    /** The policy for a login whose Create Session Request goes unanswered. */
    public enum WhenPgwDown { REJECT, LOCAL_BREAKOUT }

    public boolean homeRouted(String imsi) {
        return imsi != null && (imsiPrefixes.isEmpty() || imsiPrefixes.stream().anyMatch(imsi::startsWith));
    }
}
