package org.opentwag.diameter.codec;

import static org.opentwag.diameter.codec.AvpFormat.ENUMERATED;
import static org.opentwag.diameter.codec.AvpFormat.GROUPED;
import static org.opentwag.diameter.codec.AvpFormat.UNSIGNED32;
import static org.opentwag.diameter.codec.AvpFormat.UNSIGNED64;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Diameter Overload Indication Conveyance (DOIC, RFC 7683): the AVPs of section 7 and the loss algorithm's report.
 * Every DOIC AVP is an IETF AVP sent without the 'M' bit (7: the flag table has no M in MUST), so a node that does
 * not know DOIC ignores them. TS 29.273 Annex B asks for it on SWx.
 */
public final class OverloadControl {
    private OverloadControl() {
    }

    public static final AvpDefinition OC_SUPPORTED_FEATURES = BaseProtocol.ietf("OC-Supported-Features", 621, GROUPED, false);
    public static final AvpDefinition OC_FEATURE_VECTOR = BaseProtocol.ietf("OC-Feature-Vector", 622, UNSIGNED64, false);
    public static final AvpDefinition OC_OLR = BaseProtocol.ietf("OC-OLR", 623, GROUPED, false);
    public static final AvpDefinition OC_SEQUENCE_NUMBER = BaseProtocol.ietf("OC-Sequence-Number", 624, UNSIGNED64, false);
    public static final AvpDefinition OC_VALIDITY_DURATION = BaseProtocol.ietf("OC-Validity-Duration", 625, UNSIGNED32, false);
    public static final AvpDefinition OC_REPORT_TYPE = BaseProtocol.ietf("OC-Report-Type", 626, ENUMERATED, false);
    public static final AvpDefinition OC_REDUCTION_PERCENTAGE = BaseProtocol.ietf("OC-Reduction-Percentage", 627, UNSIGNED32, false);

    /** OC-Feature-Vector bit: the default (loss) abatement algorithm (7.2). */
    public static final long OLR_DEFAULT_ALGO = 0x1L;
    /** OC-Validity-Duration when the OLR has none (7.5), and its upper bound. */
    public static final Duration DEFAULT_VALIDITY = Duration.ofSeconds(30);
    public static final Duration MAX_VALIDITY = Duration.ofSeconds(86400);

    static List<AvpDefinition> avps() {
        return List.of(OC_SUPPORTED_FEATURES, OC_FEATURE_VECTOR, OC_OLR, OC_SEQUENCE_NUMBER, OC_VALIDITY_DURATION,
                OC_REPORT_TYPE, OC_REDUCTION_PERCENTAGE);
    }

    /** OC-Report-Type values (7.6). */
    public enum ReportType {
        /** Abate requests routed to the reporting node (the answer's Origin-Host). */
        HOST_REPORT(0),
        /** Abate requests to the reporting node's realm (the answer's Origin-Realm) without a Destination-Host. */
        REALM_REPORT(1);

        public final int value;

        ReportType(int value) {
            this.value = value;
        }

        static Optional<ReportType> of(int value) {
            for (ReportType t : values()) {
                if (t.value == value) {
                    return Optional.of(t);
                }
            }
            return Optional.empty();
        }
    }

    /** OC-Supported-Features as a reacting node sends it in a request: the loss algorithm only. */
    public static Avp supportedFeatures() {
        return SUPPORTED_FEATURES;
    }

    /** Made once: an Avp is immutable, and every request the stack sends carries this one. */
    private static final Avp SUPPORTED_FEATURES =
            Avp.grouped(OC_SUPPORTED_FEATURES, Avp.unsigned64(OC_FEATURE_VECTOR, OLR_DEFAULT_ALGO));

    /**
     * An overload report of the loss algorithm (OC-OLR, 7.3).
     *
     * @param sequenceNumber     OC-Sequence-Number: a report replaces an older one only with a higher number
     * @param type               HOST_REPORT or REALM_REPORT
     * @param reductionPercentage 0 to 100 of the traffic to drop; 0 ends the overload
     * @param validity           how long the report holds; zero ends the overload
     */
    public record Report(long sequenceNumber, ReportType type, int reductionPercentage, Duration validity) {
        public Report {
            if (type == null) {
                throw new IllegalArgumentException("OC-Report-Type is required");
            }
            if (reductionPercentage < 0 || reductionPercentage > 100) {
                throw new IllegalArgumentException("OC-Reduction-Percentage must be 0 to 100, not " + reductionPercentage);
            }
            if (validity == null || validity.isNegative()) {
                throw new IllegalArgumentException("OC-Validity-Duration must not be negative");
            }
            if (validity.compareTo(MAX_VALIDITY) > 0) {
                validity = MAX_VALIDITY;
            }
        }

        /** Whether this report ends an overload instead of starting or changing one (7.5, 7.7). */
        public boolean endsOverload() {
            return reductionPercentage == 0 || validity.isZero();
        }

        public Avp toAvp() {
            return Avp.grouped(OC_OLR,
                    Avp.unsigned64(OC_SEQUENCE_NUMBER, sequenceNumber),
                    Avp.enumerated(OC_REPORT_TYPE, type.value),
                    Avp.unsigned32(OC_REDUCTION_PERCENTAGE, reductionPercentage),
                    Avp.unsigned32(OC_VALIDITY_DURATION, validity.toSeconds()));
        }
    }

    /**
     * An answer of a reporting node (the simulators): with OC-Supported-Features naming the algorithm chosen (loss) and
     * the report, only when the request said it supports DOIC; unchanged otherwise, or when report is null.
     */
    public static DiameterMessage withReport(DiameterMessage request, DiameterMessage answer, Report report) {
        if (report == null || !request.has(OC_SUPPORTED_FEATURES) || answer.isRequest()) {
            return answer;
        }
        return answer.toBuilder().add(supportedFeatures()).add(report.toAvp()).build();
    }

    /**
     * The loss-algorithm OC-OLR of an answer, if it has a usable one. An OLR without sequence number or report type,
     * or with an unknown type, is ignored (7.3 makes both required); a percentage over 100 counts as 100.
     */
    public static Optional<Report> report(DiameterMessage answer) {
        Optional<Avp> olr = answer.find(OC_OLR);
        if (olr.isEmpty()) {
            return Optional.empty();
        }
        Avp o = olr.get();
        Optional<Avp> seq = o.find(OC_SEQUENCE_NUMBER);
        Optional<ReportType> type = o.find(OC_REPORT_TYPE).flatMap(t -> ReportType.of(t.enumerated()));
        if (seq.isEmpty() || type.isEmpty()) {
            return Optional.empty();
        }
        long pct = o.find(OC_REDUCTION_PERCENTAGE).map(Avp::unsigned32).orElse(0L);
        long seconds = o.find(OC_VALIDITY_DURATION).map(Avp::unsigned32).orElse(DEFAULT_VALIDITY.toSeconds());
        return Optional.of(new Report(seq.get().unsigned64(), type.get(), (int) Math.min(100, pct),
                Duration.ofSeconds(Math.min(seconds, MAX_VALIDITY.toSeconds()))));
    }
}
