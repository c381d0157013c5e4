package dev.hayate.benchmarks.impl;

import dev.hayate.benchmarks.rig.JvmImpl;
import dev.hayate.benchmarks.rig.PingClient;
import dev.hayate.benchmarks.rig.Server;
import dev.hayate.benchmarks.rig.Sink;
import dev.hayate.benchmarks.rig.Spec;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ManualIoEventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SelectStrategy;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.FixedLengthFrameDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import javax.net.ssl.SSLException;
import io.netty.util.ReferenceCountUtil;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code netty} and {@code netty-epoll}: Netty 4.2 as a user would write it — a {@link FixedLengthFrameDecoder}
 * and a handler, {@code TCP_NODELAY}, the default (pooled direct) allocator, one event-loop thread per side.
 *
 * <ul>
 *   <li>{@code netty}: the NIO transport. The server runs a default {@link MultiThreadIoEventLoopGroup} of one
 *       thread (it blocks in {@code select} while idle). The client side is a {@link ManualIoEventLoop} owned by
 *       the measuring thread, driven with {@code run(timeout)}: it blocks in {@code select} exactly like an event
 *       loop, but the round trip is timed on the thread that does the I/O, with no hand-off between threads.</li>
 *   <li>{@code netty-epoll}: the native epoll transport ({@code netty-transport-native-epoll}, linux-x86_64),
 *       busy-polling: the server's event loop uses {@link SelectStrategy#BUSY_WAIT}; the client drives its
 *       {@link ManualIoEventLoop} with {@code runNow()} (a non-blocking {@code epoll_wait}) in a loop.</li>
 * </ul>
 * Each ping allocates a pooled buffer and writes the payload into it; the echo writes back the frame it got.
 * {@code netty-tls}: the NIO variant with an {@link SslHandler} (TLS 1.3, the JDK's {@code SSLEngine}: the same
 * engine as {@code hayate-tls}) first in both pipelines; the client checks the server's certificate against a
 * throw-away CA ({@link BenchTls}).
 *
 * <p>Throughput ({@code netty} only): the source writes one pooled buffer per message while the channel is
 * writable (default write watermarks, 32–64 KiB) and flushes when it is not; the sink decodes fixed-length frames
 * and counts their bytes.
 */
public final class NettyImpl implements JvmImpl {
    private static final long CLIENT_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final boolean epoll;
    private final boolean tls;
    private final boolean threadedClient;

    /**
     * @param epoll the native epoll transport, busy-polling; otherwise NIO with default blocking event loops
     */
    public NettyImpl(boolean epoll) {
        this(epoll, false);
    }

    /**
     * @param epoll the native epoll transport, busy-polling; otherwise NIO with default blocking event loops
     * @param tls   an {@link SslHandler} (TLS 1.3, the JDK's engine) first in both pipelines
     */
    public NettyImpl(boolean epoll, boolean tls) {
        this(epoll, tls, false);
    }

    private NettyImpl(boolean epoll, boolean tls, boolean threadedClient) {
        this.epoll = epoll;
        this.tls = tls;
        this.threadedClient = threadedClient;
    }

    /**
     * @return {@code netty-threaded}: NIO, the client on its own event-loop thread and the measuring thread waiting
     *         for a future the handler completes — the shape of {@code hayate-async} with its default runtime
     */
    public static NettyImpl threadedClient() {
        return new NettyImpl(false, false, true);
    }

    @Override
    public String name() {
        return (epoll ? "netty-epoll" : "netty") + (tls ? "-tls" : "") + (threadedClient ? "-threaded" : "");
    }

    @Override
    public String description() {
        if (threadedClient) {
            return "Netty 4.2 NIO transport, client on its own event-loop thread, the caller waits on a future per reply";
        }
        return (epoll
                ? "Netty 4.2 native epoll transport, busy-polling event loops on both sides"
                : "Netty 4.2 NIO transport, event loops block in select (FixedLengthFrameDecoder + handler)")
                + (tls ? ", SslHandler TLS 1.3 (JDK SSLEngine)" : "");
    }

    @Override
    public String unavailableReason() {
        if (!epoll) {
            return null;
        }
        if (Epoll.isAvailable()) {
            return null;
        }
        Throwable cause = Epoll.unavailabilityCause();
        return "native epoll transport did not load: " + (cause == null ? "unknown" : cause.toString());
    }

    @Override
    public boolean supportsThroughput() {
        return !epoll && !threadedClient;
    }

    private IoHandlerFactory serverIo() {
        return epoll
                ? EpollIoHandler.newFactory(0, () -> (selectSupplier, hasTasks) -> SelectStrategy.BUSY_WAIT)
                : NioIoHandler.newFactory();
    }

    private IoHandlerFactory clientIo() {
        return epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    }

