package org.opentwag.diameter.codec;

import static org.opentwag.diameter.codec.CreditControlApplication.FINAL_UNIT_ACTION;
import static org.opentwag.diameter.codec.CreditControlApplication.FINAL_UNIT_INDICATION;
import static org.opentwag.diameter.codec.CreditControlApplication.GRANTED_SERVICE_UNIT;
import static org.opentwag.diameter.codec.CreditControlApplication.MULTIPLE_SERVICES_CREDIT_CONTROL;
import static org.opentwag.diameter.codec.CreditControlApplication.RATING_GROUP;
import static org.opentwag.diameter.codec.CreditControlApplication.REPORTING_REASON;
import static org.opentwag.diameter.codec.CreditControlApplication.REQUESTED_SERVICE_UNIT;
import static org.opentwag.diameter.codec.CreditControlApplication.SERVICE_IDENTIFIER;
import static org.opentwag.diameter.codec.CreditControlApplication.USED_SERVICE_UNIT;
import static org.opentwag.diameter.codec.CreditControlApplication.VALIDITY_TIME;
import static org.opentwag.diameter.codec.CreditControlApplication.VOLUME_QUOTA_THRESHOLD;

import java.util.ArrayList;
import java.util.List;

import org.opentwag.diameter.codec.CreditControlApplication.ReportingReason;

/**
 * One Multiple-Services-Credit-Control (RFC 4006 8.16, with the TS 32.299 members used on Gy): the credit of one
 * Rating-Group / Service-Identifier. A number member is absent when it is {@link #ABSENT}; a unit member when null.
 *
 * <p>Reporting-Reason (TS 32.299) is written inside the Used-Service-Unit for THRESHOLD and QUOTA_EXHAUSTED (reasons
 * about one quota) and at MSCC level otherwise (FINAL, VALIDITY_TIME...); it is read from either place.
 *
 * @param finalUnitAction Final-Unit-Action of a Final-Unit-Indication, {@link #ABSENT} when there is none
 */
public record ServiceCredit(long ratingGroup, long serviceIdentifier, ServiceUnits requested, ServiceUnits granted,
                            ServiceUnits used, long validityTimeSeconds, long resultCode, int finalUnitAction,
                            long volumeQuotaThreshold, int reportingReason) {
    public static final int ABSENT = -1;

    /** What a credit-control client asks and reports for one rating group. */
    public static ServiceCredit request(long ratingGroup, long serviceIdentifier, ServiceUnits requested,
                                        ServiceUnits used, int reportingReason) {
        return new ServiceCredit(ratingGroup, serviceIdentifier, requested, null, used, ABSENT, ABSENT, ABSENT,
                ABSENT, reportingReason);
    }

    /** What a credit-control server grants for one rating group. */
    public static ServiceCredit grant(long ratingGroup, long serviceIdentifier, ServiceUnits granted,
                                      long validityTimeSeconds, long resultCode, int finalUnitAction) {
        return new ServiceCredit(ratingGroup, serviceIdentifier, null, granted, null, validityTimeSeconds, resultCode,
                finalUnitAction, ABSENT, ABSENT);
    }

    /** Whether the grant carries a Final-Unit-Indication. */
    public boolean finalUnit() {
        return finalUnitAction != ABSENT;
    }

    public Avp toAvp() {
        List<Avp> m = new ArrayList<>(8);
        if (granted != null) {
            m.add(granted.toAvp(GRANTED_SERVICE_UNIT));
        }
        if (requested != null) {
            m.add(requested.toAvp(REQUESTED_SERVICE_UNIT));
        }
        boolean reasonInUsed = reportingReason == ReportingReason.THRESHOLD
                || reportingReason == ReportingReason.QUOTA_EXHAUSTED;
        if (used != null) {
            List<Avp> usedMembers = new ArrayList<>(4);
            if (reasonInUsed) {
                usedMembers.add(Avp.enumerated(REPORTING_REASON, reportingReason));
            }
            usedMembers.addAll(used.members());
            m.add(Avp.grouped(USED_SERVICE_UNIT, usedMembers));
        }
        if (serviceIdentifier != ABSENT) {
            m.add(Avp.unsigned32(SERVICE_IDENTIFIER, serviceIdentifier));
        }
        if (ratingGroup != ABSENT) {
            m.add(Avp.unsigned32(RATING_GROUP, ratingGroup));
        }
        if (validityTimeSeconds != ABSENT) {
            m.add(Avp.unsigned32(VALIDITY_TIME, validityTimeSeconds));
        }
        if (resultCode != ABSENT) {
            m.add(Avp.unsigned32(BaseProtocol.RESULT_CODE, resultCode));
        }
        if (finalUnitAction != ABSENT) {
            m.add(Avp.grouped(FINAL_UNIT_INDICATION, Avp.enumerated(FINAL_UNIT_ACTION, finalUnitAction)));
        }
        if (volumeQuotaThreshold != ABSENT) {
            m.add(Avp.unsigned32(VOLUME_QUOTA_THRESHOLD, volumeQuotaThreshold));
        }
        if (reportingReason != ABSENT && (!reasonInUsed || used == null)) {
            m.add(Avp.enumerated(REPORTING_REASON, reportingReason));
        }
        return Avp.grouped(MULTIPLE_SERVICES_CREDIT_CONTROL, m);
    }

    /** Reads a decoded Multiple-Services-Credit-Control. */
    public static ServiceCredit from(Avp mscc) {
        // Member getters: a decoded MSCC is read in place, with an object only for the Grouped members.
        Avp used = mscc.find(USED_SERVICE_UNIT).orElse(null);
        int reason = mscc.has(REPORTING_REASON) ? mscc.memberEnumerated(REPORTING_REASON, ABSENT)
                : used != null ? used.memberEnumerated(REPORTING_REASON, ABSENT) : ABSENT;
        return new ServiceCredit(
                mscc.memberUnsigned32(RATING_GROUP, ABSENT),
                mscc.memberUnsigned32(SERVICE_IDENTIFIER, ABSENT),
                ServiceUnits.fromOrNull(mscc.find(REQUESTED_SERVICE_UNIT).orElse(null)),
                ServiceUnits.fromOrNull(mscc.find(GRANTED_SERVICE_UNIT).orElse(null)),
                ServiceUnits.fromOrNull(used),
                mscc.memberUnsigned32(VALIDITY_TIME, ABSENT),
                mscc.memberUnsigned32(BaseProtocol.RESULT_CODE, ABSENT),
                finalUnitAction(mscc.find(FINAL_UNIT_INDICATION).orElse(null)),
                mscc.memberUnsigned32(VOLUME_QUOTA_THRESHOLD, ABSENT),
                reason);
    }

    /** The Final-Unit-Action of a Final-Unit-Indication (TERMINATE when it has none), ABSENT without one. */
    static int finalUnitAction(Avp finalUnitIndication) {
        return finalUnitIndication == null ? ABSENT
                : finalUnitIndication.memberEnumerated(FINAL_UNIT_ACTION, CreditControlApplication.FinalUnitAction.TERMINATE);
    }

    /** {@link #from(Avp)} of each Multiple-Services-Credit-Control. */
    static List<ServiceCredit> fromAll(List<Avp> msccs) {
        if (msccs.size() == 1) {
            return List.of(from(msccs.get(0)));
        }
        List<ServiceCredit> out = new ArrayList<>(msccs.size());
        for (int i = 0, n = msccs.size(); i < n; i++) {
            out.add(from(msccs.get(i)));
        }
        return out;
    }
}
