package org.opentwag.support.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.opentwag.api.metrics.CounterStore;
import org.opentwag.support.radius.LocalRadiusServerState;

/** A bundle:update seen from the counters: the old bundle's Counters go away, the new one's take over the store's. */
class CountersTest {

    private static final String CCA_2001 = "charging_cca_result_count{mode=\"online\",result=\"2001\"}";
    private static final String CCA_TIMEOUT = "charging_cca_result_count{mode=\"online\",result=\"timeout\"}";
    private static final String CCR_INITIAL = "charging_ccr_count{mode=\"online\",type=\"initial\"}";

    @Test
    void seriesKeptByTheStoreContinueInTheNextBundleAndAreListedBeforeTheyCountAgain() {
        CounterStore store = new LocalRadiusServerState();
        Counters before = new Counters(store, "charging_cca_result_count", "charging_ccr_count");
        before.add(CCA_2001, 5);
        before.increment(CCA_TIMEOUT);
        before.increment(CCR_INITIAL);

        Counters after = new Counters(store, "charging_cca_result_count", "charging_ccr_count");
        assertThat(after.kept()).isTrue();
        // listed at once, also the timeout series that is not counted again below
        assertThat(after.values()).containsExactlyInAnyOrderEntriesOf(Map.of(CCA_2001, 5L, CCA_TIMEOUT, 1L,
                CCR_INITIAL, 1L));
        after.increment(CCA_2001);
        assertThat(after.get(CCA_2001)).isEqualTo(6);
        assertThat(store.counter(CCA_2001).sum()).isEqualTo(6);
    }

    @Test
    void onlyTheSeriesOfTheNamedMetricsAreListedNotThoseOfOtherBundlesOrLongerNames() {
        CounterStore store = new LocalRadiusServerState();
        store.counter("charging_result_count{mode=\"online\",result=\"allowed\"}").increment();
        store.counter("charging_result_count_extra").increment();
        store.counter("radius_access_request_count").increment();
        store.counter("accounting_records_stored_count").add(3);

        Counters core = new Counters(store, "charging_result_count", "accounting_records_stored_count");
        assertThat(core.values()).containsOnlyKeys("charging_result_count{mode=\"online\",result=\"allowed\"}",
                "accounting_records_stored_count");
    }

    @Test
    void withoutAStoreTheCountersAreTheirOwn() {
        Counters own = new Counters(null, "charging_ccr_count");
        own.increment(CCR_INITIAL);
        assertThat(own.kept()).isFalse();
        assertThat(own.values()).containsExactly(Map.entry(CCR_INITIAL, 1L));
        assertThat(new Counters().values()).isEmpty();
        assertThat(own.get("never_counted")).isZero();
        assertThat(own.values()).doesNotContainKey("never_counted");
    }

    @Test
    void aFamilyCountsTheSameSeriesAsTheirNamesIncludingThoseTheStoreKept() {
        CounterStore store = new LocalRadiusServerState();
        new Counters(store, "charging_cca_result_count").add(CCA_2001, 5);
        Counters counters = new Counters(store, "charging_cca_result_count", "charging_ccr_count",
                "charging_quota_used_octets");
        Counters.Family results = counters.family("charging_cca_result_count", "mode", "result");
        Counters.Family ccrs = counters.family("charging_ccr_count", "mode", "type");
        Counters.Family used = counters.family("charging_quota_used_octets", "mode");
        results.increment("online", "2001");
        results.increment("online", "timeout");
        ccrs.increment("online", "initial");
        ccrs.increment("online", "initial");
        used.add("online", 7);
        assertThat(counters.values()).containsExactlyInAnyOrderEntriesOf(Map.of(CCA_2001, 6L, CCA_TIMEOUT, 1L,
                CCR_INITIAL, 2L, "charging_quota_used_octets{mode=\"online\"}", 7L));
        assertThat(store.counter(CCA_2001).sum()).isEqualTo(6);
    }
}
