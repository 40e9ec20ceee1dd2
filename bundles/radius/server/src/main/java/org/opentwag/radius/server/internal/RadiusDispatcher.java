package org.opentwag.radius.server.internal;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import org.opentwag.api.radius.ResponseCache;
import org.opentwag.radius.codec.RadiusAttribute;
import org.opentwag.radius.codec.RadiusAuthenticators;
import org.opentwag.radius.codec.RadiusAuthenticators.Check;
import org.opentwag.radius.codec.RadiusCode;
import org.opentwag.radius.codec.RadiusDecodeException;
import org.opentwag.radius.codec.RadiusDictionary;
import org.opentwag.radius.codec.RadiusPacket;
import org.opentwag.radius.codec.RadiusResponseEncoder;
import org.opentwag.radius.server.AccessRequestHandler;
import org.opentwag.radius.server.AccountingHandler;
import org.opentwag.radius.server.RadiusReply;
import org.opentwag.radius.server.RadiusRequest;
import org.opentwag.radius.server.RadiusServerStatistics.DropReason;
import org.opentwag.support.async.Futures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The protocol decisions for one received datagram, independent of the transport: which access point group, whether its
 * signatures hold, whether it is a retransmission, which handler, and what goes back. Runs the cheap checks on the
 * caller's (event loop) thread and hands handler calls to the worker executor; answers are sent from whichever thread
 * completes the handler's stage.
 *
 * <p>Stopping ({@link #close()}) never answers wrongly: a request whose handler call never ran is forgotten by the
 * duplicate cache (the AP's retransmission is processed afresh, by the next server); one whose handler is still working
 * keeps its cache entry, and its answer goes into the cache when it comes, so that a retransmission to the next server
 * gets exactly that answer.
 */
public final class RadiusDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(RadiusDispatcher.class);
    private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(60);

    /** Which listener a datagram arrived on. */
    public enum Port { AUTH, ACCT }

    private final AccessPointGroups accessPointGroups;
    private final ResponseCache duplicates;
    /** Requests handed to the workers and not answered yet, with their cache keys. */
    private final Map<CompletableFuture<WireAnswer>, ResponseCache.Key> inFlight = new ConcurrentHashMap<>();
    private volatile boolean closing;
    /** Stopping: new requests are dropped, those in progress still answered on this server's sockets. */
    private volatile boolean draining;
    /** False from the moment the server starts closing its listeners: late answers go through the next server's. */
    private volatile boolean listening = true;
    private final RadiusCounters counters;
    private final Executor workers;
    private final int maxPendingRequests;
    private final Duration requestTimeout;
    private final Supplier<AccessRequestHandler> accessHandler;
    private final Supplier<AccountingHandler> accountingHandler;
    private final MemoryGuard memoryGuard;
    private final SourceLogLimiter memoryLog = new SourceLogLimiter(LOG_INTERVAL_NANOS / 6, 10_000, System::nanoTime);
    private final SourceLogLimiter unknownClientLog = new SourceLogLimiter(LOG_INTERVAL_NANOS, 10_000, System::nanoTime);
    private final SourceLogLimiter badSignatureLog = new SourceLogLimiter(LOG_INTERVAL_NANOS / 6, 10_000, System::nanoTime);
    private final SourceLogLimiter malformedLog = new SourceLogLimiter(LOG_INTERVAL_NANOS / 6, 10_000, System::nanoTime);
    private final SourceLogLimiter noHandlerLog = new SourceLogLimiter(LOG_INTERVAL_NANOS / 6, 10_000, System::nanoTime);
    // A failing handler (database down, HSS gone) fails every request of every AP: one line per AP per interval.
    private final SourceLogLimiter handlerFailedLog = new SourceLogLimiter(LOG_INTERVAL_NANOS / 6, 10_000, System::nanoTime);

    public RadiusDispatcher(AccessPointGroups accessPointGroups, ResponseCache duplicates, RadiusCounters counters, Executor workers,
                            int maxPendingRequests, Duration requestTimeout, Supplier<AccessRequestHandler> accessHandler,
                            Supplier<AccountingHandler> accountingHandler, MemoryGuard memoryGuard) {
        this.accessPointGroups = accessPointGroups;
        this.duplicates = duplicates;
        this.counters = counters;
        this.workers = workers;
        this.maxPendingRequests = maxPendingRequests;
        this.requestTimeout = requestTimeout;
        this.accessHandler = accessHandler;
        this.accountingHandler = accountingHandler;
        this.memoryGuard = memoryGuard;
    }

    /**
     * When new logins are refused for want of heap: each login leaves state for minutes to hours (session, charging
     * session, EAP contexts), so past a point more of them would end in an OutOfMemoryError, which stops the whole
     * server (bin/setenv: -XX:+ExitOnOutOfMemoryError). Dropped rather than rejected: the AP retries, or turns to
     * another AAA server.
     *
     * @param heapAfterCollection heap used after the latest collection over the maximum heap (0..1)
     * @param percent             from which fill, in percent, a new login is dropped (0 = never)
     */
    record MemoryGuard(DoubleSupplier heapAfterCollection, int percent) {
        boolean refusesNewLogins() {
            return percent > 0 && heapAfterCollection.getAsDouble() * 100 >= percent;
        }
    }

    /**
     * Handles one datagram. {@code reply} sends an answer back to {@code source} from the socket it arrived on; it may
     * be called later, from another thread, or never (dropped).
     */
    public void onDatagram(byte[] datagram, InetSocketAddress source, int localPort, Port port, Consumer<byte[]> reply) {
        AccessPointGroup group = accessPointGroups.match(source.getAddress()).orElse(null);
        if (group == null) {
            AccessPointGroup refused = accessPointGroups.matchRefused(source.getAddress()).orElse(null);
            if (refused != null) {
                counters.drop(DropReason.CLIENT_GROUP_REFUSED);
                if (unknownClientLog.shouldLog(source.getAddress())) {
                    LOG.warn("From {}: RADIUS request dropped: client group '{}' is refused beyond loopback because {} "
                            + "(see twag:check; logged once a minute per address)", source.getAddress().getHostAddress(),
                            refused.name(), refused.weakSecret().orElse("its secret is weak"));
                }
                return;
            }
            counters.drop(DropReason.UNKNOWN_CLIENT);
            if (unknownClientLog.shouldLog(source.getAddress())) {
                LOG.warn("From {}: RADIUS request from unknown client dropped (no client group matches; logged once a minute per address)",
                        source.getAddress().getHostAddress());
            }
            return;
        }
        onPacket(datagram, group, source, localPort, port, reply);
    }

    /**
     * Handles one packet whose access point group is already known (RadSec: chosen by the client certificate). The same
     * checks, deduplication and handlers as for UDP follow.
     */
    public void onPacket(byte[] datagram, AccessPointGroup group, InetSocketAddress source, int localPort, Port port,
                         Consumer<byte[]> reply) {
        RadiusPacket packet;
        try {
            packet = RadiusPacket.decode(datagram);
        } catch (RadiusDecodeException e) {
            counters.drop(DropReason.MALFORMED);
            if (malformedLog.shouldLog(source.getAddress())) {
                LOG.warn("From {}: malformed RADIUS packet dropped: {}", source.getAddress().getHostAddress(), e.getMessage());
            }
            return;
        }
        byte[] secret = group.secret();
        switch (packet.code()) {
            case RadiusCode.ACCESS_REQUEST -> {
                if (port != Port.AUTH) {
                    unsupported(packet, source, port);
                    return;
                }
                counters.accessRequest();
                LOG.debug("From {}: Access-Request received (id {}, client group {})",
                        source.getAddress().getHostAddress(), packet.identifier(), group.name());
                Check check = RadiusAuthenticators.verifyRequestMessageAuthenticator(datagram, secret);
                if (check == Check.INVALID) {
                    badSignature(source, packet, "Message-Authenticator");
                    return;
                }
                // RFC 3579 section 3.2: an Access-Request with EAP-Message and no Message-Authenticator is discarded.
                if (check == Check.ABSENT && (group.requireMessageAuthenticator()
                        || packet.attribute(RadiusDictionary.EAP_MESSAGE).isPresent())) {
                    counters.drop(DropReason.MISSING_MESSAGE_AUTHENTICATOR);
                    if (badSignatureLog.shouldLog(source.getAddress())) {
                        LOG.warn("From {}: Access-Request without Message-Authenticator dropped (client group {} requires it)",
                                source.getAddress().getHostAddress(), group.name());
                    }
                    return;
                }
                if (memoryGuard.refusesNewLogins() && packet.attribute(RadiusDictionary.STATE).isEmpty()) {
                    counters.drop(DropReason.MEMORY);
                    if (memoryLog.shouldLog(source.getAddress())) {
                        LOG.warn("From {}: Access-Request starting a login dropped: {} % of the heap is in use after "
                                        + "garbage collection (memoryGuardPercent = {}; counted in "
                                        + "radius_dropped_count{reason=\"memory\"}; logins under way go on)",
                                source.getAddress().getHostAddress(),
                                Math.round(memoryGuard.heapAfterCollection().getAsDouble() * 100), memoryGuard.percent());
                    }
                    return;
                }
                admit(packet, source, localPort, group, reply, this::handleAccess);
            }
            case RadiusCode.ACCOUNTING_REQUEST -> {
                if (port != Port.ACCT) {
                    unsupported(packet, source, port);
                    return;
                }
                String status = RadiusCounters.statusLabel(statusType(packet));
                counters.accountingRequest(status);
                LOG.debug("From {}: Accounting-Request received (id {}, {})", source.getAddress().getHostAddress(),
                        packet.identifier(), status);
                if (!RadiusAuthenticators.verifySignedRequestAuthenticator(datagram, secret)) {
                    badSignature(source, packet, "Request Authenticator");
                    return;
                }
                if (RadiusAuthenticators.verifyRequestMessageAuthenticator(datagram, secret) == Check.INVALID) {
                    badSignature(source, packet, "Message-Authenticator");
                    return;
                }
                admit(packet, source, localPort, group, reply, this::handleAccounting);
            }
            case RadiusCode.STATUS_SERVER -> {
                // RFC 5997 section 3: Status-Server without a valid Message-Authenticator is silently discarded.
                Check check = RadiusAuthenticators.verifyRequestMessageAuthenticator(datagram, secret);
                if (check != Check.VALID) {
                    if (check == Check.ABSENT) {
                        counters.drop(DropReason.MISSING_MESSAGE_AUTHENTICATOR);
                    } else {
                        badSignature(source, packet, "Message-Authenticator");
                    }
                    return;
                }
                counters.statusServer();
                int code = port == Port.AUTH ? RadiusCode.ACCESS_ACCEPT : RadiusCode.ACCOUNTING_RESPONSE;
                reply.accept(RadiusResponseEncoder.encode(packet, secret, code, List.of()));
            }
            default -> unsupported(packet, source, port);
        }
    }

    private interface Work {
        CompletionStage<WireAnswer> run(RadiusRequest request, AccessPointGroup group);
    }

    /** The answer's octets and code, or no answer at all. */
    private record WireAnswer(int code, byte[] datagram) {
    }

    private void admit(RadiusPacket packet, InetSocketAddress source, int localPort, AccessPointGroup group,
                       Consumer<byte[]> reply, Work work) {
        ResponseCache.Key key = ResponseCache.Key.of(source.getAddress(), source.getPort(), localPort,
                packet.identifier(), packet.authenticator());
        ResponseCache.Admission admission = duplicates.admit(key);
        switch (admission.verdict()) {
            case IN_PROGRESS -> {
                counters.drop(DropReason.DUPLICATE);
                LOG.debug("From {}: retransmission of id {} still in progress, dropped", source.getAddress().getHostAddress(),
                        packet.identifier());
                return;
            }
            case ANSWERED -> {
                counters.duplicateAnswered();
                LOG.debug("From {}: retransmission of id {} answered from cache", source.getAddress().getHostAddress(),
                        packet.identifier());
                send(reply, admission.cachedResponse());
                return;
            }
            case NEW -> { }
        }
        if (draining) {
            duplicates.abandon(key);
            counters.drop(DropReason.STOPPING);
            return;
        }
        AtomicLong pending = counters.pendingGauge();
        if (pending.incrementAndGet() > maxPendingRequests) {
            pending.decrementAndGet();
            duplicates.abandon(key);
            counters.drop(DropReason.OVERLOAD);
            return;
        }
        RadiusRequest request = new RadiusRequest(packet, source, group.name(), Instant.now());
        CompletableFuture<WireAnswer> answer = new CompletableFuture<>();
        inFlight.put(answer, key);
        try {
            workers.execute(new HandlerCall(answer, () -> work.run(request, group)));
        } catch (RejectedExecutionException e) {
            inFlight.remove(answer);
            pending.decrementAndGet();
            duplicates.abandon(key);
            counters.drop(closing ? DropReason.HANDLER_FAILED : DropReason.OVERLOAD);
            return;
        }
        answer.orTimeout(requestTimeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((result, failure) -> {
            inFlight.remove(answer);
            pending.decrementAndGet();
            if (failure != null || result == null) {
                duplicates.abandon(key);
                if (failure instanceof CancellationException) {
                    return; // never handled: the server stopped first; the AP retransmits to the next one
                }
                if (failure != null) {
                    counters.drop(DropReason.HANDLER_FAILED);
                    if (handlerFailedLog.shouldLog(source.getAddress())) {
                        LOG.warn("From {}: {} id {} not answered (further failures from this AP counted in "
                                        + "radius_dropped_count{reason=\"handler_failed\"}): {}",
                                source.getAddress().getHostAddress(), RadiusCode.name(packet.code()),
                                packet.identifier(), describe(failure));
                    }
                }
                return;
            }
            // The cache first: after a stop the socket is gone, and the AP's retransmission to the next server
            // must find this answer. Once this server stops listening, the answer goes out through the next one's
            // listener: the AP's last retransmission may have come before the answer, and it sends no fourth.
            duplicates.answered(key, result.datagram());
            counters.sent(result.code());
            if (listening) {
                send(reply, result.datagram());
            } else {
                duplicates.sendLate(key, result.datagram());
            }
        });
    }

    /** One handler call on a worker thread; completes {@code answer} with the handler's outcome. */
    private static final class HandlerCall implements Runnable {
        final CompletableFuture<WireAnswer> answer;
        final Supplier<CompletionStage<WireAnswer>> call;

        HandlerCall(CompletableFuture<WireAnswer> answer, Supplier<CompletionStage<WireAnswer>> call) {
            this.answer = answer;
            this.call = call;
        }

        @Override
        public void run() {
            try {
                call.get().whenComplete((result, failure) -> {
                    if (failure != null) {
                        answer.completeExceptionally(failure);
                    } else {
                        answer.complete(result);
                    }
                });
            } catch (RuntimeException e) {
                answer.completeExceptionally(e);
            }
        }
    }

    private static void send(Consumer<byte[]> reply, byte[] datagram) {
        try {
            reply.accept(datagram);
        } catch (RuntimeException e) {
            // The listener closed meanwhile (server stopping): the answer is in the duplicate cache for the retry.
            LOG.debug("RADIUS answer not sent: {}", e.toString());
        }
    }

    /**
     * Marks the dispatcher as stopping: from now on a missing handler means "no answer" (the AP retries) rather than
     * a reject.
     */
    /**
     * Stops taking new requests and waits, at most {@code limit}, until those in progress are answered: their
     * answers leave through this server's sockets while the AP still waits, instead of through the next server's a
     * bundle restart later.
     *
     * @return true if none is left in progress
     */
    boolean drain(Duration limit) throws InterruptedException {
        draining = true;
        long deadline = System.nanoTime() + limit.toNanos();
        while (!inFlight.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        return inFlight.isEmpty();
    }

    /** True once {@link #drain} began: new requests are dropped from then on. */
    boolean draining() {
        return draining;
    }

    void closing() {
        closing = true;
        listening = false;
    }

    /**
     * Forgets the requests whose handler call never ran ({@code neverRun}: what the stopped worker pool returned), so
     * that their retransmissions are processed afresh; the others keep running and answer into the cache.
     *
     * @return the number of requests still being handled
     */
    int close(List<Runnable> neverRun) {
        closing = true;
        for (Runnable r : neverRun) {
            if (r instanceof HandlerCall call) {
                call.answer.completeExceptionally(new CancellationException("RADIUS server stopped"));
            }
        }
        return inFlight.size();
    }

    /** A handler call the worker pool refused after it was accepted here (stopping): never handled, the AP retries. */
    void refused(Runnable call) {
        if (call instanceof HandlerCall c) {
            c.answer.completeExceptionally(new CancellationException("RADIUS server stopped"));
        }
    }

    private CompletionStage<WireAnswer> handleAccess(RadiusRequest request, AccessPointGroup group) {
        AccessRequestHandler handler = accessHandler.get();
        if (handler == null && closing) {
            return CompletableFuture.completedFuture(null); // stopping: no answer rather than a wrong reject
        }
        CompletionStage<RadiusReply> replyStage = handler == null
                ? CompletableFuture.completedFuture(RadiusReply.reject("no authentication handler"))
                : handler.handle(request);
        if (handler == null && noHandlerLog.shouldLog(request.source().getAddress())) {
            LOG.warn("From {}: Access-Request rejected: no authentication handler is running (reason=overload)",
                    request.source().getAddress().getHostAddress());
        }
        return replyStage.thenApply(radiusReply -> new WireAnswer(radiusReply.code(),
                RadiusResponseEncoder.encode(request.packet(), group.secret(), radiusReply.code(), radiusReply.attributes())));
    }

    /**
     * How long an Accounting-Request waits for an accounting handler (bundle:update of accounting stops one and starts
     * the next): an AP sends 3 times 1 s apart, so a request held this long is still answered in time for most of
     * them, where a dropped one is answered only if a retransmission comes after the gap. Not only once a handler has
     * served: radius-server may itself have been updated a moment before (a new dispatcher that has served nothing).
     * Without accounting installed at all, a request is dropped after this wait instead of at once: the AP's
     * retransmissions meanwhile are duplicates in progress, so the load stays one request each.
     */
    static final long ACCOUNTING_GAP_MILLIS = 3_000;

    private CompletionStage<WireAnswer> handleAccounting(RadiusRequest request, AccessPointGroup group) {
        AccountingHandler handler = accountingHandler.get();
        if (handler == null && !closing) {
            // Its retransmissions meanwhile are duplicates in progress; the answer goes out when it is stored.
            return Futures.awaitReturn(accountingHandler, 25, ACCOUNTING_GAP_MILLIS)
                    .thenCompose(back -> account(back, request, group));
        }
        return account(handler, request, group);
    }

    private CompletionStage<WireAnswer> account(AccountingHandler handler, RadiusRequest request, AccessPointGroup group) {
        if (handler == null) {
            counters.drop(DropReason.NO_ACCOUNTING_HANDLER);
            if (noHandlerLog.shouldLog(request.source().getAddress())) {
                LOG.warn("From {}: Accounting-Request not acknowledged: no accounting handler is running to store it",
                        request.source().getAddress().getHostAddress());
            }
            return CompletableFuture.completedFuture(null);
        }
        return handler.account(request).thenApply(stored -> new WireAnswer(RadiusCode.ACCOUNTING_RESPONSE,
                RadiusResponseEncoder.encode(request.packet(), group.secret(), RadiusCode.ACCOUNTING_RESPONSE, List.of())));
    }

    /** Counts a packet refused before it reached the dispatcher (RadSec framing, TLS). */
    void countDrop(DropReason reason) {
        counters.drop(reason);
    }

    private void badSignature(InetSocketAddress source, RadiusPacket packet, String what) {
        counters.drop(DropReason.BAD_AUTHENTICATOR);
        if (badSignatureLog.shouldLog(source.getAddress())) {
            LOG.warn("From {}: Message-Authenticator validation failed ({} of {} id {} does not match the client group's secret)",
                    source.getAddress().getHostAddress(), what, RadiusCode.name(packet.code()), packet.identifier());
        }
    }

    private void unsupported(RadiusPacket packet, InetSocketAddress source, Port port) {
        counters.drop(DropReason.UNSUPPORTED_CODE);
        if (malformedLog.shouldLog(source.getAddress())) {
            LOG.warn("From {}: {} is not served on the {} port, dropped", source.getAddress().getHostAddress(),
                    RadiusCode.name(packet.code()), port == Port.AUTH ? "authentication" : "accounting");
        }
    }

    private static long statusType(RadiusPacket packet) {
        return packet.attribute(RadiusDictionary.ACCT_STATUS_TYPE).filter(a -> a.length() == 4)
                .map(RadiusAttribute::asUnsignedInt).orElse(0L);
    }

    private static String describe(Throwable failure) {
        Throwable cause = Futures.unwrap(failure);
        return cause instanceof java.util.concurrent.TimeoutException ? "handler timed out" : cause.toString();
    }
}
