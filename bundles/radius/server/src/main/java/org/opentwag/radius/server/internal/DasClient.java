package org.opentwag.radius.server.internal;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.opentwag.radius.codec.RadiusAttribute;
import org.opentwag.radius.codec.RadiusAuthenticators;
import org.opentwag.radius.codec.RadiusCode;
import org.opentwag.radius.codec.RadiusDecodeException;
import org.opentwag.radius.codec.RadiusDictionary;
import org.opentwag.radius.codec.RadiusPacket;
import org.opentwag.radius.codec.RadiusRequestEncoder;
import org.opentwag.radius.server.DynamicAuthorizationClient;
import org.opentwag.radius.server.DynamicAuthorizationResult;
import org.opentwag.radius.server.DynamicAuthorizationResult.Outcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RFC 5176 client: Disconnect-Request and CoA-Request to an AP's DAS. One UDP socket on an ephemeral port; requests
 * are matched to answers by Identifier (so at most 256 in flight) and the answer's source; an answer counts only if
 * its Response Authenticator (and Message-Authenticator, when present) verify. Requests carry Message-Authenticator
 * and an Event-Timestamp (RFC 5176 section 3.4 replay protection, which hostapd's DAS checks).
 */
public final class DasClient implements DynamicAuthorizationClient, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DasClient.class);

    private final class Pending {
        final int identifier;
        final InetSocketAddress destination;
        final byte[] wire;
        final byte[] requestAuthenticator;
        final byte[] secret;
        final int requestCode;
        final CompletableFuture<DynamicAuthorizationResult> result = new CompletableFuture<>();
        int attemptsLeft;

        Pending(int identifier, InetSocketAddress destination, byte[] wire, byte[] secret, int requestCode, int attempts) {
            this.identifier = identifier;
            this.destination = destination;
            this.wire = wire;
            this.requestAuthenticator = java.util.Arrays.copyOfRange(wire, 4, 20);
            this.secret = secret;
            this.requestCode = requestCode;
            this.attemptsLeft = attempts;
        }
    }

    private final AccessPointGroups accessPointGroups;
    private final String bindAddress;
    private final Duration timeout;
    private final int attempts;
    private final EventLoopGroup eventLoop = new NioEventLoopGroup(1, new DefaultThreadFactory("radius-das", true));
    private final Pending[] pendingById = new Pending[256];
    private int nextIdentifier;
    private Channel channel;
    private int dasPortOverride = -1;

    public DasClient(AccessPointGroups accessPointGroups, String bindAddress, Duration timeout, int attempts) {
        this.accessPointGroups = accessPointGroups;
        this.bindAddress = bindAddress;
        this.timeout = timeout;
        this.attempts = Math.max(1, attempts);
    }

    public synchronized void start() throws InterruptedException, UnknownHostException {
        InetAddress local = InetAddress.getByName(bindAddress);
        channel = new Bootstrap().group(eventLoop).channel(NioDatagramChannel.class)
                .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
                        onAnswer(ByteBufUtil.getBytes(packet.content()), packet.sender());
                    }

                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        LOG.debug("DAS client socket error: {}", cause.toString());
                    }
                })
                .bind(new InetSocketAddress(local, 0)).sync().channel();
    }

    /** For tests: send to this port instead of the access point group's dasPort. */
    synchronized void overrideDasPort(int port) {
        dasPortOverride = port;
    }

    @Override
    public CompletionStage<DynamicAuthorizationResult> disconnect(String nasIp, List<RadiusAttribute> identifyingAttributes) {
        return send(RadiusCode.DISCONNECT_REQUEST, nasIp, identifyingAttributes);
    }

    @Override
    public CompletionStage<DynamicAuthorizationResult> changeOfAuthorization(String nasIp, List<RadiusAttribute> attributes) {
        return send(RadiusCode.COA_REQUEST, nasIp, attributes);
    }

    private CompletionStage<DynamicAuthorizationResult> send(int code, String nasIp, List<RadiusAttribute> attributes) {
        InetAddress nas;
        try {
            nas = literalAddress(nasIp);
        } catch (IllegalArgumentException e) {
            return done(Outcome.FAILED, e.getMessage());
        }
        AccessPointGroup group = accessPointGroups.match(nas).orElse(null);
        if (group == null) {
            return done(Outcome.UNKNOWN_NAS, "no RADIUS client group matches NAS " + nasIp);
        }
        List<RadiusAttribute> withTimestamp = new ArrayList<>(attributes);
        if (withTimestamp.stream().noneMatch(a -> a.is(RadiusDictionary.EVENT_TIMESTAMP))) {
            withTimestamp.add(RadiusAttribute.ofInt(RadiusDictionary.EVENT_TIMESTAMP, System.currentTimeMillis() / 1000));
        }
        Pending pending;
        synchronized (this) {
            if (channel == null || !channel.isActive()) {
                return done(Outcome.FAILED, "DAS client is not running");
            }
            int identifier = freeIdentifier();
            if (identifier < 0) {
                return done(Outcome.FAILED, "256 Disconnect/CoA requests already in flight");
            }
            byte[] wire;
            try {
                wire = RadiusRequestEncoder.encode(code, identifier, withTimestamp, group.secret(), true);
            } catch (RuntimeException e) {
                return done(Outcome.FAILED, "cannot encode " + RadiusCode.name(code) + ": " + e.getMessage());
            }
            int port = dasPortOverride > 0 ? dasPortOverride : group.dasPort();
            pending = new Pending(identifier, new InetSocketAddress(nas, port), wire, group.secret(), code, attempts);
            pendingById[identifier] = pending;
        }
        transmit(pending);
        pending.result.whenComplete((result, failure) -> LOG.info("{} to {} ({} attributes): {} {}",
                RadiusCode.name(code), nasIp, attributes.size(), result.outcome(), result.detail()));
        return pending.result;
    }

    private void transmit(Pending pending) {
        synchronized (this) {
            if (pendingById[pending.identifier] != pending) {
                return; // answered meanwhile
            }
            if (pending.attemptsLeft-- <= 0) {
                pendingById[pending.identifier] = null;
                pending.result.complete(new DynamicAuthorizationResult(Outcome.TIMEOUT, List.of(),
                        "no valid answer from " + pending.destination + " after " + attempts + " attempts"));
                return;
            }
        }
        try {
            channel.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(pending.wire), pending.destination));
            eventLoop.schedule(() -> transmit(pending), timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            pending.result.complete(new DynamicAuthorizationResult(Outcome.FAILED, List.of(), "DAS client stopped"));
        }
    }

    private void onAnswer(byte[] datagram, InetSocketAddress sender) {
        RadiusPacket answer;
        try {
            answer = RadiusPacket.decode(datagram);
        } catch (RadiusDecodeException e) {
            LOG.warn("From {}: malformed DAS answer dropped: {}", sender.getAddress().getHostAddress(), e.getMessage());
            return;
        }
        Pending pending;
        synchronized (this) {
            pending = pendingById[answer.identifier()];
            if (pending == null || !pending.destination.equals(sender)) {
                LOG.debug("From {}: unexpected DAS answer id {} dropped", sender, answer.identifier());
                return;
            }
        }
        boolean ackOrNak = pending.requestCode == RadiusCode.DISCONNECT_REQUEST
                ? answer.code() == RadiusCode.DISCONNECT_ACK || answer.code() == RadiusCode.DISCONNECT_NAK
                : answer.code() == RadiusCode.COA_ACK || answer.code() == RadiusCode.COA_NAK;
        if (!ackOrNak
                || !RadiusAuthenticators.verifyResponseAuthenticator(datagram, pending.requestAuthenticator, pending.secret)
                || RadiusAuthenticators.verifyResponseMessageAuthenticator(datagram, pending.requestAuthenticator,
                        pending.secret) == RadiusAuthenticators.Check.INVALID) {
            LOG.warn("From {}: Message-Authenticator validation failed on {} answer id {} (dropped)",
                    sender.getAddress().getHostAddress(), RadiusCode.name(answer.code()), answer.identifier());
            return;
        }
        synchronized (this) {
            if (pendingById[answer.identifier()] != pending) {
                return;
            }
            pendingById[answer.identifier()] = null;
        }
        boolean ack = answer.code() == RadiusCode.DISCONNECT_ACK || answer.code() == RadiusCode.COA_ACK;
        pending.result.complete(new DynamicAuthorizationResult(ack ? Outcome.ACK : Outcome.NAK, answer.attributes(),
                RadiusCode.name(answer.code())));
    }

    private int freeIdentifier() {
        for (int i = 0; i < 256; i++) {
            int candidate = (nextIdentifier + i) & 0xff;
            if (pendingById[candidate] == null) {
                nextIdentifier = candidate + 1;
                return candidate;
            }
        }
        return -1;
    }

    private static InetAddress literalAddress(String ip) {
        if (ip == null || !(ip.indexOf(':') >= 0 || ip.chars().allMatch(c -> c == '.' || Character.isDigit(c)))) {
            throw new IllegalArgumentException("NAS address '" + ip + "' is not an IP literal");
        }
        try {
            return InetAddress.getByName(ip);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("NAS address '" + ip + "' is not an IP literal", e);
        }
    }

    private static CompletionStage<DynamicAuthorizationResult> done(Outcome outcome, String detail) {
        LOG.warn("Dynamic authorization request not sent: {}", detail);
        return CompletableFuture.completedFuture(new DynamicAuthorizationResult(outcome, List.of(), detail));
    }

    @Override
    public synchronized void close() {
        if (channel != null) {
            channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        for (int i = 0; i < 256; i++) {
            if (pendingById[i] != null) {
                pendingById[i].result.complete(new DynamicAuthorizationResult(Outcome.FAILED, List.of(), "DAS client stopped"));
                pendingById[i] = null;
            }
        }
        eventLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    }
}
