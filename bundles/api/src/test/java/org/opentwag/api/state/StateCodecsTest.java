package org.opentwag.api.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import org.opentwag.api.s2a.PdnConnectionRecord;
import org.opentwag.api.vectors.Non3gppUserData;
import org.opentwag.api.vectors.Non3gppUserData.Ambr;
import org.opentwag.api.vectors.Non3gppUserData.ApnConfiguration;
import org.opentwag.api.vectors.Non3gppUserData.PdnType;

class StateCodecsTest {

    /** Longer than any 16-bit length, with characters of two, three and four UTF-8 bytes. */
    private static final String LONG_TEXT = "é€😀x".repeat(20_000);

    /** Values of every codec: fields full, fields null or empty, the extremes of each number. */
    private static List<Object> samples() {
        Map<String, String> gy = new HashMap<>();
        gy.put("gy.session-id", "twag.example.org;1733500000;1");
        gy.put("gy.request-number", "0");
        gy.put("gy.final-unit", null);
        ChargingSession charging = new ChargingSession("tok", "001010000000001", "10.0.0.1",
                "64-D9-89-1D-A4-20:OpenTWAG", "02-00-00-00-00-01", "online", gy);
        List<Object> all = new ArrayList<>();
        all.add(new AuthorizedSession("tok", "001010000000001", "0001010000000001@realm", "EAP-AKA", "10.0.0.1",
                "64-D9-89-1D-A4-20:OpenTWAG", "02-00-00-00-00-01", 1_700_000_000_000L));
        all.add(new AuthorizedSession(null, null, null, null, null, null, null, Long.MIN_VALUE));
        all.add(new AuthorizedSession("", LONG_TEXT, "ünïcødé@réalm", "", "", "", "", Long.MAX_VALUE));
        all.add(new ClientState("id", "001010000000001", ClientState.Status.ACCEPTED, "EAP-AKA'", "10.0.0.1", null,
                "02-00-00-00-00-01", 1, 2, 3, null, "1wlan.example", "loc", "cui"));
        for (ClientState.Status s : ClientState.Status.values()) {
            all.add(new ClientState("id", null, s, null, null, null, null, -1, 0, Long.MAX_VALUE, "why"));
        }
        all.add(new ClientState(null, null, null, null, null, null, null, 0, 0, 0, null));
        all.add(new ChargedSession(charging, "acct-1", "user", 10, 20, 1_000_000, new Usage(1, 2, 3, 4, 5), 30,
                true));
        all.add(new ChargedSession(null, null, null, 0, 0, -1, null, 0, false));
        all.add(new ChargedSession(new ChargingSession("s", null, null, null, null, null, new HashMap<>()), null,
                null, Long.MIN_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, Usage.NONE, Long.MAX_VALUE, false));
        all.add(charging);
        all.add(new ChargingSession("s", null, null, null, null, null, null));
        all.add(new Usage(Long.MAX_VALUE, Long.MIN_VALUE, 0, -1, 1));
        all.add(new AccountingSession("acct-1", "10.0.0.1", "user", "001010000000001", "called", "calling",
                "10.1.2.3", 1, 2, new Usage(5, 6, 7, 8, 9), true, 0));
        all.add(new AccountingSession(null, null, null, null, null, null, null, 0, 0, null, false,
                Integer.MIN_VALUE));
        all.add(new AccessPoint("10.0.0.1", "ap-1", "64-D9-89-1D-A4-20", "OpenTWAG", 19, 1400, 1, 2, 7));
        all.add(new AccessPoint(null, null, null, null, Integer.MAX_VALUE, Integer.MIN_VALUE, 0, 0, 0));
        all.add(new PdnConnectionRecord("001010000000001", "internet", "10.45.0.2", "192.0.2.1", 2123, "192.0.2.2",
                0xffffffffL, 1, 2, 3, "192.0.2.1", 1_700_000_000_000L));
        all.add(new PdnConnectionRecord(null, null, null, null, 0, null, 0, 0, 0, 0, null, 0));
        all.add(new Non3gppUserData(Non3gppUserData.IpAccess.NON_3GPP_SUBSCRIPTION_BARRED,
                Non3gppUserData.ApnAccess.NON_3GPP_APNS_DISABLE, "491700000001", new Ambr(50_000_000, 100_000_000),
                1L, List.of(new ApnConfiguration(1, "internet", PdnType.IPV4V6, new Ambr(1, 2)),
                        new ApnConfiguration(2, "ims", null, null), new ApnConfiguration(3, "*", PdnType.IPV6, null)),
                2L));
        all.add(Non3gppUserData.allowed());
        return all;
    }

