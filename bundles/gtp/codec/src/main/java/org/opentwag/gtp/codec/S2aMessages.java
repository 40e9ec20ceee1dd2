package org.opentwag.gtp.codec;

import java.util.ArrayList;
import java.util.List;

/** The other S2a messages a TWAN sends (TS 29.274 7.1, 7.2.9, 7.2.10). */
public final class S2aMessages {

    private S2aMessages() {
    }

    /** Echo Request (7.1.1): Recovery. */
    public static GtpV2Message echoRequest(int sequence, int recovery) {
        return GtpV2Message.withoutTeid(MessageType.ECHO_REQUEST, sequence, List.of(Ies.recovery(recovery)));
    }

    /** Echo Response (7.1.2): Recovery, with the request's sequence number. */
    public static GtpV2Message echoResponse(int sequence, int recovery) {
        return GtpV2Message.withoutTeid(MessageType.ECHO_RESPONSE, sequence, List.of(Ies.recovery(recovery)));
    }

    /** Delete Session Request (7.2.9.1) for the PDN connection whose default bearer is {@code linkedEbi}. */
    public static GtpV2Message deleteSessionRequest(long pgwTeid, int sequence, int linkedEbi) {
        return GtpV2Message.withTeid(MessageType.DELETE_SESSION_REQUEST, pgwTeid, sequence,
                List.of(Ies.ebi(linkedEbi, 0)));
    }

    /**
     * A response carrying a Cause only (Delete Session Response 7.2.10, Delete Bearer Response 7.2.10.2 for a whole
     * PDN connection, which also carries the LBI).
     */
    public static GtpV2Message response(int type, long teid, int sequence, Cause cause, int linkedEbi) {
        List<InformationElement> ies = new ArrayList<>();
        ies.add(cause.toIe());
        if (linkedEbi > 0) {
            ies.add(Ies.ebi(linkedEbi, 0));
        }
        return GtpV2Message.withTeid(type, teid, sequence, ies);
    }

    /**
     * The bearers a Delete Bearer Request (7.2.9.2) removes: the LBI (instance 0) means the whole PDN connection;
     * otherwise the EBIs (instance 1) of dedicated bearers.
     *
     * @param linkedEbi the LBI, 0 when absent
     * @param ebis      EBIs of single bearers
     * @param cause     the Cause value, 0 when absent
     */
    public record DeleteBearerRequest(int linkedEbi, List<Integer> ebis, int cause) {
        public static DeleteBearerRequest from(GtpV2Message m) {
            int lbi = m.ie(IeType.EBI, 0).map(Ies::ebi).orElse(0);
            List<Integer> ebis = new ArrayList<>();
            for (InformationElement ie : m.ies()) {
                if (ie.type() == IeType.EBI && ie.instance() == 1) {
                    ebis.add(Ies.ebi(ie));
                }
            }
            return new DeleteBearerRequest(lbi, List.copyOf(ebis), m.cause().map(Cause::value).orElse(0));
        }

        /** Whether the default bearer {@code defaultEbi} goes, which ends the PDN connection. */
        public boolean endsPdnConnection(int defaultEbi) {
            return linkedEbi == defaultEbi || ebis.contains(defaultEbi);
        }
    }
}
