package org.opentwag.diameter.stack.internal;

import org.opentwag.support.metrics.Histogram;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.opentwag.diameter.codec.Avp;
import org.opentwag.diameter.codec.BaseProtocol;
import org.opentwag.diameter.codec.DiameterDictionary;
import org.opentwag.diameter.codec.DiameterMessage;
import org.opentwag.diameter.codec.OverloadControl;
import org.opentwag.diameter.codec.ResultCodes;
import org.opentwag.diameter.stack.ConnectionRole;
import org.opentwag.diameter.stack.DiameterNode;
import org.opentwag.diameter.stack.DiameterRequestException;
import org.opentwag.diameter.stack.DiameterRequestException.Reason;
import org.opentwag.diameter.stack.MessageCountKey;
import org.opentwag.diameter.stack.MessageListener;
import org.opentwag.diameter.stack.NodeConfig;
import org.opentwag.diameter.stack.OverloadAbatedKey;
import org.opentwag.diameter.stack.PeerConfig;
import org.opentwag.diameter.stack.PeerInfo;
import org.opentwag.diameter.stack.Registration;
import org.opentwag.diameter.stack.RequestHandler;
import org.opentwag.diameter.stack.RequestOptions;
import org.opentwag.diameter.stack.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Diameter node: listener, peers, routing, pending requests, request handlers, counters. */
public final class Node implements DiameterNode {
    private static final Logger LOG = LoggerFactory.getLogger(Node.class);
    /** Larger messages are refused at framing (a MAA with 5 vectors is well under 2 KB). */
    static final int MAX_MESSAGE_LENGTH = 1 << 20;
    private static final long DPR_GRACE_MILLIS = 1000;

    private record HandlerKey(long applicationId, int commandCode) {
    }

    private final NodeConfig config;
    /** Origin-Host and Origin-Realm as AVPs, made once: every message this node sends carries them. */
    private final Avp originHostAvp;
    private final Avp originRealmAvp;
    private final DiameterDictionary dictionary = DiameterDictionary.standard();
    private final EventLoopGroup group;
    private final ExecutorService workers;
    /**
     * Request timeouts. A task scheduled on an event loop from a worker wakes that loop whenever its deadline comes
     * before the loop's next one, which with few requests in flight is nearly every request: a thread wake-up per
     * request for a timer that almost never fires. Adding to (and cancelling from) a timer wheel wakes no one; its
     * thread ticks every {@link #TIMEOUT_TICK_MILLIS} whatever the load, and a timeout fires at most a tick late.
     */
    private final HashedWheelTimer timeouts;
    static final long TIMEOUT_TICK_MILLIS = 10;
    private final Map<String, PeerEntry> peers = new ConcurrentHashMap<>();
    private final Map<HandlerKey, RequestHandler> handlers = new ConcurrentHashMap<>();
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final Map<MessageCountKey, LongAdder> counts = new ConcurrentHashMap<>();
    private final List<MessageListener> listeners = new CopyOnWriteArrayList<>();
    private final AnswerCache answers;
    private final AtomicInteger endToEnd;
    private final AtomicLong sessionCounter = new AtomicLong();
    private final AtomicInteger roundRobin = new AtomicInteger();
    private final long bootSeconds = System.currentTimeMillis() / 1000;
    private final SSLContext sslContext;
    /** Why this node refuses TLS (no key store, no trust store), or null when it offers it. */
    private final TlsContexts.Refusal tlsRefusal;
    private final Map<String, LongAdder> tlsRefused = new ConcurrentHashMap<>();
    private final OverloadAbatement overload = new OverloadAbatement(System::nanoTime);
    private final Map<OverloadAbatedKey, LongAdder> abated = new ConcurrentHashMap<>();
    private volatile Channel listener;
    private volatile Channel tlsListener;
    private volatile boolean closing;

