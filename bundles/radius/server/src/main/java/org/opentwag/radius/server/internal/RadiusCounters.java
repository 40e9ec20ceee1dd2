package org.opentwag.radius.server.internal;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.opentwag.api.metrics.MetricsSource;
import org.opentwag.api.radius.RadiusServerState;
import org.opentwag.radius.codec.RadiusDictionary;
import org.opentwag.radius.server.RadiusServerStatistics;
import org.opentwag.support.radius.LocalRadiusServerState;

/**
 * The server's counters: a LongAdder increment on the packet path, read at scrape time. The adders belong to a
 * {@link RadiusServerState} (normally the state store bundle's), so they keep counting across a bundle:update of this
 * bundle; the pending gauge is this instance's own.
 */
public final class RadiusCounters implements RadiusServerStatistics, MetricsSource {

    static final String[] STATUS_TYPES = {"start", "stop", "interim_update", "accounting_on", "accounting_off", "other"};

    private final LongAdder accessRequests;
    private final LongAdder accessAccepts;
    private final LongAdder accessRejects;
    private final LongAdder accessChallenges;
    private final LongAdder accountingResponses;
    private final LongAdder statusServer;
    private final LongAdder duplicatesAnswered;
    private final Map<String, LongAdder> accountingByStatus = new LinkedHashMap<>();
    private final Map<DropReason, LongAdder> drops = new EnumMap<>(DropReason.class);
    private final AtomicLong pending = new AtomicLong();

    /** Counters of their own (tests, tools). */
    public RadiusCounters() {
        this(new LocalRadiusServerState());
    }

    /** Counters kept by {@code state} under their series names. */
    public RadiusCounters(RadiusServerState state) {
        accessRequests = state.counter("radius_access_request_count");
        accessAccepts = state.counter("radius_access_accept_count");
        accessRejects = state.counter("radius_access_reject_count");
        accessChallenges = state.counter("radius_access_challenge_count");
        accountingResponses = state.counter("radius_accounting_response_count");
        statusServer = state.counter("radius_status_server_count");
        duplicatesAnswered = state.counter("radius_duplicate_answered_count");
        for (String status : STATUS_TYPES) {
            accountingByStatus.put(status, state.counter("radius_accounting_request_count{status_type=\"" + status + "\"}"));
        }
        for (DropReason reason : DropReason.values()) {
            drops.put(reason, state.counter("radius_dropped_count{reason=\"" + reason.label() + "\"}"));
        }
    }

    /** The status_type label of an Acct-Status-Type value. */
    static String statusLabel(long acctStatusType) {
        return switch ((int) acctStatusType) {
            case RadiusDictionary.ACCT_STATUS_START -> "start";
            case RadiusDictionary.ACCT_STATUS_STOP -> "stop";
            case RadiusDictionary.ACCT_STATUS_INTERIM_UPDATE -> "interim_update";
            case RadiusDictionary.ACCT_STATUS_ACCOUNTING_ON -> "accounting_on";
            case RadiusDictionary.ACCT_STATUS_ACCOUNTING_OFF -> "accounting_off";
            default -> "other";
        };
    }

    void accessRequest() {
        accessRequests.increment();
    }

    void accountingRequest(String statusLabel) {
        accountingByStatus.get(statusLabel).increment();
    }

    void statusServer() {
        statusServer.increment();
    }

    void sent(int code) {
        switch (code) {
            case 2 -> accessAccepts.increment();
            case 3 -> accessRejects.increment();
            case 11 -> accessChallenges.increment();
            case 5 -> accountingResponses.increment();
            default -> { }
        }
    }

    void duplicateAnswered() {
        duplicatesAnswered.increment();
    }

    void drop(DropReason reason) {
        drops.get(reason).increment();
    }

    AtomicLong pendingGauge() {
        return pending;
    }

    @Override public long accessRequests() { return accessRequests.sum(); }
    @Override public long accessAccepts() { return accessAccepts.sum(); }
    @Override public long accessRejects() { return accessRejects.sum(); }
    @Override public long accessChallenges() { return accessChallenges.sum(); }
    @Override public long accountingResponses() { return accountingResponses.sum(); }
    @Override public long statusServerRequests() { return statusServer.sum(); }
    @Override public long duplicatesAnswered() { return duplicatesAnswered.sum(); }
    @Override public long pendingRequests() { return pending.get(); }

    @Override
    public long accountingRequests(String statusType) {
        LongAdder adder = accountingByStatus.get(statusType);
        return adder == null ? 0 : adder.sum();
    }

    @Override
    public long dropped(DropReason reason) {
        return drops.get(reason).sum();
    }

    @Override
    public Map<String, Long> snapshot() {
        Map<String, Long> values = new LinkedHashMap<>();
        values.put("radius_access_request_count", accessRequests());
        values.put("radius_access_accept_count", accessAccepts());
        values.put("radius_access_reject_count", accessRejects());
        values.put("radius_access_challenge_count", accessChallenges());
        accountingByStatus.forEach((status, adder) ->
                values.put("radius_accounting_request_count{status_type=\"" + status + "\"}", adder.sum()));
        values.put("radius_accounting_response_count", accountingResponses());
        values.put("radius_status_server_count", statusServerRequests());
        values.put("radius_duplicate_answered_count", duplicatesAnswered());
        drops.forEach((reason, adder) -> values.put("radius_dropped_count{reason=\"" + reason.label() + "\"}", adder.sum()));
        values.put("radius_pending_requests", pendingRequests());
        return values;
    }

    // --- MetricsSource ---

    @Override
    public Map<String, String> help() {
        return Map.of(
                "radius_access_request_count", "Total RADIUS Access-Request packets received",
                "radius_access_accept_count", "Total Access-Accept packets sent",
                "radius_access_reject_count", "Total Access-Reject packets sent",
                "radius_access_challenge_count", "Total Access-Challenge packets sent",
                "radius_accounting_request_count", "Total Accounting-Request packets, by Acct-Status-Type",
                "radius_accounting_response_count", "Total Accounting-Response packets sent (records stored)",
                "radius_status_server_count", "Total Status-Server packets answered",
                "radius_duplicate_answered_count", "Retransmissions answered from the RFC 5080 duplicate cache",
                "radius_dropped_count", "Datagrams dropped without answer, by reason",
                "radius_pending_requests", "Requests handed to a handler and not yet answered");
    }

    @Override
    public Map<String, Number> values() {
        return new LinkedHashMap<>(snapshot());
    }

    @Override
    public Kind kind(String metricName) {
        return "radius_pending_requests".equals(metricName) ? Kind.GAUGE : Kind.COUNTER;
    }
}
