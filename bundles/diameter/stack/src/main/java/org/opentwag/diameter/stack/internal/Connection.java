package org.opentwag.diameter.stack.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.opentwag.diameter.codec.Avp;
import org.opentwag.diameter.codec.BaseProtocol;
import org.opentwag.diameter.codec.DiameterDecodeException;
import org.opentwag.diameter.codec.DiameterMessage;
import org.opentwag.diameter.codec.ResultCodes;
import org.opentwag.diameter.stack.ConnectionRole;
import org.opentwag.diameter.stack.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One transport connection to a peer: the last handler of its Netty pipeline. Owns the hop-by-hop
 * identifiers and the pending requests sent on it, the capabilities exchange of its side, and the RFC 3539
 * watchdog. Fields marked "event loop" are touched only on the channel's event loop.
 */
final class Connection extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(Connection.class);

    final Node node;
    final ConnectionRole role;
    final Transport transport;
    final Map<Integer, PendingRequest> pending = new ConcurrentHashMap<>();
    private final AtomicInteger nextHopByHop = new AtomicInteger(ThreadLocalRandom.current().nextInt());
    volatile Channel channel;
    /** Null for a responder until its CER names the peer. */
    volatile PeerEntry peer;
    volatile boolean capabilitiesDone;
    volatile boolean suspect;
    volatile boolean closing;

    // event loop
    private long lastReceivedNanos = System.nanoTime();
    private boolean watchdogOutstanding;
    private int missedWatchdogs;
    private ScheduledFuture<?> watchdogTask;
    private ScheduledFuture<?> handshakeTimeout;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    Connection(Node node, ConnectionRole role, Transport transport, PeerEntry peer) {
        this.node = node;
        this.role = role;
        this.transport = transport;
        this.peer = peer;
    }

    String peerHost() {
        PeerEntry p = peer;
        return p != null ? p.host() : null;
    }

    InetSocketAddress remoteAddress() {
        Channel ch = channel;
        return ch != null && ch.remoteAddress() instanceof InetSocketAddress a ? a : null;
    }

    CompletableFuture<Void> closedFuture() {
        return closed;
    }

    // ------------------------------------------------------------------ Netty events

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        node.connectionOpened(this);
        handshakeTimeout = ctx.executor().schedule(this::onHandshakeTimeout,
                node.config().connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
        if (role == ConnectionRole.INITIATOR) {
            if (peer != null) {
                peer.onTransportUp(this);
            }
            if (transport == Transport.TCP) {
                sendCer();
            }
        }
        ctx.fireChannelActive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent e) {
            if (!e.isSuccess()) {
                LOG.warn("Diameter TLS handshake with {} failed: {}", describe(), e.cause().getMessage());
                node.countTlsRefusal(Node.HANDSHAKE_FAILED);
                ctx.close();
            } else if (role == ConnectionRole.INITIATOR) {
                // The peer we meant to reach must prove it is that peer before it sees our CER.
                if (certificateNames(peer.host())) {
                    sendCer();
                } else {
                    ctx.close();
                }
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        byte[] bytes;
        ByteBuf frame = (ByteBuf) msg;
        try {
            bytes = ByteBufUtil.getBytes(frame);
        } finally {
            frame.release();
        }
        DiameterMessage m;
        try {
            m = DiameterMessage.decode(bytes);
        } catch (DiameterDecodeException e) {
            onMalformed(e);
            return;
        }
        lastReceivedNanos = System.nanoTime();
        node.count("in", m, peerHost());
        if (!capabilitiesDone) {
            onBeforeOpen(m);
        } else if (m.isRequest()) {
            onRequest(m);
        } else {
            onAnswer(m);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel(watchdogTask);
        cancel(handshakeTimeout);
        PeerEntry p = peer;
        if (p != null) {
            p.onConnectionClosed(this);
        }
        for (PendingRequest r : pending.values()) {
            if (pending.remove(r.hopByHop, r)) {
                node.failover(r, this, "connection to " + peerHost() + " closed");
            }
        }
        node.connectionClosed(this);
        closed.complete(null);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            LOG.info("Diameter connection {} lost: {}", describe(), cause.getMessage());
        } else {
            LOG.warn("Diameter connection {} failed, closing it: {}", describe(), cause.toString());
        }
        ctx.close();
    }

    // ------------------------------------------------------------------ peer identity (TLS)

    /**
     * Whether the certificate the peer presented on this TLS connection names {@code diameterIdentity} (a DNS
     * subjectAltName). When not, logs the expected and presented names and counts the refusal; the caller closes.
     * As initiator the identity is the configured peer's, as responder the Origin-Host of its CER: the responder
     * learns who claims to call only from the CER, so the check runs after the handshake, for both roles alike.
     */
    boolean certificateNames(String diameterIdentity) {
        SslHandler tls = channel.pipeline().get(SslHandler.class);
        List<String> presented;
        String subject;
        try {
            X509Certificate certificate = CertificateNames.peerCertificate(tls.engine().getSession());
            presented = CertificateNames.dnsNames(certificate);
            subject = certificate.getSubjectX500Principal().getName();
        } catch (SSLPeerUnverifiedException | RuntimeException e) {
            LOG.warn("Diameter TLS peer refused: {} presented no usable certificate for {}: {}", describe(),
                    diameterIdentity, e.getMessage());
            node.countTlsRefusal(Node.NAME_MISMATCH);
            return false;
        }
        if (CertificateNames.names(presented, diameterIdentity)) {
            return true;
        }
        LOG.warn("Diameter TLS peer refused: {} expected a certificate naming {}, the peer presented DNS subjectAltNames {} "
                        + "(subject {}; the CN is not used)", describe(), diameterIdentity, presented, subject);
        node.countTlsRefusal(Node.NAME_MISMATCH);
        return false;
    }

    // ------------------------------------------------------------------ capabilities exchange

    private void sendCer() {
        DiameterMessage.Builder cer = DiameterMessage.request(BaseProtocol.COMMON_MESSAGES_APPLICATION,
                BaseProtocol.CAPABILITIES_EXCHANGE).proxiable(false)
                .hopByHop(nextHopByHop.getAndIncrement()).endToEnd(node.nextEndToEnd());
        Capabilities.addIdentity(cer, node.config(), hostAddresses(), node.originStateId());
        write(cer.build());
    }

    void sendCea(DiameterMessage cer, long resultCode, String errorMessage) {
        DiameterMessage.Builder cea = DiameterMessage.answerTo(cer).resultCode(resultCode);
        if (errorMessage != null) {
            cea.add(Avp.utf8(BaseProtocol.ERROR_MESSAGE, errorMessage));
        }
        Capabilities.addIdentity(cea, node.config(), hostAddresses(), node.originStateId());
        write(cea.build());
    }

    /** Refuses a CER and closes once the CEA is written. */
    void refuse(DiameterMessage cer, long resultCode, String errorMessage) {
        sendCea(cer, resultCode, errorMessage);
        channel.close();
    }

    private List<InetAddress> hostAddresses() {
        if (!node.config().hostAddresses().isEmpty()) {
            return node.config().hostAddresses();
        }
        Channel ch = channel;
        if (ch != null && ch.localAddress() instanceof InetSocketAddress local) {
            return List.of(local.getAddress());
        }
        return List.of(InetAddress.getLoopbackAddress());
    }

    private void onBeforeOpen(DiameterMessage m) {
        boolean cer = m.commandCode() == BaseProtocol.CAPABILITIES_EXCHANGE && m.isRequest();
        boolean cea = m.commandCode() == BaseProtocol.CAPABILITIES_EXCHANGE && !m.isRequest();
        if (role == ConnectionRole.RESPONDER && cer) {
            node.onCer(this, m);
        } else if (role == ConnectionRole.INITIATOR && cea) {
            node.onCea(this, m);
        } else if (m.commandCode() == BaseProtocol.DISCONNECT_PEER && m.isRequest()) {
            answerDpr(m);
        } else {
            LOG.warn("Diameter connection {}: {} before the capabilities exchange, closing", describe(), m.summary());
            channel.close();
        }
    }

    /** Called by the node once CER/CEA succeeded and the peer adopted this connection. */
    void opened() {
        capabilitiesDone = true;
        cancel(handshakeTimeout);
        lastReceivedNanos = System.nanoTime();
        scheduleWatchdog(node.watchdogDelayNanos());
    }

    private void onHandshakeTimeout() {
        if (!capabilitiesDone && channel.isActive()) {
            LOG.warn("Diameter peer connection timeout: no capabilities exchange with {} within {} ms",
                    describe(), node.config().connectTimeout().toMillis());
            channel.close();
        }
    }

    // ------------------------------------------------------------------ requests and answers

    private void onRequest(DiameterMessage m) {
        if (m.applicationId() == BaseProtocol.COMMON_MESSAGES_APPLICATION) {
            switch (m.commandCode()) {
                case BaseProtocol.DEVICE_WATCHDOG -> {
                    write(node.baseAnswer(m, ResultCodes.DIAMETER_SUCCESS)
                            .add(Avp.unsigned32(BaseProtocol.ORIGIN_STATE_ID, node.originStateId())).build());
                    return;
                }
                case BaseProtocol.DISCONNECT_PEER -> {
                    answerDpr(m);
                    return;
                }
                case BaseProtocol.CAPABILITIES_EXCHANGE -> {
                    // RFC 6733 5.6: a CER on an open connection is rejected, the connection stays
                    write(node.baseAnswer(m, ResultCodes.DIAMETER_UNABLE_TO_COMPLY).build());
                    return;
                }
                default -> {
                    // base commands of other applications (RAR, ASR, STR with app 0) go to handlers
                }
            }
        }
        node.onRequest(this, m);
    }

    private void answerDpr(DiameterMessage dpr) {
        int cause = dpr.find(BaseProtocol.DISCONNECT_CAUSE).map(Avp::enumerated).orElse(BaseProtocol.DisconnectCause.REBOOTING);
        LOG.info("Diameter peer {} sent DPR (Disconnect-Cause {}), closing the connection", describe(), cause);
        closing = true;
        PeerEntry p = peer;
        if (p != null) {
            p.onDisconnectRequested(this, cause);
        }
        write(node.baseAnswer(dpr, ResultCodes.DIAMETER_SUCCESS).build());
        // the DPR sender closes on DPA; close ourselves if it does not
        channel.eventLoop().schedule(() -> channel.close(), 2, TimeUnit.SECONDS);
    }

    private void onAnswer(DiameterMessage m) {
        if (m.applicationId() == BaseProtocol.COMMON_MESSAGES_APPLICATION) {
            if (m.commandCode() == BaseProtocol.DEVICE_WATCHDOG) {
                onWatchdogAnswer();
                return;
            }
            if (m.commandCode() == BaseProtocol.DISCONNECT_PEER) {
                channel.close();
                return;
            }
            if (m.commandCode() == BaseProtocol.CAPABILITIES_EXCHANGE) {
                return;
            }
        }
        PendingRequest r = pending.remove(m.hopByHop());
        if (r == null) {
            LOG.debug("Diameter {}: answer {} matches no pending request (late or duplicate), dropped", describe(), m.summary());
            return;
        }
        node.onAnswer(r, m);
    }

    /** Sends a request of a pending record on this connection with a fresh hop-by-hop id. */
    void send(PendingRequest r) {
        int hopByHop = nextHopByHop.getAndIncrement();
        r.hopByHop = hopByHop;
        r.connection = this;
        DiameterMessage m = r.request.withHopByHop(hopByHop);
        if (r.attempts++ > 0) {
            m = m.withRetransmittedFlag();
        }
        pending.put(hopByHop, r);
        if (r.isFinished()) { // timed out meanwhile
            pending.remove(hopByHop, r);
            return;
        }
        write(m).addListener(f -> {
            if (!f.isSuccess() && pending.remove(hopByHop, r)) {
                node.failover(r, this, "write to " + peerHost() + " failed");
            }
        });
    }

    ChannelFuture write(DiameterMessage m) {
        return write(m, m.encode());
    }

    /** Writes {@code m} and returns the bytes written, which the caller may keep (nothing writes into them). */
    byte[] writeEncoded(DiameterMessage m) {
        byte[] wire = m.encode();
        write(m, wire);
        return wire;
    }

    private ChannelFuture write(DiameterMessage m, byte[] wire) {
        node.count("out", m, peerHost());
        return channel.writeAndFlush(Unpooled.wrappedBuffer(wire));
    }

    private void onMalformed(DiameterDecodeException e) {
        LOG.warn("Diameter connection {}: malformed message: {}", describe(), e.getMessage());
        if (e.header().isPresent() && e.header().get().isRequest() && capabilitiesDone) {
            DiameterMessage.Builder answer = DiameterMessage.answerTo(e.header().get())
                    .add(Avp.identity(BaseProtocol.ORIGIN_HOST, node.originHost()))
                    .add(Avp.identity(BaseProtocol.ORIGIN_REALM, node.originRealm()))
                    .resultCode(e.resultCode())
                    .add(Avp.utf8(BaseProtocol.ERROR_MESSAGE, e.getMessage()));
            e.failedAvp().ifPresent(a -> answer.add(Avp.grouped(BaseProtocol.FAILED_AVP, a)));
            write(answer.build());
            if (e.resultCode() == ResultCodes.DIAMETER_UNSUPPORTED_VERSION) {
                channel.close();
            }
        } else if (!capabilitiesDone) {
            channel.close();
        }
    }

    // ------------------------------------------------------------------ watchdog (RFC 3539)

    private void scheduleWatchdog(long delayNanos) {
        Channel ch = channel;
        if (ch == null || !ch.isActive()) {
            return;
        }
        watchdogTask = ch.eventLoop().schedule(this::onWatchdogTimer, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void onWatchdogTimer() {
        if (closing || !channel.isActive()) {
            return;
        }
        long tw = node.watchdogDelayNanos();
        if (watchdogOutstanding) {
            missedWatchdogs++;
            if (missedWatchdogs == 1) {
                LOG.warn("Diameter peer {}: no DWA within {} ms, peer SUSPECT", peerHost(), TimeUnit.NANOSECONDS.toMillis(tw));
                markSuspect();
                sendWatchdog();
                scheduleWatchdog(tw);
            } else {
                LOG.warn("Diameter peer {}: second watchdog missed, closing the connection", peerHost());
                channel.close();
            }
            return;
        }
        long idle = System.nanoTime() - lastReceivedNanos;
        if (idle >= tw - TimeUnit.MILLISECONDS.toNanos(1)) {
            sendWatchdog();
            scheduleWatchdog(tw);
        } else {
            scheduleWatchdog(tw - idle);
        }
    }

    private void sendWatchdog() {
        watchdogOutstanding = true;
        write(DiameterMessage.request(BaseProtocol.COMMON_MESSAGES_APPLICATION, BaseProtocol.DEVICE_WATCHDOG)
                .proxiable(false).hopByHop(nextHopByHop.getAndIncrement()).endToEnd(node.nextEndToEnd())
                .add(Avp.identity(BaseProtocol.ORIGIN_HOST, node.originHost()))
                .add(Avp.identity(BaseProtocol.ORIGIN_REALM, node.originRealm()))
                .add(Avp.unsigned32(BaseProtocol.ORIGIN_STATE_ID, node.originStateId()))
                .build());
    }

    private void onWatchdogAnswer() {
        watchdogOutstanding = false;
        missedWatchdogs = 0;
        if (suspect) {
            suspect = false;
            PeerEntry p = peer;
            if (p != null) {
                p.onRecovered(this);
            }
        }
    }

    private void markSuspect() {
        suspect = true;
        PeerEntry p = peer;
        if (p != null) {
            p.onSuspect(this);
        }
        for (PendingRequest r : pending.values()) {
            if (pending.remove(r.hopByHop, r)) {
                node.failover(r, this, "peer " + peerHost() + " SUSPECT");
            }
        }
    }

    // ------------------------------------------------------------------ shutdown

    /** DPR, then close on DPA or after the grace time. */
    CompletableFuture<Void> disconnect(int cause, long graceMillis) {
        Channel ch = channel;
        if (ch == null || !ch.isActive()) {
            return CompletableFuture.completedFuture(null);
        }
        ch.eventLoop().execute(() -> {
            if (closing) {
                return;
            }
            closing = true;
            cancel(watchdogTask);
            if (capabilitiesDone) {
                write(DiameterMessage.request(BaseProtocol.COMMON_MESSAGES_APPLICATION, BaseProtocol.DISCONNECT_PEER)
                        .proxiable(false).hopByHop(nextHopByHop.getAndIncrement()).endToEnd(node.nextEndToEnd())
                        .add(Avp.identity(BaseProtocol.ORIGIN_HOST, node.originHost()))
                        .add(Avp.identity(BaseProtocol.ORIGIN_REALM, node.originRealm()))
                        .add(Avp.enumerated(BaseProtocol.DISCONNECT_CAUSE, cause))
                        .build());
                ch.eventLoop().schedule(() -> ch.close(), graceMillis, TimeUnit.MILLISECONDS);
            } else {
                ch.close();
            }
        });
        return closed;
    }

    void close() {
        Channel ch = channel;
        if (ch != null) {
            ch.close();
        }
    }

    private static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }

    String describe() {
        String host = peerHost();
        return (host != null ? host : "unknown peer") + " (" + describeTransport() + ")";
    }

    /** e.g. "initiator tcp 127.0.0.1:3868". */
    String describeTransport() {
        InetSocketAddress remote = remoteAddress();
        return role.name().toLowerCase(java.util.Locale.ROOT) + " " + transport.name().toLowerCase(java.util.Locale.ROOT)
                + (remote != null ? " " + remote.getAddress().getHostAddress() + ":" + remote.getPort() : "");
    }
}
