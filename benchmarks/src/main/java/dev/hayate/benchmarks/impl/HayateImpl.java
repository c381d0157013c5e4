package dev.hayate.benchmarks.impl;

import dev.hayate.async.AsyncRuntime;
import dev.hayate.benchmarks.rig.JvmImpl;
import dev.hayate.benchmarks.rig.PingClient;
import dev.hayate.benchmarks.rig.Server;
import dev.hayate.benchmarks.rig.Sink;
import dev.hayate.benchmarks.rig.Spec;
import dev.hayate.core.Context;
import dev.hayate.core.DirectBufferCodec;
import dev.hayate.core.ProtocolFactory;
import dev.hayate.core.Status;
import dev.hayate.core.frame.Sofh;
import dev.hayate.core.transport.tls.TlsConfig;
import dev.hayate.core.transport.tls.TlsTransportProvider;
import dev.hayate.quic.QuicConfig;
import dev.hayate.quic.QuicTransportProvider;
import java.io.EOFException;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Hayate's faces in the rig: {@code hayate-nonblocking}, {@code hayate-blocking}, {@code hayate-async}. Each message
 * is one SOFH frame whose body is the {@code --size} payload ({@link DirectBufferCodec}: flyweight view, nothing
 * copied or allocated per message), so the wire carries {@code size + 6} bytes per message where the raw peers
 * carry {@code size}.
 *
 * <ul>
 *   <li>nonblocking: client and server busy-spin ({@code send(msg, timeout)}, {@code recv(timeout)}).
 *   <li>blocking: both wait in the kernel ({@code epoll_wait}).
 *   <li>async: client and server on {@code CompletableFuture}s with the default runtime (one I/O thread, futures
 *       completed on the I/O thread): what a user gets without tuning. Per round trip the measuring thread asks for
 *       the reply, sends, and waits on the reply's future: two hand-offs between threads, the shape of
 *       {@code netty-threaded}.
 *   <li>async-direct: the same, with {@code completeOnIoThread(true)} spelled out (the default since issue 9; kept
 *       so older reports compare).
 *   <li>async-pool: futures completed on the completion pool ({@code completeOnIoThread(false)}): continuations may
 *       block; the default before issue 9.
 *   <li>async-spin: the default runtime with {@code spinBeforePark(50 µs)}: an I/O thread that just worked spins
 *       briefly before parking, so the next request or reply costs no wake-up.
 *   <li>async-invoker: the client's runtime runs no thread ({@code useInvoker(true)}); the measuring thread drives
 *       it with {@code drive(timeout)}, waiting in {@code select} like an event loop, so futures complete on the
 *       thread that does the I/O (what the {@code netty} client does with its {@code ManualIoEventLoop}); the
 *       server is the default async runtime.
 *   <li>async-busy: the same caller-driven client, but driven with {@code drive(0)} in a loop (it never waits in the
 *       kernel), against a server runtime built with {@code busySpin(true)}: one spinning thread per process, the
 *       shape of {@code netty-epoll} and {@code c-busy}.
 *   <li>quic: the nonblocking face over one QUIC stream ({@code QuicTransportProvider}, Netty's native codec; the
 *       client trusts the server's self-signed certificate without checking it, as a benchmark may).
 *   <li>tls: the nonblocking face over TLS 1.3 ({@code TlsTransportProvider}, the JDK's {@code SSLEngine},
 *       AES-GCM); the client checks the server's certificate against a throw-away CA ({@link BenchTls}).
 *   <li>tls-openssl: the same with {@code TlsConfig.engine(OPENSSL)} on both sides (BoringSSL through Netty's
 *       tcnative), so the two rows differ only in the engine.
 * </ul>
 *
 * <p>Throughput (nonblocking and quic): the source {@code offer}s batches of 256 frames and flushes when the send buffer
 * is full, so many frames leave per system call; the sink {@code poll}s batches of up to 256 messages and counts payload bytes.
 */
public final class HayateImpl implements JvmImpl {
    /** Messages per {@code poll} of the throughput sink, as an application draining a stream would ask. */
    private static final int POLL_LIMIT = 256;
    /** Messages per batch {@code offer} of the throughput source. */
    private static final int OFFER_LIMIT = 256;
    /** Which face. */
    public enum Face {
        NONBLOCKING("hayate-nonblocking", "Hayate nonblocking Clt/Svc, both sides busy-spin, SOFH frames, zero-copy payload view"),
        BLOCKING("hayate-blocking", "Hayate blocking Clt/Svc, both sides wait in the kernel (epoll_wait), SOFH frames"),
        ASYNC("hayate-async", "Hayate async Clt/Svc: CompletableFuture per send and recv, default runtime"),
        ASYNC_DIRECT("hayate-async-direct", "Hayate async Clt/Svc, futures completed on the I/O thread (completeOnIoThread)"),
        ASYNC_POOL("hayate-async-pool", "Hayate async Clt/Svc, futures completed on the completion pool (completeOnIoThread(false))"),
        ASYNC_SPIN("hayate-async-spin", "Hayate async Clt/Svc, default runtime, I/O threads spin 50 us before parking"),
        ASYNC_INVOKER("hayate-async-invoker", "Hayate async Clt driven by the measuring thread (useInvoker, drive), default async Svc"),
        ASYNC_BUSY("hayate-async-busy", "Hayate async Clt driven by the measuring thread with drive(0) in a loop, async Svc on a busy-spinning I/O thread"),
        QUIC("hayate-quic", "Hayate nonblocking Clt/Svc over one QUIC stream (Netty native QUIC backend), both sides busy-spin"),
        TLS("hayate-tls", "Hayate nonblocking Clt/Svc over TLS 1.3 on TCP (JDK SSLEngine, TlsTransportProvider), both sides busy-spin"),
        TLS_OPENSSL("hayate-tls-openssl", "Hayate nonblocking Clt/Svc over TLS 1.3 on TCP (BoringSSL via Netty tcnative, TlsConfig.engine(OPENSSL)), both sides busy-spin");

        final String implName;
        final String description;

        Face(String implName, String description) {
            this.implName = implName;
            this.description = description;
        }
    }

    private static final long TIMEOUT_SECONDS = 30;
    private static final int STREAM_BUFFER = 1 << 20;

    private final Face face;

    /**
     * @param face which face to measure
     */
    public HayateImpl(Face face) {
        this.face = face;
    }

    @Override
    public String name() {
        return face.implName;
    }

    @Override
    public String description() {
        return face.description;
    }

    @Override
    public boolean supportsThroughput() {
        return face == Face.NONBLOCKING || face == Face.QUIC || isTls();
    }

    private Context context(Spec spec, boolean streaming, boolean server) {
        return context(spec, streaming, server, null);
    }

    private boolean isTls() {
        return face == Face.TLS || face == Face.TLS_OPENSSL;
    }

    /**
     * @return a TLS configuration with this row's engine
     */
    private TlsConfig tlsConfig() {
        return new TlsConfig().engine(face == Face.TLS_OPENSSL ? TlsConfig.Engine.OPENSSL : TlsConfig.Engine.JDK);
    }

    /**
     * @param address the server's reported address (a client's), or null
     */
    private Context context(Spec spec, boolean streaming, boolean server, String address) {
        Context context = context(spec, streaming);
        if (isTls() && !server) {
            context.transportProvider(new TlsTransportProvider(tlsConfig().trustCertificates(BenchTls.ca(address))));
        }
        if (face == Face.QUIC) {
            QuicConfig config = new QuicConfig().backend(QuicConfig.Backend.NETTY);
            context.transportProvider(server ? QuicTransportProvider.server(config)
                    : QuicTransportProvider.client(config.insecureTrustAnyCertificateForDevelopment()));
        }
        return context;
    }

    static Context context(Spec spec, boolean streaming) {
        int maxFrame = Math.max(Context.DEFAULT_MAX_FRAME_LENGTH, spec.size() + Sofh.HEADER_LENGTH);
        Context context = new Context().name("bench").maxFrameLength(maxFrame).connectTimeout(30, TimeUnit.SECONDS);
        if (streaming) {
            // Room for many frames per system call in both directions.
            context.sendBufferCapacity(Math.max(STREAM_BUFFER, 2 * maxFrame)).receiveBufferCapacity(Math.max(STREAM_BUFFER, 2 * maxFrame));
        }
        return context;
    }

    private AsyncRuntime runtime(String name) {
        AsyncRuntime.Builder builder = new AsyncRuntime.Builder().name(name);
        switch (face) {
            case ASYNC_DIRECT:
                builder.completeOnIoThread(true);
                break;
            case ASYNC_POOL:
                builder.completeOnIoThread(false);
                break;
            case ASYNC_SPIN:
                builder.spinBeforePark(50, TimeUnit.MICROSECONDS);
                break;
            case ASYNC_INVOKER:
                // Only the client drives its loop; the server keeps an I/O thread of its own.
                builder.useInvoker(name.equals("bench-ping"));
                break;
            case ASYNC_BUSY:
                // One spinning thread per process, as in c-busy and netty-epoll: the client's measuring thread
                // drives its loop, the server's I/O thread never parks.
                builder.useInvoker(name.equals("bench-ping")).busySpin(!name.equals("bench-ping"));
                break;
            default:
                break;
        }
        return builder.build();
    }

    private static ProtocolFactory<DirectBuffer> protocol() {
        return ProtocolFactory.of(DirectBufferCodec::new);
    }

    @Override
    public Server pongServer(Spec spec) {
        return new Pong(spec, false);
    }

    @Override
    public Server throughputSource(Spec spec) {
        return new Pong(spec, true);
    }

    @Override
    public PingClient pingClient(Spec spec, String address) throws Exception {
        UnsafeBuffer payload = new UnsafeBuffer(Loopback.payload(spec.size()));
        Context context = context(spec, false, false, address);
        switch (face) {
            case QUIC:
            case TLS:
            case TLS_OPENSSL:
            case NONBLOCKING: {
                dev.hayate.nonblocking.Clt<DirectBuffer> clt =
                        dev.hayate.nonblocking.Clt.connect(Loopback.port(BenchTls.port(address)), protocol(), context);
                return new SyncPing(clt::close, () -> clt.send(payload, TIMEOUT_SECONDS, TimeUnit.SECONDS),
                        () -> clt.recv(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            }
            case BLOCKING: {
                dev.hayate.blocking.Clt<DirectBuffer> clt =
                        dev.hayate.blocking.Clt.connect(Loopback.port(address), protocol(), context);
                return new SyncPing(clt::close, () -> clt.send(payload, TIMEOUT_SECONDS, TimeUnit.SECONDS),
                        () -> clt.recv(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            }
            case ASYNC_INVOKER:
            case ASYNC_BUSY: {
                AsyncRuntime runtime = runtime("bench-ping");
                java.util.concurrent.CompletableFuture<dev.hayate.async.Clt<DirectBuffer>> connecting = dev.hayate.async.Clt
                        .connect(Loopback.port(address), protocol(), context, runtime);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
                while (!connecting.isDone() && System.nanoTime() - deadline < 0) {
                    runtime.drive(TimeUnit.MILLISECONDS.toNanos(1));
                }
                dev.hayate.async.Clt<DirectBuffer> clt = connecting.get(1, TimeUnit.SECONDS);
                // drive(0) never waits in the kernel: the busy row spins on the loop like netty-epoll's runNow().
                long waitNanos = face == Face.ASYNC_BUSY ? 0 : TimeUnit.MILLISECONDS.toNanos(100);
                return new PingClient() {
                    @Override
                    public void roundTrip() throws Exception {
                        java.util.concurrent.CompletableFuture<DirectBuffer> reply = clt.recv();
                        java.util.concurrent.CompletableFuture<Void> sent = clt.send(payload);
                        long limit = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
                        while (!reply.isDone()) {
                            runtime.drive(waitNanos);
                            if (System.nanoTime() - limit > 0) {
                                throw new EOFException("no echo within " + TIMEOUT_SECONDS + " s");
                            }
                        }
                        sent.join();
                        reply.join();
                    }

                    @Override
                    public void close() {
                        clt.close();
                        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                        while (!clt.closeFuture().isDone() && System.nanoTime() - end < 0) {
                            runtime.drive(TimeUnit.MILLISECONDS.toNanos(1));
                        }
                        runtime.close();
                    }
                };
            }
            default: {
                AsyncRuntime runtime = runtime("bench-ping");
                dev.hayate.async.Clt<DirectBuffer> clt = dev.hayate.async.Clt
                        .connect(Loopback.port(address), protocol(), context, runtime).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                return new PingClient() {
                    @Override
                    public void roundTrip() throws Exception {
                        // As an async caller would: ask for the reply, send, wait once (for the reply; the send
                        // has completed by then). Waiting on the send first cost a second park and wake-up.
                        java.util.concurrent.CompletableFuture<DirectBuffer> reply = clt.recv();
                        java.util.concurrent.CompletableFuture<Void> sent = clt.send(payload);
                        reply.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                        sent.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    }

                    @Override
                    public void close() {
                        clt.close();
                        clt.closeFuture().orTimeout(5, TimeUnit.SECONDS).exceptionally(failure -> null).join();
                        runtime.close();
                    }
                };
            }
        }
    }

    /** The two waiting faces seen alike by the measuring loop. */
    private static final class SyncPing implements PingClient {
        interface Send {
            Status send();
        }

        interface Recv {
            DirectBuffer recv();
        }

        private final Runnable close;
        private final Send send;
        private final Recv recv;

        SyncPing(Runnable close, Send send, Recv recv) {
            this.close = close;
            this.send = send;
            this.recv = recv;
        }

        @Override
        public void roundTrip() throws IOException {
            Status status = send.send();
            if (status != Status.OK) {
                throw new IOException("send: " + status);
            }
            if (recv.recv() == null) {
                throw new EOFException("no echo: the server closed or timed out");
            }
        }

        @Override
        public void close() {
            close.run();
        }
    }

    @Override
    public Sink throughputSink(Spec spec, String address) throws Exception {
        dev.hayate.nonblocking.Clt<DirectBuffer> clt = dev.hayate.nonblocking.Clt.connect(
                Loopback.port(BenchTls.port(address)), protocol(), context(spec, true, false, address));
        return new Sink() {
            private long bytes;
            private final dev.hayate.core.MessageHandler<DirectBuffer> count = m -> bytes += m.capacity();

            @Override
            public long receive() {
                bytes = 0;
                while (clt.poll(count, POLL_LIMIT) > 0) {
                    // each poll serves a batch under one entry of the receive half
                }
                if (bytes == 0 && clt.isClosed()) {
                    return -1;
                }
                return bytes;
            }

            @Override
            public void close() {
                clt.close();
            }
        };
    }

    /** Child side: echo (ping-pong) or source (throughput). */
    private final class Pong implements Server {
        private final Spec spec;
        private final boolean source;
        private dev.hayate.nonblocking.Svc<DirectBuffer> nonblocking;
        private dev.hayate.blocking.Svc<DirectBuffer> blocking;
        private dev.hayate.async.Svc<DirectBuffer> async;
        private AsyncRuntime runtime;

        Pong(Spec spec, boolean source) {
            this.spec = spec;
            this.source = source;
        }

        @Override
        public String bind() throws IOException {
            Context context = context(spec, source, true);
            switch (face) {
                case TLS:
                case TLS_OPENSSL: {
                    BenchTls.Material material = BenchTls.create();
                    context.transportProvider(new TlsTransportProvider(
                            tlsConfig().certificateChain(material.certificate()).privateKey(material.key())));
                    nonblocking = dev.hayate.nonblocking.Svc.bind(Loopback.ephemeral(), protocol(), context);
                    return BenchTls.address(((java.net.InetSocketAddress) nonblocking.localAddress()).getPort(), material);
                }
                case QUIC:
                case NONBLOCKING:
                    nonblocking = dev.hayate.nonblocking.Svc.bind(Loopback.ephemeral(), protocol(), context);
                    return Integer.toString(((java.net.InetSocketAddress) nonblocking.localAddress()).getPort());
                case BLOCKING:
                    blocking = dev.hayate.blocking.Svc.bind(Loopback.ephemeral(), protocol(), context);
                    return Integer.toString(((java.net.InetSocketAddress) blocking.localAddress()).getPort());
                default:
                    runtime = runtime("bench-pong");
                    async = dev.hayate.async.Svc.bind(Loopback.ephemeral(), protocol(), context, runtime);
                    return Integer.toString(((java.net.InetSocketAddress) async.localAddress()).getPort());
            }
        }

        @Override
        public void serve() throws Exception {
            switch (face) {
                case QUIC:
                case TLS:
                case TLS_OPENSSL:
                case NONBLOCKING: {
                    dev.hayate.nonblocking.Clt<DirectBuffer> clt;
                    while ((clt = nonblocking.accept()) == null) {
                        Thread.onSpinWait();
                    }
                    if (source) {
                        stream(clt);
                    } else {
                        DirectBuffer message;
                        while ((message = clt.recv(TIMEOUT_SECONDS, TimeUnit.SECONDS)) != null) {
                            if (clt.send(message, TIMEOUT_SECONDS, TimeUnit.SECONDS) != Status.OK) {
                                break;
                            }
                        }
                    }
                    clt.close();
                    break;
                }
                case BLOCKING: {
                    dev.hayate.blocking.Clt<DirectBuffer> clt = blocking.accept();
                    DirectBuffer message;
                    while ((message = clt.recv()) != null) {
                        if (clt.send(message) != Status.OK) {
                            break;
                        }
                    }
                    clt.close();
                    break;
                }
                default: {
                    dev.hayate.async.Clt<DirectBuffer> clt = async.accept().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    echo(clt);
                    clt.closeFuture().get();
                    break;
                }
            }
        }

        private void echo(dev.hayate.async.Clt<DirectBuffer> clt) {
            // The received view is detached by the async face, so it can be sent after the future completes.
            clt.recv().thenCompose(clt::send).whenComplete((sent, failure) -> {
                if (failure == null) {
                    echo(clt);
                }
            });
        }

        private void stream(dev.hayate.nonblocking.Clt<DirectBuffer> clt) {
            UnsafeBuffer payload = new UnsafeBuffer(Loopback.payload(spec.size()));
            java.util.function.Supplier<DirectBuffer> next = () -> payload;
            long deadline = System.nanoTime() + spec.sendNanos();
            while (System.nanoTime() - deadline < 0) {
                if (clt.offer(next, OFFER_LIMIT) < OFFER_LIMIT) {
                    if (clt.isClosed()) {
                        return; // the normal end: the receiver has measured enough and closed the connection
                    }
                    clt.flush(); // the buffer is full: write, then offer again
                }
            }
        }

        @Override
        public void close() throws IOException {
            if (nonblocking != null) {
                nonblocking.close();
            }
            if (blocking != null) {
                blocking.close();
            }
            if (async != null) {
                async.close();
            }
            if (runtime != null) {
                runtime.close();
            }
        }
    }
}
