package org.opentwag.diameter.stack;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A Diameter node's identity and timers. Build with {@link #builder(String, String)}.
 *
 * @param originHost           our DiameterIdentity (Origin-Host)
 * @param originRealm          our realm (Origin-Realm)
 * @param hostAddresses        Host-IP-Address values of CER/CEA (empty: the listen address, else loopback)
 * @param vendorId             Vendor-Id of CER/CEA (0 unless we have a private enterprise number)
 * @param productName          Product-Name of CER/CEA
 * @param firmwareRevision     Firmware-Revision of CER/CEA
 * @param applications         what we advertise
 * @param listenAddress        where to accept connections
 * @param listenPort           TCP port to accept on (0: an ephemeral port); ignored when not {@code listen}
 * @param listen               whether to accept connections at all
 * @param tlsListenPort        TLS port to accept on (-1: none, 0: ephemeral)
 * @param tls                  key store and trust store for TLS (null, or either missing: the node refuses TLS)
 * @param watchdogInterval     Tw of RFC 3539 (30 s)
 * @param requestTimeout       default time to wait for an answer (2 s)
 * @param connectTimeout       time allowed for TCP (+TLS) connect, and again for CER/CEA
 * @param reconnectDelayMin    first reconnect delay; doubles on each failure ...
 * @param reconnectDelayMax    ... up to this
 * @param acceptUnknownPeers   accept a CER from an Origin-Host that is not configured
 * @param duplicateWindow      how long answers are kept to answer retransmitted ('T') requests
 * @param duplicateCacheSize   at most this many answers kept
 * @param workerThreads        threads running request handlers and completing answer futures
 */
public record NodeConfig(String originHost, String originRealm, List<InetAddress> hostAddresses, int vendorId,
                         String productName, long firmwareRevision, List<ApplicationId> applications,
                         String listenAddress, int listenPort, boolean listen, int tlsListenPort, TlsSettings tls,
                         Duration watchdogInterval, Duration requestTimeout, Duration connectTimeout,
                         Duration reconnectDelayMin, Duration reconnectDelayMax, boolean acceptUnknownPeers,
                         Duration duplicateWindow, int duplicateCacheSize, int workerThreads) {

    public NodeConfig {
        Objects.requireNonNull(originHost, "originHost");
        Objects.requireNonNull(originRealm, "originRealm");
        hostAddresses = List.copyOf(hostAddresses);
        applications = List.copyOf(applications);
        if (applications.isEmpty()) {
            throw new IllegalArgumentException("a Diameter node needs at least one application to advertise");
        }
        requirePositive(watchdogInterval, "watchdogInterval");
        requirePositive(requestTimeout, "requestTimeout");
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(reconnectDelayMin, "reconnectDelayMin");
        requirePositive(reconnectDelayMax, "reconnectDelayMax");
        requirePositive(duplicateWindow, "duplicateWindow");
        if (workerThreads < 1) {
            throw new IllegalArgumentException("workerThreads must be at least 1");
        }
    }

    private static void requirePositive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration, got " + d);
        }
    }

    public static Builder builder(String originHost, String originRealm) {
        return new Builder(originHost, originRealm);
    }

    public Builder toBuilder() {
        Builder b = new Builder(originHost, originRealm);
        b.hostAddresses = hostAddresses;
        b.vendorId = vendorId;
        b.productName = productName;
        b.firmwareRevision = firmwareRevision;
        b.applications = applications;
        b.listenAddress = listenAddress;
        b.listenPort = listenPort;
        b.listen = listen;
        b.tlsListenPort = tlsListenPort;
        b.tls = tls;
        b.watchdogInterval = watchdogInterval;
        b.requestTimeout = requestTimeout;
        b.connectTimeout = connectTimeout;
        b.reconnectDelayMin = reconnectDelayMin;
        b.reconnectDelayMax = reconnectDelayMax;
        b.acceptUnknownPeers = acceptUnknownPeers;
        b.duplicateWindow = duplicateWindow;
        b.duplicateCacheSize = duplicateCacheSize;
        b.workerThreads = workerThreads;
        return b;
    }

    /** Defaults: no listener, SWx + Gy, Tw 30 s, request timeout 2 s, reconnect 1 s doubling to 30 s. */
    public static final class Builder {
        private final String originHost;
        private final String originRealm;
        private List<InetAddress> hostAddresses = List.of();
        private int vendorId = 0;
        private String productName = "OpenTWAG";
        private long firmwareRevision = 1;
        private List<ApplicationId> applications = List.of(ApplicationId.SWX, ApplicationId.GY);
        private String listenAddress = "127.0.0.1";
        private int listenPort = 3868;
        private boolean listen = false;
        private int tlsListenPort = -1;
        private TlsSettings tls;
        private Duration watchdogInterval = Duration.ofSeconds(30);
        private Duration requestTimeout = Duration.ofSeconds(2);
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration reconnectDelayMin = Duration.ofSeconds(1);
        private Duration reconnectDelayMax = Duration.ofSeconds(30);
        private boolean acceptUnknownPeers = false;
        private Duration duplicateWindow = Duration.ofSeconds(60);
        private int duplicateCacheSize = 10_000;
        private int workerThreads = Math.max(2, Runtime.getRuntime().availableProcessors());

        private Builder(String originHost, String originRealm) {
            this.originHost = originHost;
            this.originRealm = originRealm;
        }

        public Builder hostAddresses(List<InetAddress> v) { hostAddresses = v; return this; }
        public Builder vendorId(int v) { vendorId = v; return this; }
        public Builder productName(String v) { productName = v; return this; }
        public Builder firmwareRevision(long v) { firmwareRevision = v; return this; }
        public Builder applications(List<ApplicationId> v) { applications = v; return this; }
        public Builder applications(ApplicationId... v) { applications = List.of(v); return this; }
        /** Accept connections on this address and TCP port (0: ephemeral, see {@code DiameterNode.listenAddress()}). */
        public Builder listen(String address, int port) { listenAddress = address; listenPort = port; listen = true; return this; }
        public Builder noListener() { listen = false; return this; }
        /** The address the TCP and TLS listeners bind to (set by {@link #listen(String, int)} too). */
        public Builder listenAddress(String address) { listenAddress = address; return this; }
        public Builder tlsListenPort(int v) { tlsListenPort = v; return this; }
        public Builder tls(TlsSettings v) { tls = v; return this; }
        public Builder watchdogInterval(Duration v) { watchdogInterval = v; return this; }
        public Builder requestTimeout(Duration v) { requestTimeout = v; return this; }
        public Builder connectTimeout(Duration v) { connectTimeout = v; return this; }
        public Builder reconnectDelay(Duration min, Duration max) { reconnectDelayMin = min; reconnectDelayMax = max; return this; }
        public Builder acceptUnknownPeers(boolean v) { acceptUnknownPeers = v; return this; }
        public Builder duplicateWindow(Duration v) { duplicateWindow = v; return this; }
        public Builder duplicateCacheSize(int v) { duplicateCacheSize = v; return this; }
        public Builder workerThreads(int v) { workerThreads = v; return this; }

        public NodeConfig build() {
            return new NodeConfig(originHost, originRealm, hostAddresses, vendorId, productName, firmwareRevision,
                    applications, listenAddress, listenPort, listen, tlsListenPort, tls, watchdogInterval, requestTimeout,
                    connectTimeout, reconnectDelayMin, reconnectDelayMax, acceptUnknownPeers, duplicateWindow,
                    duplicateCacheSize, workerThreads);
        }
    }
}
