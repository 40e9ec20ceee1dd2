package org.opentwag.state.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.opentwag.api.accounting.AccessPoint;
import org.opentwag.api.accounting.AccountingSession;
import org.opentwag.api.charging.ChargedSession;
import org.opentwag.api.charging.ChargingSession;
import org.opentwag.api.charging.Usage;
import org.opentwag.api.eap.EapConversation;
import org.opentwag.api.s2a.PdnConnectionRecord;
import org.opentwag.api.state.AuthorizedSession;
import org.opentwag.api.state.ClientState;
import org.opentwag.api.state.StateFormatException;
import org.opentwag.api.vectors.Non3gppUserData;

class PackedValuesTest {

    private final PackedValues values = new PackedValues();

    private Object roundTrip(Object v) {
        byte[] packed = values.encode(v);
        assertThat(packed).as("encodable: %s", v).isNotNull();
        return values.decode(packed);
    }

    @Test
    void theRecordsKeptInStateComeBackEqual() {
        AuthorizedSession authorized = new AuthorizedSession("tok", "001010000000001", "0001010000000001@realm",
                "EAP-AKA", "10.0.0.1", "64-D9-89-1D-A4-20:ssid", "02-00-00-00-00-01", 1_700_000_000_000L);
        ClientState client = new ClientState("id", "001010000000001", ClientState.Status.ACCEPTED, "EAP-AKA'",
                "10.0.0.1", null, "02-00-00-00-00-01", 1, 2, 3, null);
        Map<String, String> gy = new HashMap<>();
        gy.put("session-id", "twag;1;2");
        gy.put("request-number", "3");
        ChargedSession charged = new ChargedSession(new ChargingSession("s1", "001010000000001", "10.0.0.1",
                "called", null, "online", gy), "acct-1", "user", 10, 20, 1_000_000, new Usage(1, 2, 3, 4, 5), 0,
                true);
        AccountingSession accounting = new AccountingSession("acct-1", "10.0.0.1", "user", "001010000000001",
                "called", "calling", "10.1.2.3", 1, 2, Usage.NONE, true, 0);
        AccessPoint ap = new AccessPoint("10.0.0.1", "ap-1", "64-D9-89-1D-A4-20", "OpenTWAG", 19, 1400, 1, 2, 7);
        PdnConnectionRecord pdn = new PdnConnectionRecord("001010000000001", "internet", "10.45.0.2", "192.0.2.1",
                2123, "192.0.2.2", 1, 2, 3, 4, "192.0.2.1", 5);
        for (Object v : List.of(authorized, client, charged, accounting, ap, pdn, Non3gppUserData.allowed())) {
            assertThat(roundTrip(v)).isEqualTo(v).isNotSameAs(v);
        }
    }

    @Test
    void theJdkValuesComeBackEqualAtTheirExtremes() {
        for (Object v : List.of("001010000000001", "", "é€😀".repeat(30_000), Long.MIN_VALUE, Long.MAX_VALUE, 0L,
                Integer.MIN_VALUE, Integer.MAX_VALUE, true, false)) {
            assertThat(roundTrip(v)).isEqualTo(v);
        }
        assertThat(roundTrip(new byte[]{1, 2, 3})).isEqualTo(new byte[]{1, 2, 3});
        assertThat(roundTrip(new byte[0])).isEqualTo(new byte[0]);
        byte[] large = new byte[1 << 20];
        Arrays.fill(large, (byte) 0xa5);
        assertThat(roundTrip(large)).isEqualTo(large);
    }

    @Test
    void aValueIsWrittenIntoAndReadFromTheMiddleOfAnArena() {
        ClientState v = new ClientState("id", "001010000000001", ClientState.Status.ACCEPTED, "EAP-AKA", "10.0.0.1",
                null, null, 1, 2, 3, null);
        PackedValues.Encoding e = values.encoding(v);
        byte[] arena = new byte[e.length() + 100];
        Arrays.fill(arena, (byte) 0x5a);
        e.write(arena, 50);
        assertThat(arena[49]).isEqualTo((byte) 0x5a);
        assertThat(arena[50 + e.length()]).isEqualTo((byte) 0x5a); // not a byte beyond the length given
        assertThat(values.reader.read(arena, 50, e.length())).isEqualTo(v);
    }

    @Test
    void aDecodedHashMapIsAMutableHashMapAsTheOneStored() {
        Map<String, String> gy = new HashMap<>();
        gy.put("granted", "100");
        ChargingSession s = new ChargingSession("s1", "imsi", "nas", null, null, "online", gy);
        ChargingSession back = (ChargingSession) roundTrip(s);
        assertThat(back.backendState()).isInstanceOf(HashMap.class).containsEntry("granted", "100");
        back.backendState().put("granted", "0"); // backends update their state in place before storing it again
        assertThat(gy).containsEntry("granted", "100");
    }

    @Test
    void valuesOfOtherShapesAreNotEncoded() {
        record NotOfTheApi(String a) implements Serializable {
        }
        Map<String, String> map = new HashMap<>();
        map.put("k", "v");
        List<Serializable> others = List.of(new ArrayList<>(List.of("a")), new EapConversation("c1", null, 0, 0),
                (Serializable) Map.of("k", "v"), (Serializable) map, new StringBuilder("x"), 1.5d,
                ClientState.Status.REJECTED, new NotOfTheApi("a"));
        for (Serializable v : others) {
            assertThat(values.encode(v)).as("%s", v.getClass()).isNull();
        }
    }

    @Test
    void bytesThatHoldNoValueAreRefusedWithAClearException() {
        byte[] record = values.encode(new AuthorizedSession("t", "i", "id", "m", "n", null, null, 1));
        for (int cut = 0; cut < record.length; cut++) {
            byte[] shorter = Arrays.copyOf(record, cut);
            assertThatThrownBy(() -> values.decode(shorter)).as("cut to %d", cut)
                    .isInstanceOf(StateFormatException.class);
        }
        byte[] longer = Arrays.copyOf(record, record.length + 3);
        assertThatThrownBy(() -> values.decode(longer)).isInstanceOf(StateFormatException.class)
                .hasMessageContaining("AuthorizedSession: 3 bytes left over");
        byte[] number = values.encode(42L);
        assertThatThrownBy(() -> values.decode(Arrays.copyOf(number, 5))).isInstanceOf(StateFormatException.class)
                .hasMessageContaining("a long of 4 bytes");
        assertThatThrownBy(() -> values.decode(new byte[]{(byte) 0xf0, 0})).isInstanceOf(StateFormatException.class)
                .hasMessageContaining("unknown tag 240");
        assertThatThrownBy(() -> values.decode(new byte[]{0})).isInstanceOf(StateFormatException.class)
                .hasMessageContaining("unknown tag 0");
        assertThatThrownBy(() -> PackedValues.read(record, 2, record.length)).isInstanceOf(StateFormatException.class);
    }
}
