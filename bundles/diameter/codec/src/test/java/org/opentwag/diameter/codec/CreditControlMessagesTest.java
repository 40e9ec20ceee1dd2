package org.opentwag.diameter.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Gy CCR builders and CCA parsing against RFC 4006 (AVP table of section 12.4, ABNF of 3.1/3.2) and TS 32.299:
 * requests are walked with an independent AVP reader written here from RFC 6733 4.1, answers are laid out by hand.
 * Every code below is a literal from those documents, not a constant of the codec.
 */
class CreditControlMessagesTest {
    private static final HexFormat HEX = HexFormat.of();

    /** One AVP as RFC 6733 4.1 lays it out, read without the codec. */
    record RawAvp(int code, int flags, int vendor, byte[] data) {
        long u32() {
            return ((data[0] & 0xffL) << 24) | ((data[1] & 0xff) << 16) | ((data[2] & 0xff) << 8) | (data[3] & 0xff);
        }

        long u64() {
            long v = 0;
            for (byte b : data) {
                v = v << 8 | (b & 0xff);
            }
            return v;
        }

        String text() {
            return new String(data, StandardCharsets.UTF_8);
        }

        List<RawAvp> children() {
            return walk(data, 0);
        }

        RawAvp child(int code) {
            return children().stream().filter(a -> a.code == code).findFirst()
                    .orElseThrow(() -> new AssertionError("no AVP " + code + " in " + this.code));
        }
    }

    static List<RawAvp> walk(byte[] b, int pos) {
        List<RawAvp> out = new ArrayList<>();
        while (pos < b.length) {
            int code = (int) new RawAvp(0, 0, 0, java.util.Arrays.copyOfRange(b, pos, pos + 4)).u32();
            int flags = b[pos + 4] & 0xff;
            int len = (b[pos + 5] & 0xff) << 16 | (b[pos + 6] & 0xff) << 8 | (b[pos + 7] & 0xff);
            int header = (flags & 0x80) != 0 ? 12 : 8;
            int vendor = header == 12 ? (int) new RawAvp(0, 0, 0, java.util.Arrays.copyOfRange(b, pos + 8, pos + 12)).u32() : 0;
            out.add(new RawAvp(code, flags, vendor, java.util.Arrays.copyOfRange(b, pos + header, pos + len)));
            pos += (len + 3) & ~3;
        }
        return out;
    }

    static RawAvp top(List<RawAvp> avps, int code) {
        return avps.stream().filter(a -> a.code == code).findFirst()
                .orElseThrow(() -> new AssertionError("no AVP " + code));
    }

    @Test
    void initialRequestCarriesTheRfc4006Avps() {
        CreditControlRequest ccr = new CreditControlRequest("twag.localdomain;1;1", "epc.example.org", null,
                "32251@3gpp.org", 1, 0, "001010000000001", Instant.parse("2026-11-01T00:00:00Z"),
                ServiceCredit.ABSENT,
                List.of(ServiceCredit.request(100, 7, ServiceUnits.total(10_485_760), null, ServiceCredit.ABSENT)));
        byte[] wire = ccr.toMessage().encode();

        // Header (RFC 6733 3): version 1, flags R+P (RFC 4006 3.1 "REQ, PXY"), command 272, application 4.
        assertThat(wire[0]).isEqualTo((byte) 1);
        assertThat(wire[4] & 0xff).isEqualTo(0xc0);
        assertThat((wire[5] & 0xff) << 16 | (wire[6] & 0xff) << 8 | (wire[7] & 0xff)).isEqualTo(272);
        assertThat(wire[8] << 24 | wire[9] << 16 | wire[10] << 8 | wire[11]).isEqualTo(4);

        List<RawAvp> avps = walk(wire, 20);
        assertThat(avps.get(0).code()).as("Session-Id first (RFC 6733 8.8)").isEqualTo(263);
        assertThat(top(avps, 258).u32()).as("Auth-Application-Id").isEqualTo(4);
        assertThat(top(avps, 461).text()).as("Service-Context-Id").isEqualTo("32251@3gpp.org");
        assertThat(top(avps, 416).u32()).as("CC-Request-Type INITIAL_REQUEST").isEqualTo(1);
        assertThat(top(avps, 415).u32()).as("CC-Request-Number").isZero();
        assertThat(top(avps, 283).text()).as("Destination-Realm").isEqualTo("epc.example.org");
        // Event-Timestamp 55: NTP seconds of 2026-11-01 = Unix 1793491200 + 2208988800.
        assertThat(top(avps, 55).u32()).isEqualTo(1_793_491_200L + 2_208_988_800L);
        RawAvp subscription = top(avps, 443);
        assertThat(subscription.child(450).u32()).as("Subscription-Id-Type END_USER_IMSI").isEqualTo(1);
        assertThat(subscription.child(444).text()).isEqualTo("001010000000001");
        assertThat(top(avps, 455).u32()).as("Multiple-Services-Indicator SUPPORTED").isEqualTo(1);
        RawAvp mscc = top(avps, 456);
        assertThat(mscc.flags() & 0x40).as("'M' on MSCC").isEqualTo(0x40);
        assertThat(mscc.child(437).child(421).u64()).as("RSU CC-Total-Octets").isEqualTo(10_485_760L);
        assertThat(mscc.child(437).child(421).data()).hasSize(8);
        assertThat(mscc.child(432).u32()).as("Rating-Group").isEqualTo(100);
        assertThat(mscc.child(439).u32()).as("Service-Identifier").isEqualTo(7);
        assertThat(avps).noneMatch(a -> a.code() == 295);
        for (RawAvp a : avps) {
            assertThat(a.vendor()).as("RFC 4006 and base AVPs are IETF (no 'V')").isZero();
        }
    }

