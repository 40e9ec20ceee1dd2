package org.opentwag.loadgen;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.ScheduledFuture;
import org.opentwag.radius.codec.RadiusAttribute;
import org.opentwag.radius.codec.RadiusAuthenticators;
import org.opentwag.radius.codec.RadiusCode;
import org.opentwag.radius.codec.RadiusDecodeException;
import org.opentwag.radius.codec.RadiusPacket;
import org.opentwag.radius.codec.RadiusRequestEncoder;

/**
 * The access points' RADIUS client side: a few UDP sockets (each an "AP" with its own 256 identifiers), every
 * request retransmitted unchanged after {@code timeoutMillis} up to {@code attempts} sends (RFC 5080 2.2.1: same
 * identifier and authenticator, so the server's duplicate cache answers it), answers checked (Response Authenticator,
 * and Message-Authenticator on Access-* answers) before they are believed.
 */
public final class RadiusClient implements AutoCloseable {

    /** An answer and what is needed to read its keys (the Request Authenticator it answers). */
    public record Exchange(RadiusPacket response, byte[] requestAuthenticator, int sends) {
    }

    /** No identifier free on any socket: more requests in flight than the sockets can carry. */
    public static final class NoIdentifierException extends RuntimeException {
        NoIdentifierException() {
            super("all RADIUS identifiers of every socket are in use");
        }
    }

    /** Where new requests go; a request's retransmissions go where its first send went. */
    private volatile InetSocketAddress authServer;
    private volatile InetSocketAddress acctServer;
    private final byte[] secret;
    private final long timeoutMillis;
    private final int attempts;
    private final Port[] ports;
    private final AtomicInteger nextPort = new AtomicInteger();

    final LongAdder retransmissions = new LongAdder();
    final LongAdder badAnswers = new LongAdder();

    public RadiusClient(EventLoopGroup group, String host, int authPort, int acctPort, byte[] secret, int sockets,
                        long timeoutMillis, int attempts) throws InterruptedException {
        this.authServer = new InetSocketAddress(host, authPort);
        this.acctServer = new InetSocketAddress(host, acctPort);
        this.secret = secret.clone();
        this.timeoutMillis = timeoutMillis;
        this.attempts = attempts;
        this.ports = new Port[sockets];
        String bindHost = authServer.getAddress().isLoopbackAddress() ? "127.0.0.1" : "0.0.0.0";
        for (int i = 0; i < sockets; i++) {
            Port port = new Port();
            port.channel = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                    .option(ChannelOption.SO_RCVBUF, 1 << 20).option(ChannelOption.SO_SNDBUF, 1 << 20)
                    .handler(port).bind(new InetSocketAddress(bindHost, 0)).sync().channel();
            ports[i] = port;
        }
    }

    /**
     * Sends new requests to another server from now on, as an access point does whose traffic the operator moves to
     * another node (a load balancer draining one, or the AP's RADIUS server list changed); requests already sent
     * keep their server for their retransmissions.
     */
    public void retarget(String host, int authPort, int acctPort) {
        acctServer = new InetSocketAddress(host, acctPort);
        authServer = new InetSocketAddress(host, authPort);
    }

    /** Access-Request with Message-Authenticator (BlastRADIUS-safe). */
    public CompletableFuture<Exchange> access(List<RadiusAttribute> attributes) {
        return send(RadiusCode.ACCESS_REQUEST, attributes, authServer);
    }

    /** Accounting-Request (MD5-signed Request Authenticator). */
    public CompletableFuture<Exchange> accounting(List<RadiusAttribute> attributes) {
        return send(RadiusCode.ACCOUNTING_REQUEST, attributes, acctServer);
    }

    private CompletableFuture<Exchange> send(int code, List<RadiusAttribute> attributes, InetSocketAddress to) {
        int first = Math.floorMod(nextPort.getAndIncrement(), ports.length);
        for (int i = 0; i < ports.length; i++) {
            Port port = ports[(first + i) % ports.length];
            Pending p = port.allocate();
            if (p != null) {
                p.wire = RadiusRequestEncoder.encode(code, p.identifier, attributes, secret, false);
                p.to = to;
                p.code = code;
                port.transmit(p);
                return p.result;
            }
        }
        return CompletableFuture.failedFuture(new NoIdentifierException());
    }

