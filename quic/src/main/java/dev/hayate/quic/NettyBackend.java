package dev.hayate.quic;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.quic.DefaultQuicStreamFrame;
import io.netty.handler.codec.quic.InsecureQuicTokenHandler;
import io.netty.handler.codec.quic.Quic;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicClientCodecBuilder;
import io.netty.handler.codec.quic.QuicCodecBuilder;
import io.netty.handler.codec.quic.QuicConnectionCloseEvent;
import io.netty.handler.codec.quic.QuicConnectionPathStats;
import io.netty.handler.codec.quic.QuicServerCodecBuilder;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamResetException;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;

/**
 * The backend over Netty's native QUIC codec (quiche through JNI). One event-loop thread per endpoint
 * does all QUIC work; application threads only touch the stream queues and hand work to the loop.
 *
 * <p>Thread-safety: safe for concurrent use; everything that touches a Netty channel runs on its
 * event loop.
 */
final class NettyBackend implements Backend
{
    private static final AttributeKey<NettyConnection> CONNECTION = AttributeKey.valueOf("hayate.quic.connection");
    /** Largest UDP payload sent or accepted: Ethernet's 1500 less IPv6 and UDP headers. */
    private static final int MAX_DATAGRAM = 1452;
    /** Datagrams handed to the kernel in one send with segmentation offload. */
    private static final int GSO_SEGMENTS = 16;

    private final QuicConfig config;
    private final QuicEndpoint endpoint;
    private final EventLoopGroup group;
    private final boolean epoll;
    private volatile Channel serverChannel;

    NettyBackend(final QuicConfig config, final QuicEndpoint endpoint)
    {
        this.config = config;
        this.endpoint = endpoint;
        epoll = config.nettyEpoll() && epollAvailable();
        // Daemon threads: a forgotten endpoint must not keep the JVM alive.
        group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("hayate-quic-netty", true),
            epoll ? io.netty.channel.epoll.EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    }

    static boolean available()
    {
        try
        {
            return Quic.isAvailable();
        }
        catch (final Throwable ex)
        {
            return false;
        }
    }

    private static boolean epollAvailable()
    {
        try
        {
            return io.netty.channel.epoll.Epoll.isAvailable();
        }
        catch (final Throwable ex)
        {
            return false;
        }
    }

    /**
     * A UDP socket bootstrap: epoll with recvmmsg batches where available, NIO otherwise; large socket
     * buffers, because a burst that overflows the receive buffer is loss, and loss halves the
     * congestion window.
     */
    private Bootstrap datagramBootstrap(final ChannelHandler codec)
    {
        final Bootstrap bootstrap = new Bootstrap().group(group)
            .option(ChannelOption.SO_RCVBUF, 4 << 20)
            .option(ChannelOption.SO_SNDBUF, 4 << 20)
            .handler(codec);
        if (epoll)
        {
            bootstrap.channel(io.netty.channel.epoll.EpollDatagramChannel.class)
                .option(io.netty.channel.epoll.EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_DATAGRAM)
                .option(ChannelOption.RECVBUF_ALLOCATOR, new io.netty.channel.FixedRecvByteBufAllocator(MAX_DATAGRAM * 16));
        }
        else
        {
            bootstrap.channel(NioDatagramChannel.class);
        }
        return bootstrap;
    }

    static String unavailabilityReason()
    {
        try
        {
            final Throwable cause = Quic.unavailabilityCause();
            return cause == null ? "unknown" : cause.toString();
        }
        catch (final Throwable ex)
        {
            return ex.toString();
        }
    }

    @Override
    public String name()
    {
        return epoll ? "netty-quic-epoll" : "netty-quic-nio";
    }

    private <B extends QuicCodecBuilder<B>> B transportParameters(final B builder)
    {
        return builder
            .maxIdleTimeout(config.idleTimeout().toMillis(), TimeUnit.MILLISECONDS)
            .initialMaxData(config.connectionWindowBytes())
            .initialMaxStreamDataBidirectionalLocal(config.streamWindowBytes())
            .initialMaxStreamDataBidirectionalRemote(config.streamWindowBytes())
            .initialMaxStreamsBidirectional(config.maxPeerStreams())
            .initialMaxStreamsUnidirectional(0)
            .maxRecvUdpPayloadSize(MAX_DATAGRAM)
            .maxSendUdpPayloadSize(MAX_DATAGRAM);
    }

