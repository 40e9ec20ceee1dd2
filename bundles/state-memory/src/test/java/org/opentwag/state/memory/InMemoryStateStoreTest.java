package org.opentwag.state.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

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
}