    @Override
    public void close() {
        for (Port p : ports) {
            if (p != null && p.channel != null) {
                p.channel.close().syncUninterruptibly();
            }
        }
    }

    private static final class Pending {
        final int identifier;
        final CompletableFuture<Exchange> result = new CompletableFuture<>();
        volatile byte[] wire;
        InetSocketAddress to;
        int code;
        int sends;
        volatile ScheduledFuture<?> timer;

        Pending(int identifier) {
            this.identifier = identifier;
        }
    }

    /** One socket: 256 identifiers, a slot per identifier in use. */
    private final class Port extends SimpleChannelInboundHandler<DatagramPacket> {
        private final Pending[] slots = new Pending[256];
        private int cursor;
        Channel channel;

        synchronized Pending allocate() {
            for (int i = 0; i < 256; i++) {
                int id = (cursor + i) & 0xff;
                if (slots[id] == null) {
                    cursor = id + 1;
                    Pending p = new Pending(id);
                    slots[id] = p;
                    return p;
                }
            }
            return null;
        }

        private synchronized boolean release(Pending p) {
            if (slots[p.identifier] == p) {
                slots[p.identifier] = null;
                return true;
            }
            return false;
        }

        private synchronized Pending pending(int identifier) {
            return slots[identifier];
        }

        void transmit(Pending p) {
            p.sends++;
            // The timer first: the answer may arrive (on another thread) before writeAndFlush returns.
            p.timer = channel.eventLoop().schedule(() -> expire(p), timeoutMillis, TimeUnit.MILLISECONDS);
            channel.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(p.wire), p.to));
        }

        private void expire(Pending p) {
            if (pending(p.identifier) != p || p.result.isDone()) {
                return;
            }
            if (p.sends < attempts) {
                retransmissions.increment();
                transmit(p);
            } else if (release(p)) {
                p.result.completeExceptionally(new TimeoutException("no answer to " + RadiusCode.name(p.code)
                        + " id " + p.identifier + " after " + p.sends + " sends"));
            }
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket msg) {
            ByteBuf buf = msg.content();
            byte[] wire = new byte[buf.readableBytes()];
            buf.readBytes(wire);
            if (wire.length < RadiusPacket.HEADER_LENGTH) {
                badAnswers.increment();
                return;
            }
            Pending p = pending(wire[1] & 0xff);
            if (p == null || p.wire == null) {
                badAnswers.increment(); // a late answer to a request already given up, or a stray datagram
                return;
            }
            byte[] requestAuthenticator = java.util.Arrays.copyOfRange(p.wire, 4, 20);
            RadiusPacket response;
            try {
                response = RadiusPacket.decode(wire);
            } catch (RadiusDecodeException e) {
                badAnswers.increment();
                return;
            }
            boolean access = p.code == RadiusCode.ACCESS_REQUEST;
            boolean rightCode = access ? response.code() == RadiusCode.ACCESS_ACCEPT
                    || response.code() == RadiusCode.ACCESS_REJECT || response.code() == RadiusCode.ACCESS_CHALLENGE
                    : response.code() == RadiusCode.ACCOUNTING_RESPONSE;
            if (!rightCode || !RadiusAuthenticators.verifyResponseAuthenticator(wire, requestAuthenticator, secret)
                    || (access && RadiusAuthenticators.verifyResponseMessageAuthenticator(wire, requestAuthenticator,
                    secret) != RadiusAuthenticators.Check.VALID)) {
                badAnswers.increment(); // not believed: the retransmission timer keeps running
                return;
            }
            if (release(p)) {
                p.timer.cancel(false);
                p.result.complete(new Exchange(response, requestAuthenticator, p.sends));
            }
        }
    }
}
