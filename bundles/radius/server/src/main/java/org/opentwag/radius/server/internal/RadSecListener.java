package org.opentwag.radius.server.internal;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.ServerChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.io.File;
import java.net.InetSocketAddress;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.opentwag.radius.codec.RadiusCode;
import org.opentwag.radius.server.RadiusServerStatistics.DropReason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RADIUS over TLS (RadSec, RFC 6614) on TCP: TLS 1.2/1.3 with a client certificate that must chain to the configured
 * CA, the access point group chosen by the certificate's names, then the same dispatcher as UDP with the fixed shared
 * secret "radsec". Authentication and accounting share the one port; the packet code says which.
 */
public final class RadSecListener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RadSecListener.class);
    private static final int MAX_PACKET = 4096;

    private final RadSecSettings settings;
    private final AccessPointGroups accessPointGroups;
    private final RadiusDispatcher dispatcher;
    private final EventLoopGroup eventLoop;
    /** The server socket type that matches {@code eventLoop} (NIO or epoll). */
    private final Class<? extends ServerChannel> channelType;
    private final SslContext sslContext;
    private final AtomicInteger connections = new AtomicInteger();
    private final SourceLogLimiter refusedLog = new SourceLogLimiter(TimeUnit.SECONDS.toNanos(10), 10_000, System::nanoTime);
    private Channel serverChannel;

    public RadSecListener(RadSecSettings settings, AccessPointGroups accessPointGroups, RadiusDispatcher dispatcher,
                          EventLoopGroup eventLoop, Class<? extends ServerChannel> channelType) throws Exception {
        this.channelType = channelType;
        this.settings = settings;
        this.accessPointGroups = accessPointGroups;
        this.dispatcher = dispatcher;
        this.eventLoop = eventLoop;
        this.sslContext = SslContextBuilder.forServer(new File(settings.certificate()), new File(settings.privateKey()))
                .sslProvider(SslProvider.JDK)
                .trustManager(new File(settings.caCertificates()))
                .clientAuth(ClientAuth.REQUIRE)
                .protocols(settings.protocols())
                .build();
    }

    /** Binds the TCP port; returns the port bound (useful with 0). */
    public synchronized int start() throws InterruptedException {
        ServerBootstrap bootstrap = new ServerBootstrap().group(eventLoop).channel(channelType)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (connections.incrementAndGet() > settings.maxConnections()) {
                            connections.decrementAndGet();
                            dispatcher.countDrop(DropReason.OVERLOAD);
                            ch.close();
                            return;
                        }
                        ch.closeFuture().addListener(f -> connections.decrementAndGet());
                        SslHandler ssl = sslContext.newHandler(ch.alloc());
                        ssl.setHandshakeTimeoutMillis(10_000);
                        ch.pipeline()
                                .addLast("tls", ssl)
                                .addLast("idle", new IdleStateHandler(settings.idleTimeoutSeconds(), 0, 0))
                                // RFC 6614 2.5: packets follow each other on the stream, framed by their Length field.
                                .addLast("framer", new LengthFieldBasedFrameDecoder(MAX_PACKET, 2, 2, -4, 0, true))
                                .addLast("radius", new Connection());
                    }
                });
        serverChannel = bootstrap.bind(new InetSocketAddress(settings.bindAddress(), settings.port())).sync().channel();
        int port = ((InetSocketAddress) serverChannel.localAddress()).getPort();
        LOG.info("RadSec (RADIUS over TLS, {}) listening on port {}", String.join("/", settings.protocols()), port);
        return port;
    }

    /** One TLS connection from one RadSec client. */
    private final class Connection extends SimpleChannelInboundHandler<ByteBuf> {
        private AccessPointGroup group;
        private InetSocketAddress remote;
        private int localPort;

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            remote = (InetSocketAddress) ctx.channel().remoteAddress();
            localPort = ((InetSocketAddress) ctx.channel().localAddress()).getPort();
            super.channelActive(ctx);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof SslHandshakeCompletionEvent handshake) {
                if (!handshake.isSuccess()) {
                    refuse(ctx, "TLS handshake failed: " + handshake.cause().getMessage());
                    return;
                }
                SslHandler ssl = ctx.pipeline().get(SslHandler.class);
                List<String> names = certificateNames(ssl);
                AccessPointGroup matched = accessPointGroups.matchCertificate(names).orElse(null);
                if (matched == null) {
                    refuse(ctx, "client certificate " + names + " matches no client group's tlsPeerNames");
                    return;
                }
                if (!matched.allowsAnySource() && matched.subnets().stream().noneMatch(s -> s.contains(remote.getAddress()))) {
                    refuse(ctx, "client certificate " + names + " of group '" + matched.name()
                            + "' used from an address outside the group's subnets");
                    return;
                }
                group = matched.overTls();
                LOG.info("RadSec connection from {} ({}, {}) for client group '{}'", address(), names,
                        ssl.engine().getSession().getProtocol(), group.name());
            } else if (evt instanceof IdleStateEvent) {
                LOG.debug("RadSec connection from {} idle for {} s: closed", address(), settings.idleTimeoutSeconds());
                ctx.close();
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
            if (group == null) {
                return; // the handshake event comes first; nothing is read before it
            }
            byte[] packet = ByteBufUtil.getBytes(frame);
            int code = packet[0] & 0xff;
            RadiusDispatcher.Port kind = code == RadiusCode.ACCOUNTING_REQUEST
                    ? RadiusDispatcher.Port.ACCT : RadiusDispatcher.Port.AUTH;
            Channel channel = ctx.channel();
            dispatcher.onPacket(packet, group, remote, localPort, kind,
                    answer -> channel.writeAndFlush(Unpooled.wrappedBuffer(answer)));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (cause instanceof DecoderException && !(cause.getCause() instanceof javax.net.ssl.SSLException)) {
                // A Length field outside 20..4096 leaves no way to find the next packet on the stream: close.
                dispatcher.countDrop(DropReason.MALFORMED);
                if (refusedLog.shouldLog(remote.getAddress())) {
                    LOG.warn("From {}: malformed RadSec stream, connection closed: {}", address(), cause.getMessage());
                }
            } else {
                LOG.debug("RadSec connection from {} failed: {}", address(), cause.toString());
            }
            ctx.close();
        }

        private void refuse(ChannelHandlerContext ctx, String why) {
            dispatcher.countDrop(DropReason.TLS_REFUSED);
            if (refusedLog.shouldLog(remote.getAddress())) {
                LOG.warn("From {}: RadSec connection refused: {}", address(), why);
            }
            ctx.close();
        }

        private String address() {
            return remote == null ? "?" : remote.getAddress().getHostAddress() + ":" + remote.getPort();
        }
    }

    /** Subject CN and DNS subjectAltNames of the verified client certificate. */
    static List<String> certificateNames(SslHandler ssl) {
        List<String> names = new ArrayList<>();
        try {
            X509Certificate cert = (X509Certificate) ssl.engine().getSession().getPeerCertificates()[0];
            Collection<List<?>> alternatives = cert.getSubjectAlternativeNames();
            if (alternatives != null) {
                for (List<?> alt : alternatives) {
                    if (alt.size() >= 2 && Integer.valueOf(2).equals(alt.get(0))) { // 2 = dNSName
                        names.add(String.valueOf(alt.get(1)));
                    }
                }
            }
            for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
                if ("CN".equalsIgnoreCase(rdn.getType())) {
                    names.add(String.valueOf(rdn.getValue()));
                }
            }
        } catch (SSLPeerUnverifiedException | CertificateParsingException | javax.naming.InvalidNameException e) {
            LOG.debug("cannot read the client certificate's names: {}", e.toString());
        }
        return List.copyOf(new java.util.LinkedHashSet<>(names));
    }

    @Override
    public synchronized void close() {
        if (serverChannel != null) {
            serverChannel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
            serverChannel = null;
        }
    }
}
