package org.opentwag.gtp.codec;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * A Create Session Request from a TWAN on S2a (TS 29.274 7.2.1, TS 23.402 16.2): the PDN connection of one
 * subscriber over trusted WLAN, RAT-Type WLAN, one default bearer, PAA asking for a dynamic IPv4 address.
 *
 * @param imsi           the subscriber
 * @param msisdn         when known, else null
 * @param servingNetwork the PLMN serving the subscriber (the TWAN's)
 * @param apn            the APN (network identifier, optionally with the operator identifier)
 * @param senderControl  our control-plane F-TEID (interface type 35 S2a TWAN GTP-C, instance 0)
 * @param userPlane      our user-plane F-TEID for the default bearer (type 34 S2a TWAN GTP-U, instance 6)
 * @param ebi            the default bearer's EPS Bearer ID (5)
 * @param qos            the default bearer's QoS
 * @param twan           SSID/BSSID, or null
 * @param recovery       our restart counter
 * @param ambr           APN-AMBR requested, or null
 */
public record CreateSessionRequest(String imsi, String msisdn, Ies.Plmn servingNetwork, String apn,
                                   Ies.FTeid senderControl, Ies.FTeid userPlane, int ebi, Ies.BearerQos qos,
                                   Ies.TwanIdentifier twan, int recovery, Ies.Ambr ambr) {

    /** TS 29.274 Table 7.2.1-2: the S2a-U TWAN F-TEID of a bearer context to be created is instance 6. */
    public static final int S2A_TWAN_USER_PLANE_INSTANCE = 6;

    public GtpV2Message toMessage(int sequence) {
        List<InformationElement> ies = new ArrayList<>();
        ies.add(Ies.imsi(imsi));
        if (msisdn != null && !msisdn.isEmpty()) {
            ies.add(Ies.msisdn(msisdn));
        }
        ies.add(Ies.ratType(Ies.RAT_WLAN));
        ies.add(servingNetwork.toServingNetwork());
        ies.add(senderControl.toIe(0));
        ies.add(Ies.apn(apn));
        ies.add(Ies.selectionMode(0));
        ies.add(Ies.pdnType(Ies.PDN_IPV4));
        ies.add(Ies.paaIpv4(anyIpv4()));
        if (ambr != null) {
            ies.add(ambr.toIe());
        }
        ies.add(Ies.pcoRequest(Ies.PCO_DNS_IPV4));
        ies.add(InformationElement.grouped(IeType.BEARER_CONTEXT, 0,
                List.of(Ies.ebi(ebi, 0), userPlane.toIe(S2A_TWAN_USER_PLANE_INSTANCE), qos.toIe())));
        ies.add(Ies.recovery(recovery));
        if (twan != null) {
            ies.add(twan.toIe());
        }
        return GtpV2Message.withTeid(MessageType.CREATE_SESSION_REQUEST, 0, sequence, ies);
    }

    private static Inet4Address anyIpv4() {
        try {
            return (Inet4Address) InetAddress.getByAddress(new byte[4]);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
