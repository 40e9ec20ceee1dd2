package org.opentwag.radius.server.internal;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.InternetProtocolFamily;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.concurrent.ThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which Netty transport the RADIUS listeners use: native epoll where its library loads (Linux x86_64: the
 * netty-transport-native-epoll fragment), else NIO. With epoll one system call reads up to {@link #DATAGRAMS_PER_READ}
 * datagrams (recvmmsg) and one sends all the answers flushed together (sendmmsg), where NIO makes one recvfrom and one
 * sendto per datagram: on the accounting path that was ~5 µs of the server's CPU per request.
 */
enum Transport {
    EPOLL, NIO;

    private static final Logger LOG = LoggerFactory.getLogger(Transport.class);
    /** Datagrams one recvmmsg call may return (1: one recvmsg per datagram, as NIO). */
    static final int DATAGRAMS_PER_READ = Math.max(1, Integer.getInteger("opentwag.radius.datagramsPerRead", 16));
    /** Set to "nio" to use NIO even where epoll is available (tests of both, or a kernel that misbehaves). */
    static final String PROPERTY = "opentwag.radius.transport";

    /** Epoll when its native library loads and the property does not ask for NIO; says which, and why, in the log. */
    static Transport choose() {
        if ("nio".equalsIgnoreCase(System.getProperty(PROPERTY, ""))) {
            LOG.info("RADIUS UDP listeners on Java NIO ({}=nio)", PROPERTY);
            return NIO;
        }
        if (epollAvailable()) {
            LOG.info("RADIUS UDP listeners on native epoll (recvmmsg/sendmmsg)");
            return EPOLL;
        }
        LOG.info("RADIUS UDP listeners on Java NIO: native epoll unavailable here ({})", epollUnavailability());
        return NIO;
    }

    private static boolean epollAvailable() {
        try {
            return Epoll.isAvailable();
        } catch (LinkageError e) { // classes-epoll bundle absent or its native fragment unresolvable
            return false;
        }
    }

    private static String epollUnavailability() {
        try {
            Throwable cause = Epoll.unavailabilityCause();
            return cause == null ? "unknown" : cause.toString();
        } catch (LinkageError e) {
            return e.toString();
        }
    }

    EventLoopGroup eventLoop(int threads, ThreadFactory threadFactory) {
        return this == EPOLL ? new EpollEventLoopGroup(threads, threadFactory) : new NioEventLoopGroup(threads, threadFactory);
    }

    Class<? extends ServerChannel> serverSocketChannel() {
        return this == EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    /** A bootstrap for one UDP listener bound to {@code address}, taking datagrams of up to {@code maxDatagram} octets. */
    Bootstrap datagram(EventLoopGroup group, InetAddress address, int maxDatagram) {
        Bootstrap b = new Bootstrap().group(group);
        if (this == EPOLL) {
            // The socket's family follows the address (an IPv4 one gets an AF_INET socket, as with NIO).
            InternetProtocolFamily family = address instanceof Inet4Address ? InternetProtocolFamily.IPv4
                    : InternetProtocolFamily.IPv6;
            b.channelFactory(() -> new EpollDatagramChannel(family));
            if (DATAGRAMS_PER_READ > 1) {
                // A buffer for several datagrams, each at most maxDatagram: recvmmsg fills them in one call.
                b.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, maxDatagram)
                        .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(maxDatagram * DATAGRAMS_PER_READ));
            } else {
                b.option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(maxDatagram));
            }
        } else {
            b.channelFactory((io.netty.channel.ChannelFactory<io.netty.channel.Channel>) DatagramAnswers::newChannel)
                    .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(maxDatagram));
        }
        return b;
    }
}
