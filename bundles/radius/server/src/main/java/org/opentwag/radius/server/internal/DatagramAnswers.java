package org.opentwag.radius.server.internal;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.AttributeKey;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/**
 * UDP listeners whose answers leave from the thread that has them. Netty runs every write on the channel's event
 * loop: from a worker that is a task handed to the loop and, when the loop sleeps (few requests in flight, as at a
 * fixed offered rate), a selector wake-up and a thread switch per answer. A datagram needs no ordering with other
 * writes, and {@link DatagramChannel#send} is safe from any thread (it takes the socket's write lock, not the read
 * side the event loop holds), so the answer goes out with one {@code sendto} on the caller's thread; a full socket
 * buffer (the send takes nothing) or an error falls back to the event loop's write.
 */
final class DatagramAnswers {
    private static final AttributeKey<DatagramChannel> SOCKET = AttributeKey.valueOf(DatagramAnswers.class, "socket");

    private DatagramAnswers() {
    }

    /** A Netty UDP channel (as {@code new NioDatagramChannel()}) that keeps its JDK socket for {@link #send}. */
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

    /** Sends {@code answer} to {@code to} from {@code channel}'s socket: on this thread when the socket takes it. */
    static void send(Channel channel, byte[] answer, InetSocketAddress to) {
        DatagramChannel socket = channel.attr(SOCKET).get();
        if (socket != null) {
            try {
                if (socket.send(ByteBuffer.wrap(answer), to) > 0) {
                    return;
                }
            } catch (IOException | RuntimeException e) {
                // closed or failing: the event loop's write below fails or succeeds as any Netty write does
            }
        }
        channel.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(answer), to));
    }
}
