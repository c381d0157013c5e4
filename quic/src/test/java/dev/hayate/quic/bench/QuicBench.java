package dev.hayate.quic.bench;

import dev.hayate.quic.QuicTestSupport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.hayate.quic.QuicConfig;
import dev.hayate.quic.QuicConnection;
import dev.hayate.quic.QuicEndpoint;
import dev.hayate.quic.QuicException;
import dev.hayate.quic.QuicStream;
import dev.hayate.quic.RawNettyQuic;
import org.HdrHistogram.Histogram;

/**
 * Side-by-side measurements on loopback, in one JVM run: bulk throughput through one stream and
 * ping-pong round trips for TCP, QUIC over kwik and QUIC over Netty's native codec (both through this
 * module's API), plus a stall reproduction for kwik with and without the workaround.
 *
 * <pre>
 *   QuicBench [repeat N] [only tcp,raw,netty,kwik] [throughput SIZE_MIB] [latency COUNT] [stalls RUNS SIZE_MIB] ...
 *   default: throughput 1024 latency 20000 (repeat and only apply to the modes after them)
 * </pre>
 *
 * <p>Thread-safety: a program, run from {@code main}.
 */
public final class QuicBench
{
    private static final int CHUNK = 256 * 1024;
    private static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static int repeats = 1;
    private static String only = "";

    private QuicBench()
    {
    }

    /**
     * @param args see the class comment.
     * @throws Exception on failure.
     */
    public static void main(final String[] args) throws Exception
    {
        final List<String> list = new ArrayList<>(List.of(args.length == 0 ?
            new String[] {"throughput", "1024", "latency", "20000"} : args));
        System.out.printf(Locale.ROOT, "java %s, %d cpus, auto backend here: %s%n", System.getProperty("java.version"),
            Runtime.getRuntime().availableProcessors(), QuicEndpoint.resolve(new QuicConfig()));
        for (int i = 0; i < list.size(); i++)
        {
            switch (list.get(i))
            {
                case "throughput":
                    throughput(Long.parseLong(list.get(++i)) << 20);
                    break;
                case "repeat":
                    repeats = Integer.parseInt(list.get(++i));
                    break;
                case "only":
                    only = list.get(++i);
                    break;
                case "latency":
                    latency(Integer.parseInt(list.get(++i)));
                    break;
                case "stalls":
                    final int runs = Integer.parseInt(list.get(++i));
                    stalls(runs, Long.parseLong(list.get(++i)) << 20);
                    break;
                default:
                    throw new IllegalArgumentException("unknown mode " + list.get(i));
            }
        }
        System.exit(0);
    }

    private static void throughput(final long bytes) throws Exception
    {
        System.out.printf(Locale.ROOT, "%n== one-stream bulk transfer of %d MiB, one direction ==%n", bytes >> 20);
        System.out.printf(Locale.ROOT, "%-28s %10s %10s%n", "transport", "seconds", "MiB/s");
        for (int round = 0; round < repeats; round++)
        {
            if (wanted("tcp"))
            {
                report("tcp", tcpTransfer(bytes), bytes);
            }
            if (wanted("raw"))
            {
                report("netty-quic (raw, no Hayate)", RawNettyQuic.transfer(bytes), bytes);
            }
            if (wanted("netty"))
            {
                report("hayate-quic, netty backend", quicTransfer(new QuicConfig().backend(QuicConfig.Backend.NETTY), bytes),
                    bytes);
            }
            if (wanted("kwik"))
            {
                report("hayate-quic, kwik backend", quicTransfer(new QuicConfig().backend(QuicConfig.Backend.KWIK), bytes),
                    bytes);
            }
        }
        System.out.printf(Locale.ROOT, "kwik watchdog kicks so far: %d%n", QuicEndpoint.kwikStallKicks());
    }

    private static boolean wanted(final String name)
    {
        return only.isEmpty() || List.of(only.split(",")).contains(name);
    }

    private static void report(final String name, final long nanos, final long bytes)
    {
        if (nanos < 0)
        {
            System.out.printf(Locale.ROOT, "%-28s %10s %10s%n", name, "STALLED", "-");
            return;
        }
        final double seconds = nanos / 1e9;
        System.out.printf(Locale.ROOT, "%-28s %10.2f %10.1f%n", name, seconds, (bytes / 1048576.0) / seconds);
    }

