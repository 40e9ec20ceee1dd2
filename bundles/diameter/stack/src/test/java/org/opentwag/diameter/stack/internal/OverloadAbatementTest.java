package org.opentwag.diameter.stack.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.opentwag.diameter.codec.Avp;
import org.opentwag.diameter.codec.BaseProtocol;
import org.opentwag.diameter.codec.DiameterMessage;
import org.opentwag.diameter.codec.OverloadControl;
import org.opentwag.diameter.codec.OverloadControl.Report;
import org.opentwag.diameter.codec.OverloadControl.ReportType;
import org.opentwag.diameter.codec.SwxApplication;

/** The DOIC loss algorithm (RFC 7683) of the reacting node, on a clock the test moves. */
class OverloadAbatementTest {
    private static final String HSS = "hss.epc.test";
    private static final String REALM = "epc.test";
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final OverloadAbatement abatement = new OverloadAbatement(now::get);

    private static DiameterMessage answer(String host, String realm, Avp olr) {
        DiameterMessage request = DiameterMessage.request(SwxApplication.APPLICATION_ID, SwxApplication.MULTIMEDIA_AUTH)
                .add(Avp.utf8(BaseProtocol.SESSION_ID, "t;1;1")).build();
        DiameterMessage.Builder b = DiameterMessage.answerTo(request).resultCode(2001)
                .add(Avp.identity(BaseProtocol.ORIGIN_HOST, host))
                .add(Avp.identity(BaseProtocol.ORIGIN_REALM, realm));
        if (olr != null) {
            b.add(olr);
        }
        // through the wire format, as an answer arrives
        return DiameterMessage.decode(b.build().encode(), org.opentwag.diameter.codec.DiameterDictionary.standard());
    }

    private static Avp olr(long seq, ReportType type, int pct, long seconds) {
        return new Report(seq, type, pct, Duration.ofSeconds(seconds)).toAvp();
    }

    /** Of n new requests to the host, how many are dropped. */
    private int dropped(int n, String host, String realm) {
        int d = 0;
        for (int i = 0; i < n; i++) {
            if (abatement.abate(host, realm) != null) {
                d++;
            }
        }
        return d;
    }

    private void advance(long seconds) {
        now.addAndGet(TimeUnit.SECONDS.toNanos(seconds));
    }

    @Test
    void noReportNoLoss() {
        abatement.onAnswer(answer(HSS, REALM, null));
        assertThat(dropped(100, HSS, REALM)).isZero();
    }

    @Test
    void hostReportDropsItsPercentageOfRequestsToThatHostOnly() {
        abatement.onAnswer(answer(HSS, REALM, olr(1, ReportType.HOST_REPORT, 50, 30)));
        assertThat(dropped(100, HSS, REALM)).isEqualTo(50);
        assertThat(dropped(100, "hss2.epc.test", REALM)).as("another host of the realm").isZero();
        abatement.onAnswer(answer(HSS, REALM, olr(2, ReportType.HOST_REPORT, 30, 30)));
        assertThat(dropped(100, HSS, REALM)).isEqualTo(30);
        abatement.onAnswer(answer(HSS, REALM, olr(3, ReportType.HOST_REPORT, 100, 30)));
        assertThat(dropped(10, HSS, REALM)).isEqualTo(10);
    }

    @Test
    void hostNamesCompareWithoutCase() {
        abatement.onAnswer(answer("HSS.EPC.Test", REALM, olr(1, ReportType.HOST_REPORT, 50, 30)));
        assertThat(dropped(10, HSS, REALM)).isEqualTo(5);
    }

    @Test
    void realmReportAbatesEveryRequestToTheRealm() {
        abatement.onAnswer(answer(HSS, REALM, olr(7, ReportType.REALM_REPORT, 25, 30)));
        assertThat(dropped(100, "hss2.epc.test", REALM)).isEqualTo(25);
        assertThat(dropped(100, null, REALM)).isEqualTo(25);
        assertThat(dropped(100, null, "other.realm")).isZero();
    }

