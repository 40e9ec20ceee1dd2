package org.opentwag.api.metrics;

import java.util.Map;

/**
 * Something that has numbers to publish on the Prometheus endpoint (port 9568). Register it as an OSGi service;
 * the metrics bundle reads every source at each scrape, so counters live in the bundle that counts them and cost
 * nothing more than an increment on the request path.
 *
 * <p>Keys are Prometheus series in text form, a metric name with optional labels, e.g.
 * {@code radius_access_request_count} or {@code diameter_message_count{application="swx",command="MAR",direction="out"}}.
 * Names are those of the operations guide where it has one.
 */
public interface MetricsSource {

    /** The kind of every series of this source: counters only grow, gauges go up and down. */
    enum Kind { COUNTER, GAUGE }

    /** A short description per metric name (without labels), shown as the metric's HELP. */
    Map<String, String> help();

    /** The current value of every series, read at scrape time. */
    Map<String, Number> values();

    /** Counter unless overridden; a source with both kinds names its gauges here. */
    default Kind kind(String metricName) {
        return Kind.COUNTER;
    }
}
