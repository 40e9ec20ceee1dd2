package org.opentwag.diameter.stack.internal;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.opentwag.diameter.codec.DiameterMessage;
import org.opentwag.diameter.codec.OverloadControl;
import org.opentwag.diameter.codec.OverloadControl.Report;
import org.opentwag.diameter.codec.OverloadControl.ReportType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DOIC reacting node (RFC 7683), loss algorithm: the overload reports received in answers, and which new requests
 * they abate. One report per reporting host (HOST_REPORT, keyed by the answer's Origin-Host) and per realm
 * (REALM_REPORT, keyed by its Origin-Realm); a report replaces the one held only with a higher OC-Sequence-Number
 * (7.4), and a percentage or validity of zero ends it (7.5, 7.7). The loss is deterministic: a credit of the
 * percentage per request, one request dropped each time it reaches 100, so 50% drops exactly every second request (a
 * random draw would make the share over a short test wander). Plain Java, no Netty or OSGi types: the node calls it.
 */
final class OverloadAbatement {
    private static final Logger LOG = LoggerFactory.getLogger(OverloadAbatement.class);

    /** What a report is about: a host or a realm, lower case. */
    record Key(ReportType type, String name) {
        Key {
            name = name.toLowerCase(Locale.ROOT);
        }
    }

    /** The report that abated a request, to count and to explain the refusal. */
    record Abated(Key key, int reductionPercentage) {
    }

    private static final class Active {
        final Report report;
        final long expiresNanos;
        int credit;

        Active(Report report, long expiresNanos) {
            this.report = report;
            this.expiresNanos = expiresNanos;
        }
    }

    private final LongSupplier nanoClock;
    private final Map<Key, Active> active = new HashMap<>();
    /** The highest sequence number seen per key, kept after a report ends so a late copy does not restart it. */
    private final Map<Key, Long> lastSequence = new HashMap<>();

    OverloadAbatement(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /** Takes the OC-OLR of an answer, if any. */
    synchronized void onAnswer(DiameterMessage answer) {
        Optional<Report> olr = OverloadControl.report(answer);
        if (olr.isEmpty()) {
            return;
        }
        Report report = olr.get();
        Optional<String> reporter = report.type() == ReportType.HOST_REPORT ? answer.originHost() : answer.originRealm();
        if (reporter.isEmpty()) {
            return;
        }
        onReport(new Key(report.type(), reporter.get()), report);
    }

    synchronized void onReport(Key key, Report report) {
        Long last = lastSequence.get(key);
        if (last != null && Long.compareUnsigned(report.sequenceNumber(), last) <= 0) {
            return; // the report in force, or an older one
        }
        lastSequence.put(key, report.sequenceNumber());
        Active previous = active.remove(key);
        if (report.endsOverload()) {
            if (previous != null) {
                LOG.info("Diameter overload of {} {} ended by its report (sequence {}, reduction {}%, validity {} s)",
                        label(key.type()), key.name(), report.sequenceNumber(), report.reductionPercentage(),
                        report.validity().toSeconds());
            }
            return;
        }
        active.put(key, new Active(report, nanoClock.getAsLong() + report.validity().toNanos()));
        LOG.warn("Diameter overload report from {} {} (sequence {}): abating {}% of new requests for {} s{}",
                label(key.type()), key.name(), report.sequenceNumber(), report.reductionPercentage(),
                report.validity().toSeconds(), previous != null ? " (replaces sequence " + previous.report.sequenceNumber() + ")" : "");
    }

    /**
     * Whether a new request is to be dropped: the host report of {@code host} (its Destination-Host, or the peer it
     * is routed to when it has none), else the realm report of its Destination-Realm. Null: send it.
     */
    synchronized Abated abate(String host, String realm) {
        if (active.isEmpty()) {
            return null;
        }
        Active a = null;
        Key key = null;
        if (host != null) {
            key = new Key(ReportType.HOST_REPORT, host);
            a = current(key);
        }
        if (a == null && realm != null) {
            key = new Key(ReportType.REALM_REPORT, realm);
            a = current(key);
        }
        if (a == null) {
            return null;
        }
        a.credit += a.report.reductionPercentage();
        if (a.credit >= 100) {
            a.credit -= 100;
            return new Abated(key, a.report.reductionPercentage());
        }
        return null;
    }

    /** Whether a report is in force for this key (a host that is abated may have an alternative). */
    synchronized boolean overloaded(ReportType type, String name) {
        return name != null && current(new Key(type, name)) != null;
    }

    /** Reports in force, by key: what {@code twag:peers} or a test may show. */
    synchronized Map<Key, Report> reports() {
        Map<Key, Report> out = new HashMap<>();
        for (Key k : Map.copyOf(active).keySet()) {
            Active a = current(k);
            if (a != null) {
                out.put(k, a.report);
            }
        }
        return out;
    }

    private Active current(Key key) {
        Active a = active.get(key);
        if (a != null && nanoClock.getAsLong() - a.expiresNanos >= 0) {
            active.remove(key);
            LOG.info("Diameter overload of {} {} ended: its report (sequence {}) expired after {} s", label(key.type()),
                    key.name(), a.report.sequenceNumber(), a.report.validity().toSeconds());
            return null;
        }
        return a;
    }

    private static String label(ReportType type) {
        return type == ReportType.HOST_REPORT ? "host" : "realm";
    }
}
