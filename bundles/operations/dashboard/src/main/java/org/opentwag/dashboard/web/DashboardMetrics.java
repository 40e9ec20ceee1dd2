package org.opentwag.dashboard.web;

import java.util.Map;

import org.opentwag.api.metrics.MetricsSource;
import org.opentwag.support.metrics.Counters;

/** What the dashboard refused, for Prometheus: wrong passwords, throttled logins, cross-site requests. */
public final class DashboardMetrics implements MetricsSource {

    public static final String LOGIN_FAILURES = "dashboard_login_failure_count";
    public static final String LOGIN_THROTTLED = "dashboard_login_throttled_count";
    public static final String CROSS_SITE_REFUSED = "dashboard_cross_site_refused_count";

    private final Counters counters;

    public DashboardMetrics(Counters counters) {
        this.counters = counters;
        // Listed from the start at zero, so an alert on their rate has a series before the first attack.
        counters.counter(LOGIN_FAILURES);
        counters.counter(LOGIN_THROTTLED + "{limit=\"address\"}");
        counters.counter(LOGIN_THROTTLED + "{limit=\"user\"}");
        counters.counter(CROSS_SITE_REFUSED);
    }

    void loginFailed() {
        counters.increment(LOGIN_FAILURES);
    }

    /** @param limit {@code address} or {@code user} */
    void loginThrottled(String limit) {
        counters.increment(LOGIN_THROTTLED + "{limit=\"" + limit + "\"}");
    }

    void crossSiteRefused() {
        counters.increment(CROSS_SITE_REFUSED);
    }

    @Override
    public Map<String, String> help() {
        return Map.of(LOGIN_FAILURES, "Dashboard/REST logins with a wrong user name or password",
                LOGIN_THROTTLED, "Dashboard/REST logins refused with 429 after too many wrong passwords, by limit",
                CROSS_SITE_REFUSED, "Dashboard/REST state-changing requests refused: Origin/Referer of another site");
    }

    @Override
    public Map<String, Number> values() {
        return counters.values();
    }
}