    @Override
    public InetSocketAddress listen() throws IOException
    {
        final Tls.Identity identity = endpoint.identity();
        final QuicSslContext ssl = QuicSslContextBuilder
            .forServer(identity.key(), null, identity.chain().toArray(new X509Certificate[0]))
            .applicationProtocols(config.applicationProtocol())
            .build();
        final QuicServerCodecBuilder builder = transportParameters(new QuicServerCodecBuilder());
        if (epoll)
        {
            builder.option(io.netty.handler.codec.quic.QuicChannelOption.SEGMENTED_DATAGRAM_PACKET_ALLOCATOR,
                io.netty.handler.codec.quic.EpollQuicUtils.newSegmentedAllocator(GSO_SEGMENTS));
        }
        final ChannelHandler codec = builder
            .sslContext(ssl)
            .tokenHandler(InsecureQuicTokenHandler.INSTANCE)
            .handler(new ConnectionHandler(false))
            .streamHandler(new StreamInitializer())
            .build();
        try
        {
            final Channel channel = datagramBootstrap(codec).bind(config.bindAddress()).sync().channel();
            serverChannel = channel;
            return (InetSocketAddress)channel.localAddress();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while binding " + config.bindAddress(), ex);
        }
        catch (final RuntimeException ex)
        {
            throw new IOException("cannot bind " + config.bindAddress() + ": " + ex.getMessage(), ex);
        }
    }

