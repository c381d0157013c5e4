package dev.hayate.core.transport.tls;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;

import dev.hayate.core.test.TestCertificates;
import dev.hayate.core.transport.Transport;
import dev.hayate.core.transport.TransportServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a message costs in allocation over TLS, measured on the thread that does all the work (no JIT
 * assumption beyond a warm-up): a round trip through two {@link TlsTransport}s over loopback, against the same
 * round trip done with two bare {@link SSLEngine}s and buffers made once, for each engine. With the JDK's engine the
 * transport must add next to nothing to what the engine itself allocates; with the OpenSSL engine the round trip must
 * allocate nothing (the transport bypasses the engine's result objects, {@link DirectRecords}). The figures are
 * printed for BENCHMARKS.md.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TlsAllocationTest
{
    private static final int WARM_UP = 20_000;
    private static final int MEASURED = 20_000;
    private static final int SIZE = 64;
    // Below the smallest object (16 bytes): nothing per record, room only for a one-off cost spread over the run.
    private static final double OPENSSL_BOUND_BYTES = 8;

    @TempDir
    Path directory;

    @Test
    void shouldAllocateNothingPerMessageBeyondWhatTheJdkEngineDoes() throws Exception
    {
        Assumptions.assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean);
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final TestCertificates pki = TestCertificates.ca(directory, "alloc");
        final TestCertificates.Leaf leaf = pki.issue("server", "127.0.0.1");
        final TlsConfig server = new TlsConfig().certificateChain(leaf.certificate()).privateKey(leaf.key());
        final TlsConfig client = new TlsConfig().trustCertificates(pki.caFile());

        final double transportBytes = transportRoundTrips(threads, server, client);
        final double engineBytes = bareEngines(threads, server, client);
        System.out.printf("TLS allocation per 64-byte round trip (two records sealed, two opened): TlsTransport " +
            "%.1f bytes, bare JDK SSLEngine %.1f bytes%n", transportBytes, engineBytes);
        // The JDK's engine allocates kilobytes per record (its result object and its AES-GCM work, on JDK 17 and
        // 25): the floor any SSLEngine user pays (Netty's SslHandler with the JDK provider too). The transport is held
        // to a small share on top, which moves with how the JIT inlines the engine's calls (57 to 203 bytes per
        // round trip on JDK 17 in runs on a loaded machine, against the bare engines' 6,384).
        assertTrue(transportBytes <= engineBytes * 1.1, () -> "the transport adds allocation: " + transportBytes +
            " bytes per round trip against " + engineBytes + " for the bare engines");
    }

    @Test
    void shouldAllocateNothingPerMessageWithTheOpenSslEngine() throws Exception
    {
        Assumptions.assumeTrue(TlsTransportTest.openSslShipsHere(), "BoringSSL ships for linux-x86_64 only");
        Assumptions.assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean);
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final TestCertificates pki = TestCertificates.ca(directory, "alloc");
        final TestCertificates.Leaf leaf = pki.issue("server", "127.0.0.1");
        final TlsConfig server = new TlsConfig().engine(TlsConfig.Engine.OPENSSL)
            .certificateChain(leaf.certificate()).privateKey(leaf.key());
        final TlsConfig client = new TlsConfig().engine(TlsConfig.Engine.OPENSSL).trustCertificates(pki.caFile());

        final double transportBytes = transportRoundTrips(threads, server, client);
        final double engineBytes = bareEngines(threads, server, client);
        System.out.printf("TLS allocation per 64-byte round trip (two records sealed, two opened): TlsTransport " +
            "%.1f bytes, bare OpenSSL (BoringSSL, Netty tcnative) SSLEngine %.1f bytes%n", transportBytes, engineBytes);
        // BoringSSL seals and opens in native code between direct buffers. Through the bare engine the SSLEngineResult
        // of each wrap and unwrap is left on the heap (40 bytes, four per round trip: 160); TlsTransport's records go
        // through tcnative's calls on the same session instead, and allocate nothing (0.0 in every run so far).
        assertTrue(transportBytes <= OPENSSL_BOUND_BYTES, () -> "the OpenSSL engine allocates " + transportBytes +
            " bytes per round trip through TlsTransport (bare engines: " + engineBytes + ")");
    }

    /**
     * @return bytes allocated on this thread per round trip through two {@link TlsTransport}s over loopback.
     */
    private static double transportRoundTrips(final com.sun.management.ThreadMXBean threads, final TlsConfig server,
        final TlsConfig client) throws IOException
    {
        try (TransportServer listener = new TlsTransportProvider(server)
            .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)))
        {
            final Transport dialled = new TlsTransportProvider(client).connect(listener.localAddress(),
                TimeUnit.SECONDS.toNanos(10));
            Transport accepted = null;
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (accepted == null && System.nanoTime() - deadline < 0)
            {
                accepted = listener.accept();
            }
            try (Transport a = dialled; Transport b = accepted)
            {
                final ByteBuffer out = ByteBuffer.allocateDirect(SIZE);
                final ByteBuffer in = ByteBuffer.allocateDirect(SIZE);
                for (int i = 0; i < WARM_UP; i++)
                {
                    roundTrip(a, b, out, in);
                }
                final long before = threads.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < MEASURED; i++)
                {
                    roundTrip(a, b, out, in);
                }
                return (threads.getCurrentThreadAllocatedBytes() - before) / (double)MEASURED;
            }
        }
    }

    private static void roundTrip(final Transport a, final Transport b, final ByteBuffer out, final ByteBuffer in)
        throws IOException
    {
        move(a, b, out, in);
        move(b, a, out, in);
    }

    private static void move(final Transport from, final Transport to, final ByteBuffer out, final ByteBuffer in)
        throws IOException
    {
        out.clear();
        while (out.hasRemaining())
        {
            from.write(out);
        }
        in.clear();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (in.hasRemaining())
        {
            if (to.read(in) < 0 || System.nanoTime() - deadline > 0)
            {
                throw new IOException("message lost");
            }
        }
    }

    /**
     * The same exchange with two engines handing records to each other in memory: the floor the JDK sets.
     */
    private static double bareEngines(final com.sun.management.ThreadMXBean threads, final TlsConfig server,
        final TlsConfig client) throws IOException
    {
        final SSLEngine serverEngine = server.newEngine(false, null, -1);
        final SSLEngine clientEngine = client.newEngine(true, "127.0.0.1", 1);
        final int packet = clientEngine.getSession().getPacketBufferSize();
        final int application = clientEngine.getSession().getApplicationBufferSize();
        final ByteBuffer toServer = ByteBuffer.allocateDirect(packet * 4);
        final ByteBuffer toClient = ByteBuffer.allocateDirect(packet * 4);
        final ByteBuffer[] scratch = {ByteBuffer.allocateDirect(application)};
        final ByteBuffer[] empty = {ByteBuffer.allocate(0)};
        clientEngine.beginHandshake();
        serverEngine.beginHandshake();
        for (int i = 0; i < 200 && (handshaking(clientEngine) || handshaking(serverEngine)); i++)
        {
            step(clientEngine, toServer, toClient, scratch, empty);
            step(serverEngine, toClient, toServer, scratch, empty);
        }
        final ByteBuffer[] out = {ByteBuffer.allocateDirect(SIZE)};
        for (int i = 0; i < WARM_UP; i++)
        {
            exchange(clientEngine, serverEngine, toServer, out, scratch);
            exchange(serverEngine, clientEngine, toClient, out, scratch);
        }
        final long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < MEASURED; i++)
        {
            exchange(clientEngine, serverEngine, toServer, out, scratch);
            exchange(serverEngine, clientEngine, toClient, out, scratch);
        }
        return (threads.getCurrentThreadAllocatedBytes() - before) / (double)MEASURED;
    }

    private static boolean handshaking(final SSLEngine engine)
    {
        return engine.getHandshakeStatus() != SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING;
    }

    private static void step(final SSLEngine engine, final ByteBuffer out, final ByteBuffer in,
        final ByteBuffer[] scratch, final ByteBuffer[] empty) throws IOException
    {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null)
        {
            task.run();
        }
        if (engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_WRAP)
        {
            engine.wrap(empty, 0, 1, out);
        }
        in.flip();
        scratch[0].clear();
        engine.unwrap(in, scratch, 0, 1);
        in.compact();
    }

    private static void exchange(final SSLEngine from, final SSLEngine to, final ByteBuffer wire,
        final ByteBuffer[] out, final ByteBuffer[] scratch) throws IOException
    {
        out[0].clear();
        from.wrap(out, 0, 1, wire);
        wire.flip();
        scratch[0].clear();
        to.unwrap(wire, scratch, 0, 1);
        wire.compact();
    }
}