    @Test
    void everyValueOfEveryCodecComesBackEqualFromExactlyTheBytesCounted() {
        List<Object> samples = samples();
        for (StateCodec<?> codec : StateCodecs.ALL) {
            assertThat(samples).as("a sample of %s", codec.type().getSimpleName())
                    .anyMatch(v -> v.getClass() == codec.type());
        }
        for (Object v : samples) {
            byte[] bytes = encode(v);
            Object back = decode(codec(v), bytes, 0, bytes.length);
            assertThat((Object) back).isEqualTo(v).isNotSameAs(v);
        }
    }

    @Test
    void aValueIsReadWhereItLiesInALargerArray() {
        ClientState v = new ClientState("id", "001010000000001", ClientState.Status.REJECTED, "EAP-SIM", "10.0.0.1",
                null, null, 1, 2, 3, "bad MAC");
        byte[] bytes = encode(v);
        byte[] arena = new byte[bytes.length + 40];
        java.util.Arrays.fill(arena, (byte) 0x5a);
        System.arraycopy(bytes, 0, arena, 17, bytes.length);
        ClientState back = decode(ClientState.CODEC, arena, 17, bytes.length);
        assertThat(back).isEqualTo(v);
    }

    @Test
    void theBackendStateReadsBackAsAMutableMapOfItsOwn() {
        Map<String, String> gy = new HashMap<>();
        gy.put("granted", "100");
        ChargingSession v = new ChargingSession("s1", "imsi", "nas", null, null, "online", gy);
        byte[] bytes = encode(v);
        ChargingSession back = decode(ChargingSession.CODEC, bytes, 0, bytes.length);
        assertThat(back.backendState()).isInstanceOf(HashMap.class).containsEntry("granted", "100");
        back.backendState().put("granted", "0");
        assertThat(gy).containsEntry("granted", "100");
        ChargingSession empty = decode(ChargingSession.CODEC, encode(new ChargingSession("s", null, null, null, null,
                null, new HashMap<>())), 0, -1);
        assertThat(empty.backendState()).isInstanceOf(HashMap.class).isEmpty();
    }

    @Test
    void everyShortenedValueIsRefusedWithAClearException() {
        for (Object v : samples()) {
            if (v instanceof AuthorizedSession a && a.imsi() != null && a.imsi().length() > 1000) {
                continue; // the same fields as the other samples; only slower to cut byte by byte
            }
            byte[] bytes = encode(v);
            StateCodec<?> codec = codec(v);
            for (int cut = 0; cut < bytes.length; cut++) {
                int length = cut;
                assertThatThrownBy(() -> decode(codec, bytes, 0, length))
                        .as("%s cut to %d of %d bytes", codec.type().getSimpleName(), length, bytes.length)
                        .isInstanceOf(StateFormatException.class).hasMessageContaining("state value");
            }
        }
    }