    private static long tcpTransfer(final long bytes) throws Exception
    {
        try (ServerSocketChannel server = ServerSocketChannel.open())
        {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            final CompletableFuture<Long> receiver = QuicTestSupport.supplyAsync(() ->
            {
                try (SocketChannel channel = server.accept())
                {
                    final ByteBuffer buffer = ByteBuffer.allocateDirect(CHUNK);
                    long total = 0;
                    int n;
                    while ((n = channel.read(buffer.clear())) >= 0)
                    {
                        total += n;
                    }
                    return total;
                }
                catch (final IOException ex)
                {
                    throw new IllegalStateException(ex);
                }
            });
            final long start = System.nanoTime();
            try (SocketChannel client = SocketChannel.open(server.getLocalAddress()))
            {
                client.setOption(StandardSocketOptions.TCP_NODELAY, true);
                final ByteBuffer buffer = ByteBuffer.allocateDirect(CHUNK);
                for (long sent = 0; sent < bytes; )
                {
                    buffer.clear().limit((int)Math.min(CHUNK, bytes - sent));
                    while (buffer.hasRemaining())
                    {
                        sent += client.write(buffer);
                    }
                }
            }
            final long received = receiver.get(10, TimeUnit.MINUTES);
            check(received, bytes);
            return System.nanoTime() - start;
        }
    }

    private static void check(final long received, final long bytes)
    {
        if (received != bytes)
        {
            throw new IllegalStateException("received " + received + " of " + bytes);
        }
    }

    /**
     * @return nanoseconds from the first send to the receiver's end of stream, or -1 if it stalled
     *         (no progress for {@link #STALL_NANOS}).
     */
    static long quicTransfer(final QuicConfig base, final long bytes) throws Exception
    {
        try (QuicEndpoint server = QuicEndpoint.server(base.copy().bind("127.0.0.1:0"));
             QuicEndpoint client = QuicEndpoint.client(base.copy().trustedCaPem(server.certificateChainPem())))
        {
            final QuicConnection connection = client.connect(server.localAddress(), "localhost");
            final QuicConnection accepted = server.accept(Duration.ofSeconds(10));
            final AtomicLong received = new AtomicLong();
            final CompletableFuture<Boolean> receiver = QuicTestSupport.supplyAsync(() -> receive(accepted, received));
            final QuicStream stream = connection.openStream();
            final ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
            final long start = System.nanoTime();
            long lastProgress = start;
            long lastReceived = 0;
            for (long sent = 0; sent < bytes; )
            {
                buffer.clear().limit((int)Math.min(CHUNK, bytes - sent));
                final int before = buffer.remaining();
                stream.send(buffer, Duration.ofMillis(200));
                sent += before - buffer.remaining();
                final long now = System.nanoTime();
                if (received.get() != lastReceived)
                {
                    lastReceived = received.get();
                    lastProgress = now;
                }
                else if (now - lastProgress > STALL_NANOS)
                {
                    return -1;
                }
            }
            stream.finish();
            while (!receiver.isDone())
            {
                Thread.sleep(5);
                if (received.get() != lastReceived)
                {
                    lastReceived = received.get();
                    lastProgress = System.nanoTime();
                }
                else if (System.nanoTime() - lastProgress > STALL_NANOS)
                {
                    return -1;
                }
            }
            final long took = System.nanoTime() - start;
            check(received.get(), bytes);
            connection.disconnect(0, "done");
            return took;
        }
    }

    private static boolean receive(final QuicConnection connection, final AtomicLong received)
    {
        try
        {
            final QuicStream stream = connection.acceptStream(Duration.ofSeconds(30));
            final ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
            while (true)
            {
                final int n = stream.recv(buffer.clear(), Duration.ofMillis(500));
                if (n < 0)
                {
                    return true;
                }
                received.addAndGet(n);
            }
        }
        catch (final QuicException ex)
        {
            return false;
        }
    }

    private static void latency(final int count) throws Exception
    {
        System.out.printf(Locale.ROOT, "%n== ping-pong round trip, 64-byte messages, %d samples after %d warm-up (us) ==%n",
            count, count / 5);
        System.out.printf(Locale.ROOT, "%-28s %8s %8s %8s %8s%n", "transport", "p50", "p90", "p99", "max");
        for (int round = 0; round < repeats; round++)
        {
            if (wanted("tcp"))
            {
                print("tcp", tcpPingPong(count));
            }
            if (wanted("raw"))
            {
                print("netty-quic (raw, no Hayate)", RawNettyQuic.pingPong(count));
            }
            if (wanted("netty"))
            {
                print("hayate-quic, netty backend", quicPingPong(new QuicConfig().backend(QuicConfig.Backend.NETTY), count));
            }
            if (wanted("kwik"))
            {
                print("hayate-quic, kwik backend", quicPingPong(new QuicConfig().backend(QuicConfig.Backend.KWIK), count));
            }
        }
    }

    private static void print(final String name, final Histogram histogram)
    {
        System.out.printf(Locale.ROOT, "%-28s %8.1f %8.1f %8.1f %8.1f%n", name,
            histogram.getValueAtPercentile(50) / 1000.0, histogram.getValueAtPercentile(90) / 1000.0,
            histogram.getValueAtPercentile(99) / 1000.0, histogram.getMaxValue() / 1000.0);
    }

