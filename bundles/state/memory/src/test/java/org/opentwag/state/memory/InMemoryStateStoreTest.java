package org.opentwag.state.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.opentwag.api.charging.ChargedSession;
import org.opentwag.api.charging.ChargingSession;
import org.opentwag.api.charging.Usage;
import org.opentwag.api.state.AuthorizedSession;
import org.opentwag.api.state.ClientState;
import org.opentwag.api.vectors.Non3gppUserData;

class InMemoryStateStoreTest {

    private final AtomicLong now = new AtomicLong(1_000);
    private final InMemoryStateStore store = new InMemoryStateStore(3, now::get);

    @Test
    void entriesExpireAfterTheirTtl() {
        store.put("m", "k", "v", Duration.ofSeconds(10));
        now.addAndGet(9_999);
        assertThat(store.get("m", "k", String.class)).isEqualTo("v");
        now.addAndGet(1);
        assertThat(store.get("m", "k", String.class)).isNull();
        assertThat(store.size("m")).isZero();
    }

    @Test
    void swapStoresTheNewValueAndReturnsTheLiveOneItReplaced() {
        assertThat(store.swap("m", "k", "a", Duration.ofSeconds(10), String.class)).isNull();
        assertThat(store.swap("m", "k", "b", Duration.ofSeconds(10), String.class)).isEqualTo("a");
        assertThat(store.get("m", "k", String.class)).isEqualTo("b");
        now.addAndGet(10_000);
        assertThat(store.swap("m", "k", "c", Duration.ofSeconds(10), String.class)).isNull(); // "b" had expired
        assertThat(store.get("m", "k", String.class)).isEqualTo("c");
    }

    @Test
    void removeReturnsTheLiveValueOnce() {
        store.put("m", "k", "v", Duration.ofSeconds(10));
        assertThat(store.remove("m", "k", String.class)).isEqualTo("v");
        assertThat(store.remove("m", "k", String.class)).isNull();
    }

    @Test
    void deleteRemovesTheEntryAndSaysWhetherALiveOneWasThere() {
        store.put("m", "short", "v", Duration.ofSeconds(5)); // kept as an object (under packedMinTtl)
        store.put("m", "long", "w", Duration.ofHours(1)); // kept packed
        store.put("m", "gone", "x", Duration.ofHours(1));
        assertThat(store.packedSize("m")).isEqualTo(2);
        assertThat(store.delete("m", "short")).isTrue();
        assertThat(store.delete("m", "long")).isTrue();
        assertThat(store.delete("m", "long")).isFalse();
        assertThat(store.delete("m", "never")).isFalse();
        assertThat(store.delete("other map", "long")).isFalse();
        now.addAndGet(3_600_000);
        assertThat(store.delete("m", "gone")).isFalse(); // expired: not live
        assertThat(store.get("m", "short", String.class)).isNull();
        assertThat(store.get("m", "long", String.class)).isNull();
        assertThat(store.size("m")).isZero();
    }

    @Test
    void aFullMapRefusesNewKeysButAcceptsUpdatesAndFreesExpiredRoom() {
        store.put("m", "a", "1", Duration.ofSeconds(1));
        store.put("m", "b", "2", Duration.ofSeconds(100));
        store.put("m", "c", "3", Duration.ofSeconds(100));
        store.put("m", "c", "3b", Duration.ofSeconds(100));
        now.addAndGet(500);
        assertThatThrownBy(() -> store.put("m", "d", "4", Duration.ofSeconds(100)))
                .isInstanceOf(InMemoryStateStore.StateStoreFullException.class);
        assertThat(store.refusedCount()).isEqualTo(1);
        now.addAndGet(600);
        store.put("m", "d", "4", Duration.ofSeconds(100));
        assertThat(store.snapshot("m", String.class)).containsOnlyKeys("b", "c", "d").containsEntry("c", "3b");
    }

    @Test
    void mapsAreIndependent() {
        store.put("x", "k", "1", Duration.ofSeconds(10));
        store.put("y", "k", "2", Duration.ofSeconds(10));
        assertThat(store.get("x", "k", String.class)).isEqualTo("1");
        assertThat(store.get("y", "k", String.class)).isEqualTo("2");
    }

