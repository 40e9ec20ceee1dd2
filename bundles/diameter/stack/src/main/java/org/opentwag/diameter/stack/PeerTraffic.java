package org.opentwag.diameter.stack;

/**
 * The requests this node sent to one peer since it started, for operators: how many, how many failed, how fast.
 *
 * @param host       the peer's Origin-Host
 * @param requests   requests sent to it that were answered or timed out there
 * @param errors     of those, answers with a Result-Code or Experimental-Result-Code outside 2xxx, and timeouts
 * @param p50Millis  median answer time (ms), NaN before the first answer
 * @param p99Millis  99th percentile answer time (ms), NaN before the first answer
 */
public record PeerTraffic(String host, long requests, long errors, double p50Millis, double p99Millis) {
}
