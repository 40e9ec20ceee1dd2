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

    /**
     * The kind of every series of this source: counters only grow, gauges go up and down. A histogram named
     * {@code N} is published as the series {@code N_bucket{...,le="..."}} (cumulative, ending with {@code le="+Inf"}),
     * {@code N_sum{...}} and {@code N_count{...}}, and {@link #kind} answers HISTOGRAM for {@code N};
     * twag-support's {@code org.opentwag.support.metrics.Histogram} writes them so.
     */
    enum Kind { COUNTER, GAUGE, HISTOGRAM }

    /** A short description per metric name (without labels), shown as the metric's HELP. */
    Map<String, String> help();

    /** The current value of every series, read at scrape time. */
    Map<String, Number> values();

    /**
     * Counter unless overridden; a source with several kinds names its gauges and histograms here (for a histogram,
     * asked with its base name, without {@code _bucket}, {@code _sum} or {@code _count}).
     */
    default Kind kind(String metricName) {
        return Kind.COUNTER;
    }
}
