package org.opentwag.api.session;

import java.util.concurrent.CompletionStage;

import org.opentwag.api.eap.EapAuthentication;
import org.opentwag.api.eap.NasContext;
import org.opentwag.api.vectors.Non3gppUserData;

/**
 * Where an admitted subscriber's traffic goes, asked by the access-session bundle after charging allowed a login and
 * before the Access-Accept: local breakout (the default, also when no path service is installed) or home routing to
 * the operator's PGW over S2a (TS 23.402 16). The service that opens a home-routed PDN connection owns it and closes
 * it when the access-session bundle says the subscriber's session ended.
 */
public interface AccessPath {

    /** Decides the path of a verified subscriber and opens it. Completes normally, with {@link PathDecision.Refused}. */
    CompletionStage<PathDecision> open(EapAuthentication authentication, NasContext nas);

    /**
     * Like {@link #open(EapAuthentication, NasContext)}, with what the home network said about the subscriber (its SAA
     * Non-3GPP-User-Data: the APN configurations and the default APN), or null when nothing is known. The access-session
     * bundle calls this one; a path that does not use the user data need not override it.
     */
    default CompletionStage<PathDecision> open(EapAuthentication authentication, NasContext nas,
                                               Non3gppUserData userData) {
        return open(authentication, nas);
    }

    /** The subscriber's session ended (accounting Stop, disconnect): close what {@link #open} opened. Never fails. */
    void close(String imsi, String reason);

    /** What {@link #open} decided. */
    sealed interface PathDecision {

        /** The AP (or the TWAG) sends the traffic to the Internet locally: nothing to close. */
        record LocalBreakout(String reason) implements PathDecision {
        }

        /**
         * A PDN connection at the PGW carries the traffic.
         *
         * @param apn     the APN of the connection
         * @param address the phone's IPv4 address the PGW assigned
         * @param pgw     the PGW's GTP-C address
         */
        record HomeRouted(String apn, String address, String pgw) implements PathDecision {
        }

        /** The subscriber is not admitted (the PGW refused or is unreachable and the policy is to reject). */
        record Refused(String reason) implements PathDecision {
        }
    }
}
