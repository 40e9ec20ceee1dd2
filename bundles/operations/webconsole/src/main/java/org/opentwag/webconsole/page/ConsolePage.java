package org.opentwag.webconsole.page;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.Function;

import org.opentwag.api.accounting.AccessPoint;
import org.opentwag.api.accounting.AccountingSession;
import org.opentwag.api.state.ClientState;

/**
 * The HTML of the OpenTWAG tab inside the Felix Web Console: the console draws the frame, this draws the content.
 * Everything that came from the air (identities, SSIDs, NAS identifiers) is escaped. No key material exists in the
 * inputs, so none can appear.
 */
public final class ConsolePage {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    private ConsolePage() {
    }

    public static String render(ConsoleSnapshot s) {
        StringBuilder html = new StringBuilder(8192);
        html.append("<div class=\"opentwag\">");
        section(html, "RADIUS clients", s.clients(), "state store",
                List.of("Identity", "IMSI", "Status", "Method", "AP", "Client MAC", "Last update"),
                c -> cells(c.identity(), c.imsi(), c.status().name(), c.method(), c.nasIp(), c.callingStationId(),
                        time(c.lastUpdateMillis())));
        section(html, "Access points", s.accessPoints(), "accounting",
                List.of("NAS IP", "NAS-Identifier", "AP MAC", "SSID", "Clients", "First seen", "Last seen"),
                ap -> cells(ap.nasIp(), ap.nasIdentifier(), ap.apMac(), ap.ssid(),
                        Integer.toString(ap.clientCount()), time(ap.firstSeenMillis()), time(ap.lastSeenMillis())));
        section(html, "Client usage", s.sessions(), "accounting",
                List.of("Session", "User", "IMSI", "Client MAC", "AP", "Status", "Duration", "Down / Up"),
                se -> cells(se.acctSessionId(), se.userName(), se.imsi(), se.callingStationId(), se.nasIp(),
                        se.open() ? "open" : "closed", duration(se, s.nowMillis()),
                        bytes(se.usage().outputOctets()) + " / " + bytes(se.usage().inputOctets())));
        section(html, "Diameter peers", s.peers(), "Diameter stack",
                List.of("Host", "Realm", "State", "Transport", "Product"),
                p -> cells(p.host(), p.realm(), p.state(), p.transport(), p.product()));
        return html.append("</div>").toString();
    }

    private static <T> void section(StringBuilder html, String title, List<T> rows, String provider,
                                    List<String> headers, Function<T, List<String>> cells) {
        html.append("<h2>").append(escape(title)).append("</h2>");
        if (rows == null) {
            html.append("<p class=\"statline\">").append(escape(provider)).append(" not installed</p>");
            return;
        }
        html.append("<p class=\"statline\">").append(rows.size()).append(rows.size() == 1 ? " entry" : " entries")
                .append("</p><table class=\"tablesorter nicetable\"><thead><tr>");
        for (String h : headers) {
            html.append("<th>").append(escape(h)).append("</th>");
        }
        html.append("</tr></thead><tbody>");
        for (T row : rows) {
            html.append("<tr>");
            for (String cell : cells.apply(row)) {
                html.append("<td>").append(escape(cell == null ? "-" : cell)).append("</td>");
            }
            html.append("</tr>");
        }
        html.append("</tbody></table>");
    }

    /** A row's cells; any may be null (shown as "-"), which List.of would refuse. */
    private static List<String> cells(String... values) {
        return java.util.Arrays.asList(values);
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c < 0x20 ? '?' : c);
            }
        }
        return out.toString();
    }

    private static String time(long millis) {
        return millis <= 0 ? "-" : TIME.format(Instant.ofEpochMilli(millis));
    }

    private static String duration(AccountingSession s, long now) {
        Duration d = Duration.ofMillis(Math.max(0, (s.open() ? now : s.updatedAtMillis()) - s.startedAtMillis()));
        return d.toHours() > 0 ? d.toHours() + "h " + d.toMinutesPart() + "m"
                : d.toMinutes() + "m " + d.toSecondsPart() + "s";
    }

    static String bytes(long n) {
        if (n < 1_000) {
            return n + " B";
        }
        String[] units = {"kB", "MB", "GB", "TB"};
        double v = n;
        int u = -1;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return String.format(java.util.Locale.ROOT, "%.2f %s", v, units[u]);
    }
}