    @Test
    void longLivedEntriesArePackedAndComeBackEqualFromEveryReadingMethod() {
        AuthorizedSession s = new AuthorizedSession("t1", "001010000000001", "id", "EAP-AKA", "10.0.0.1", null,
                null, 5);
        store.put("sessions", "t1", s, Duration.ofHours(1));
        store.put("sessions", "t2", "not a record", Duration.ofHours(1));
        assertThat(store.packedSize("sessions")).isEqualTo(2);
        assertThat(store.get("sessions", "t1", AuthorizedSession.class)).isEqualTo(s).isNotSameAs(s);
        assertThat(store.snapshot("sessions", AuthorizedSession.class)).containsOnly(Map.entry("t1", s));
        assertThat(store.size("sessions")).isEqualTo(2);
        assertThat(store.remove("sessions", "t1", AuthorizedSession.class)).isEqualTo(s);
        assertThat(store.get("sessions", "t1", AuthorizedSession.class)).isNull();
    }

    @Test
    void forEachVisitsEveryLiveEntryOfTheTypeOnceWhetherPackedOrNot() {
        InMemoryStateStore big = new InMemoryStateStore(100, now::get);
        ClientState a = new ClientState("a", "001010000000001", ClientState.Status.ACCEPTED, "EAP-AKA", "10.0.0.1",
                null, null, 1, 2, 3, null);
        ClientState b = new ClientState("b", "001010000000002", ClientState.Status.REJECTED, "EAP-AKA", "10.0.0.1",
                null, null, 1, 2, 3, null);
        big.put("k", "a", a, Duration.ofHours(1));            // packed
        big.put("k", "b", b, Duration.ofSeconds(2));          // kept as an object (short TTL)
        big.put("k", "gone", a, Duration.ofSeconds(1));       // expires below
        big.put("k", "text", "not a client", Duration.ofHours(1));
        assertThat(big.packedSize("k")).isPositive().isLessThan(4);
        now.addAndGet(1_000);
        Map<String, ClientState> seen = new java.util.HashMap<>();
        big.forEach("k", ClientState.class, (key, c) -> assertThat(seen.put(key, c)).isNull());
        assertThat(seen).containsOnly(Map.entry("a", a), Map.entry("b", b));
        assertThat(big.snapshot("k", ClientState.class)).isEqualTo(seen);
        List<String> none = new ArrayList<>();
        big.forEach("absent", ClientState.class, (key, c) -> none.add(key));
        assertThat(none).isEmpty();
    }

    @Test
    void aLoginsValuesArePackedAndSwapAndRemoveGiveBackTheOnesReplaced() {
        InMemoryStateStore big = new InMemoryStateStore(100, now::get);
        Map<String, String> gy = new java.util.HashMap<>();
        gy.put("gy.session-id", "twag;1;2");
        ChargedSession first = new ChargedSession(new ChargingSession("t1", "001010000000001", "10.0.0.1", null,
                null, "online", gy), null, null, 1, 1, 1000, Usage.NONE, 0, false);
        ChargedSession second = new ChargedSession(first.session(), "acct", "user", 1, 2, 1000,
                new Usage(1, 2, 3, 4, 5), 0, false);
        ClientState client = new ClientState("id", "001010000000001", ClientState.Status.ACCEPTED, "EAP-AKA",
                "10.0.0.1", null, null, 1, 2, 3, null);
        big.put("c", "t1", first, Duration.ofHours(1));
        big.put("u", "001010000000001", Non3gppUserData.allowed(), Duration.ofHours(1));
        big.put("k", "id", client, Duration.ofHours(1));
        assertThat(big.packedSize("c") + big.packedSize("u") + big.packedSize("k")).isEqualTo(3);
        assertThat(big.swap("c", "t1", second, Duration.ofHours(1), ChargedSession.class)).isEqualTo(first);
        assertThat(big.get("c", "t1", ChargedSession.class)).isEqualTo(second);
        assertThat(big.get("u", "001010000000001", Non3gppUserData.class)).isEqualTo(Non3gppUserData.allowed());
        assertThat(big.snapshot("k", ClientState.class)).containsOnly(Map.entry("id", client));
        assertThat(big.remove("c", "t1", ChargedSession.class)).isEqualTo(second);
        assertThat(big.remove("c", "t1", ChargedSession.class)).isNull();
    }