    @Test
    void updateReportsUsageWithTheTs32299ReportingReasonInsideUsedServiceUnit() {
        CreditControlRequest ccr = new CreditControlRequest("s;2", "epc.example.org", "ocs.example.org",
                "32251@3gpp.org", 2, 1, "001010000000001", null, ServiceCredit.ABSENT,
                List.of(ServiceCredit.request(100, ServiceCredit.ABSENT, ServiceUnits.total(1000),
                        ServiceUnits.used(300, 500), 0)));
        List<RawAvp> avps = walk(ccr.toMessage().encode(), 20);
        assertThat(top(avps, 416).u32()).as("UPDATE_REQUEST").isEqualTo(2);
        assertThat(top(avps, 415).u32()).isEqualTo(1);
        assertThat(top(avps, 293).text()).as("Destination-Host").isEqualTo("ocs.example.org");
        assertThat(avps).as("MSI only in the first request").noneMatch(a -> a.code() == 455);
        RawAvp usu = top(avps, 456).child(446);
        assertThat(usu.child(421).u64()).as("CC-Total-Octets").isEqualTo(800);
        assertThat(usu.child(412).u64()).as("CC-Input-Octets").isEqualTo(300);
        assertThat(usu.child(414).u64()).as("CC-Output-Octets").isEqualTo(500);
        RawAvp reason = usu.child(872);
        assertThat(reason.vendor()).as("Reporting-Reason is 3GPP (TS 32.299)").isEqualTo(10415);
        assertThat(reason.flags() & 0x80).isEqualTo(0x80);
        assertThat(reason.u32()).as("THRESHOLD").isZero();
    }

    @Test
    void terminationCarriesTerminationCauseAndFinalUsage() {
        CreditControlRequest ccr = new CreditControlRequest("s;3", "r", null, "32251@3gpp.org", 3, 2, "001010000000001",
                null, CreditControlRequest.TERMINATION_CAUSE_LOGOUT,
                List.of(ServiceCredit.request(100, ServiceCredit.ABSENT, null, ServiceUnits.used(10, 20), 2)));
        List<RawAvp> avps = walk(ccr.toMessage().encode(), 20);
        assertThat(top(avps, 416).u32()).as("TERMINATION_REQUEST").isEqualTo(3);
        assertThat(top(avps, 295).u32()).as("Termination-Cause DIAMETER_LOGOUT").isEqualTo(1);
        RawAvp mscc = top(avps, 456);
        assertThat(mscc.children()).noneMatch(a -> a.code() == 437);
        assertThat(mscc.child(446).child(421).u64()).isEqualTo(30);
        // FINAL (2) is about the whole service: at MSCC level.
        assertThat(mscc.child(872).u32()).isEqualTo(2);
    }

