package org.opentwag.state.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Serializable;
import java.util.ArrayList;
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
import org.opentwag.api.state.AuthorizedSession;
import org.opentwag.api.state.ClientState;

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
        for (Object v : List.of(authorized, client, charged, accounting, ap)) {
            assertThat(roundTrip(v)).isEqualTo(v).isNotSameAs(v);
        }
        for (Object v : List.of("001010000000001", 42L, 7, true)) {
            assertThat(roundTrip(v)).isEqualTo(v);
        }
        assertThat(roundTrip(new byte[]{1, 2, 3})).isEqualTo(new byte[]{1, 2, 3});
        assertThat(roundTrip(ClientState.Status.REJECTED)).isSameAs(ClientState.Status.REJECTED);
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
        List<Serializable> others = List.of(new ArrayList<>(List.of("a")), new EapConversation("c1", null, 0, 0),
                (Serializable) Map.of("k", "v"), new StringBuilder("x"), 1.5d);
        for (Serializable v : others) {
            assertThat(values.encode(v)).as("%s", v.getClass()).isNull();
        }
        Map<String, Object> nested = new HashMap<>();
        nested.put("list", new ArrayList<>());
        assertThat(values.encode(nested)).isNull();
    }
}
