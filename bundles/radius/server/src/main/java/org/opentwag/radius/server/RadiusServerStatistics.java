package org.opentwag.radius.server;

import java.util.Map;

/**
 * Counters of the RADIUS server since start, read by the metrics bundle and the shell. The same numbers are also
 * published through {@code org.opentwag.api.metrics.MetricsSource} under the guide's metric names.
 */
public interface RadiusServerStatistics {

    /** Why a datagram got no answer. */
    enum DropReason {
        UNKNOWN_CLIENT("unknown_client"),
        /** From a subnet whose access point group is refused beyond loopback: its secret is the placeholder or too short. */
        CLIENT_GROUP_REFUSED("client_group_refused"),
        BAD_AUTHENTICATOR("bad_authenticator"),
        MISSING_MESSAGE_AUTHENTICATOR("missing_message_authenticator"),
        MALFORMED("malformed"),
        /** A retransmission arriving while the first copy is still in progress. */
        DUPLICATE("duplicate"),
        /** More than maxPendingRequests in flight. */
        OVERLOAD("overload"),
        /**
         * An Access-Request starting a login (no State attribute) while the heap after the latest collection is above
         * memoryGuardPercent: logins under way, and accounting, go on.
         */
        MEMORY("memory"),
        /** A new request while the server stops (bundle:update): the AP's retransmission reaches the next server. */
        STOPPING("stopping"),
        /** A code this port does not serve (e.g. Accounting-Request on the auth port). */
        UNSUPPORTED_CODE("unsupported_code"),
        /** Accounting-Request with no AccountingHandler present: never acknowledge what is not stored. */
        NO_ACCOUNTING_HANDLER("no_accounting_handler"),
        /** The handler's stage failed or timed out. */
        HANDLER_FAILED("handler_failed"),
        /** RadSec (RFC 6614): TLS handshake failed, or the client certificate matches no access point group. */
        TLS_REFUSED("tls_refused");

        private final String label;

        DropReason(String label) {
            this.label = label;
        }

        /** The Prometheus label value. */
        public String label() {
            return label;
        }
    }

    long accessRequests();

    long accessAccepts();

    long accessRejects();

    long accessChallenges();

    /** Accounting-Requests by status label: start, stop, interim_update, accounting_on, accounting_off, other. */
    long accountingRequests(String statusType);

    long accountingResponses();

    long statusServerRequests();

    /** Retransmissions answered from the duplicate cache. */
    long duplicatesAnswered();

    long dropped(DropReason reason);

    /** Requests handed to a handler and not yet answered. */
    long pendingRequests();

    /**
     * Every counter as Prometheus series text, e.g. {@code radius_access_request_count},
     * {@code radius_accounting_request_count{status_type="start"}}, {@code radius_dropped_count{reason="duplicate"}}.
     */
    Map<String, Long> snapshot();
}