    private Node(NodeConfig config) {
        this.config = config;
        this.originHostAvp = Avp.identity(BaseProtocol.ORIGIN_HOST, config.originHost());
        this.originRealmAvp = Avp.identity(BaseProtocol.ORIGIN_REALM, config.originRealm());
        String name = "diameter-" + config.originHost();
        this.group = new NioEventLoopGroup(2, new DefaultThreadFactory(name + "-io", true));
        this.timeouts = new HashedWheelTimer(new DefaultThreadFactory(name + "-timeouts", true), TIMEOUT_TICK_MILLIS,
                TimeUnit.MILLISECONDS, 512);
        AtomicInteger workerNumber = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(config.workerThreads(), r -> {
            Thread t = new Thread(r, name + "-worker-" + workerNumber.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.answers = new AnswerCache(config.duplicateWindow().toNanos(), config.duplicateCacheSize(),
                wire -> DiameterMessage.decode(wire, dictionary));
        // RFC 6733 3: high 12 bits from the clock, low 20 bits random, then incremented
        this.endToEnd = new AtomicInteger((int) ((bootSeconds & 0xfff) << 20) | ThreadLocalRandom.current().nextInt(1 << 20));
        this.tlsRefusal = TlsContexts.refusal(config.tls());
        this.sslContext = tlsRefusal == null ? TlsContexts.create(config.tls()) : null;
    }

    /** Creates a node and binds its listeners. */
    public static Node start(NodeConfig config) {
        Node node = new Node(config);
        try {
            node.bind();
        } catch (RuntimeException e) {
            node.close();
            throw e;
        }
        return node;
    }

    private void bind() {
        if (config.listen()) {
            listener = bindListener(config.listenPort(), Transport.TCP);
        }
        if (config.tlsListenPort() >= 0) {
            if (tlsRefusal != null) {
                LOG.error("Diameter node {}: TLS listener (port {}) not started: {}", config.originHost(),
                        config.tlsListenPort(), tlsRefusal.message());
                countTlsRefusal(tlsRefusal.reason());
            } else {
                tlsListener = bindListener(config.tlsListenPort(), Transport.TLS);
            }
        }
    }

    private Channel bindListener(int port, Transport transport) {
        InetSocketAddress at = new InetSocketAddress(config.listenAddress(), port);
        try {
            Channel ch = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            initPipeline(ch.pipeline(), transport, null, new Connection(Node.this, ConnectionRole.RESPONDER, transport, null));
                        }
                    })
                    .bind(at).syncUninterruptibly().channel();
            LOG.info("Diameter node {} listening on {} ({})", config.originHost(), ch.localAddress(), transport.name().toLowerCase(Locale.ROOT));
            return ch;
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot listen for Diameter on " + at + ": " + e.getMessage(), e);
        }
    }

    /**
     * Flushes of one event-loop turn go out as one write: every request and answer is written and flushed on its own
     * (from worker threads), a socket write and a TCP segment per message. Consolidated, the messages queued meanwhile
     * leave in one gathering write (bench/run: 8.3-8.5 write calls per full EAP-AKA auth before, 1.2-1.3 after), so
     * an HSS, DRA or OCS gets fewer, fuller segments; a flush with nothing else pending still goes out at the end of
     * the same turn, so a lone message is not held. On loopback the server's CPU per auth did not change measurably.
     */
    static final int FLUSHES_PER_WRITE = 64;

    /** @param server the peer we connect to (its DiameterIdentity goes out as SNI), null on an accepted connection */
    private void initPipeline(ChannelPipeline p, Transport transport, PeerConfig server, Connection connection) {
        p.addLast("flush", new FlushConsolidationHandler(FLUSHES_PER_WRITE, true));
        if (transport == Transport.TLS) {
            if (sslContext == null) {
                throw new IllegalStateException("TLS refused on node " + config.originHost() + ": " + tlsRefusal.message());
            }
            SSLEngine engine = server != null ? sslContext.createSSLEngine(server.host(), server.port()) : sslContext.createSSLEngine();
            engine.setEnabledProtocols(TlsContexts.PROTOCOLS);
            engine.setUseClientMode(server != null);
            if (server == null) {
                engine.setNeedClientAuth(true); // RFC 6733 13.1: both peers authenticate
            }
            // The peer's name is checked against its DiameterIdentity once the handshake is done (Connection, onCer).
            p.addLast("tls", new SslHandler(engine));
        }
        p.addLast("framer", new LengthFieldBasedFrameDecoder(MAX_MESSAGE_LENGTH, 1, 3, -4, 0, true));
        p.addLast("peer", connection);
    }