    @Test
    void theReportEndsWhenItsValidityRunsOut() {
        abatement.onAnswer(answer(HSS, REALM, olr(1, ReportType.HOST_REPORT, 50, 10)));
        advance(9);
        assertThat(dropped(10, HSS, REALM)).isEqualTo(5);
        advance(1);
        assertThat(dropped(10, HSS, REALM)).isZero();
        assertThat(abatement.reports()).isEmpty();
    }

    @Test
    void zeroValidityOrZeroPercentWithANewSequenceEndsIt() {
        abatement.onAnswer(answer(HSS, REALM, olr(1, ReportType.HOST_REPORT, 50, 30)));
        abatement.onAnswer(answer(HSS, REALM, olr(2, ReportType.HOST_REPORT, 50, 0)));
        assertThat(dropped(10, HSS, REALM)).isZero();
        abatement.onAnswer(answer(HSS, REALM, olr(3, ReportType.HOST_REPORT, 50, 30)));
        assertThat(dropped(10, HSS, REALM)).isEqualTo(5);
        abatement.onAnswer(answer(HSS, REALM, olr(4, ReportType.HOST_REPORT, 0, 30)));
        assertThat(dropped(10, HSS, REALM)).isZero();
    }

    @Test
    void aReportWithAnOldOrTheSameSequenceNumberIsIgnored() {
        abatement.onAnswer(answer(HSS, REALM, olr(5, ReportType.HOST_REPORT, 50, 30)));
        // every later answer repeats the report in force: it must not restart the validity
        advance(20);
        abatement.onAnswer(answer(HSS, REALM, olr(5, ReportType.HOST_REPORT, 50, 30)));
        abatement.onAnswer(answer(HSS, REALM, olr(4, ReportType.HOST_REPORT, 0, 0)));
        assertThat(dropped(10, HSS, REALM)).as("the stale end did not end it").isEqualTo(5);
        advance(10);
        assertThat(dropped(10, HSS, REALM)).as("validity counted from the first copy").isZero();
        // after it ended, a late copy of the same report does not start it again
        abatement.onAnswer(answer(HSS, REALM, olr(5, ReportType.HOST_REPORT, 50, 30)));
        assertThat(dropped(10, HSS, REALM)).isZero();
    }

    @Test
    void anOlrWithoutSequenceOrTypeIsIgnoredAndTheDefaultValidityIs30Seconds() {
        abatement.onAnswer(answer(HSS, REALM, Avp.grouped(OverloadControl.OC_OLR,
                Avp.enumerated(OverloadControl.OC_REPORT_TYPE, 0),
                Avp.unsigned32(OverloadControl.OC_REDUCTION_PERCENTAGE, 50))));
        assertThat(dropped(10, HSS, REALM)).isZero();
        abatement.onAnswer(answer(HSS, REALM, Avp.grouped(OverloadControl.OC_OLR,
                Avp.unsigned64(OverloadControl.OC_SEQUENCE_NUMBER, 1),
                Avp.enumerated(OverloadControl.OC_REPORT_TYPE, 0),
                Avp.unsigned32(OverloadControl.OC_REDUCTION_PERCENTAGE, 50))));
        assertThat(dropped(10, HSS, REALM)).isEqualTo(5);
        advance(29);
        assertThat(dropped(10, HSS, REALM)).isEqualTo(5);
        advance(1);
        assertThat(dropped(10, HSS, REALM)).isZero();
    }

    @Test
    void theAvpsAreTheCodesOfRfc7683WithoutTheMandatoryBit() {
        Avp features = OverloadControl.supportedFeatures();
        assertThat(features.code()).isEqualTo(621);
        assertThat(features.isMandatory()).isFalse();
        assertThat(features.children().get(0).code()).isEqualTo(622);
        assertThat(features.children().get(0).unsigned64()).isEqualTo(1L);
        Avp olr = olr(9, ReportType.REALM_REPORT, 40, 12);
        assertThat(olr.code()).isEqualTo(623);
        assertThat(olr.children()).extracting(Avp::code).containsExactly(624, 626, 627, 625);
        assertThat(olr.children()).allMatch(a -> !a.isMandatory() && !a.isVendorSpecific());
    }
}
