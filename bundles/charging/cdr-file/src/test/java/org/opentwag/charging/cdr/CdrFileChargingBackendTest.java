package org.opentwag.charging.cdr;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentwag.api.charging.ChargingDecision;
import org.opentwag.api.charging.ChargingSession;
import org.opentwag.api.charging.Usage;

class CdrFileChargingBackendTest {

    @TempDir
    Path dir;

    @Test
    void writesOneCsvLinePerStoppedSessionWithAHeaderPerDailyFile() throws Exception {
        Clock clock = Clock.fixed(Instant.parse("2026-11-24T23:59:59Z"), ZoneOffset.UTC);
        CdrFileChargingBackend backend = new CdrFileChargingBackend(new CdrWriter(dir), clock);
        ChargingSession a = new ChargingSession("tok-a", "001010000000001", "10.7.15.72",
                "AA-BB-CC-DD-EE-FF:Cafe, Free", "86-81-69-A7-B4-B2", "cdr-file");
        ChargingSession b = new ChargingSession("tok-b", "001010000000002", "10.7.15.73", null, null, "cdr-file");

        ChargingDecision d = backend.start(a).toCompletableFuture().join();
        assertThat(d.allowed()).isTrue();
        assertThat(d.grantedOctets()).isEqualTo(ChargingDecision.UNLIMITED);
        backend.stop(a, new Usage(1000, 2000, 10, 20, 61)).toCompletableFuture().join();
        backend.stop(b, new Usage(5, 6, 1, 1, 2)).toCompletableFuture().join();

        assertThat(Files.readAllLines(dir.resolve("cdr-2026-11-24.csv"))).containsExactly(
                "stop_time,session_id,imsi,nas_ip,called_station_id,calling_station_id,input_octets,output_octets,"
                        + "total_octets,session_seconds",
                "2026-11-24T23:59:59Z,tok-a,001010000000001,10.7.15.72,\"AA-BB-CC-DD-EE-FF:Cafe, Free\","
                        + "86-81-69-A7-B4-B2,1000,2000,3000,61",
                "2026-11-24T23:59:59Z,tok-b,001010000000002,10.7.15.73,,,5,6,11,2");
    }

    @Test
    void anUnwritableDirectoryFailsTheStopInsteadOfLosingItSilently() throws Exception {
        Path file = dir.resolve("not-a-directory");
        Files.writeString(file, "x");
        CdrFileChargingBackend backend = new CdrFileChargingBackend(new CdrWriter(file), Clock.systemUTC());
        var stage = backend.stop(new ChargingSession("t", "1", "10.0.0.1", null, null, "cdr-file"), Usage.NONE)
                .toCompletableFuture();
        assertThat(stage).isCompletedExceptionally();
    }
}
