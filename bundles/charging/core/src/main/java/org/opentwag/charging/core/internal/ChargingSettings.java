package org.opentwag.charging.core.internal;

import java.time.Duration;

/**
 * The charging core's settings (PID {@code org.opentwag.charging}).
 *
 * @param mode                 the backend new sessions are charged with
 * @param allowWithoutBackend  what to do when that backend is not registered (or fails outright): true lets the
 *                             session in uncharged, false refuses it
 * @param startTimeout         an authorization with no accounting after this long is stopped (CCR-T with no usage)
 * @param staleSession         a session with no accounting for this long is stopped with its last usage (lost Stop)
 */
public record ChargingSettings(String mode, boolean allowWithoutBackend, Duration startTimeout, Duration staleSession) {

    public ChargingSettings {
        if (mode == null || mode.isBlank()) {
            throw new IllegalArgumentException("charging mode is empty");
        }
        mode = mode.trim();
    }

    public static ChargingSettings of(String mode) {
        return new ChargingSettings(mode, false, Duration.ofMinutes(5), Duration.ofDays(1));
    }

    public ChargingSettings withMode(String newMode) {
        return new ChargingSettings(newMode, allowWithoutBackend, startTimeout, staleSession);
    }

    public ChargingSettings withAllowWithoutBackend(boolean allow) {
        return new ChargingSettings(mode, allow, startTimeout, staleSession);
    }
}