    @Test
    void serverReadsWhatTheClientWrote() {
        CreditControlRequest sent = new CreditControlRequest("s;4", "r", null, "32251@3gpp.org", 2, 5, "001010000000002",
                null, ServiceCredit.ABSENT,
                List.of(ServiceCredit.request(1, 2, ServiceUnits.total(64), ServiceUnits.used(3, 4), 0)));
        CreditControlRequest read = CreditControlRequest.from(DiameterMessage.decode(sent.toMessage().encode()));
        assertThat(read.imsi()).isEqualTo("001010000000002");
        assertThat(read.requestType()).isEqualTo(2);
        assertThat(read.requestNumber()).isEqualTo(5);
        ServiceCredit c = read.credits().get(0);
        assertThat(c.requested().octets()).isEqualTo(64);
        assertThat(c.used()).isEqualTo(new ServiceUnits(7, 3, 4));
        assertThat(c.reportingReason()).isZero();
        assertThatThrownBy(() -> CreditControlRequest.from(DiameterMessage.request(4, 272)
                .add(Avp.utf8(BaseProtocol.SESSION_ID, "x")).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CC-Request-Type");
    }

    /** A CCA laid out by hand: Result-Code 2001, MSCC { GSU { CC-Total-Octets 10485760 }, RG 100, Validity 3600, FUI TERMINATE }. */
    @Test
    void parsesAHandBuiltAnswer() {
        String hex = String.join("",
                // header: version 1, length 20 + 16 + 4 * 12 + 76 + 12 = 172 (0xac), flags P (0x40), command 272, app 4, ids
                "01", "0000ac", "40", "000110", "00000004", "00000001", "00000002",
                // Session-Id 263, M, len 8+5 "s;1;1", 3 pad
                "00000107", "40", "00000d", HEX.formatHex("s;1;1".getBytes(StandardCharsets.US_ASCII)), "000000",
                // Result-Code 268, M, 2001
                "0000010c", "40", "00000c", "000007d1",
                // Auth-Application-Id 258 = 4
                "00000102", "40", "00000c", "00000004",
                // CC-Request-Type 416 = 1, CC-Request-Number 415 = 0
                "000001a0", "40", "00000c", "00000001",
                "0000019f", "40", "00000c", "00000000",
                // MSCC 456, M, len 8 + 24 (GSU) + 12 (RG) + 12 (Validity) + 20 (FUI) = 76 (0x4c)
                "000001c8", "40", "00004c",
                //   GSU 431, len 8 + 16: CC-Total-Octets 421 Unsigned64 10485760 (0xa00000)
                "000001af", "40", "000018", "000001a5", "40", "000010", "0000000000a00000",
                //   Rating-Group 432 = 100
                "000001b0", "40", "00000c", "00000064",
                //   Validity-Time 448 = 3600
                "000001c0", "40", "00000c", "00000e10",
                //   Final-Unit-Indication 430 { Final-Unit-Action 449 = TERMINATE (0) }
                "000001ae", "40", "000014", "000001c1", "40", "00000c", "00000000",
                // Credit-Control-Failure-Handling 427 = CONTINUE (1)
                "000001ab", "40", "00000c", "00000001");
        CreditControlAnswer cca = CreditControlAnswer.from(DiameterMessage.decode(HEX.parseHex(hex)));
        assertThat(cca.sessionId()).isEqualTo("s;1;1");
        assertThat(cca.resultCode()).isEqualTo(2001);
        assertThat(cca.requestType()).isEqualTo(1);
        assertThat(cca.requestNumber()).isZero();
        assertThat(cca.failureHandling()).isEqualTo(1);
        ServiceCredit c = cca.credit(100).orElseThrow();
        assertThat(c.granted().octets()).isEqualTo(10_485_760L);
        assertThat(c.validityTimeSeconds()).isEqualTo(3600);
        assertThat(c.finalUnit()).isTrue();
        assertThat(c.finalUnitAction()).isZero();
        assertThat(c.resultCode()).isEqualTo(ServiceCredit.ABSENT);
    }

    @Test
    void creditLimitReachedIsReadFromResultCode() {
        DiameterMessage ccr = new CreditControlRequest("s;5", "r", null, "c", 1, 0, "1", null, ServiceCredit.ABSENT,
                List.of()).toMessage();
        DiameterMessage answer = CreditControlAnswer.answer(ccr, 4012, List.of(), ServiceCredit.ABSENT);
        byte[] wire = answer.encode();
        assertThat(wire[4] & 0x20).as("4012 is not a protocol error: no 'E' bit").isZero();
        List<RawAvp> avps = walk(wire, 20);
        assertThat(top(avps, 268).u32()).isEqualTo(4012);
        assertThat(top(avps, 416).u32()).isEqualTo(1);
        assertThat(CreditControlAnswer.from(DiameterMessage.decode(wire)).resultCode()).isEqualTo(4012);
    }

    @Test
    void grantWrittenByTheServerSideHasFinalUnitIndication() {
        DiameterMessage ccr = new CreditControlRequest("s;6", "r", null, "c", 2, 3, "1", null, ServiceCredit.ABSENT,
                List.of()).toMessage();
        DiameterMessage answer = CreditControlAnswer.answer(ccr, 2001,
                List.of(ServiceCredit.grant(100, ServiceCredit.ABSENT, ServiceUnits.total(5000), 60, 2001, 0)),
                ServiceCredit.ABSENT);
        RawAvp mscc = top(walk(answer.encode(), 20), 456);
        assertThat(mscc.child(431).child(421).u64()).isEqualTo(5000);
        assertThat(mscc.child(430).child(449).u32()).isZero();
        assertThat(mscc.child(448).u32()).isEqualTo(60);
        assertThat(mscc.child(268).u32()).isEqualTo(2001);
        assertThat(top(walk(answer.encode(), 20), 415).u32()).isEqualTo(3);
    }
}
