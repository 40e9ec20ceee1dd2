package org.opentwag.radius.server.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.AttributeKey;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/**
 * NIO UDP listeners whose answers can leave from the thread that has them. Netty runs every write on the channel's event
 * loop: from a worker that is a task handed to the loop and, when the loop sleeps (few requests in flight, as at a
 * fixed offered rate), a selector wake-up and a thread switch per answer. A datagram needs no ordering with other
 * writes, and {@link DatagramChannel#send} is safe from any thread (it takes the socket's write lock, not the read
 * side the event loop holds), so the answer goes out with one {@code sendto} on the caller's thread; a full socket
 * buffer (the send takes nothing) or an error falls back to the event loop's write. (Native epoll listeners have no
 * JDK socket: their answers are queued and leave in one sendmmsg per burst, see {@link Transport}.)
 */
final class DatagramAnswers {
    private static final AttributeKey<DatagramChannel> SOCKET = AttributeKey.valueOf(DatagramAnswers.class, "socket");

    private DatagramAnswers() {
    }

    /** A Netty UDP channel (as {@code new NioDatagramChannel()}) that keeps its JDK socket for {@link #trySend}. */
    static NioDatagramChannel newChannel() {
        DatagramChannel socket;
        try {
            socket = DatagramChannel.open();
        } catch (IOException e) {
            throw new ChannelException("cannot open a UDP socket", e);
        }
        NioDatagramChannel channel = new NioDatagramChannel(socket);
        channel.attr(SOCKET).set(socket);
        return channel;
    }

    /**
     * Sends {@code answer} to {@code to} from {@code channel}'s socket on this thread; false when the channel has no
     * JDK socket (epoll), the socket buffer is full or the send fails: the caller then writes through the event loop.
     */
    static boolean trySend(Channel channel, byte[] answer, InetSocketAddress to) {
        DatagramChannel socket = channel.attr(SOCKET).get();
        if (socket == null) {
            return false;
        }
        try {
            return socket.send(ByteBuffer.wrap(answer), to) > 0;
        } catch (IOException | RuntimeException e) {
            return false; // closed or failing: the event loop's write fails or succeeds as any Netty write does
        }
    }
}
