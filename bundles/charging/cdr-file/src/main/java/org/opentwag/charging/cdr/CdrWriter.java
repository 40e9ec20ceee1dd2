package org.opentwag.charging.cdr;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import org.opentwag.api.charging.ChargingSession;
import org.opentwag.api.charging.Usage;

/**
 * Appends one CSV line per ended session to {@code cdr-YYYY-MM-DD.csv} (UTC day of the stop) in its directory,
 * writing the header line first in a new file. Plain Java, so it is tested without a container.
 */
public final class CdrWriter {

    public static final String HEADER = "stop_time,session_id,imsi,nas_ip,called_station_id,calling_station_id,"
            + "input_octets,output_octets,total_octets,session_seconds";

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

    private final Path directory;

    public CdrWriter(Path directory) {
        this.directory = directory;
    }

    public Path directory() {
        return directory;
    }

    /** Writes the record; returns the file written to. */
    public synchronized Path write(Instant stoppedAt, ChargingSession session, Usage total) {
        Path file = directory.resolve("cdr-" + DAY.format(stoppedAt) + ".csv");
        String line = String.join(",", stoppedAt.toString(), csv(session.sessionId()), csv(session.imsi()),
                csv(session.nasIp()), csv(session.calledStationId()), csv(session.callingStationId()),
                Long.toString(total.inputOctets()), Long.toString(total.outputOctets()),
                Long.toString(total.totalOctets()), Long.toString(total.sessionTimeSeconds())) + "\n";
        try {
            Files.createDirectories(directory);
            boolean fresh = Files.notExists(file);
            Files.writeString(file, (fresh ? HEADER + "\n" : "") + line, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("CDR not written to " + file, e);
        }
        return file;
    }

    /** RFC 4180 quoting when a value has a comma, quote or line break (an SSID may). */
    static String csv(String value) {
        if (value == null) {
            return "";
        }
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }
}
