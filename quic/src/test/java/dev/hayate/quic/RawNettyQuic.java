package dev.hayate.quic;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.quic.DefaultQuicStreamFrame;
import io.netty.handler.codec.quic.EpollQuicUtils;
import io.netty.handler.codec.quic.InsecureQuicTokenHandler;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicChannelBootstrap;
import io.netty.handler.codec.quic.QuicChannelOption;
import io.netty.handler.codec.quic.QuicClientCodecBuilder;
import io.netty.handler.codec.quic.QuicServerCodecBuilder;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.HdrHistogram.Histogram;

/**
 * Netty's native QUIC codec used directly, the way an application would without Hayate: the bench's
 * baseline for what this module's layer costs. Event-loop driven: the client writes while the stream is
 * writable and the server counts bytes on its loop. Same socket setup as the Netty backend (epoll with
 * recvmmsg and GSO where available, 4 MiB socket buffers, 1452-byte datagrams), so the difference is
 * the layer, not the tuning.
 *
 * <p>Thread-safety: each call builds and tears down its own endpoints; calls are independent.
 */
public final class RawNettyQuic
{
    private static final int CHUNK = 256 * 1024;

    private RawNettyQuic()
    {
    }

    private static final class Endpoints implements AutoCloseable
    {
        final boolean epoll = io.netty.channel.epoll.Epoll.isAvailable();
        final EventLoopGroup serverGroup = new MultiThreadIoEventLoopGroup(1,
            new DefaultThreadFactory("raw-quic-server", true),
            epoll ? io.netty.channel.epoll.EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        final EventLoopGroup clientGroup = new MultiThreadIoEventLoopGroup(1,
            new DefaultThreadFactory("raw-quic-client", true),
            epoll ? io.netty.channel.epoll.EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        final Channel server;
        final Channel client;
        final QuicChannel quic;

        Endpoints(final ChannelHandler serverStreamHandler) throws Exception
        {
            final Tls.Identity identity = Tls.selfSigned(List.of("localhost"));
            final QuicSslContext serverSsl = QuicSslContextBuilder
                .forServer(identity.key(), null, identity.chain().toArray(new X509Certificate[0]))
                .applicationProtocols("raw").build();
            final QuicServerCodecBuilder serverBuilder = new QuicServerCodecBuilder();
            if (epoll)
            {
                serverBuilder.option(QuicChannelOption.SEGMENTED_DATAGRAM_PACKET_ALLOCATOR,
                    EpollQuicUtils.newSegmentedAllocator(16));
            }
            final ChannelHandler serverCodec = serverBuilder.sslContext(serverSsl)
                .maxRecvUdpPayloadSize(1452).maxSendUdpPayloadSize(1452)
                .maxIdleTimeout(30, TimeUnit.SECONDS).initialMaxData(32L << 20)
                .initialMaxStreamDataBidirectionalLocal(8L << 20).initialMaxStreamDataBidirectionalRemote(8L << 20)
                .initialMaxStreamsBidirectional(16).tokenHandler(InsecureQuicTokenHandler.INSTANCE)
                .handler(new ChannelInboundHandlerAdapter()).streamHandler(serverStreamHandler).build();
            server = udp(serverGroup, epoll).handler(serverCodec)
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
            final QuicSslContext clientSsl = QuicSslContextBuilder.forClient()
                .trustManager(Tls.trustingCa(identity.chainPem(), "localhost")).endpointIdentificationAlgorithm(null)
                .applicationProtocols("raw").build();
            final ChannelHandler clientCodec = new QuicClientCodecBuilder().sslContext(clientSsl)
                .maxRecvUdpPayloadSize(1452).maxSendUdpPayloadSize(1452)
                .maxIdleTimeout(30, TimeUnit.SECONDS).initialMaxData(32L << 20)
                .initialMaxStreamDataBidirectionalLocal(8L << 20).initialMaxStreamDataBidirectionalRemote(8L << 20)
                .build();
            client = udp(clientGroup, epoll).handler(clientCodec)
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
            final QuicChannelBootstrap bootstrap = QuicChannel.newBootstrap(client);
            if (epoll)
            {
                bootstrap.option(QuicChannelOption.SEGMENTED_DATAGRAM_PACKET_ALLOCATOR,
                    EpollQuicUtils.newSegmentedAllocator(16));
            }
            quic = bootstrap.handler(new ChannelInboundHandlerAdapter())
                .streamHandler(new ChannelInboundHandlerAdapter())
                .remoteAddress(server.localAddress()).connect().get(10, TimeUnit.SECONDS);
        }

        private static Bootstrap udp(final EventLoopGroup group, final boolean epoll)
        {
            final Bootstrap bootstrap = new Bootstrap().group(group)
                .option(ChannelOption.SO_RCVBUF, 4 << 20).option(ChannelOption.SO_SNDBUF, 4 << 20);
            if (epoll)
            {
                return bootstrap.channel(EpollDatagramChannel.class)
                    .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, 1452)
                    .option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(1452 * 16));
            }
            return bootstrap.channel(NioDatagramChannel.class);
        }

