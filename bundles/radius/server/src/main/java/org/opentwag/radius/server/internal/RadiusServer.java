package org.opentwag.radius.server.internal;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.opentwag.api.radius.ResponseCache;
import org.opentwag.radius.server.AccessRequestHandler;
import org.opentwag.radius.server.AccountingHandler;
import org.opentwag.support.radius.StripedResponseCache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The UDP listeners (authentication and accounting) on Netty (native epoll where available, else NIO: {@link Transport}),
 * feeding a {@link RadiusDispatcher}. One event loop thread reads all sockets; handler calls run on a bounded worker
 * pool; answers leave from the socket the request came in on, written in bursts: those that arrive while the event
 * loop is busy go out with one flush (one sendmmsg with epoll). Plain Java: the OSGi component creates and closes it.
 */
public final class RadiusServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RadiusServer.class);
    /** RFC 2865 maximum packet; a bigger datagram is truncated and then judged by its Length field. */
    private static final int MAX_DATAGRAM = 4096;

    private final ServerSettings settings;
    private final RadiusDispatcher dispatcher;
    /** The heap after each collection, for the memory guard; null when it is off. */
    private final HeapAfterCollection heap;
    private final ThreadPoolExecutor workers;
    private final Transport transport;
    private final EventLoopGroup eventLoop;
    /**
     * How long a stop waits for the requests in progress before closing the sockets: an AP waits 1 s after each send,
     * and a new request dropped meanwhile is sent again to the next server, which listens ~0.1-0.7 s after the stop.
     */
    static final Duration DRAIN_LIMIT = Duration.ofMillis(1000);

    /** Copy on write: read by late answers from other threads. */
    private final List<Channel> channels = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final ResponseCache duplicates;
    private final AccessPointGroups accessPointGroups;
    private RadSecSettings radSecSettings;
    private RadSecListener radSec;
    private int boundAuthPort;
    private int boundAcctPort;
    private int boundRadSecPort = -1;

    /** A server with a duplicate cache of its own (tests, tools). */
    public RadiusServer(ServerSettings settings, AccessPointGroups accessPointGroups, RadiusCounters counters,
                        Supplier<AccessRequestHandler> accessHandler, Supplier<AccountingHandler> accountingHandler) {
        this(settings, accessPointGroups, counters, new StripedResponseCache(settings.dedupWindow(), settings.dedupMaxEntries()),
                accessHandler, accountingHandler);
    }

    /**
     * A server answering retransmissions from {@code duplicates}, which may outlive it (the OSGi component passes the
     * state store bundle's, so that a bundle:update of this bundle keeps it).
     */
    public RadiusServer(ServerSettings settings, AccessPointGroups accessPointGroups, RadiusCounters counters,
                        ResponseCache duplicates, Supplier<AccessRequestHandler> accessHandler,
                        Supplier<AccountingHandler> accountingHandler) {
        this.settings = settings;
        this.accessPointGroups = accessPointGroups;
        this.duplicates = duplicates;
        this.workers = new ThreadPoolExecutor(settings.workerThreads(), settings.workerThreads(), 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(settings.maxPendingRequests()), new DefaultThreadFactory("radius-worker", true));
        this.heap = settings.memoryGuardPercent() > 0 ? new HeapAfterCollection() : null;
        this.transport = Transport.choose();
        this.eventLoop = transport.eventLoop(1, new DefaultThreadFactory("radius-io", true));
        // One event loop thread: the handler calls of each read burst go to the workers as one task.
        java.util.concurrent.Executor handOff = new BurstExecutor(workers, eventLoop.next(), this::refused);
        this.dispatcher = new RadiusDispatcher(accessPointGroups, duplicates, counters, handOff, settings.maxPendingRequests(),
                settings.requestTimeout(), accessHandler, accountingHandler,
                new RadiusDispatcher.MemoryGuard(heap == null ? () -> 0 : heap::fraction, settings.memoryGuardPercent()));
    }

    private void refused(Runnable handlerCall) {
        dispatcher.refused(handlerCall);
    }

    /** Adds a RadSec (RFC 6614) listener to those {@link #start()} binds; null = none. */
    public synchronized RadiusServer withRadSec(RadSecSettings radSecSettings) {
        this.radSecSettings = radSecSettings;
        return this;
    }

    /** Binds the listeners; throws when a port is taken (the caller logs and the component stays inactive). */
    public synchronized void start() throws Exception {
        try {
            boundAuthPort = bindAll(settings.authPort(), RadiusDispatcher.Port.AUTH);
            LOG.info("RADIUS server listening on port {}", boundAuthPort);
            boundAcctPort = bindAll(settings.acctPort(), RadiusDispatcher.Port.ACCT);
            LOG.info("RADIUS server listening on port {}", boundAcctPort);
            if (radSecSettings != null) {
                radSec = new RadSecListener(radSecSettings, accessPointGroups, dispatcher, eventLoop,
                        transport.serverSocketChannel());
                boundRadSecPort = radSec.start();
            }
            duplicates.listening(lateAnswers);
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    /** The RadSec port bound, or -1 without RadSec. */
    public int radSecPort() {
        return boundRadSecPort;
    }

    public int authPort() {
        return boundAuthPort;
    }

    public int acctPort() {
        return boundAcctPort;
    }

    /** Addresses to bind: the configured one; with ipv6, 0.0.0.0 becomes one dual-stack :: socket, else :: is added. */
    List<InetAddress> bindAddresses() throws UnknownHostException {
        InetAddress configured = InetAddress.getByName(settings.bindAddress());
        List<InetAddress> addresses = new ArrayList<>();
        if (settings.ipv6() && configured.isAnyLocalAddress()) {
            addresses.add(InetAddress.getByName("::"));
        } else {
            addresses.add(configured);
            if (settings.ipv6() && configured.getAddress().length == 4) {
                addresses.add(InetAddress.getByName("::"));
            }
        }
        return addresses;
    }

    private int bindAll(int port, RadiusDispatcher.Port kind) throws InterruptedException, UnknownHostException {
        int bound = port;
        for (InetAddress address : bindAddresses()) {
            Bootstrap bootstrap = transport.datagram(eventLoop, address, MAX_DATAGRAM)
                    .option(ChannelOption.SO_RCVBUF, 4 * 1024 * 1024)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .handler(new Inbound(kind));
            Channel channel = bootstrap.bind(new InetSocketAddress(address, bound)).sync().channel();
            // With port 0 the first socket picks the port; the others (IPv6) share it.
            bound = ((InetSocketAddress) channel.localAddress()).getPort();
            channels.add(channel);
        }
        return bound;
    }

    /**
     * Sends answers of requests that a previous server (before a bundle:update) took in and answered after it
     * stopped listening: from this server's socket on the request's local port, so the AP sees the same server.
     */
    private final ResponseCache.Listener lateAnswers = (key, answer) -> {
        Channel channel = channelFor(key.localPort(), key.source());
        if (channel == null) {
            return false; // e.g. a RadSec request: its connection is gone, the client sends again
        }
        InetSocketAddress to = new InetSocketAddress(key.source(), key.sourcePort());
        if (!DatagramAnswers.trySend(channel, answer, to)) {
            channel.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(answer), to));
        }
        return true;
    };

    /** The UDP listener on {@code port} for that address family (a dual-stack :: socket serves both). */
    private Channel channelFor(int port, InetAddress to) {
        Channel any = null;
        for (Channel channel : channels) {
            InetSocketAddress local = (InetSocketAddress) channel.localAddress();
            if (local == null || local.getPort() != port) {
                continue;
            }
            if (local.getAddress().getClass() == to.getClass()) {
                return channel;
            }
            any = channel;
        }
        return any;
    }

    /** Transport in use (tests). */
    Transport transport() {
        return transport;
    }

    /**
     * The answers waiting to leave one socket. Answers come from other threads (the accounting acknowledger completes
     * a whole durable batch at once): one event loop task writes every answer queued by then and flushes once, instead
     * of one task, one wake-up and one flush per answer; with epoll, that flush is one sendmmsg.
     */
    private static final class Replies implements Runnable {
        private final Channel channel;
        private final Queue<DatagramPacket> queued = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean scheduled = new AtomicBoolean();

        Replies(Channel channel) {
            this.channel = channel;
        }

        void send(byte[] answer, InetSocketAddress to) {
            // On NIO, with nothing waiting, straight from this thread (no event-loop task, no wake-up); on epoll
            // queued, so that the answers of one burst leave in one sendmmsg.
            if (queued.isEmpty() && DatagramAnswers.trySend(channel, answer, to)) {
                return;
            }
            queued.add(new DatagramPacket(Unpooled.wrappedBuffer(answer), to));
            if (scheduled.compareAndSet(false, true)) {
                channel.eventLoop().execute(this); // throws once the loop stopped: the dispatcher logs, the cache keeps it
            }
        }

        @Override
        public void run() {
            // Cleared first: an answer queued from now on schedules another run (at worst one that finds nothing).
            scheduled.set(false);
            boolean written = false;
            for (DatagramPacket p; (p = queued.poll()) != null; ) {
                channel.write(p, channel.voidPromise());
                written = true;
            }
            if (written) {
                channel.flush();
            }
        }
    }

    private final class Inbound extends SimpleChannelInboundHandler<DatagramPacket> {
        private final RadiusDispatcher.Port kind;
        private Replies replies;
        private int localPort;

        Inbound(RadiusDispatcher.Port kind) {
            this.kind = kind;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            replies = new Replies(ctx.channel());
            localPort = ((InetSocketAddress) ctx.channel().localAddress()).getPort();
            super.channelActive(ctx);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            byte[] datagram = ByteBufUtil.getBytes(packet.content());
            InetSocketAddress sender = packet.sender();
            Replies out = replies;
            dispatcher.onDatagram(datagram, sender, localPort, kind, answer -> out.send(answer, sender));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // A UDP socket error (e.g. ICMP unreachable) must not close the listener.
            LOG.debug("RADIUS listener error: {}", cause.toString());
        }
    }

    /**
     * Closes the sockets first (the port is free for the next server at once), lets the handler calls already queued
     * start (up to 1 s), and returns: requests whose handler is still working answer into the duplicate cache when
     * they complete (a retransmission to the next server gets that answer), and out through the next server's
     * listener once it listens ({@link ResponseCache#sendLate}); those never started are forgotten by the cache, so
     * that their retransmissions are processed afresh. Nothing is answered wrongly.
     */
    /** True once a stop began to drain: requests arriving from then on are dropped. */
    boolean stopping() {
        return dispatcher.draining();
    }

    @Override
    public synchronized void close() {
        long started = System.nanoTime();
        try {
            dispatcher.drain(DRAIN_LIMIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long drained = System.nanoTime();
        duplicates.notListening(lateAnswers);
        dispatcher.closing();
        if (heap != null) {
            heap.close();
        }
        if (radSec != null) {
            radSec.close();
            radSec = null;
        }
        List<io.netty.channel.ChannelFuture> closed = new ArrayList<>();
        for (Channel channel : channels) {
            closed.add(channel.close());
        }
        for (io.netty.channel.ChannelFuture f : closed) {
            f.awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        boolean hadChannels = !channels.isEmpty();
        channels.clear();
        io.netty.util.concurrent.Future<?> loopDone = eventLoop.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        workers.shutdown();
        try {
            workers.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int stillHandled = dispatcher.close(BurstExecutor.unwrap(workers.shutdownNow()));
        loopDone.awaitUninterruptibly(5, TimeUnit.SECONDS);
        if (hadChannels) {
            LOG.info("RADIUS listeners closed in {} ms, of which {} ms answering the requests in progress ({} requests "
                    + "still with their handler: their answers go to the duplicate cache and out through the next "
                    + "server's listeners)", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
                    TimeUnit.NANOSECONDS.toMillis(drained - started), stillHandled);
        }
    }

    ResponseCache duplicates() {
        return duplicates;
    }
}