    private Class<? extends ServerChannel> serverChannel() {
        return epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    private Class<? extends Channel> clientChannel() {
        return epoll ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    @Override
    public Server pongServer(Spec spec) {
        return new Listener(spec, false);
    }

    @Override
    public PingClient pingClient(Spec spec, String address) throws IOException {
        return threadedClient ? new ThreadedClient(spec, address) : new Client(spec, address);
    }

    @Override
    public Server throughputSource(Spec spec) {
        return new Listener(spec, true);
    }

    @Override
    public Sink throughputSink(Spec spec, String address) throws IOException {
        return new Receiver(spec, address);
    }

    /** Child side: a server bootstrap whose one accepted channel echoes (ping-pong) or sends (throughput). */
    private final class Listener implements Server {
        private final Spec spec;
        private final boolean source;
        private final CountDownLatch done = new CountDownLatch(1);
        private MultiThreadIoEventLoopGroup group;
        private Channel listening;

        Listener(Spec spec, boolean source) {
            this.spec = spec;
            this.source = source;
        }

        @Override
        public String bind() throws InterruptedException, SSLException {
            BenchTls.Material material = tls ? BenchTls.create() : null;
            SslContext ssl = material == null ? null : SslContextBuilder
                    .forServer(material.certificate().toFile(), material.key().toFile())
                    .sslProvider(SslProvider.JDK).protocols("TLSv1.3").build();
            group = new MultiThreadIoEventLoopGroup(1, serverIo());
            ServerBootstrap b = new ServerBootstrap()
                    .group(group)
                    .channel(serverChannel())
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            if (ssl != null) {
                                ch.pipeline().addLast(ssl.newHandler(ch.alloc()));
                            }
                            if (source) {
                                ch.pipeline().addLast(new SourceHandler(spec));
                            } else {
                                ch.pipeline().addLast(new FixedLengthFrameDecoder(spec.size()), new Echo());
                            }
                            ch.closeFuture().addListener(f -> done.countDown());
                        }
                    });
            listening = b.bind(Loopback.ephemeral()).sync().channel();
            int port = ((InetSocketAddress) listening.localAddress()).getPort();
            return material == null ? Integer.toString(port) : BenchTls.address(port, material);
        }

        @Override
        public void serve() throws InterruptedException {
            done.await();
        }

        @Override
        public void close() {
            try {
                if (listening != null) {
                    listening.close().await(5, TimeUnit.SECONDS);
                }
                if (group != null) {
                    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Sends every frame straight back. */
    private static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.writeAndFlush(msg, ctx.voidPromise());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /**
     * Writes messages while the channel is writable and flushes when it is not, until the receiver closes the
     * connection (the write error that follows closes the channel too) or spec.sendNanos() has passed.
     */
    private static final class SourceHandler extends ChannelInboundHandlerAdapter {
        private final Spec spec;
        private final byte[] payload;
        private ChannelHandlerContext ctx;
        private long deadline;
        private boolean scheduled;
        private boolean finished;
        private final Runnable pumpTask = () -> {
            scheduled = false;
            pump();
        };

        SourceHandler(Spec spec) {
            this.spec = spec;
            this.payload = Loopback.payload(spec.size());
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            this.ctx = ctx;
            deadline = System.nanoTime() + spec.sendNanos();
            schedule();
            ctx.fireChannelActive();
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable()) {
                schedule();
            }
            ctx.fireChannelWritabilityChanged();
        }

        private void schedule() {
            if (!scheduled && !finished) {
                scheduled = true;
                ctx.executor().execute(pumpTask);
            }
        }

        private void pump() {
            if (finished || !ctx.channel().isActive()) {
                return;
            }
            Channel ch = ctx.channel();
            int n = 0;
            while (ch.isWritable()) {
                if ((n++ & 63) == 0 && System.nanoTime() - deadline >= 0) {
                    finished = true;
                    ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
                    return;
                }
                ByteBuf m = ctx.alloc().directBuffer(spec.size(), spec.size());
                m.writeBytes(payload);
                ctx.write(m, ctx.voidPromise());
            }
            ctx.flush();
            if (ch.isWritable()) {
                schedule();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            finished = true;
            ctx.close();
        }
    }

    /** A ManualIoEventLoop owned by the calling thread, with one connected channel. */
    private abstract class Driven {
        final ManualIoEventLoop loop;
        final Channel ch;

        Driven(String address, ChannelHandler... handlers) throws IOException {
            InetSocketAddress remote = Loopback.port(BenchTls.port(address));
            // Hostname verification is on by default for Netty 4.2 clients: the certificate names 127.0.0.1.
            SslContext ssl = tls ? SslContextBuilder.forClient().trustManager(BenchTls.ca(address).toFile())
                    .sslProvider(SslProvider.JDK).protocols("TLSv1.3").build() : null;
            loop = new ManualIoEventLoop(Thread.currentThread(), clientIo());
            Bootstrap b = new Bootstrap()
                    .group(loop)
                    .channel(clientChannel())
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel c) {
                            if (ssl != null) {
                                c.pipeline().addLast(ssl.newHandler(c.alloc(), remote.getHostString(), remote.getPort()));
                            }
                            c.pipeline().addLast(handlers);
                        }
                    });
            ChannelFuture f = b.connect(remote);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!f.isDone()) {
                loop.run(TimeUnit.MILLISECONDS.toNanos(10));
                if (System.nanoTime() - deadline > 0) {
                    throw new IOException("connect timed out");
                }
            }
            if (!f.isSuccess()) {
                throw new IOException("connect failed", f.cause());
            }
            ch = f.channel();
        }