        @Override
        public void close()
        {
            quic.close();
            client.close();
            server.close();
            clientGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            serverGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    /**
     * @param bytes to move through one stream.
     * @return nanoseconds from stream creation to the server seeing end of stream.
     * @throws Exception on failure or after a minute without completion.
     */
    public static long transfer(final long bytes) throws Exception
    {
        final CompletableFuture<Long> done = new CompletableFuture<>();
        final ChannelHandler counter = new ChannelInboundHandlerAdapter()
        {
            private long received;

            @Override
            public boolean isSharable()
            {
                return true;
            }

            @Override
            public void channelRead(final ChannelHandlerContext ctx, final Object msg)
            {
                final ByteBuf buffer = (ByteBuf)msg;
                received += buffer.readableBytes();
                buffer.release();
            }

            @Override
            public void userEventTriggered(final ChannelHandlerContext ctx, final Object event)
            {
                if (event instanceof ChannelInputShutdownEvent)
                {
                    done.complete(received);
                    ctx.close();
                }
            }
        };
        try (Endpoints endpoints = new Endpoints(counter))
        {
            final ByteBuf chunk = Unpooled.directBuffer(CHUNK).writeZero(CHUNK);
            final long start = System.nanoTime();
            endpoints.quic.createStream(QuicStreamType.BIDIRECTIONAL, new ChannelInboundHandlerAdapter()
            {
                private long sent;

                @Override
                public void channelActive(final ChannelHandlerContext ctx)
                {
                    write(ctx);
                }

                @Override
                public void channelWritabilityChanged(final ChannelHandlerContext ctx)
                {
                    write(ctx);
                }

                private void write(final ChannelHandlerContext ctx)
                {
                    while (sent < bytes && ctx.channel().isWritable())
                    {
                        final int n = (int)Math.min(CHUNK, bytes - sent);
                        ctx.write(chunk.retainedSlice(0, n));
                        sent += n;
                    }
                    if (sent == bytes)
                    {
                        sent++;
                        ctx.write(new DefaultQuicStreamFrame(Unpooled.EMPTY_BUFFER, true));
                    }
                    ctx.flush();
                }
            }).sync();
            final long received = done.get(5, TimeUnit.MINUTES);
            final long took = System.nanoTime() - start;
            if (Boolean.getBoolean("quic.bench.stats"))
            {
                System.out.println("  raw netty client stats: " + endpoints.quic.collectStats().get(1, TimeUnit.SECONDS) +
                    " path " + endpoints.quic.collectPathStats(0).get(1, TimeUnit.SECONDS));
            }
            chunk.release();
            if (received != bytes)
            {
                throw new IllegalStateException("received " + received + " of " + bytes);
            }
            return took;
        }
    }

    /**
     * @param count round trips measured after {@code count / 5} of warm-up.
     * @return round-trip times in nanoseconds, measured on the client's event loop.
     * @throws Exception on failure.
     */
    public static Histogram pingPong(final int count) throws Exception
    {
        final ChannelHandler echo = new ChannelInboundHandlerAdapter()
        {
            @Override
            public boolean isSharable()
            {
                return true;
            }

            @Override
            public void channelRead(final ChannelHandlerContext ctx, final Object msg)
            {
                ctx.writeAndFlush(msg);
            }
        };
        final Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        final CompletableFuture<Void> done = new CompletableFuture<>();
        final int warmup = count / 5;
        try (Endpoints endpoints = new Endpoints(echo))
        {
            final QuicStreamChannel stream = endpoints.quic.createStream(QuicStreamType.BIDIRECTIONAL,
                new ChannelInboundHandlerAdapter()
                {
                    private int round;
                    private int pending;
                    private long start;

                    @Override
                    public void channelActive(final ChannelHandlerContext ctx)
                    {
                        ping(ctx);
                    }

                    private void ping(final ChannelHandlerContext ctx)
                    {
                        pending = 64;
                        start = System.nanoTime();
                        ctx.writeAndFlush(Unpooled.directBuffer(64).writeZero(64));
                    }

                    @Override
                    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
                    {
                        final ByteBuf buffer = (ByteBuf)msg;
                        pending -= buffer.readableBytes();
                        buffer.release();
                        if (pending > 0)
                        {
                            return;
                        }
                        if (round++ >= warmup)
                        {
                            histogram.recordValue(System.nanoTime() - start);
                        }
                        if (round < warmup + count)
                        {
                            ping(ctx);
                        }
                        else
                        {
                            done.complete(null);
                        }
                    }
                }).get(10, TimeUnit.SECONDS);
            done.get(5, TimeUnit.MINUTES);
            stream.close();
        }
        return histogram;
    }
}
