package org.opentwag.metrics.exposition;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.prometheus.client.exporter.common.TextFormat;

/**
 * A small HTTP server answering {@code GET /metrics} in the Prometheus text format.
 * Netty keeps it out of the servlet container, so metrics stay up even while the dashboard is being updated.
 */
public final class MetricsHttpServer implements AutoCloseable {

    private final SourceCollector sources;
    /** null: no login asked (the endpoint's default, on loopback only). */
    private final BasicAuth auth;
    private final AtomicLong unauthorized = new AtomicLong();
    private final EventLoopGroup group = new NioEventLoopGroup(1);
    private final Channel channel;

    public MetricsHttpServer(SourceCollector sources, InetSocketAddress bind) throws InterruptedException {
        this(sources, bind, null);
    }

    /** With {@code auth}, every request must carry its user and password (else 401). */
    public MetricsHttpServer(SourceCollector sources, InetSocketAddress bind, BasicAuth auth) throws InterruptedException {
        this.sources = sources;
        this.auth = auth;
        this.channel = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(8192), new Handler());
                    }
                })
                .bind(bind).sync().channel();
    }

    /** Requests refused for missing or wrong credentials since start. */
    public long unauthorizedCount() {
        return unauthorized.get();
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).awaitUninterruptibly();
    }

    private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) throws IOException {
            String path = new QueryStringDecoder(req.uri()).path();
            FullHttpResponse resp;
            if (auth != null && !auth.accepts(req.headers().get(HttpHeaderNames.AUTHORIZATION))) {
                unauthorized.incrementAndGet();
                resp = text(ctx, HttpResponseStatus.UNAUTHORIZED, "login required\n");
                resp.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Basic realm=\"metrics\", charset=\"UTF-8\"");
            } else if (!HttpMethod.GET.equals(req.method()) && !HttpMethod.HEAD.equals(req.method())) {
                resp = text(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, "only GET\n");
            } else if (path.equals("/metrics") || path.equals("/")) {
                ByteBuf body = ctx.alloc().buffer(16384);
                try (Writer w = new OutputStreamWriter(new ByteBufOutputStream(body), StandardCharsets.UTF_8)) {
                    sources.write(w);
                } catch (IOException | RuntimeException e) {
                    body.release();
                    throw e;
                }
                resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, body);
                resp.headers().set(HttpHeaderNames.CONTENT_TYPE, TextFormat.CONTENT_TYPE_004);
            } else {
                resp = text(ctx, HttpResponseStatus.NOT_FOUND, "see /metrics\n");
            }
            HttpUtil.setContentLength(resp, resp.content().readableBytes());
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            HttpUtil.setKeepAlive(resp, keepAlive);
            var f = ctx.writeAndFlush(resp);
            if (!keepAlive) {
                f.addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }

        private FullHttpResponse text(ChannelHandlerContext ctx, HttpResponseStatus status, String s) {
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                    ctx.alloc().buffer().writeBytes(s.getBytes(StandardCharsets.UTF_8)));
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
            return r;
        }
    }
}