    @Test
    void bytesLeftOverOrOutOfRangeAreRefused() {
        ClientState v = new ClientState("id", null, ClientState.Status.ACCEPTED, null, null, null, null, 0, 0, 0,
                null);
        byte[] bytes = encode(v);
        byte[] longer = java.util.Arrays.copyOf(bytes, bytes.length + 1);
        assertThatThrownBy(() -> decode(ClientState.CODEC, longer, 0, longer.length))
                .isInstanceOf(StateFormatException.class).hasMessageContaining("1 bytes left over");

        byte[] badEnum = bytes.clone();
        badEnum[4 + 2 + 4] = 9; // after the identity ("id") and the null IMSI: the status
        assertThatThrownBy(() -> decode(ClientState.CODEC, badEnum, 0, badEnum.length))
                .isInstanceOf(StateFormatException.class).hasMessageContaining("constant 9 of an enum of 4");

        byte[] badLength = bytes.clone();
        badLength[0] = 0x7f; // the identity's length, far beyond the value
        assertThatThrownBy(() -> decode(ClientState.CODEC, badLength, 0, badLength.length))
                .isInstanceOf(StateFormatException.class).hasMessageContaining("string of");

        byte[] negative = bytes.clone();
        negative[3] = (byte) 0xfe; // -2: neither null nor a length
        negative[0] = negative[1] = negative[2] = (byte) 0xff;
        assertThatThrownBy(() -> decode(ClientState.CODEC, negative, 0, negative.length))
                .isInstanceOf(StateFormatException.class).hasMessageContaining("string of -2 bytes");

        byte[] usage = encode(new ChargedSession(null, null, null, 0, 0, 0, Usage.NONE, 0, true));
        usage[usage.length - 1] = 2;
        assertThatThrownBy(() -> decode(ChargedSession.CODEC, usage, 0, usage.length))
                .isInstanceOf(StateFormatException.class).hasMessageContaining("boolean 2");

        assertThatThrownBy(() -> new StateReader(new byte[4], 2, 3)).isInstanceOf(StateFormatException.class);
    }

    @Test
    void aMapOrListSizeBeyondTheBytesIsRefusedBeforeAnythingIsAllocated() {
        byte[] bytes = encode(new ChargingSession(null, null, null, null, null, null, new HashMap<>()));
        bytes[bytes.length - 4] = 0x7f; // the map's size
        assertThatThrownBy(() -> decode(ChargingSession.CODEC, bytes, 0, bytes.length))
                .isInstanceOf(StateFormatException.class).hasMessageContaining("entries in 0 bytes");

        byte[] user = encode(Non3gppUserData.allowed());
        user[user.length - 4] = 0x10; // the number of APN configurations
        assertThatThrownBy(() -> decode(Non3gppUserData.CODEC, user, 0, user.length))
                .isInstanceOf(StateFormatException.class).hasMessageContaining("APN configurations in 0 bytes");
    }

    // ------------------------------------------------------------------ helpers

    @SuppressWarnings("unchecked")
    private static StateCodec<Object> codec(Object v) {
        return (StateCodec<Object>) StateCodecs.ALL.stream().filter(c -> c.type() == v.getClass()).findFirst()
                .orElseThrow(() -> new AssertionError("no codec for " + v.getClass()));
    }

    /** Counts, then writes into an array of exactly that size, and checks the writer filled it. */
    private static byte[] encode(Object v) {
        StateCodec<Object> codec = codec(v);
        StateWriter counting = StateWriter.counting();
        codec.write(v, counting);
        byte[] bytes = new byte[counting.position()];
        StateWriter writer = StateWriter.into(bytes, 0);
        codec.write(v, writer);
        assertThat(writer.position()).as("bytes written = bytes counted").isEqualTo(bytes.length);
        return bytes;
    }

    /** Reads a whole value; a length of -1 means the whole array. */
    @SuppressWarnings("unchecked")
    private static <T> T decode(StateCodec<?> codec, byte[] bytes, int from, int length) {
        StateReader in = new StateReader(bytes, from, length < 0 ? bytes.length : length);
        Object v = codec.read(in);
        in.expectEnd(codec.type().getSimpleName());
        return (T) v;
    }
}