    /** Opens our connection to a peer; the outcome comes back through the entry. */
    void connect(PeerEntry entry, Connection connection) {
        PeerConfig pc = entry.config;
        LOG.info("Diameter peer {}: connecting to {}:{} ({})", pc.host(), pc.address(), pc.port(), pc.transport().name().toLowerCase(Locale.ROOT));
        try {
            new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.connectTimeout().toMillis())
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            initPipeline(ch.pipeline(), pc.transport(), pc, connection);
                        }
                    })
                    .connect(pc.address(), pc.port())
                    .addListener(f -> {
                        if (!f.isSuccess()) {
                            entry.onConnectFailed(connection, f.cause());
                        }
                    });
        } catch (RuntimeException e) {
            entry.onConnectFailed(connection, e);
        }
    }

    // ------------------------------------------------------------------ DiameterService

    @Override
    public NodeConfig config() {
        return config;
    }

    @Override
    public String originHost() {
        return config.originHost();
    }

    @Override
    public String originRealm() {
        return config.originRealm();
    }

    @Override
    public String newSessionId() {
        return config.originHost() + ";" + bootSeconds + ";" + Integer.toUnsignedString((int) sessionCounter.incrementAndGet());
    }

    @Override
    public CompletionStage<DiameterMessage> send(DiameterMessage request, RequestOptions options) {
        if (!request.isRequest()) {
            throw new IllegalArgumentException("send needs a request, got " + request.summary());
        }
        if (request.applicationId() == BaseProtocol.COMMON_MESSAGES_APPLICATION
                && (request.commandCode() == BaseProtocol.CAPABILITIES_EXCHANGE || request.commandCode() == BaseProtocol.DEVICE_WATCHDOG
                || request.commandCode() == BaseProtocol.DISCONNECT_PEER)) {
            throw new IllegalArgumentException("CER, DWR and DPR belong to the peer connections, not to send()");
        }
        DiameterMessage m = withOriginAndOverloadControl(request);
        m = m.withIdentifiers(0, m.endToEnd() != 0 ? m.endToEnd() : nextEndToEnd());
        RequestOptions o = options != null ? options : RequestOptions.defaults();
        long timeoutNanos = (o.timeout() != null ? o.timeout() : config.requestTimeout()).toNanos();
        PendingRequest r = new PendingRequest(m, o.failover(), System.nanoTime() + timeoutNanos, o.received());
        if (closing) {
            fail(r, Reason.NODE_CLOSED, "Diameter node " + originHost() + " is shutting down");
            return r.answer;
        }
        try {
            long txNanos = o.tx() != null && o.onTx() != null ? o.tx().toNanos() : Long.MAX_VALUE;
            r.timeoutTask = txNanos < timeoutNanos
                    ? timeouts.newTimeout(t -> onTx(r, o.onTx(), timeoutNanos), Math.max(0, txNanos), TimeUnit.NANOSECONDS)
                    : timeouts.newTimeout(t -> onTimeout(r, timeoutNanos), timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (IllegalStateException | RejectedExecutionException e) { // the timer is stopped: closing
            fail(r, Reason.NODE_CLOSED, "Diameter node " + originHost() + " is shutting down");
            return r.answer;
        }
        dispatch(r, null);
        return r.answer;
    }

    private DiameterMessage withOrigin(DiameterMessage m) {
        boolean host = m.has(BaseProtocol.ORIGIN_HOST);
        boolean realm = m.has(BaseProtocol.ORIGIN_REALM);
        if (host && realm) {
            return m;
        }
        DiameterMessage.Builder b = m.toBuilder();
        if (!host) {
            b.add(originHostAvp);
        }
        if (!realm) {
            b.add(originRealmAvp);
        }
        return b.build();
    }

    /** RFC 7683 (capability announcement): a reacting node says so in every request it originates (the loss algorithm is the one it has). */
    /** {@link #withOrigin} and OC-Supported-Features (RFC 7683) when missing, in one copy of the AVP list. */
    private DiameterMessage withOriginAndOverloadControl(DiameterMessage m) {
        boolean host = m.has(BaseProtocol.ORIGIN_HOST);
        boolean realm = m.has(BaseProtocol.ORIGIN_REALM);
        boolean features = m.has(OverloadControl.OC_SUPPORTED_FEATURES);
        if (host && realm && features) {
            return m;
        }
        DiameterMessage.Builder b = m.toBuilder();
        if (!host) {
            b.add(originHostAvp);
        }
        if (!realm) {
            b.add(originRealmAvp);
        }
        if (!features) {
            b.add(OverloadControl.supportedFeatures());
        }
        return b.build();
    }

    /** Chooses an open peer and sends; fails the request when there is none. */
    private void dispatch(PendingRequest r, String failedPeer) {
        if (r.isFinished()) {
            return;
        }
        if (closing) {
            fail(r, Reason.NODE_CLOSED, "Diameter node " + originHost() + " is shutting down");
            return;
        }
        PeerEntry target = route(r.request, r.triedPeers);
        Connection c = target != null ? target.openConnection() : null;
        if (c == null) {
            if (failedPeer == null) {
                fail(r, Reason.NO_ROUTE, "no open Diameter peer for " + r.request.summary() + describeDestination(r.request)
                        + " (DIAMETER_UNABLE_TO_DELIVER)");
            } else {
                fail(r, Reason.PEER_DOWN, "Diameter peer " + failedPeer + " went down with " + r.request.summary()
                        + " pending and no other open peer can take it");
            }
            return;
        }
        if (failedPeer == null && r.triedPeers.isEmpty()) {
            target = abateOrDivert(r, target);
            if (target == null) {
                return;
            }
            c = target.openConnection();
            if (c == null) {
                fail(r, Reason.NO_ROUTE, "no open Diameter peer for " + r.request.summary() + describeDestination(r.request));
                return;
            }
        }
        if (failedPeer != null) {
            LOG.info("Diameter failover: {} moves from {} to {} with the 'T' flag", r.request.summary(), failedPeer, target.host());
        }
        r.triedPeers.add(target.key());
        c.send(r);
    }

    /**
     * DOIC loss abatement of a new request (retransmissions are not abated again): the target, another open peer of
     * the realm when the report is about the target host and the request names no host (RFC 7683 lets a
     * reacting node send it elsewhere), or null when the request was dropped (failed OVERLOADED, counted).
     */
    private PeerEntry abateOrDivert(PendingRequest r, PeerEntry target) {
        Optional<String> destinationHost = r.request.destinationHost();
        String realm = r.request.destinationRealm().orElse(target.realm());
        OverloadAbatement.Abated a = overload.abate(destinationHost.orElse(target.host()), realm);
        if (a == null) {
            return target;
        }
        if (destinationHost.isEmpty() && a.key().type() == OverloadControl.ReportType.HOST_REPORT) {
            Set<String> exclude = new java.util.HashSet<>(r.triedPeers);
            exclude.add(target.key());
            PeerEntry other = route(r.request, exclude);
            if (other != null && !overload.overloaded(OverloadControl.ReportType.HOST_REPORT, other.host())) {
                LOG.debug("Diameter overload of {}: {} sent to {} instead", target.host(), r.request.summary(), other.host());
                return other;
            }
        }
        String application = dictionary.applicationLabel(r.request.applicationId());
        abated.computeIfAbsent(new OverloadAbatedKey(a.key().name(), application), k -> new LongAdder()).increment();
        fail(r, Reason.OVERLOADED, r.request.summary() + " dropped: " + a.key().name() + " asked for "
                + a.reductionPercentage() + "% less traffic (DOIC overload report)");
        return null;
    }

    private static String describeDestination(DiameterMessage m) {
        return " to " + m.destinationHost().map(h -> "host " + h + ", ").orElse("")
                + m.destinationRealm().map(rl -> "realm " + rl).orElse("any realm");
    }

    /** Destination-Host when open, else the Destination-Realm's peers, else default routes; round-robin. */
    PeerEntry route(DiameterMessage m, Set<String> exclude) {
        long app = m.applicationId();
        Optional<String> destinationHost = m.destinationHost();
        if (destinationHost.isPresent()) {
            PeerEntry p = peers.get(destinationHost.get().toLowerCase(Locale.ROOT));
            if (p != null && !exclude.contains(p.key()) && p.routable(app)) {
                return p;
            }
        }
        String realm = m.destinationRealm().orElse(null);
        List<PeerEntry> inRealm = new ArrayList<>(2);
        List<PeerEntry> defaults = new ArrayList<>(1);
        for (PeerEntry p : peers.values()) {
            if (exclude.contains(p.key()) || !p.routable(app)) {
                continue;
            }
            if (realm == null || realm.equalsIgnoreCase(p.realm())) {
                inRealm.add(p);
            } else if (p.config.defaultRoute()) {
                defaults.add(p);
            }
        }
        List<PeerEntry> candidates = !inRealm.isEmpty() ? inRealm : defaults;
        if (candidates.isEmpty()) {
            return null;
        }
        return candidates.get(Math.floorMod(roundRobin.getAndIncrement(), candidates.size()));
    }

    /** A pending request lost its connection (closed, write failed, peer SUSPECT). */
    void failover(PendingRequest r, Connection from, String why) {
        if (r.isFinished()) {
            return;
        }
        if (!r.failover) {
            fail(r, Reason.PEER_DOWN, why + " with " + r.request.summary() + " pending (failover disabled)");
            return;
        }
        if (System.nanoTime() - r.deadlineNanos >= 0) {
            return; // the timeout task reports it
        }
        dispatch(r, from.peerHost() != null ? from.peerHost() : "unknown");
    }

    void onAnswer(PendingRequest r, DiameterMessage answer) {
        overload.onAnswer(answer);
        if (r.finish()) {
            Connection c = r.connection;
            if (c != null && c.peerHost() != null) {
                long code = answer.experimentalResultCode(-1);
                if (code < 0) {
                    code = answer.unsigned32(BaseProtocol.RESULT_CODE, ResultCodes.DIAMETER_SUCCESS);
                }
                peerRequest(c.peerHost(), code < 2000 || code >= 3000,
                        (System.nanoTime() - r.createdNanos) / 1e9);
            }
            if (r.received != null) {
                // Here, as it is read: the answer may wait a while for a worker (each busy with a caller's
                // continuation), and a caller's own deadline (Gy's Tx) must not count that wait against the peer.
                try {
                    r.received.run();
                } catch (RuntimeException e) {
                    LOG.warn("Diameter: the receipt hook of {} failed: {}", r.request.summary(), e.toString());
                }
            }
            complete(r, answer);
        }
    }

    /** Answer times of requests sent, per peer host (lower case): diameter_peer_latency_seconds{peer}. */
    private final Histogram peerLatency = new Histogram("diameter_peer_latency_seconds", Histogram.LATENCY_SECONDS,
            "peer");
    private final Map<String, LongAdder[]> peerRequests = new ConcurrentHashMap<>();

    private void peerRequest(String host, boolean error, double seconds) {
        String key = host.toLowerCase(Locale.ROOT);
        // Bounded by the peers that ever answered (configured ones, or acceptUnknownPeers' few).
        LongAdder[] n = peerRequests.computeIfAbsent(key, k -> new LongAdder[]{new LongAdder(), new LongAdder()});
        n[0].increment();
        if (error) {
            n[1].increment();
        }
        if (!Double.isNaN(seconds)) {
            peerLatency.observe(seconds, key);
        }
    }

    @Override
    public List<org.opentwag.diameter.stack.PeerTraffic> peerTraffic() {
        List<org.opentwag.diameter.stack.PeerTraffic> out = new ArrayList<>();
        peerRequests.forEach((host, n) -> out.add(new org.opentwag.diameter.stack.PeerTraffic(host, n[0].sum(),
                n[1].sum(), peerLatency.quantile(0.5, host) * 1000, peerLatency.quantile(0.99, host) * 1000)));
        out.sort((a, b) -> a.host().compareTo(b.host()));
        return out;
    }


    /** Tx of a request passed unanswered: the caller's handler runs, the same timer waits on for the rest of the timeout. */
    private void onTx(PendingRequest r, Runnable onTx, long timeoutNanos) {
        if (r.isFinished()) {
            return;
        }
        runOnWorker(onTx);
        Timeout rest;
        try {
            rest = timeouts.newTimeout(t -> onTimeout(r, timeoutNanos),
                    Math.max(0, r.deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (IllegalStateException | RejectedExecutionException e) { // the timer is stopped: closing
            fail(r, Reason.NODE_CLOSED, "Diameter node " + originHost() + " is shutting down");
            return;
        }
        r.timeoutTask = rest;
        if (r.isFinished()) {
            rest.cancel(); // finished between the check above and now: its finish() cancelled the Tx timer only
        }
    }

    private void onTimeout(PendingRequest r, long timeoutNanos) {
        Connection c = r.connection;
        if (c != null) {
            c.pending.remove(r.hopByHop, r);
        }
        if (c != null && c.peerHost() != null && !r.isFinished()) {
            peerRequest(c.peerHost(), true, Double.NaN);
        }
        fail(r, Reason.TIMEOUT, "no answer to " + r.request.summary() + " from " + (c != null ? c.peerHost() : "any peer")
                + " within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
    }

    private void fail(PendingRequest r, Reason reason, String message) {
        if (!r.finish()) {
            return;
        }
        LOG.debug("Diameter request failed: {}", message);
        DiameterRequestException e = new DiameterRequestException(reason, message);
        runOnWorker(() -> r.answer.completeExceptionally(e));
    }

    private void complete(PendingRequest r, DiameterMessage answer) {
        runOnWorker(() -> r.answer.complete(answer));
    }

    /** Futures complete and handlers run on workers, never on the event loop (but handlers marked RequestHandler#nonBlocking). */
    private void runOnWorker(Runnable task) {
        try {
            workers.execute(task);
        } catch (RejectedExecutionException e) {
            task.run(); // shutting down: complete on this thread rather than never
        }
    }

    // ------------------------------------------------------------------ incoming

    void onRequest(Connection c, DiameterMessage request) {
        PeerEntry peer = c.peer;
        String origin = request.utf8(BaseProtocol.ORIGIN_HOST);
        String originHost = origin != null ? origin : peer.host();
        CompletableFuture<DiameterMessage> answer = new CompletableFuture<>();
        CompletionStage<DiameterMessage> earlier = answers.lookupOrRecord(originHost, request, answer);
        if (earlier != null) {
            LOG.info("Diameter duplicate {} from {} (end-to-end 0x{}): answered from the cache", request.summary(),
                    originHost, Integer.toHexString(request.endToEnd()));
            earlier.thenAccept(a -> c.write(a.withIdentifiers(request.hopByHop(), request.endToEnd())));
            return;
        }
        answer.thenAccept(a -> answers.sent(originHost, request.endToEnd(), answer, c.writeEncoded(a)));
        if (!peer.shares(request.applicationId())) {
            answer.complete(errorAnswer(request, ResultCodes.DIAMETER_APPLICATION_UNSUPPORTED,
                    "application " + request.applicationId() + " was not agreed in the capabilities exchange"));
            return;
        }
        RequestHandler handler = handlers.get(new HandlerKey(request.applicationId(), request.commandCode()));
        if (handler == null) {
            answer.complete(errorAnswer(request, ResultCodes.DIAMETER_COMMAND_UNSUPPORTED, null));
            return;
        }
        PeerInfo from = peer.info();
        Runnable call = () -> {
            try {
                handler.handle(request, from).whenComplete((a, e) -> {
                    if (e != null || a == null || a.isRequest()) {
                        LOG.warn("Diameter handler for {} failed: {}", request.summary(), e != null ? e.toString() : "no answer");
                        answer.complete(errorAnswer(request, ResultCodes.DIAMETER_UNABLE_TO_COMPLY, null));
                    } else {
                        answer.complete(withOrigin(a).withIdentifiers(request.hopByHop(), request.endToEnd()));
                    }
                });
            } catch (RuntimeException e) {
                LOG.warn("Diameter handler for {} threw {}", request.summary(), e.toString());
                answer.complete(errorAnswer(request, ResultCodes.DIAMETER_UNABLE_TO_COMPLY, null));
            }
        };
        if (handler instanceof RequestHandler.NonBlocking) {
            call.run(); // on this event loop: the answer is written in the same turn (RequestHandler#nonBlocking)
        } else {
            runOnWorker(call);
        }
    }

    private DiameterMessage errorAnswer(DiameterMessage request, long resultCode, String text) {
        DiameterMessage.Builder b = baseAnswer(request, resultCode);
        if (text != null) {
            b.add(Avp.utf8(BaseProtocol.ERROR_MESSAGE, text));
        }
        return b.build();
    }

    /** An answer with Result-Code, Origin-Host and Origin-Realm. */
    DiameterMessage.Builder baseAnswer(DiameterMessage request, long resultCode) {
        return DiameterMessage.answerTo(request).resultCode(resultCode)
                .add(originHostAvp)
                .add(originRealmAvp);
    }

    void onCer(Connection c, DiameterMessage cer) {
        Optional<String> host = cer.originHost();
        InetSocketAddress remote = c.remoteAddress();
        if (host.isEmpty()) {
            LOG.warn("Diameter CER without Origin-Host from {}, closing", remote);
            c.refuse(cer, ResultCodes.DIAMETER_MISSING_AVP, "Origin-Host missing");
            return;
        }
        if (c.transport == Transport.TLS && !c.certificateNames(host.get())) {
            c.refuse(cer, ResultCodes.DIAMETER_UNKNOWN_PEER, "certificate does not name the Origin-Host");
            return;
        }
        String key = host.get().toLowerCase(Locale.ROOT);
        PeerEntry entry = peers.get(key);
        if (entry != null && entry.config.transport() == Transport.TLS && c.transport != Transport.TLS) {
            // Over TCP anyone can claim the Origin-Host of a peer whose identity TLS is there to prove.
            LOG.warn("Diameter TLS peer refused: CER from {} at {} over TCP, but peer {} is configured for TLS "
                    + "(transport = tls): only a TLS connection whose certificate names it is accepted", host.get(), remote, entry.host());
            countTlsRefusal(TCP_FOR_TLS_PEER);
            c.refuse(cer, ResultCodes.DIAMETER_UNKNOWN_PEER, "this peer is configured for TLS");
            return;
        }
        if (entry == null) {
            if (!config.acceptUnknownPeers()) {
                LOG.warn("Diameter CER from unknown peer {} at {} refused (DIAMETER_UNKNOWN_PEER)", host.get(), remote);
                c.refuse(cer, ResultCodes.DIAMETER_UNKNOWN_PEER, "unknown peer");
                return;
            }
            PeerConfig pc = new PeerConfig(host.get(), cer.originRealm().orElse(null),
                    remote != null ? remote.getAddress().getHostAddress() : null, remote != null ? remote.getPort() : 0,
                    c.transport, false, Set.of(), false);
            PeerEntry created = new PeerEntry(this, pc, false);
            entry = peers.putIfAbsent(key, created);
            if (entry == null) {
                entry = created;
            }
        }
        Set<Long> theirs = Capabilities.advertised(cer);
        Set<Long> common = Capabilities.common(config.applications(), theirs);
        if (common.isEmpty()) {
            LOG.warn("Diameter capability mismatch: peer {} advertises applications {}, we support {}: answering DIAMETER_NO_COMMON_APPLICATION",
                    host.get(), theirs, applicationIds());
            c.refuse(cer, ResultCodes.DIAMETER_NO_COMMON_APPLICATION, null);
            if (!entry.configured && entry.state() == org.opentwag.diameter.stack.PeerState.CLOSED) {
                forget(entry);
            }
            return;
        }
        switch (entry.onCer(c, cer, theirs, common)) {
            case ACCEPT -> c.sendCea(cer, ResultCodes.DIAMETER_SUCCESS, null); // same event-loop task: CEA leaves first
            case ELECTION_LOST -> c.refuse(cer, ResultCodes.ELECTION_LOST, null);
            case ALREADY_OPEN -> {
                LOG.warn("Diameter peer {} connected again from {} while its connection is open: refused", host.get(), remote);
                c.refuse(cer, ResultCodes.DIAMETER_UNABLE_TO_COMPLY, "a connection with this peer is already open");
            }
        }
    }

    void onCea(Connection c, DiameterMessage cea) {
        PeerEntry entry = c.peer;
        long rc = cea.resultCode().orElse(-1);
        if (!ResultCodes.isSuccess(rc)) {
            if (rc == ResultCodes.DIAMETER_NO_COMMON_APPLICATION) {
                LOG.warn("Diameter capability mismatch: peer {} shares none of our applications {} (DIAMETER_NO_COMMON_APPLICATION)",
                        entry.host(), applicationIds());
            } else {
                LOG.warn("Diameter peer {} refused the capabilities exchange: Result-Code {}{}", entry.host(), rc,
                        cea.find(BaseProtocol.ERROR_MESSAGE).map(a -> " (" + a.utf8() + ")").orElse(""));
            }
            c.close();
            return;
        }
        Set<Long> theirs = Capabilities.advertised(cea);
        Set<Long> common = Capabilities.common(config.applications(), theirs);
        if (common.isEmpty()) {
            LOG.warn("Diameter capability mismatch: peer {} advertises applications {}, we support {}: closing",
                    entry.host(), theirs, applicationIds());
            c.close();
            return;
        }
        cea.originHost().filter(h -> !h.equalsIgnoreCase(entry.host())).ifPresent(h ->
                LOG.warn("Diameter peer configured as {} calls itself {} in its CEA", entry.host(), h));
        if (!entry.onCeaSuccess(c, cea, theirs, common)) {
            c.close();
        }
    }

    private List<Long> applicationIds() {
        return config.applications().stream().map(a -> a.id()).toList();
    }

    // ------------------------------------------------------------------ peers

    @Override
    public void addPeer(PeerConfig peer) {
        if (closing) {
            throw new IllegalStateException("Diameter node " + originHost() + " is closed");
        }
        String key = peer.host().toLowerCase(Locale.ROOT);
        PeerEntry existing = peers.get(key);
        if (existing != null) {
            if (existing.config.equals(peer) && existing.configured) {
                return;
            }
            LOG.info("Diameter peer {} reconfigured", peer.host());
            existing.remove(BaseProtocol.DisconnectCause.REBOOTING, DPR_GRACE_MILLIS).join();
            peers.remove(key, existing);
        }
        PeerEntry entry = new PeerEntry(this, peer, true);
        peers.put(key, entry);
        LOG.info("Diameter peer {} added (realm {}, {}{})", peer.host(), peer.realm(),
                peer.initiateConnection() ? "connect to " + peer.address() + ":" + peer.port() : "waits for it to connect",
                peer.defaultRoute() ? ", default route" : "");
        entry.start();
    }

    @Override
    public boolean removePeer(String host) {
        PeerEntry entry = peers.remove(host.toLowerCase(Locale.ROOT));
        if (entry == null) {
            return false;
        }
        LOG.info("Diameter peer {} removed", host);
        try {
            entry.remove(BaseProtocol.DisconnectCause.DO_NOT_WANT_TO_TALK_TO_YOU, DPR_GRACE_MILLIS)
                    .get(DPR_GRACE_MILLIS + 1000, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.debug("Diameter peer {}: disconnect did not complete in time", host);
        }
        return true;
    }

    void forget(PeerEntry entry) {
        peers.remove(entry.key(), entry);
    }

    @Override
    public List<PeerInfo> peers() {
        List<PeerInfo> out = new ArrayList<>();
        for (PeerEntry p : peers.values()) {
            out.add(p.info());
        }
        out.sort((a, b) -> a.host().compareToIgnoreCase(b.host()));
        return out;
    }

    @Override
    public Optional<PeerInfo> peer(String host) {
        PeerEntry p = peers.get(host.toLowerCase(Locale.ROOT));
        return p == null ? Optional.empty() : Optional.of(p.info());
    }

    @Override
    public Registration registerRequestHandler(long applicationId, int commandCode, RequestHandler handler) {
        HandlerKey key = new HandlerKey(applicationId, commandCode);
        handlers.put(key, handler);
        return () -> handlers.remove(key, handler);
    }

    // ------------------------------------------------------------------ counters

    /** Label of {@code diameter_tls_refused_count}: the peer's certificate does not name its DiameterIdentity. */
    static final String NAME_MISMATCH = "name_mismatch";
    /** Label: the TLS handshake failed (certificate not signed by a trusted CA, no certificate, protocol). */
    static final String HANDSHAKE_FAILED = "handshake_failed";
    /** Label: a peer configured for TLS sent its CER over TCP. */
    static final String TCP_FOR_TLS_PEER = "tcp_for_tls_peer";

    void countTlsRefusal(String reason) {
        tlsRefused.computeIfAbsent(reason, r -> new LongAdder()).increment();
    }

    @Override
    public Map<String, Long> tlsRefusals() {
        Map<String, Long> out = new HashMap<>();
        tlsRefused.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /** Why this node refuses TLS, or null when it offers it. */
    TlsContexts.Refusal tlsRefusal() {
        return tlsRefusal;
    }

    @Override
    public List<PeerConfig> peerConfigs() {
        List<PeerConfig> out = new ArrayList<>();
        for (PeerEntry p : peers.values()) {
            if (p.configured) {
                out.add(p.config);
            }
        }
        out.sort((a, b) -> a.host().compareToIgnoreCase(b.host()));
        return out;
    }

    @Override
    public Map<OverloadAbatedKey, Long> overloadAbated() {
        Map<OverloadAbatedKey, Long> out = new HashMap<>();
        abated.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    @Override
    public Map<MessageCountKey, Long> messageCounts() {
        Map<MessageCountKey, Long> out = new HashMap<>();
        counts.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    @Override
    public Registration addMessageListener(MessageListener l) {
        listeners.add(l);
        return () -> listeners.remove(l);
    }

    void count(String direction, DiameterMessage m, String peerHost) {
        MessageCountKey key = new MessageCountKey(dictionary.applicationLabel(m.applicationId()),
                dictionary.commandLabel(m.commandCode(), m.isRequest()), direction);
        counts.computeIfAbsent(key, k -> new LongAdder()).increment();
        for (MessageListener l : listeners) {
            try {
                l.onMessage(direction, m, peerHost);
            } catch (RuntimeException e) {
                LOG.debug("Diameter message listener failed: {}", e.toString());
            }
        }
    }

    // ------------------------------------------------------------------ helpers for connections

    int nextEndToEnd() {
        return endToEnd.getAndIncrement();
    }

    long originStateId() {
        return bootSeconds;
    }

    boolean isClosing() {
        return closing;
    }

    /** Tw with the jitter of RFC 3539 3.4.1 (up to +-2 s, and at most a tenth of Tw). */
    long watchdogDelayNanos() {
        long tw = config.watchdogInterval().toNanos();
        long jitter = Math.min(TimeUnit.SECONDS.toNanos(2), tw / 10);
        return jitter == 0 ? tw : tw - jitter + ThreadLocalRandom.current().nextLong(2 * jitter + 1);
    }

    ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
        try {
            return group.schedule(task, delay, unit);
        } catch (RejectedExecutionException e) {
            return null;
        }
    }

    void connectionOpened(Connection c) {
        connections.add(c);
    }

    void connectionClosed(Connection c) {
        connections.remove(c);
    }

    @Override
    public Optional<InetSocketAddress> listenAddress() {
        Channel ch = listener;
        return ch == null ? Optional.empty() : Optional.of((InetSocketAddress) ch.localAddress());
    }

    @Override
    public Optional<InetSocketAddress> tlsListenAddress() {
        Channel ch = tlsListener;
        return ch == null ? Optional.empty() : Optional.of((InetSocketAddress) ch.localAddress());
    }

    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        LOG.info("Diameter node {} shutting down", originHost());
        if (listener != null) {
            listener.close().awaitUninterruptibly(1000);
        }
        if (tlsListener != null) {
            tlsListener.close().awaitUninterruptibly(1000);
        }
        List<CompletableFuture<Void>> byes = new ArrayList<>();
        for (PeerEntry p : peers.values()) {
            byes.add(p.remove(BaseProtocol.DisconnectCause.REBOOTING, DPR_GRACE_MILLIS));
        }
        try {
            CompletableFuture.allOf(byes.toArray(CompletableFuture[]::new)).get(DPR_GRACE_MILLIS + 1000, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.debug("Diameter node {}: not every peer acknowledged DPR in time", originHost());
        }
        for (Connection c : connections) {
            c.close();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5000);
        // Requests still pending now fail NODE_CLOSED from here, not TIMEOUT later.
        for (io.netty.util.Timeout t : timeouts.stop()) {
            try {
                t.task().run(t);
            } catch (Exception e) {
                LOG.debug("Diameter node {}: request timeout at close failed: {}", originHost(), e.toString());
            }
        }
        workers.shutdown();
        try {
            workers.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        peers.clear();
        LOG.info("Diameter node {} stopped", originHost());
    }
}
