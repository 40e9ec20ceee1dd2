package org.opentwag.diameter.codec;

import static org.opentwag.diameter.codec.CreditControlApplication.CC_REQUEST_NUMBER;
import static org.opentwag.diameter.codec.CreditControlApplication.CC_REQUEST_TYPE;
import static org.opentwag.diameter.codec.CreditControlApplication.CREDIT_CONTROL_FAILURE_HANDLING;
import static org.opentwag.diameter.codec.CreditControlApplication.FINAL_UNIT_INDICATION;
import static org.opentwag.diameter.codec.CreditControlApplication.GRANTED_SERVICE_UNIT;
import static org.opentwag.diameter.codec.CreditControlApplication.MULTIPLE_SERVICES_CREDIT_CONTROL;
import static org.opentwag.diameter.codec.CreditControlApplication.VALIDITY_TIME;

import java.util.List;
import java.util.Optional;

/**
 * A Credit-Control-Answer (RFC 4006 3.2): the result, the credits per rating group (MSCC), and the session-level
 * Granted-Service-Unit, Validity-Time, Final-Unit-Indication and Credit-Control-Failure-Handling some servers send
 * outside MSCC. Absent numbers are {@link ServiceCredit#ABSENT}.
 *
 * @param resultCode      Result-Code, or the Experimental-Result-Code when only that is present
 * @param granted         session-level Granted-Service-Unit (servers not using MSCC), else null
 * @param failureHandling Credit-Control-Failure-Handling the server wants for this session, else ABSENT
 */
public record CreditControlAnswer(String sessionId, long resultCode, int requestType, long requestNumber,
                                  List<ServiceCredit> credits, ServiceUnits granted, long validityTimeSeconds,
                                  int finalUnitAction, int failureHandling) {

    public CreditControlAnswer {
        credits = List.copyOf(credits);
    }

    /** Reads a received CCA. */
    public static CreditControlAnswer from(DiameterMessage cca) {
        return new CreditControlAnswer(cca.utf8(BaseProtocol.SESSION_ID),
                cca.outcome(ServiceCredit.ABSENT),
                cca.enumerated(CC_REQUEST_TYPE, ServiceCredit.ABSENT),
                cca.unsigned32(CC_REQUEST_NUMBER, ServiceCredit.ABSENT),
                ServiceCredit.fromAll(cca.findAll(MULTIPLE_SERVICES_CREDIT_CONTROL)),
                ServiceUnits.fromOrNull(cca.find(GRANTED_SERVICE_UNIT).orElse(null)),
                cca.unsigned32(VALIDITY_TIME, ServiceCredit.ABSENT),
                ServiceCredit.finalUnitAction(cca.find(FINAL_UNIT_INDICATION).orElse(null)),
                cca.enumerated(CREDIT_CONTROL_FAILURE_HANDLING, ServiceCredit.ABSENT));
    }

    /** The credit of one rating group (ABSENT matches the first credit). */
    public Optional<ServiceCredit> credit(long ratingGroup) {
        // a loop, not a stream: read twice per CCA
        for (int i = 0, n = credits.size(); i < n; i++) {
            ServiceCredit c = credits.get(i);
            if (ratingGroup == ServiceCredit.ABSENT || c.ratingGroup() == ratingGroup
                    || c.ratingGroup() == ServiceCredit.ABSENT) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /**
     * The answer of a credit-control server: Result-Code, Auth-Application-Id 4, the request's type and number,
     * then the credits. Origin-Host/Realm are left to the stack.
     */
    public static DiameterMessage answer(DiameterMessage ccr, long resultCode, List<ServiceCredit> credits,
                                         int failureHandling) {
        DiameterMessage.Builder b = DiameterMessage.answerTo(ccr).resultCode(resultCode)
                .add(CreditControlRequest.GY_APPLICATION_ID);
        if (ccr.has(CC_REQUEST_TYPE)) {
            b.add(Avp.enumerated(CC_REQUEST_TYPE, ccr.enumerated(CC_REQUEST_TYPE, 0)));
        }
        if (ccr.has(CC_REQUEST_NUMBER)) {
            b.add(Avp.unsigned32(CC_REQUEST_NUMBER, ccr.unsigned32(CC_REQUEST_NUMBER, 0)));
        }
        for (ServiceCredit c : credits) {
            b.add(c.toAvp());
        }
        if (failureHandling != ServiceCredit.ABSENT) {
            b.add(Avp.enumerated(CREDIT_CONTROL_FAILURE_HANDLING, failureHandling));
        }
        return b.build();
    }
}
