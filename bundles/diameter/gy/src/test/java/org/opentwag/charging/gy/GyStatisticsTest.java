package org.opentwag.charging.gy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.opentwag.api.metrics.CounterStore;
import org.opentwag.support.radius.LocalRadiusServerState;

/** The Gy counters across a bundle:update of charging-gy: the new bundle's statistics take on the store's. */
class GyStatisticsTest {

    @Test
    void theNextBundlesStatisticsContinueAndListEverySeriesCountedBefore() {
        CounterStore store = new LocalRadiusServerState();
        GyStatistics before = new GyStatistics(store);
        before.ccrSent("online", "initial");
        before.answer("online", "2001");
        before.answer("online", "timeout");
        before.failureHandled("online", FailureHandling.TERMINATE, "initial");

        GyStatistics after = new GyStatistics(store);
        assertThat(after.values()).containsOnlyKeys("charging_ccr_count{mode=\"online\",type=\"initial\"}",
                "charging_cca_result_count{mode=\"online\",result=\"2001\"}",
                "charging_cca_result_count{mode=\"online\",result=\"timeout\"}",
                "charging_ocs_failure_count{mode=\"online\",type=\"initial\",handling=\"terminate\"}");
        after.ccrSent("online", "initial");
        assertThat(after.get("charging_ccr_count{mode=\"online\",type=\"initial\"}")).isEqualTo(2);
        assertThat(after.get("charging_cca_result_count{mode=\"online\",result=\"timeout\"}")).isEqualTo(1);
    }

    @Test
    void ownCountersStartAtZero() {
        GyStatistics before = new GyStatistics();
        before.ccrSent("online", "initial");
        assertThat(new GyStatistics().values()).isEmpty();
    }
}
