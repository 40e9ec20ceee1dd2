package org.opentwag.gtp.userplane;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The TWAG's GTP-U sockets: UDP 2152 (TS 29.281 4.4.2.3) on one Netty event loop receives every datagram for the
 * handler and sends the answers (Echo Response, Error Indication), refused rather than queued without bound when the
 * channel's write buffer is above its high-water mark. G-PDUs go out from a second, non-blocking socket on the same
 * address and an ephemeral port (TS 29.281 4.4.2.0 lets the sender choose it), written directly by the TAP reader
 * thread: no hand-over to the event loop per packet, and a full socket buffer is a counted drop.
 */
public final class GtpUEndpoint implements UserPlane.Tunnel, AutoCloseable {

    private final EventLoopGroup group = new NioEventLoopGroup(1, new DefaultThreadFactory("s2a-gtpu", true));
    private final Channel channel;
    private final DatagramChannel gpdus;

    public GtpUEndpoint(InetSocketAddress local, BiConsumer<byte[], InetSocketAddress> handler)
            throws InterruptedException {
        try {
            channel = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                    .option(ChannelOption.SO_RCVBUF, 4 << 20)
                    .option(ChannelOption.SO_SNDBUF, 4 << 20)
                    .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(1 << 20, 4 << 20))
                    .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                        @Override
                        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
                            handler.accept(ByteBufUtil.getBytes(packet.content()), packet.sender());
                        }
                    }).bind(local).sync().channel();
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
        try {
            gpdus = DatagramChannel.open();
            gpdus.setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
            gpdus.bind(new InetSocketAddress(local.getAddress(), 0));
            gpdus.configureBlocking(false);
        } catch (IOException e) {
            close();
            throw new UncheckedIOException("GTP-U send socket on " + local.getAddress(), e);
        }
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public boolean send(byte[] datagram, InetSocketAddress to) {
        try {
            return gpdus.send(ByteBuffer.wrap(datagram), to) > 0;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public boolean answer(byte[] datagram, InetSocketAddress to) {
        if (!channel.isWritable()) {
            return false;
        }
        channel.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(datagram), to), channel.voidPromise());
        return true;
    }

    @Override
    public void close() {
        if (gpdus != null) {
            try {
                gpdus.close();
            } catch (IOException e) {
                // closing: nothing left to do
            }
        }
        channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    }
}
