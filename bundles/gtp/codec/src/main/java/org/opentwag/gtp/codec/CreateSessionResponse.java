package org.opentwag.gtp.codec;

import java.net.Inet4Address;
import java.util.List;
import java.util.Optional;

/**
 * What a PGW answers to a Create Session Request (TS 29.274 7.2.2), as S2a needs it.
 *
 * @param cause          the message's Cause
 * @param pgwControl     the PGW's control-plane F-TEID (instance 1), null when rejected
 * @param address        the phone's IPv4 address (PAA), null when none
 * @param ambr           APN-AMBR, null when absent
 * @param dnsServers     IPv4 DNS servers from the PCO
 * @param ebi            the bearer's EBI, 0 when no bearer context was created
 * @param bearerCause    the bearer context's Cause value, 0 when absent
 * @param pgwUserPlane   the PGW's user-plane F-TEID of the bearer: instance 5 (S2a-U PGW), else 4 (S2b-U PGW) or
 *                       2 (S5/S8-U PGW) from a PGW that answers with another layout; null when absent
 * @param chargingId     the bearer's Charging ID, -1 when absent
 * @param recovery       the PGW's restart counter when the response carries one, else -1
 */
public record CreateSessionResponse(Cause cause, Ies.FTeid pgwControl, Inet4Address address, Ies.Ambr ambr,
                                    List<Inet4Address> dnsServers, int ebi, int bearerCause,
                                    Ies.FTeid pgwUserPlane, long chargingId, int recovery) {

    public static CreateSessionResponse from(GtpV2Message m) {
        if (m.type() != MessageType.CREATE_SESSION_RESPONSE) {
            throw new IllegalArgumentException("not a Create Session Response: " + MessageType.name(m.type()));
        }
        Cause cause = m.cause().orElseThrow(() -> new GtpDecodeException("Create Session Response without Cause", 0));
        Ies.FTeid control = m.ie(IeType.F_TEID, 1).map(Ies.FTeid::from).orElse(null);
        Inet4Address address = m.ie(IeType.PAA).flatMap(Ies::paaIpv4).orElse(null);
        Ies.Ambr ambr = m.ie(IeType.AMBR).map(Ies.Ambr::from).orElse(null);
        List<Inet4Address> dns = m.ie(IeType.PCO).map(Ies::dnsServers).orElse(List.of());
        int ebi = 0;
        int bearerCause = 0;
        Ies.FTeid user = null;
        long charging = -1;
        Optional<InformationElement> bearer = m.ie(IeType.BEARER_CONTEXT, 0);
        if (bearer.isPresent()) {
            InformationElement b = bearer.get();
            ebi = b.child(IeType.EBI, 0).map(Ies::ebi).orElse(0);
            bearerCause = b.child(IeType.CAUSE, 0).map(c -> Cause.from(c).value()).orElse(0);
            for (int instance : new int[] {5, 4, 2}) {
                Optional<InformationElement> f = b.child(IeType.F_TEID, instance);
                if (f.isPresent()) {
                    user = Ies.FTeid.from(f.get());
                    break;
                }
            }
            charging = b.child(IeType.CHARGING_ID, 0).map(Ies::chargingId).orElse(-1L);
        }
        int recovery = m.ie(IeType.RECOVERY).map(InformationElement::octet).orElse(-1);
        return new CreateSessionResponse(cause, control, address, ambr, dns, ebi, bearerCause, user, charging,
                recovery);
    }
}