    private static Histogram tcpPingPong(final int count) throws Exception
    {
        final Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        try (ServerSocketChannel server = ServerSocketChannel.open())
        {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            final CompletableFuture<Void> echo = QuicTestSupport.runAsync(() ->
            {
                try (SocketChannel channel = server.accept())
                {
                    channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    final ByteBuffer buffer = ByteBuffer.allocateDirect(64);
                    while (true)
                    {
                        buffer.clear();
                        while (buffer.hasRemaining())
                        {
                            if (channel.read(buffer) < 0)
                            {
                                return;
                            }
                        }
                        buffer.flip();
                        while (buffer.hasRemaining())
                        {
                            channel.write(buffer);
                        }
                    }
                }
                catch (final IOException ex)
                {
                    throw new IllegalStateException(ex);
                }
            });
            try (SocketChannel client = SocketChannel.open(server.getLocalAddress()))
            {
                client.setOption(StandardSocketOptions.TCP_NODELAY, true);
                final ByteBuffer buffer = ByteBuffer.allocateDirect(64);
                final int warmup = count / 5;
                for (int i = 0; i < warmup + count; i++)
                {
                    final long start = System.nanoTime();
                    buffer.clear();
                    while (buffer.hasRemaining())
                    {
                        client.write(buffer);
                    }
                    buffer.clear();
                    while (buffer.hasRemaining())
                    {
                        client.read(buffer);
                    }
                    if (i >= warmup)
                    {
                        histogram.recordValue(System.nanoTime() - start);
                    }
                }
            }
            echo.get(10, TimeUnit.SECONDS);
        }
        return histogram;
    }

    private static Histogram quicPingPong(final QuicConfig base, final int count) throws Exception
    {
        final Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        try (QuicEndpoint server = QuicEndpoint.server(base.copy().bind("127.0.0.1:0"));
             QuicEndpoint client = QuicEndpoint.client(base.copy().trustedCaPem(server.certificateChainPem())))
        {
            final QuicConnection connection = client.connect(server.localAddress(), "localhost");
            final QuicConnection accepted = server.accept(Duration.ofSeconds(10));
            final QuicStream stream = connection.openStream();
            final CompletableFuture<Void> echo = QuicTestSupport.runAsync(() ->
            {
                try
                {
                    final QuicStream peer = accepted.acceptStream(Duration.ofSeconds(10));
                    final ByteBuffer buffer = ByteBuffer.allocate(64);
                    while (true)
                    {
                        buffer.clear();
                        while (buffer.hasRemaining())
                        {
                            if (peer.recv(buffer, Duration.ofSeconds(10)) <= 0)
                            {
                                return;
                            }
                        }
                        peer.send(buffer.flip(), Duration.ofSeconds(10));
                    }
                }
                catch (final QuicException ex)
                {
                    // Connection closed at the end.
                }
            });
            final ByteBuffer buffer = ByteBuffer.allocate(64);
            final int warmup = count / 5;
            for (int i = 0; i < warmup + count; i++)
            {
                final long start = System.nanoTime();
                stream.send(buffer.clear(), Duration.ofSeconds(10));
                buffer.clear();
                while (buffer.hasRemaining())
                {
                    if (stream.recv(buffer, Duration.ofSeconds(10)) <= 0)
                    {
                        throw new IllegalStateException("ping-pong stalled at " + i);
                    }
                }
                if (i >= warmup)
                {
                    histogram.recordValue(System.nanoTime() - start);
                }
            }
            stream.finish();
            echo.get(10, TimeUnit.SECONDS);
            connection.disconnect(0, "done");
        }
        return histogram;
    }

    private static void stalls(final int runs, final long bytes) throws Exception
    {
        System.out.printf(Locale.ROOT, "%n== kwik: %d one-stream transfers of %d MiB each; stall = no progress for %d s ==%n",
            runs, bytes >> 20, TimeUnit.NANOSECONDS.toSeconds(STALL_NANOS));
        for (final boolean workaround : new boolean[] {false, true})
        {
            int stalled = 0;
            double mibPerSecond = 0;
            final long kicksBefore = QuicEndpoint.kwikStallKicks();
            for (int run = 0; run < runs; run++)
            {
                final long nanos = quicTransfer(new QuicConfig().backend(QuicConfig.Backend.KWIK)
                    .kwikStallWorkaround(workaround), bytes);
                if (nanos < 0)
                {
                    stalled++;
                }
                else
                {
                    mibPerSecond += (bytes / 1048576.0) / (nanos / 1e9);
                }
            }
            final int completed = runs - stalled;
            System.out.printf(Locale.ROOT, "workaround %-3s: %d of %d stalled; completed runs averaged %.1f MiB/s; kicks %d%n",
                workaround ? "on" : "off", stalled, runs, completed == 0 ? 0 : mibPerSecond / completed,
                QuicEndpoint.kwikStallKicks() - kicksBefore);
        }
    }
}
