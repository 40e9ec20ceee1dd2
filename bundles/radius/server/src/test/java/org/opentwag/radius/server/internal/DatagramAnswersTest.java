package org.opentwag.radius.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.nio.NioEventLoopGroup;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Answers leave from the listener's socket on the caller's thread, not through the event loop. */
class DatagramAnswersTest {
    private NioEventLoopGroup loop;
    private Channel channel;
    private DatagramSocket ap;

    @BeforeEach
    void listen() throws Exception {
        loop = new NioEventLoopGroup(1);
        channel = new Bootstrap().group(loop)
                .channelFactory((io.netty.channel.ChannelFactory<Channel>) DatagramAnswers::newChannel)
                .handler(new ChannelInboundHandlerAdapter())
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
        ap = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        ap.setSoTimeout(10_000);
    }

    @AfterEach
    void close() throws Exception {
        ap.close();
        channel.close().sync();
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    @Test
    void answerLeavesFromTheListenersPortWhileItsEventLoopIsBusy() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blocked = new CountDownLatch(1);
        // The event loop is held: an answer that needed it could not leave until the latch opens.
        loop.execute(() -> {
            blocked.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(blocked.await(10, TimeUnit.SECONDS)).isTrue();
        try {
            byte[] answer = {2, 7, 0, 4};
            assertThat(DatagramAnswers.trySend(channel, answer, (InetSocketAddress) ap.getLocalSocketAddress())).isTrue();
            DatagramPacket received = new DatagramPacket(new byte[64], 64);
            ap.receive(received);
            assertThat(Arrays.copyOf(received.getData(), received.getLength())).isEqualTo(answer);
            assertThat(received.getPort()).isEqualTo(((InetSocketAddress) channel.localAddress()).getPort());
        } finally {
            release.countDown();
        }
    }

    @Test
    void answerAfterTheListenerClosedIsNotSentAndSaysSo() throws Exception {
        channel.close().sync();
        assertThat(DatagramAnswers.trySend(channel, new byte[] {2, 7, 0, 4}, (InetSocketAddress) ap.getLocalSocketAddress()))
                .isFalse();
        ap.setSoTimeout(200);
        DatagramPacket received = new DatagramPacket(new byte[64], 64);
        try {
            ap.receive(received);
            throw new AssertionError("a closed listener sent an answer");
        } catch (java.net.SocketTimeoutException expected) {
            // nothing sent, nothing thrown
        }
    }
}
