package org.opentwag.gtp.gateway;

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
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiFunction;
import java.util.function.IntFunction;

import org.opentwag.gtp.codec.GtpDecodeException;
import org.opentwag.gtp.codec.GtpV2Message;
import org.opentwag.gtp.codec.MessageType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One GTPv2-C UDP endpoint (TS 29.274 7.6): requests sent with retransmission every T3 up to N3 times under the same
 * sequence number, responses matched by sequence number and peer, incoming requests handed to a handler whose answer
 * is kept for T3 x (N3 + 1) so that a retransmitted request is answered again, not handled twice.
 */
public final class GtpcEndpoint implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GtpcEndpoint.class);

    /** A request unanswered after N3 retransmissions. */
    public static final class NoResponse extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NoResponse(String message) {
            super(message, null, false, false);
        }
    }

    private record Pending(CompletableFuture<GtpV2Message> result, InetSocketAddress peer, byte[] octets,
                           AtomicInteger retransmissions, ScheduledFuture<?>[] timer) {
    }

    private record Answered(byte[] octets, long expiresNanos) {
    }

    private final EventLoopGroup group = new NioEventLoopGroup(1, new DefaultThreadFactory("s2a-gtpc", true));
    private final Channel channel;
    private final Duration t3;
    private final int n3;
    private final BiFunction<GtpV2Message, InetSocketAddress, GtpV2Message> requestHandler;
    private final Map<Integer, Pending> pending = new ConcurrentHashMap<>();
    private final Map<String, Answered> answered = new ConcurrentHashMap<>();
    // TS 29.274 7.6: sequence numbers of initial messages the TWAG sends; start anywhere, wrap at 2^23 so that the
    // top bit stays clear (messages with it set are triggered by the peer's commands; not used on S2a).
    private final AtomicInteger sequence = new AtomicInteger((int) (System.nanoTime() & 0x3fffff));

    final LongAdder retransmitted = new LongAdder();
    final LongAdder duplicatesAnswered = new LongAdder();
    final LongAdder malformed = new LongAdder();
    final LongAdder unmatched = new LongAdder();

    /**
     * @param local          where to bind (the configured localAddress, port 2123 normally)
     * @param requestHandler answers a request from a peer (null: no answer)
     */
    public GtpcEndpoint(InetSocketAddress local, Duration t3, int n3,
                        BiFunction<GtpV2Message, InetSocketAddress, GtpV2Message> requestHandler)
            throws InterruptedException {
        this.t3 = t3;
        this.n3 = n3;
        this.requestHandler = requestHandler;
        try {
            channel = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                    .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                        @Override
                        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
                            received(ByteBufUtil.getBytes(packet.content()), packet.sender());
                        }
                    }).bind(local).sync().channel();
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
        group.scheduleAtFixedRate(this::expireAnswers, 1, 1, TimeUnit.SECONDS);
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    /**
     * Sends the request {@code build} makes for a fresh sequence number; completes with the response, or
     * exceptionally with {@link NoResponse} after N3 retransmissions.
     */
    public CompletableFuture<GtpV2Message> request(InetSocketAddress peer, IntFunction<GtpV2Message> build) {
        int seq = sequence.updateAndGet(s -> (s + 1) & 0x7fffff);
        byte[] octets = build.apply(seq).encode();
        Pending p = new Pending(new CompletableFuture<>(), peer, octets, new AtomicInteger(),
                new ScheduledFuture<?>[1]);
        pending.put(seq, p);
        send(octets, peer);
        schedule(seq, p);
        return p.result();
    }

    private void schedule(int seq, Pending p) {
        p.timer()[0] = group.schedule(() -> {
            if (p.result().isDone()) {
                return;
            }
            if (p.retransmissions().get() >= n3) {
                pending.remove(seq, p);
                p.result().completeExceptionally(new NoResponse("no response from " + p.peer() + " after "
                        + (n3 + 1) + " transmissions (T3 " + t3.toMillis() + " ms)"));
                return;
            }
            p.retransmissions().incrementAndGet();
            retransmitted.increment();
            send(p.octets(), p.peer()); // same octets, same sequence number (TS 29.274 7.6)
            schedule(seq, p);
        }, t3.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void received(byte[] octets, InetSocketAddress sender) {
        GtpV2Message m;
        try {
            m = GtpV2Message.decode(octets);
        } catch (GtpDecodeException e) {
            malformed.increment();
            LOG.warn("GTPv2-C from {}: malformed message dropped: {}", sender, e.getMessage());
            return;
        }
        if (MessageType.isRequest(m.type())) {
            String key = sender + "/" + m.sequence();
            Answered earlier = answered.get(key);
            if (earlier != null) {
                duplicatesAnswered.increment();
                send(earlier.octets(), sender);
                return;
            }
            GtpV2Message answer;
            try {
                answer = requestHandler.apply(m, sender);
            } catch (RuntimeException e) {
                LOG.warn("GTPv2-C {} from {} not handled: {}", MessageType.name(m.type()), sender, e.toString());
                return;
            }
            if (answer != null) {
                byte[] a = answer.encode();
                answered.put(key, new Answered(a, System.nanoTime() + t3.toNanos() * (n3 + 1)));
                send(a, sender);
            }
            return;
        }
        Pending p = pending.get(m.sequence());
        if (p == null || !p.peer().equals(sender) || !pending.remove(m.sequence(), p)) {
            unmatched.increment();
            LOG.debug("GTPv2-C {} from {} matches no request (sequence {})", MessageType.name(m.type()), sender,
                    m.sequence());
            return;
        }
        if (p.timer()[0] != null) {
            p.timer()[0].cancel(false);
        }
        p.result().complete(m);
    }

    private void expireAnswers() {
        long now = System.nanoTime();
        answered.values().removeIf(a -> a.expiresNanos() - now < 0);
    }

    private void send(byte[] octets, InetSocketAddress peer) {
        channel.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(octets), peer));
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        pending.values().forEach(p -> p.result().completeExceptionally(new NoResponse("endpoint closed")));
        pending.clear();
    }
}
