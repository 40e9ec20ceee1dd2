package org.opentwag.charging.disabled;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.opentwag.api.charging.ChargingBackend;
import org.opentwag.api.charging.ChargingDecision;
import org.opentwag.api.charging.ChargingSession;
import org.opentwag.api.charging.Usage;
import org.osgi.service.component.annotations.Component;

/**
 * Mode {@code disabled} (guide: "Charging Disabled"): no credit control, every session allowed without limit. Usage
 * is still traced by accounting and by the charging core's metrics.
 */
@Component(service = ChargingBackend.class, property = ChargingBackend.MODE_PROPERTY + "=" + DisabledChargingBackend.MODE)
public class DisabledChargingBackend implements ChargingBackend {

    public static final String MODE = "disabled";

    private static final CompletionStage<ChargingDecision> UNLIMITED =
            CompletableFuture.completedFuture(ChargingDecision.unlimited());

    @Override
    public String mode() {
        return MODE;
    }

    @Override
    public CompletionStage<ChargingDecision> start(ChargingSession session) {
        return UNLIMITED;
    }

    @Override
    public CompletionStage<ChargingDecision> update(ChargingSession session, Usage used) {
        return UNLIMITED;
    }

    @Override
    public CompletionStage<Void> stop(ChargingSession session, Usage total) {
        return CompletableFuture.completedFuture(null);
    }
}