        /** Runs ready I/O: spins once (epoll) or blocks in select for at most 100 ms (NIO). */
        final void drive() {
            if (epoll) {
                loop.runNow();
            } else {
                loop.run(CLIENT_WAIT_NANOS);
            }
        }

        final void shutdown() {
            ch.close();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!ch.closeFuture().isDone() && System.nanoTime() - deadline < 0) {
                loop.runNow();
            }
            loop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            while (!loop.isTerminated() && System.nanoTime() - deadline < 0) {
                loop.runNow();
            }
        }
    }

    /** Parent side of the ping-pong. */
    private final class Client extends Driven implements PingClient {
        private final int size;
        private final byte[] payload;
        private final Pong pong;

        Client(Spec spec, String address) throws IOException {
            this(spec, address, new Pong());
        }

        private Client(Spec spec, String address, Pong pong) throws IOException {
            super(address, new FixedLengthFrameDecoder(spec.size()), pong);
            this.pong = pong;
            this.size = spec.size();
            this.payload = Loopback.payload(size);
        }

        @Override
        public void roundTrip() throws IOException {
            pong.received = false;
            ByteBuf m = ch.alloc().directBuffer(size, size);
            m.writeBytes(payload);
            ch.writeAndFlush(m, ch.voidPromise());
            while (!pong.received) {
                drive();
                if (!pong.received && !ch.isActive()) {
                    throw new EOFException("server closed");
                }
            }
        }

        @Override
        public void close() {
            shutdown();
        }
    }

    /**
     * Parent side of {@code netty-threaded}: the way a Netty user calls a server from application code. The
     * client's channel lives on a one-thread {@link MultiThreadIoEventLoopGroup}; the measuring thread writes (a
     * hand-off to the event loop, which Netty makes as a task plus a wake-up) and waits on a future that the
     * handler completes on the event loop (a second hand-off back).
     */
    private final class ThreadedClient implements PingClient {
        private final int size;
        private final byte[] payload;
        private final MultiThreadIoEventLoopGroup group;
        private final Channel ch;
        private volatile CompletableFuture<Void> reply;

        ThreadedClient(Spec spec, String address) throws IOException {
            this.size = spec.size();
            this.payload = Loopback.payload(size);
            this.group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
            Bootstrap b = new Bootstrap()
                    .group(group)
                    .channel(NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel c) {
                            c.pipeline().addLast(new FixedLengthFrameDecoder(size), new ChannelInboundHandlerAdapter() {
                                @Override
                                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                    ReferenceCountUtil.release(msg);
                                    reply.complete(null);
                                }

                                @Override
                                public void channelInactive(ChannelHandlerContext ctx) {
                                    CompletableFuture<Void> waiting = reply;
                                    if (waiting != null) {
                                        waiting.completeExceptionally(new EOFException("server closed"));
                                    }
                                }
                            });
                        }
                    });
            ChannelFuture f = b.connect(Loopback.port(address));
            if (!f.awaitUninterruptibly(10, TimeUnit.SECONDS) || !f.isSuccess()) {
                group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
                throw new IOException("connect failed or timed out", f.cause());
            }
            ch = f.channel();
        }

        @Override
        public void roundTrip() throws Exception {
            CompletableFuture<Void> waiting = new CompletableFuture<>();
            reply = waiting;
            ByteBuf m = ch.alloc().directBuffer(size, size);
            m.writeBytes(payload);
            ch.writeAndFlush(m, ch.voidPromise());
            waiting.get(10, TimeUnit.SECONDS);
        }

        @Override
        public void close() {
            ch.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    /** Notes that the echo arrived. Runs on the measuring thread (it drives the loop). */
    private static final class Pong extends ChannelInboundHandlerAdapter {
        boolean received;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
            received = true;
        }
    }

    /** Parent side of the throughput test. */
    private final class Receiver extends Driven implements Sink {
        private final Counter counter;

        Receiver(Spec spec, String address) throws IOException {
            this(spec, address, new Counter());
        }

        private Receiver(Spec spec, String address, Counter counter) throws IOException {
            super(address, new FixedLengthFrameDecoder(spec.size()), counter);
            this.counter = counter;
        }

        @Override
        public long receive() {
            while (true) {
                if (counter.bytes > 0) {
                    long b = counter.bytes;
                    counter.bytes = 0;
                    return b;
                }
                if (counter.closed) {
                    return -1;
                }
                drive();
            }
        }

        @Override
        public void close() {
            shutdown();
        }
    }

    /** Counts the bytes of the frames it gets. Runs on the measuring thread. */
    private static final class Counter extends ChannelInboundHandlerAdapter {
        long bytes;
        boolean closed;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            bytes += ((ByteBuf) msg).readableBytes();
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            closed = true;
            ctx.fireChannelInactive();
        }
    }
}
