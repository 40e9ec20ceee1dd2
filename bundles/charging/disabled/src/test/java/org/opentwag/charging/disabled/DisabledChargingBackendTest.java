package org.opentwag.charging.disabled;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.opentwag.api.charging.ChargingBackend;
import org.opentwag.api.charging.ChargingDecision;
import org.opentwag.api.charging.ChargingSession;
import org.opentwag.api.charging.Usage;

class DisabledChargingBackendTest {

    private final ChargingSession session = new ChargingSession("t1", "001010000000001", "10.0.0.1", null, null, "disabled");

    @Test
    void allowsEverySessionWithoutLimitOrValidity() {
        ChargingBackend backend = new DisabledChargingBackend();
        ChargingDecision start = backend.start(session).toCompletableFuture().join();
        assertThat(start.allowed()).isTrue();
        assertThat(start.grantedOctets()).isEqualTo(-1);
        assertThat(start.validitySeconds()).isZero();
        assertThat(start.finalUnit()).isFalse();
        ChargingDecision update = backend.update(session, new Usage(Long.MAX_VALUE / 4, Long.MAX_VALUE / 4, 1, 1, 1))
                .toCompletableFuture().join();
        assertThat(update.allowed()).isTrue();
        assertThat(update.finalUnit()).isFalse();
        assertThat(backend.stop(session, Usage.NONE).toCompletableFuture().join()).isNull();
        assertThat(session.backendState()).as("no state kept").isEmpty();
    }
}