    @Override
    public QuicConnection connect(final InetSocketAddress remote, final String serverName, final long timeoutNanos)
        throws IOException
    {
        final javax.net.ssl.X509TrustManager trust = config.trustAnyCertificate() ? Tls.trustingAnything() :
            Tls.trustingCa(config.trustedCaPem(), serverName);
        final QuicSslContext ssl = QuicSslContextBuilder.forClient()
            .trustManager(trust)
            // Our trust manager checks the name itself, the same way for both backends.
            .endpointIdentificationAlgorithm(null)
            .applicationProtocols(config.applicationProtocol())
            .build();
        final ChannelHandler codec = transportParameters(new QuicClientCodecBuilder())
            .sslEngineProvider(q -> ssl.newEngine(q.alloc(), serverName, remote.getPort()))
            .build();
        final long deadline = System.nanoTime() + timeoutNanos;
        Channel datagram = null;
        try
        {
            final InetSocketAddress local = new InetSocketAddress(config.clientBindFor(remote), 0);
            datagram = datagramBootstrap(codec).bind(local).sync().channel();
            final ConnectionHandler handler = new ConnectionHandler(true);
            final io.netty.handler.codec.quic.QuicChannelBootstrap quicBootstrap = QuicChannel.newBootstrap(datagram);
            if (epoll)
            {
                quicBootstrap.option(io.netty.handler.codec.quic.QuicChannelOption.SEGMENTED_DATAGRAM_PACKET_ALLOCATOR,
                    io.netty.handler.codec.quic.EpollQuicUtils.newSegmentedAllocator(GSO_SEGMENTS));
            }
            final Future<QuicChannel> future = quicBootstrap
                .handler(handler)
                .streamHandler(new StreamInitializer())
                .remoteAddress(remote)
                .connect();
            final QuicChannel quic;
            try
            {
                quic = future.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            catch (final TimeoutException ex)
            {
                // Not cancelled: closing the socket (finally) fails the attempt inside Netty cleanly.
                throw new QuicException(QuicException.Kind.HANDSHAKE, QuicException.NO_CODE,
                    "handshake with " + remote + " (" + serverName + ") timed out after " +
                    QuicEndpoint.millis(timeoutNanos) + " ms", ex);
            }
            catch (final ExecutionException ex)
            {
                final Throwable cause = ex.getCause();
                final java.security.cert.CertificateException rejection =
                    trust instanceof Tls.NameChecking ? ((Tls.NameChecking)trust).rejection() : null;
                throw new QuicException(QuicException.Kind.HANDSHAKE, QuicException.NO_CODE,
                    "handshake with " + remote + " (" + serverName + ") failed: " +
                    (rejection != null ? rejection.getMessage() + " (" + QuicException.describe(cause) + ")" :
                        QuicException.describe(cause)), cause);
            }
            final Channel udp = datagram;
            quic.closeFuture().addListener(f -> udp.close());
            datagram = null;
            final NettyConnection connection = connectionOf(quic, true);
            // The handshake completion event may not have reached the handler yet; the future's success is proof enough.
            connection.established();
            return connection.owner;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new QuicException(QuicException.Kind.HANDSHAKE, QuicException.NO_CODE,
                "interrupted while connecting to " + remote, ex);
        }
        finally
        {
            if (datagram != null)
            {
                datagram.close();
            }
        }
    }

    @Override
    public void close()
    {
        final Channel channel = serverChannel;
        if (channel != null)
        {
            channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        // A short quiet period lets CONNECTION_CLOSE frames leave before the loop stops.
        group.shutdownGracefully(20, 2000, TimeUnit.MILLISECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    }

    private NettyConnection connectionOf(final QuicChannel channel, final boolean client)
    {
        NettyConnection connection = channel.attr(CONNECTION).get();
        if (connection == null)
        {
            final NettyConnection created = new NettyConnection(channel, client);
            connection = channel.attr(CONNECTION).setIfAbsent(created);
            if (connection == null)
            {
                connection = created;
            }
        }
        return connection;
    }

    /**
     * Connection-level events on the QuicChannel's pipeline (event loop).
     */
    private final class ConnectionHandler extends ChannelInboundHandlerAdapter
    {
        private final boolean client;

        ConnectionHandler(final boolean client)
        {
            this.client = client;
        }

        @Override
        public boolean isSharable()
        {
            return !client;
        }

        @Override
        public void userEventTriggered(final ChannelHandlerContext ctx, final Object event) throws Exception
        {
            if (event instanceof SslHandshakeCompletionEvent)
            {
                final SslHandshakeCompletionEvent handshake = (SslHandshakeCompletionEvent)event;
                if (handshake.isSuccess() && !client)
                {
                    connectionOf((QuicChannel)ctx.channel(), false).established();
                }
            }
            else if (event instanceof QuicConnectionCloseEvent)
            {
                connectionOf((QuicChannel)ctx.channel(), client).peerClose = (QuicConnectionCloseEvent)event;
            }
            super.userEventTriggered(ctx, event);
        }

        @Override
        public void channelInactive(final ChannelHandlerContext ctx) throws Exception
        {
            connectionOf((QuicChannel)ctx.channel(), client).inactive();
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
        {
            connectionOf((QuicChannel)ctx.channel(), client).failure = cause;
        }
    }

    /**
     * Adds a {@link NettyStream} to every stream the peer opens.
     */
    private final class StreamInitializer extends ChannelInboundHandlerAdapter
    {
        @Override
        public boolean isSharable()
        {
            return true;
        }

        @Override
        public void handlerAdded(final ChannelHandlerContext ctx)
        {
            final QuicStreamChannel channel = (QuicStreamChannel)ctx.channel();
            final NettyConnection connection = connectionOf(channel.parent(), endpoint.localAddress() == null);
            final QuicStream stream = new QuicStream(connection.owner, channel.streamId(), false, config);
            final NettyStream handler = new NettyStream(channel, stream);
            stream.attach(handler);
            ctx.pipeline().replace(this, "hayate-stream", handler);
            connection.owner.onPeerStream(stream);
        }
    }

    /**
     * Ties a QuicChannel to its {@link QuicConnection}.
     */
    private final class NettyConnection implements BackendConnection
    {
        final QuicChannel channel;
        final QuicConnection owner;
        private final AtomicBoolean establishedOnce = new AtomicBoolean();
        volatile QuicConnectionCloseEvent peerClose;
        volatile Throwable failure;
        volatile boolean localClose;
        private volatile long rttNanos;

        NettyConnection(final QuicChannel channel, final boolean client)
        {
            this.channel = channel;
            this.owner = new QuicConnection(config, client);
        }

        void established()
        {
            if (establishedOnce.compareAndSet(false, true))
            {
                owner.attach(this);
                if (!owner.isClient())
                {
                    endpoint.onAccepted(owner);
                }
            }
        }

        void inactive()
        {
            if (!establishedOnce.get())
            {
                return;
            }
            final QuicConnectionCloseEvent close = peerClose;
            final QuicException cause;
            if (close != null)
            {
                final String reason = close.reason() == null ? "" : new String(close.reason(), StandardCharsets.UTF_8);
                cause = new QuicException(QuicException.Kind.CONNECTION_CLOSED, close.error(),
                    "connection closed by peer with " + (close.isApplicationClose() ? "application" : "transport") +
                    " code " + close.error() + ": " + reason, null);
            }
            else if (channel.isTimedOut())
            {
                cause = new QuicException(QuicException.Kind.CONNECTION_CLOSED, QuicException.NO_CODE,
                    "connection closed: idle timeout of " + config.idleTimeout().toMillis() + " ms expired", null);
            }
            else
            {
                final Throwable t = failure;
                cause = new QuicException(QuicException.Kind.CONNECTION_CLOSED, QuicException.NO_CODE,
                    "connection closed" + (t == null ? "" : ": " + QuicException.describe(t)), t);
            }
            owner.onClosed(cause);
        }

        @Override
        public QuicStream openStream(final QuicConnection owner, final long timeoutNanos) throws IOException
        {
            final QuicStream[] made = new QuicStream[1];
            final Future<QuicStreamChannel> future = channel.createStream(QuicStreamType.BIDIRECTIONAL,
                new ChannelInboundHandlerAdapter()
                {
                    @Override
                    public void handlerAdded(final ChannelHandlerContext ctx)
                    {
                        final QuicStreamChannel stream = (QuicStreamChannel)ctx.channel();
                        final QuicStream quicStream = new QuicStream(owner, stream.streamId(), true, config);
                        final NettyStream handler = new NettyStream(stream, quicStream);
                        quicStream.attach(handler);
                        ctx.pipeline().replace(this, "hayate-stream", handler);
                        made[0] = quicStream;
                    }
                });
            try
            {
                final QuicStreamChannel stream = future.get(Math.min(timeoutNanos, TimeUnit.DAYS.toNanos(1)),
                    TimeUnit.NANOSECONDS);
                // The future completes on the event loop after handlerAdded ran there, so made[0] is visible.
                final QuicStream quicStream = made[0] != null ? made[0] : waitForHandler(stream);
                owner.onLocalStream(quicStream);
                return quicStream;
            }
            catch (final TimeoutException ex)
            {
                future.cancel(false);
                throw new QuicException(QuicException.Kind.INTERNAL, QuicException.NO_CODE,
                    "no stream within " + QuicEndpoint.millis(timeoutNanos) + " ms: the peer's stream limit is reached", ex);
            }
            catch (final ExecutionException ex)
            {
                throw new QuicException(QuicException.Kind.CONNECTION_CLOSED, QuicException.NO_CODE,
                    "cannot open a stream: " + QuicException.describe(ex.getCause()), ex.getCause());
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new QuicException(QuicException.Kind.INTERNAL, "interrupted while opening a stream");
            }
        }

        private QuicStream waitForHandler(final QuicStreamChannel stream) throws QuicException
        {
            final NettyStream handler = (NettyStream)stream.pipeline().get("hayate-stream");
            if (handler == null)
            {
                throw new QuicException(QuicException.Kind.INTERNAL, "stream " + stream.streamId() + " has no handler");
            }
            return handler.stream;
        }

        @Override
        public void close(final long errorCode, final String reason)
        {
            localClose = true;
            channel.close(true, (int)Math.min(errorCode, Integer.MAX_VALUE),
                Unpooled.copiedBuffer(reason == null ? "" : reason, StandardCharsets.UTF_8));
        }

        @Override
        public long smoothedRttNanos()
        {
            if (channel.isActive())
            {
                final Future<QuicConnectionPathStats> stats = channel.collectPathStats(0);
                stats.addListener(f ->
                {
                    if (f.isSuccess())
                    {
                        rttNanos = ((QuicConnectionPathStats)f.getNow()).rtt();
                    }
                });
                // On the event loop the answer cannot come while we wait: report the last value instead.
                if (!channel.eventLoop().inEventLoop() && stats.awaitUninterruptibly(200, TimeUnit.MILLISECONDS) &&
                    stats.isSuccess())
                {
                    // Read it here: the listener may not have run yet when the waiter wakes.
                    rttNanos = stats.getNow().rtt();
                }
            }
            return rttNanos;
        }

        @Override
        public InetSocketAddress localAddress()
        {
            final SocketAddress address = channel.localSocketAddress();
            return address instanceof InetSocketAddress ? (InetSocketAddress)address : null;
        }

        @Override
        public InetSocketAddress remoteAddress()
        {
            final SocketAddress address = channel.remoteSocketAddress();
            return address instanceof InetSocketAddress ? (InetSocketAddress)address : null;
        }
    }

    /**
     * Moves bytes between one QuicStreamChannel and its {@link QuicStream}. Reads are requested one
     * batch at a time (auto-read off) and only while the stream's receive queue has room, so a slow
     * reader holds back the peer through QUIC flow control instead of growing a buffer.
     */
    private static final class NettyStream extends ChannelInboundHandlerAdapter implements BackendStream
    {
        final QuicStreamChannel channel;
        final QuicStream stream;
        private final AtomicBoolean drainScheduled = new AtomicBoolean();
        private final Runnable drainTask = this::drain;
        private final Runnable resumeTask = this::resume;
        private final ChannelFutureListener writeListener = this::onWritten;
        private volatile boolean readSuspended;
        private boolean finWritten;
        private int writesInFlight;

        NettyStream(final QuicStreamChannel channel, final QuicStream stream)
        {
            this.channel = channel;
            this.stream = stream;
            channel.config().setAutoRead(false);
            channel.config().setAllowHalfClosure(true);
            channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(256 * 1024, 1024 * 1024));
        }

        @Override
        public void handlerAdded(final ChannelHandlerContext ctx)
        {
            channel.read();
            drain();
        }

        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg)
        {
            final ByteBuf buffer = (ByteBuf)msg;
            try
            {
                final byte[] chunk = new byte[buffer.readableBytes()];
                buffer.readBytes(chunk);
                stream.deliver(chunk);
            }
            finally
            {
                buffer.release();
            }
        }

        @Override
        public void channelReadComplete(final ChannelHandlerContext ctx)
        {
            if (stream.hasReceiveRoom())
            {
                channel.read();
            }
            else
            {
                readSuspended = true;
                // Re-check: the reader may have made room between the check and the flag.
                if (stream.hasReceiveRoom())
                {
                    resume();
                }
            }
        }

        @Override
        public void userEventTriggered(final ChannelHandlerContext ctx, final Object event) throws Exception
        {
            if (event instanceof ChannelInputShutdownEvent)
            {
                stream.deliverFin();
            }
            super.userEventTriggered(ctx, event);
        }

        @Override
        public void channelWritabilityChanged(final ChannelHandlerContext ctx)
        {
            if (channel.isWritable())
            {
                drain();
            }
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
        {
            if (cause instanceof QuicStreamResetException)
            {
                stream.onPeerReset(((QuicStreamResetException)cause).applicationProtocolCode());
            }
            else
            {
                stream.onConnectionClosed(new QuicException(QuicException.Kind.INTERNAL, QuicException.NO_CODE,
                    "stream " + stream.id() + " failed: " + QuicException.describe(cause), cause));
            }
        }

        @Override
        public void channelInactive(final ChannelHandlerContext ctx)
        {
            // Netty closes a stream once FIN went both ways, possibly before its input-shutdown event reached us.
            if (channel.isInputShutdown())
            {
                stream.deliverFin();
            }
            // The connection's own close reports a better reason; only a lone stream close is handled here.
            if (channel.parent().isActive())
            {
                stream.onConnectionClosed(new QuicException(QuicException.Kind.CONNECTION_CLOSED,
                    "stream " + stream.id() + " closed"));
            }
        }

        private void onWritten(final ChannelFuture future)
        {
            writesInFlight--;
            if (!future.isSuccess() && !stream.sendFailed())
            {
                final Throwable cause = future.cause();
                if (cause instanceof QuicStreamResetException)
                {
                    stream.onPeerStopSending(((QuicStreamResetException)cause).applicationProtocolCode());
                }
                else if (channel.parent().isActive())
                {
                    stream.onPeerStopSending(QuicException.NO_CODE);
                }
            }
        }

        @Override
        public void sendReady()
        {
            if (drainScheduled.compareAndSet(false, true))
            {
                channel.eventLoop().execute(drainTask);
            }
        }

        private void drain()
        {
            drainScheduled.set(false);
            if (!channel.isActive() || finWritten)
            {
                return;
            }
            boolean wrote = false;
            // One write is allowed while unwritable with nothing in flight: a peer's STOP_SENDING makes the
            // stream unwritable without failing anything, and only a write attempt surfaces it.
            while (channel.isWritable() || writesInFlight == 0)
            {
                final byte[] chunk = stream.pollSendChunk();
                if (chunk == null)
                {
                    break;
                }
                final ByteBuf buffer = channel.alloc().directBuffer(chunk.length);
                buffer.writeBytes(chunk);
                writesInFlight++;
                channel.write(buffer).addListener(writeListener);
                wrote = true;
            }
            if (stream.finPending())
            {
                finWritten = true;
                stream.finSent();
                writesInFlight++;
                channel.write(new DefaultQuicStreamFrame(Unpooled.EMPTY_BUFFER, true)).addListener(writeListener);
                wrote = true;
            }
            if (wrote)
            {
                channel.flush();
            }
        }

        @Override
        public void receiveReady()
        {
            if (readSuspended)
            {
                channel.eventLoop().execute(resumeTask);
            }
        }

        private void resume()
        {
            if (readSuspended && stream.hasReceiveRoom())
            {
                readSuspended = false;
                channel.read();
            }
        }

        @Override
        public void abort(final long errorCode)
        {
            final int code = (int)Math.min(errorCode, Integer.MAX_VALUE);
            channel.eventLoop().execute(() ->
            {
                finWritten = true;
                channel.shutdownOutput(code);
                channel.shutdownInput(code);
            });
        }
    }
}
