package org.opentwag.diameter.codec;

import static org.opentwag.diameter.codec.BaseProtocol.AUTH_APPLICATION_ID;
import static org.opentwag.diameter.codec.BaseProtocol.DESTINATION_HOST;
import static org.opentwag.diameter.codec.BaseProtocol.DESTINATION_REALM;
import static org.opentwag.diameter.codec.BaseProtocol.EVENT_TIMESTAMP;
import static org.opentwag.diameter.codec.BaseProtocol.SESSION_ID;
import static org.opentwag.diameter.codec.BaseProtocol.TERMINATION_CAUSE;
import static org.opentwag.diameter.codec.BaseProtocol.USER_NAME;
import static org.opentwag.diameter.codec.CreditControlApplication.CC_REQUEST_NUMBER;
import static org.opentwag.diameter.codec.CreditControlApplication.CC_REQUEST_TYPE;
import static org.opentwag.diameter.codec.CreditControlApplication.MULTIPLE_SERVICES_CREDIT_CONTROL;
import static org.opentwag.diameter.codec.CreditControlApplication.MULTIPLE_SERVICES_INDICATOR;
import static org.opentwag.diameter.codec.CreditControlApplication.SERVICE_CONTEXT_ID;
import static org.opentwag.diameter.codec.CreditControlApplication.SUBSCRIPTION_ID;
import static org.opentwag.diameter.codec.CreditControlApplication.SUBSCRIPTION_ID_DATA;
import static org.opentwag.diameter.codec.CreditControlApplication.SUBSCRIPTION_ID_TYPE;

import java.time.Instant;
import java.util.List;

import org.opentwag.diameter.codec.CreditControlApplication.CcRequestType;
import org.opentwag.diameter.codec.CreditControlApplication.MultipleServicesIndicator;
import org.opentwag.diameter.codec.CreditControlApplication.SubscriptionIdType;

/**
 * A Credit-Control-Request (RFC 4006 3.1) as sent on Gy for WLAN access: one subscriber identified by
 * Subscription-Id END_USER_IMSI, units asked and reported in Multiple-Services-Credit-Control (TS 32.299).
 * Origin-Host/Origin-Realm are left to the Diameter stack.
 *
 * @param destinationHost  null to route by realm
 * @param requestType      {@link CcRequestType}
 * @param imsi             Subscription-Id-Data of type END_USER_IMSI; null when the request has none
 * @param eventTimestamp   null for none
 * @param terminationCause Termination-Cause (RFC 6733 8.15, 1 = DIAMETER_LOGOUT) on a termination, else
 *                         {@link ServiceCredit#ABSENT}
 */
public record CreditControlRequest(String sessionId, String destinationRealm, String destinationHost,
                                   String serviceContextId, int requestType, long requestNumber, String imsi,
                                   Instant eventTimestamp, int terminationCause, List<ServiceCredit> credits) {

    /** Termination-Cause DIAMETER_LOGOUT (RFC 6733 8.15): the user ended the session. */
    public static final int TERMINATION_CAUSE_LOGOUT = 1;

    // Made once: an Avp is immutable, and every CCR (and CCA) carries the first, every CCR-I the second.
    static final Avp GY_APPLICATION_ID = Avp.unsigned32(AUTH_APPLICATION_ID, CreditControlApplication.APPLICATION_ID);
    private static final Avp MULTIPLE_SERVICES_SUPPORTED =
            Avp.enumerated(MULTIPLE_SERVICES_INDICATOR, MultipleServicesIndicator.MULTIPLE_SERVICES_SUPPORTED);

    public CreditControlRequest {
        credits = List.copyOf(credits);
    }

    public DiameterMessage toMessage() {
        DiameterMessage.Builder b = DiameterMessage.request(CreditControlApplication.APPLICATION_ID,
                        CreditControlApplication.CREDIT_CONTROL_COMMAND)
                .add(Avp.utf8(SESSION_ID, sessionId))
                .add(Avp.identity(DESTINATION_REALM, destinationRealm))
                .add(GY_APPLICATION_ID)
                .add(Avp.utf8(SERVICE_CONTEXT_ID, serviceContextId))
                .add(Avp.enumerated(CC_REQUEST_TYPE, requestType))
                .add(Avp.unsigned32(CC_REQUEST_NUMBER, requestNumber));
        if (destinationHost != null && !destinationHost.isBlank()) {
            b.add(Avp.identity(DESTINATION_HOST, destinationHost));
        }
        if (eventTimestamp != null) {
            b.add(Avp.time(EVENT_TIMESTAMP, eventTimestamp));
        }
        if (imsi != null) {
            b.add(Avp.grouped(SUBSCRIPTION_ID, Avp.enumerated(SUBSCRIPTION_ID_TYPE, SubscriptionIdType.END_USER_IMSI),
                    Avp.utf8(SUBSCRIPTION_ID_DATA, imsi)));
        }
        if (terminationCause != ServiceCredit.ABSENT) {
            b.add(Avp.enumerated(TERMINATION_CAUSE, terminationCause));
        }
        if (requestType == CcRequestType.INITIAL_REQUEST && !credits.isEmpty()) {
            // RFC 4006 8.40: the client says in the first request that it speaks MSCC.
            b.add(MULTIPLE_SERVICES_SUPPORTED);
        }
        for (ServiceCredit c : credits) {
            b.add(c.toAvp());
        }
        return b.build();
    }

    /**
     * Reads a received CCR (the server side).
     *
     * @throws IllegalArgumentException when Session-Id, CC-Request-Type or CC-Request-Number is missing
     */
    public static CreditControlRequest from(DiameterMessage ccr) {
        String sessionId = ccr.utf8(SESSION_ID);
        if (sessionId == null) {
            throw missing("Session-Id");
        }
        if (!ccr.has(CC_REQUEST_TYPE)) {
            throw missing("CC-Request-Type");
        }
        if (!ccr.has(CC_REQUEST_NUMBER)) {
            throw missing("CC-Request-Number");
        }
        int type = ccr.enumerated(CC_REQUEST_TYPE, 0);
        long number = ccr.unsigned32(CC_REQUEST_NUMBER, 0);
        String imsi = null;
        List<Avp> ids = ccr.findAll(SUBSCRIPTION_ID);
        for (int i = 0, n = ids.size(); i < n; i++) {
            Avp s = ids.get(i);
            if (s.has(SUBSCRIPTION_ID_TYPE) && s.memberEnumerated(SUBSCRIPTION_ID_TYPE, 0) == SubscriptionIdType.END_USER_IMSI) {
                imsi = s.memberUtf8(SUBSCRIPTION_ID_DATA);
            }
        }
        if (imsi == null) {
            // Some clients put the IMSI only in User-Name.
            imsi = ccr.utf8(USER_NAME);
        }
        return new CreditControlRequest(sessionId, ccr.utf8(DESTINATION_REALM), ccr.utf8(DESTINATION_HOST),
                ccr.utf8(SERVICE_CONTEXT_ID), type, number, imsi,
                ccr.has(EVENT_TIMESTAMP) ? ccr.find(EVENT_TIMESTAMP).orElseThrow().time() : null,
                ccr.enumerated(TERMINATION_CAUSE, ServiceCredit.ABSENT),
                ServiceCredit.fromAll(ccr.findAll(MULTIPLE_SERVICES_CREDIT_CONTROL)));
    }

    private static IllegalArgumentException missing(String avp) {
        return new IllegalArgumentException("CCR without " + avp);
    }
}
