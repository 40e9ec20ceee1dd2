package org.opentwag.charging.cdr;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import javax.inject.Inject;

import org.opentwag.api.charging.ChargingBackend;
import org.opentwag.api.charging.ChargingDecision;
import org.opentwag.api.charging.ChargingSession;
import org.opentwag.api.charging.Usage;
import org.osgi.service.cdi.ConfigurationPolicy;
import org.osgi.service.cdi.annotations.ComponentProperties;
import org.osgi.service.cdi.annotations.PID;
import org.osgi.service.cdi.annotations.Service;
import org.osgi.service.cdi.annotations.SingleComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mode {@code cdr-file}: lets every session in without limit and writes one CSV CDR when it ends (offline charging by
 * files, as a billing system collects them). An OSGi CDI single component: Aries CDI registers it as a
 * {@link ChargingBackend} service with {@code opentwag.charging.mode=cdr-file} ({@link ChargingMode}), configured by
 * PID {@code org.opentwag.charging.cdr} (optional).
 */
@SingleComponent
@PID(value = "org.opentwag.charging.cdr", policy = ConfigurationPolicy.OPTIONAL)
@Service(ChargingBackend.class)
@ChargingMode(CdrFileChargingBackend.MODE)
public class CdrFileChargingBackend implements ChargingBackend {

    public static final String MODE = "cdr-file";

    private static final Logger LOG = LoggerFactory.getLogger(CdrFileChargingBackend.class);

    private final CdrWriter writer;
    private final Clock clock;

    @Inject
    public CdrFileChargingBackend(@ComponentProperties CdrConfig config) {
        this(new CdrWriter(directory(config.directory())), Clock.systemUTC());
    }

    CdrFileChargingBackend(CdrWriter writer, Clock clock) {
        this.writer = writer;
        this.clock = clock;
        LOG.info("Charging plugin cdr-file (OSGi CDI) writes CDRs to {}", writer.directory());
    }

    static Path directory(String configured) {
        return configured == null || configured.isBlank()
                ? Path.of(System.getProperty("karaf.data", "data"), "cdr") : Path.of(configured);
    }

    @Override
    public String mode() {
        return MODE;
    }

    @Override
    public CompletionStage<ChargingDecision> start(ChargingSession session) {
        return CompletableFuture.completedFuture(ChargingDecision.unlimited());
    }

    @Override
    public CompletionStage<ChargingDecision> update(ChargingSession session, Usage used) {
        return CompletableFuture.completedFuture(ChargingDecision.unlimited());
    }

    @Override
    public CompletionStage<Void> stop(ChargingSession session, Usage total) {
        try {
            writer.write(clock.instant(), session, total);
            return CompletableFuture.completedFuture(null);
        } catch (RuntimeException e) {
            LOG.error("CDR of session {} (IMSI {}) lost: {}", session.sessionId(), session.imsi(), e.getMessage());
            return CompletableFuture.failedFuture(e);
        }
    }
}
