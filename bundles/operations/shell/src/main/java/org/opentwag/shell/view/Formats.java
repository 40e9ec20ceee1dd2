package org.opentwag.shell.view;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import org.opentwag.radius.codec.RadiusDictionary;

/** How the shell writes times, durations, octet counts and RADIUS enumerations: as the operations guide shows them. */
public final class Formats {

    private final DateTimeFormatter time;
    private final DateTimeFormatter clock;

    /** Formats in the given zone (the server's own zone in the shell, a fixed one in tests). */
    public Formats(ZoneId zone) {
        this.time = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(zone);
        this.clock = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(zone);
    }

    /** "10:31:50.123": the steps of one attempt are milliseconds apart. */
    public String clock(long epochMillis) {
        return epochMillis <= 0 ? "-" : clock.format(Instant.ofEpochMilli(epochMillis));
    }

    public static Formats systemDefault() {
        return new Formats(ZoneId.systemDefault());
    }

    /** "2025-10-12 10:31:50", or "-" for 0 (never). */
    public String time(long epochMillis) {
        return epochMillis <= 0 ? "-" : time.format(Instant.ofEpochMilli(epochMillis));
    }

    /** "42s", "4m 10s", "8h 27m", "3d 4h": two units at most, as the guide's usage view. */
    public static String duration(long millis) {
        long s = Math.max(0, millis / 1000);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return (s / 60) + "m " + (s % 60) + "s";
        }
        if (s < 86400) {
            return (s / 3600) + "h " + ((s % 3600) / 60) + "m";
        }
        return (s / 86400) + "d " + ((s % 86400) / 3600) + "h";
    }

    /**
     * Octets in decimal units as the guide prints them ("4.12 MB", "146.5 MB", "623.07 MB"): two decimals, trailing
     * zeros dropped.
     */
    public static String octets(long n) {
        if (n < 1000) {
            return n + " B";
        }
        String[] units = {"kB", "MB", "GB", "TB", "PB"};
        double v = n;
        int u = -1;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        String digits = String.format(Locale.ROOT, "%.2f", v).replaceAll("0+$", "").replaceAll("\\.$", "");
        return digits + " " + units[u];
    }

    /** The NAS-Port-Type's name ("Wireless-802.11"), its number when unnamed, "-" when the AP never sent one. */
    public static String nasPortType(int value) {
        return valueName(RadiusDictionary.NAS_PORT_TYPE, value);
    }

    /** Acct-Terminate-Cause by its dictionary name ("Idle-Timeout"), its number when unnamed, "-" when absent. */
    public static String terminateCause(int value) {
        return valueName(RadiusDictionary.ACCT_TERMINATE_CAUSE, value);
    }

    /** An enumerated RADIUS attribute's value by its dictionary name; its number when unnamed; "-" for 0 (absent). */
    private static String valueName(int attribute, int value) {
        if (value == 0) {
            return "-";
        }
        return RadiusDictionary.standard().attribute(attribute)
                .map(d -> d.valueNames().get(value)).orElse(String.valueOf(value));
    }

    /** A value or "-" when absent. */
    public static String orDash(Object value) {
        return value == null || value.toString().isEmpty() ? "-" : value.toString();
    }
}
