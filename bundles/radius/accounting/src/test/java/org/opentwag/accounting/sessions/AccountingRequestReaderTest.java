package org.opentwag.accounting.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.opentwag.accounting.ledger.LedgerEntry;
import org.opentwag.api.accounting.AccountingRecord;
import org.opentwag.api.accounting.AccountingStatus;
import org.opentwag.api.state.AuthorizedSession;
import org.opentwag.api.state.ClientState;
import org.opentwag.radius.codec.RadiusAttribute;
import org.opentwag.radius.codec.RadiusCode;
import org.opentwag.radius.codec.RadiusDictionary;
import org.opentwag.radius.codec.RadiusPacket;

class AccountingRequestReaderTest {

    private final FakeAccessSessions access = new FakeAccessSessions();
    private final AccountingRequestReader reader = new AccountingRequestReader(() -> access);

    private static RadiusPacket request(RadiusAttribute... extra) throws Exception {
        List<RadiusAttribute> attrs = new ArrayList<>(List.of(
                RadiusAttribute.ofInt(RadiusDictionary.ACCT_STATUS_TYPE, RadiusDictionary.ACCT_STATUS_INTERIM_UPDATE),
                RadiusAttribute.ofString(RadiusDictionary.ACCT_SESSION_ID, "0000000F"),
                RadiusAttribute.ofString(RadiusDictionary.USER_NAME, "2pseudonym@wlan"),
                RadiusAttribute.ofString(RadiusDictionary.CALLED_STATION_ID, "64-D9-89-1D-A4-20:ONS"),
                RadiusAttribute.ofString(RadiusDictionary.CALLING_STATION_ID, "86-81-69-A7-B4-B2"),
                RadiusAttribute.ofAddress(RadiusDictionary.FRAMED_IP_ADDRESS, InetAddress.getByName("10.45.0.9"))));
        attrs.addAll(List.of(extra));
        return RadiusPacket.of(RadiusCode.ACCOUNTING_REQUEST, 1, attrs);
    }

    @Test
    void gigawordsAreFoldedIntoTheOctetCounts() throws Exception {
        // RFC 2869 5.1/5.2: Acct-Input-Gigawords counts how many times Acct-Input-Octets wrapped past 2^32.
        LedgerEntry e = reader.read(request(
                RadiusAttribute.ofInt(RadiusDictionary.ACCT_INPUT_OCTETS, 5),
                RadiusAttribute.ofInt(RadiusDictionary.ACCT_INPUT_GIGAWORDS, 2),
                RadiusAttribute.ofInt(RadiusDictionary.ACCT_OUTPUT_OCTETS, 4_294_967_295L),
                RadiusAttribute.ofInt(RadiusDictionary.ACCT_OUTPUT_GIGAWORDS, 1),
                RadiusAttribute.ofInt(RadiusDictionary.ACCT_SESSION_TIME, 250)), "10.0.0.7", 1000);
        assertThat(e.record().usage().inputOctets()).isEqualTo(2L * 4_294_967_296L + 5);
        assertThat(e.record().usage().outputOctets()).isEqualTo(4_294_967_296L + 4_294_967_295L);
        assertThat(e.record().usage().sessionTimeSeconds()).isEqualTo(250);
        assertThat(e.statusType()).isEqualTo(3);
        assertThat(e.record().status()).isEqualTo(AccountingStatus.INTERIM);
        assertThat(e.record().framedIp()).isEqualTo("10.45.0.9");
    }

    @Test
    void ourClassTokenFindsTheSubscriberEvenBehindAPseudonym() throws Exception {
        access.authorizations.put("abc123", new AuthorizedSession("abc123", "001010000000001",
                "2pseudonym@wlan", "EAP-AKA", "10.0.0.7", null, null, 1));
        AccountingRecord r = reader.read(request(RadiusAttribute.ofString(RadiusDictionary.CLASS, "someone-else"),
                RadiusAttribute.ofString(RadiusDictionary.CLASS, AuthorizedSession.CLASS_PREFIX + "abc123")),
                "10.0.0.7", 1).record();
        assertThat(r.authSessionId()).isEqualTo("abc123");
        assertThat(r.imsi()).isEqualTo("001010000000001");
    }

    @Test
    void withoutClassTheUserNamesClientStateIsUsed() throws Exception {
        access.clients.put("2pseudonym@wlan", new ClientState("2pseudonym@wlan", "001010000000002",
                ClientState.Status.ACCEPTED, "EAP-AKA", "10.0.0.7", null, null, 1, 1, 1, null));
        AccountingRecord r = reader.read(request(RadiusAttribute.ofString(RadiusDictionary.CLASS, "foreign")),
                "10.0.0.7", 1).record();
        assertThat(r.authSessionId()).isNull();
        assertThat(r.imsi()).isEqualTo("001010000000002");
    }

    @Test
    void anUnknownSubscriberIsStoredWithoutImsiRatherThanRefused() throws Exception {
        AccountingRecord r = reader.read(request(), "10.0.0.7", 1).record();
        assertThat(r.imsi()).isNull();
        assertThat(r.acctSessionId()).isEqualTo("0000000F");
    }

    @Test
    void calledStationIdFormsOfDifferentVendorsGiveTheSameMac() {
        assertThat(CalledStationId.parse("64-D9-89-1D-A4-20:ONS")).isEqualTo(new CalledStationId("64-D9-89-1D-A4-20", "ONS"));
        assertThat(CalledStationId.parse("64:d9:89:1d:a4:20:My:SSID"))
                .isEqualTo(new CalledStationId("64-D9-89-1D-A4-20", "My:SSID"));
        assertThat(CalledStationId.parse("64d9891da420")).isEqualTo(new CalledStationId("64-D9-89-1D-A4-20", null));
        assertThat(CalledStationId.parse("not a mac")).isNull();
        assertThat(CalledStationId.parse(null)).isNull();
    }
}