    @Test
    void expireAfterMovesTheExpiryOfAPackedOrObjectEntryAndKeepsItsValue() {
        AuthorizedSession s = new AuthorizedSession("t1", "001010000000001", "id", "EAP-AKA", "10.0.0.1", null,
                null, 5);
        store.put("m", "packed", s, Duration.ofHours(1));
        store.put("m", "object", "short-lived", Duration.ofSeconds(5));
        assertThat(store.expireAfter("m", "packed", Duration.ofSeconds(30))).isTrue();
        assertThat(store.expireAfter("m", "object", Duration.ofSeconds(30))).isTrue();
        assertThat(store.expireAfter("m", "absent", Duration.ofSeconds(30))).isFalse();
        assertThat(store.expireAfter("other", "packed", Duration.ofSeconds(30))).isFalse();
        assertThat(store.packedSize("m")).as("stays packed with a TTL below the packing one").isEqualTo(1);
        now.addAndGet(29_999);
        assertThat(store.get("m", "packed", AuthorizedSession.class)).isEqualTo(s);
        assertThat(store.get("m", "object", String.class)).isEqualTo("short-lived");
        now.incrementAndGet();
        assertThat(store.get("m", "packed", AuthorizedSession.class)).isNull();
        assertThat(store.get("m", "object", String.class)).isNull();
        assertThat(store.expireAfter("m", "packed", Duration.ofHours(1))).as("an expired entry is not revived")
                .isFalse();
        store.put("m", "k", "v", Duration.ofSeconds(30));
        assertThat(store.expireAfter("m", "k", Duration.ofHours(2))).isTrue();
        now.addAndGet(Duration.ofHours(1).toMillis());
        assertThat(store.get("m", "k", String.class)).as("lengthened too").isEqualTo("v");
    }

    @Test
    void packedEntriesExpireAfterTheirTtl() {
        store.put("m", "k", "v", Duration.ofHours(1));
        now.addAndGet(Duration.ofHours(1).toMillis() - 1);
        assertThat(store.get("m", "k", String.class)).isEqualTo("v");
        now.incrementAndGet();
        assertThat(store.get("m", "k", String.class)).isNull();
        assertThat(store.swap("m", "k", "w", Duration.ofHours(1), String.class)).isNull();
    }

    @Test
    void aKeyMovesBetweenObjectsAndPackedWithItsTtlAndSwapSeesTheOtherPart() {
        assertThat(store.swap("m", "k", "short", Duration.ofSeconds(5), String.class)).isNull();
        assertThat(store.swap("m", "k", "long", Duration.ofHours(1), String.class)).isEqualTo("short");
        assertThat(store.packedSize("m")).isEqualTo(1);
        assertThat(store.swap("m", "k", "short again", Duration.ofSeconds(5), String.class)).isEqualTo("long");
        assertThat(store.packedSize("m")).isZero();
        assertThat(store.size("m")).isEqualTo(1);
        assertThat(store.get("m", "k", String.class)).isEqualTo("short again");
    }

    @Test
    void valuesThatCannotBePackedStayObjectsWhateverTheirTtl() {
        ArrayList<String> list = new ArrayList<>(List.of("a"));
        store.put("m", "k", list, Duration.ofHours(1));
        assertThat(store.packedSize("m")).isZero();
        assertThat(store.get("m", "k", ArrayList.class)).isSameAs(list);
    }

    @Test
    void theBoundCountsPackedAndObjectEntriesTogether() {
        store.put("m", "a", "1", Duration.ofSeconds(5));
        store.put("m", "b", "2", Duration.ofHours(1));
        store.put("m", "c", "3", Duration.ofHours(1));
        store.put("m", "b", "2b", Duration.ofHours(1)); // an update of a packed key is accepted
        assertThatThrownBy(() -> store.put("m", "d", "4", Duration.ofHours(1)))
                .isInstanceOf(InMemoryStateStore.StateStoreFullException.class);
        now.addAndGet(5_000); // "a" expires, which makes room
        store.put("m", "d", "4", Duration.ofHours(1));
        assertThat(store.get("m", "d", String.class)).isEqualTo("4");
    }

    @Test
    void withoutAPackingTtlEveryEntryStaysAnObject() {
        InMemoryStateStore objectsOnly = new InMemoryStateStore(10, now::get, null);
        objectsOnly.put("m", "k", "v", Duration.ofDays(1));
        assertThat(objectsOnly.packedSize("m")).isZero();
        assertThat(objectsOnly.get("m", "k", String.class)).isEqualTo("v");
    }
}
