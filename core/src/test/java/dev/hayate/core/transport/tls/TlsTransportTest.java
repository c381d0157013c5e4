package dev.hayate.core.transport.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLHandshakeException;

import dev.hayate.core.test.Frames;
import dev.hayate.core.test.TestCertificates;
import dev.hayate.core.transport.IoPoller;
import dev.hayate.core.transport.Transport;
import dev.hayate.core.transport.TransportServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TlsTransportTest
{
    private static final long SECONDS_10 = TimeUnit.SECONDS.toNanos(10);
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    @TempDir
    static Path directory;
    private static TestCertificates pki;
    private static TestCertificates otherPki;
    private static TestCertificates.Leaf server;
    private static TestCertificates.Leaf client;

    private final ExecutorService executor = Executors.newCachedThreadPool();
    // Tasks on the executor track what they open while the test thread may be closing: a list safe for both.
    private final List<AutoCloseable> closeables = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeAll
    static void certificates() throws IOException
    {
        pki = TestCertificates.ca(directory, "main");
        otherPki = TestCertificates.ca(directory, "other");
        server = pki.issue("server", "localhost", "127.0.0.1");
        client = pki.issue("client", "trader-1");
    }

    @AfterEach
    void closeAll() throws Exception
    {
        for (final AutoCloseable closeable : closeables)
        {
            closeable.close();
        }
        executor.shutdownNow();
    }

    private <C extends AutoCloseable> C track(final C closeable)
    {
        closeables.add(closeable);
        return closeable;
    }

    private static TlsConfig serverConfig()
    {
        return new TlsConfig().certificateChain(server.certificate()).privateKey(server.key());
    }

    private static TlsConfig clientConfig()
    {
        return new TlsConfig().trustCertificates(pki.caFile()).handshakeOnConnect(true);
    }

    private static TlsConfig serverConfig(final Engines engines)
    {
        return serverConfig().engine(engines.server());
    }

    private static TlsConfig clientConfig(final Engines engines)
    {
        return clientConfig().engine(engines.client());
    }

    /**
     * Which engine each side runs: every pair, so each engine is checked against itself and against the other.
     */
    record Engines(TlsConfig.Engine client, TlsConfig.Engine server)
    {
        @Override
        public String toString()
        {
            return client + " client, " + server + " server";
        }
    }

    static List<Engines> engines()
    {
        if (!openSslShipsHere())
        {
            return List.of(new Engines(TlsConfig.Engine.JDK, TlsConfig.Engine.JDK));
        }
        final List<Engines> pairs = new ArrayList<>();
        for (final TlsConfig.Engine client : TlsConfig.Engine.values())
        {
            for (final TlsConfig.Engine server : TlsConfig.Engine.values())
            {
                pairs.add(new Engines(client, server));
            }
        }
        return pairs;
    }

    /**
     * The build ships BoringSSL for linux-x86_64 (core's optional dependency): there the OpenSSL pairs run and it
     * must load; elsewhere only the JDK pair runs.
     */
    static boolean openSslShipsHere()
    {
        final String arch = System.getProperty("os.arch");
        return System.getProperty("os.name").startsWith("Linux") && ("amd64".equals(arch) || "x86_64".equals(arch));
    }

    /**
     * Accepts one connection and drives its handshake on another thread, as a service's reading thread would.
     */
    private CompletableFuture<TlsTransport> acceptOne(final TransportServer listener)
    {
        return CompletableFuture.supplyAsync(() ->
        {
            try
            {
                final long deadline = System.nanoTime() + SECONDS_10;
                while (!listener.awaitAcceptable(TimeUnit.MILLISECONDS.toNanos(100)))
                {
                    assertTrue(deadline - System.nanoTime() > 0, "nothing to accept");
                }
                final TlsTransport accepted = track((TlsTransport)listener.accept());
                final ByteBuffer none = ByteBuffer.allocate(0);
                while (accepted.isHandshaking())
                {
                    accepted.read(none);
                    accepted.awaitReadable(TimeUnit.MILLISECONDS.toNanos(50));
                    assertTrue(deadline - System.nanoTime() > 0, "handshake not finished");
                }
                return accepted;
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }, executor);
    }

    /**
     * A dialled and a served side of one connection, both handshakes done.
     */
    private record Connected(TlsTransport dialled, TlsTransport served)
    {
    }

    private Connected connected(final Engines engines) throws Exception
    {
        final TransportServer listener = track(new TlsTransportProvider(serverConfig(engines)).bind(LOOPBACK));
        final CompletableFuture<TlsTransport> accepted = acceptOne(listener);
        final TlsTransport dialled = track((TlsTransport)new TlsTransportProvider(clientConfig(engines))
            .connect(listener.localAddress(), SECONDS_10));
        return new Connected(dialled, accepted.get(20, TimeUnit.SECONDS));
    }

    private static void writeFully(final Transport transport, final ByteBuffer bytes) throws IOException
    {
        final long deadline = System.nanoTime() + SECONDS_10;
        while (bytes.hasRemaining())
        {
            if (transport.write(bytes) == 0)
            {
                transport.awaitWritable(TimeUnit.MILLISECONDS.toNanos(50));
            }
            assertTrue(deadline - System.nanoTime() > 0, "write did not finish");
        }
    }

    private static byte[] readFully(final Transport transport, final int length) throws IOException
    {
        return readFully(transport, ByteBuffer.allocate(length)).array();
    }

    /**
     * Reads into a direct buffer: with room for a whole record, the OpenSSL engine's records open straight into it.
     */
    private static byte[] readFullyDirect(final Transport transport, final int length) throws IOException
    {
        final byte[] read = new byte[length];
        readFully(transport, ByteBuffer.allocateDirect(length)).get(read);
        return read;
    }

    private static ByteBuffer direct(final byte[] bytes)
    {
        return ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
    }

    /**
     * @return {@code into}, filled and flipped.
     */
    private static ByteBuffer readFully(final Transport transport, final ByteBuffer into) throws IOException
    {
        final int length = into.remaining();
        final long deadline = System.nanoTime() + SECONDS_10;
        while (into.hasRemaining())
        {
            final int read = transport.read(into);
            if (read < 0)
            {
                fail("end of stream after " + into.position() + " of " + length + " bytes");
            }
            if (read == 0)
            {
                transport.awaitReadable(TimeUnit.MILLISECONDS.toNanos(50));
            }
            assertTrue(deadline - System.nanoTime() > 0, "read did not finish");
        }
        return into.flip();
    }

    private static byte[] random(final int length, final long seed)
    {
        final byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static String messageOf(final Throwable thrown)
    {
        final StringBuilder all = new StringBuilder();
        for (Throwable cause = thrown; cause != null; cause = cause.getCause())
        {
            all.append(cause.getMessage()).append('\n');
        }
        return all.toString();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void shouldExchangeBytesBothWaysOverTls13(final Engines engines) throws Exception
    {
        final Connected pair = connected(engines);
        final TlsTransport dialled = pair.dialled();
        final TlsTransport served = pair.served();

        assertEquals("TLSv1.3", dialled.protocol());
        final byte[] up = random(300_000, 1);
        final byte[] down = random(150_000, 2);
        final CompletableFuture<Void> writing = CompletableFuture.runAsync(() ->
        {
            try
            {
                // Direct on this side, heap on the other: with the OpenSSL engine a direct buffer's records are
                // sealed without the engine (DirectRecords), a heap buffer's through it.
                writeFully(dialled, direct(up));
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }, executor);
        writeFully(served, ByteBuffer.wrap(down));
        assertArrayEquals(up, readFully(served, up.length));
        assertArrayEquals(down, readFullyDirect(dialled, down.length));
        writing.get(20, TimeUnit.SECONDS);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void shouldOpenFullRecordsForAReaderWithLittleRoom(final Engines engines) throws Exception
    {
        final Connected pair = connected(engines);
        final TlsTransport dialled = pair.dialled();
        final TlsTransport served = pair.served();

        // One large write: full 16 KiB records, each opened into the transport's own buffer because the reader's
        // has less room than a record (Netty's engine wants the record's length less its header there).
        final byte[] sent = random(200_000, 4);
        final CompletableFuture<Void> writing = CompletableFuture.runAsync(() ->
        {
            try
            {
                writeFully(served, ByteBuffer.allocateDirect(sent.length).put(sent).flip());
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }, executor);
        final ByteBuffer received = ByteBuffer.allocate(sent.length);
        final ByteBuffer small = ByteBuffer.allocateDirect(1000);
        final long deadline = System.nanoTime() + SECONDS_10;
        while (received.hasRemaining())
        {
            small.clear().limit(Math.min(small.capacity(), received.remaining()));
            final int read = dialled.read(small);
            assertTrue(read >= 0, "end of stream");
            if (read == 0)
            {
                dialled.awaitReadable(TimeUnit.MILLISECONDS.toNanos(50));
            }
            received.put(small.flip());
            assertTrue(deadline - System.nanoTime() > 0, "read did not finish");
        }
        writing.get(20, TimeUnit.SECONDS);
        assertArrayEquals(sent, received.array());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void shouldStayReadableWhileDecryptedBytesAreBuffered(final Engines engines) throws Exception
    {
        final Connected pair = connected(engines);
        final TlsTransport dialled = pair.dialled();
        final TlsTransport served = pair.served();

        final byte[] sent = random(1000, 3);
        writeFully(served, ByteBuffer.wrap(sent));
        // Everything arrives in one record: the first small read leaves the rest decrypted inside the transport.
        final ByteBuffer first = ByteBuffer.allocate(10);
        final long deadline = System.nanoTime() + SECONDS_10;
        while (first.hasRemaining())
        {
            if (dialled.read(first) == 0)
            {
                dialled.awaitReadable(TimeUnit.MILLISECONDS.toNanos(50));
            }
            assertTrue(deadline - System.nanoTime() > 0);
        }
        assertTrue(dialled.awaitReadable(0), "buffered plaintext must count as readable");
        try (IoPoller poller = new IoPoller())
        {
            final Object attachment = new Object();
            dialled.register(poller, attachment).interestOps(IoPoller.READ);
            final int[] reported = new int[1];
            // The socket has nothing more: only the probe of the buffered bytes can report this.
            final int events = poller.poll(TimeUnit.SECONDS.toNanos(5), (seen, ops) ->
            {
                if (seen == attachment && (ops & IoPoller.READ) != 0)
                {
                    reported[0]++;
                }
            });
            assertTrue(events > 0 && reported[0] > 0, "the poller must report buffered plaintext as readable");
        }
        final byte[] rest = readFully(dialled, sent.length - 10);
        assertArrayEquals(Arrays.copyOfRange(sent, 10, sent.length), rest);
        assertFalse(dialled.awaitReadable(0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void shouldCarryOnAfterKeyUpdatesFromEitherSide(final Engines engines) throws Exception
    {
        final Connected pair = connected(engines);
        final TlsTransport dialled = pair.dialled();
        final TlsTransport served = pair.served();

        for (int round = 0; round < 4; round++)
        {
            final TlsTransport starter = round % 2 == 0 ? dialled : served;
            if ((starter == dialled ? engines.client() : engines.server()) == TlsConfig.Engine.JDK)
            {
                starter.requestKeyUpdate();
            }
            else
            {
                // Netty's OpenSSL engine cannot start one; it must still answer the JDK side's (other rounds).
                assertThrows(UnsupportedOperationException.class, starter::requestKeyUpdate);
            }
            final byte[] up = random(20_000, 10 + round);
            final byte[] down = random(20_000, 20 + round);
            // Heap buffers in the first two rounds, direct ones (the OpenSSL engine's DirectRecords) in the last two.
            final boolean direct = round >= 2;
            writeFully(dialled, direct ? direct(up) : ByteBuffer.wrap(up));
            assertArrayEquals(up, direct ? readFullyDirect(served, up.length) : readFully(served, up.length));
            writeFully(served, direct ? direct(down) : ByteBuffer.wrap(down));
            assertArrayEquals(down, direct ? readFullyDirect(dialled, down.length) : readFully(dialled, down.length));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void shouldSealAndOpenOpenSslRecordsWithoutTheEngineOnceTheHandshakeIsDone(final Engines engines) throws Exception
    {
        final Connected pair = connected(engines);
        final TlsTransport dialled = pair.dialled();
        final TlsTransport served = pair.served();

        // Reflection on Netty's engine: a Netty upgrade that hides what DirectRecords needs fails here, not silently.
        assertEquals(engines.client() == TlsConfig.Engine.OPENSSL, dialled.usesDirectRecords());
        assertEquals(engines.server() == TlsConfig.Engine.OPENSSL, served.usesDirectRecords());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void shouldFailASessionWhoseRecordWasAlteredOnTheWayAndSayWhy(final Engines engines) throws Exception
    {
        final TransportServer listener = track(new TlsTransportProvider(serverConfig(engines)).bind(LOOPBACK));
        final CompletableFuture<TlsTransport> accepted = acceptOne(listener);
        final TamperingRelay relay = track(new TamperingRelay((InetSocketAddress)listener.localAddress()));
        final TlsTransport dialled = track((TlsTransport)new TlsTransportProvider(clientConfig(engines))
            .connect(relay.address(), SECONDS_10));
        final TlsTransport served = accepted.get(20, TimeUnit.SECONDS);
        writeFully(dialled, direct(new byte[] {1, 2, 3}));
        assertArrayEquals(new byte[] {1, 2, 3}, readFully(served, 3));

        // The 20th byte of the next record is ciphertext (the header is 5): one bit of it flipped on the way.
        relay.flipClientByteAt(relay.clientBytes() + 20);
        writeFully(dialled, direct(random(1000, 5)));
        final IOException thrown = assertThrows(IOException.class, () -> readFullyDirect(served, 1000));
        assertTrue(messageOf(thrown).contains("altered or corrupted on the way"), messageOf(thrown));
        assertFalse(served.isOpen(), "a session that opened a forged record must not go on");
    }

    /**
     * A man in the middle: relays one client to the TLS server over plain sockets and can flip one bit of the
     * client's stream at a given offset.
     */
    private final class TamperingRelay implements AutoCloseable
    {
        private final java.net.ServerSocket listening;
        private final java.util.concurrent.atomic.AtomicLong clientBytes = new java.util.concurrent.atomic.AtomicLong();
        private final List<Socket> sockets = new java.util.concurrent.CopyOnWriteArrayList<>();
        private volatile long flipAt = Long.MAX_VALUE;

        TamperingRelay(final InetSocketAddress server) throws IOException
        {
            listening = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            executor.execute(() ->
            {
                try
                {
                    final Socket client = listening.accept();
                    final Socket upstream = new Socket(server.getAddress(), server.getPort());
                    sockets.add(client);
                    sockets.add(upstream);
                    final InputStream fromServer = upstream.getInputStream();
                    final OutputStream toClient = client.getOutputStream();
                    executor.execute(() -> pump(fromServer, toClient, false));
                    pump(client.getInputStream(), upstream.getOutputStream(), true);
                }
                catch (final IOException ex)
                {
                    // Closed by the test.
                }
            });
        }

        InetSocketAddress address()
        {
            return (InetSocketAddress)listening.getLocalSocketAddress();
        }

        long clientBytes()
        {
            return clientBytes.get();
        }

        void flipClientByteAt(final long offset)
        {
            flipAt = offset;
        }

        private void pump(final InputStream in, final OutputStream out, final boolean fromClient)
        {
            final byte[] chunk = new byte[8192];
            try
            {
                int read;
                while ((read = in.read(chunk)) > 0)
                {
                    if (fromClient)
                    {
                        final long start = clientBytes.getAndAdd(read);
                        final long at = flipAt;
                        if (at >= start && at < start + read)
                        {
                            chunk[(int)(at - start)] ^= 0x01;
                        }
                    }
                    out.write(chunk, 0, read);
                    out.flush();
                }
            }
            catch (final IOException ex)
            {
                // A side hung up.
            }
        }

        @Override
        public void close() throws IOException
        {
            listening.close();
            for (final Socket socket : sockets)
            {
                socket.close();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void shouldReadCloseNotifyAsEndOfStream(final Engines engines) throws Exception
    {
        final Connected pair = connected(engines);
        final TlsTransport dialled = pair.dialled();
        final TlsTransport served = pair.served();

        writeFully(served, ByteBuffer.wrap(new byte[] {1, 2, 3}));
        served.close();
        assertArrayEquals(new byte[] {1, 2, 3}, readFully(dialled, 3));
        final ByteBuffer more = ByteBuffer.allocate(16);
        final long deadline = System.nanoTime() + SECONDS_10;
        int read;
        while ((read = dialled.read(more)) == 0)
        {
            dialled.awaitReadable(TimeUnit.MILLISECONDS.toNanos(50));
            assertTrue(deadline - System.nanoTime() > 0, "end of stream not seen");
        }
        assertEquals(-1, read);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void shouldRefuseAServerCertificateFromAnUntrustedCa(final Engines engines) throws Exception
    {
        final TransportServer listener = track(new TlsTransportProvider(serverConfig(engines)).bind(LOOPBACK));
        acceptOne(listener);
        final TlsTransportProvider dialler = new TlsTransportProvider(new TlsConfig().engine(engines.client())
            .trustCertificates(otherPki.caFile()).handshakeOnConnect(true));
        final SSLHandshakeException thrown = assertThrows(SSLHandshakeException.class,
            () -> dialler.connect(listener.localAddress(), SECONDS_10));
        assertTrue(thrown.getMessage().contains("not trusted"), thrown.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void shouldReportAnUntrustedServerOnFirstUseWhenConnectDoesNotWait(final Engines engines) throws Exception
    {
        final TransportServer listener = track(new TlsTransportProvider(serverConfig(engines)).bind(LOOPBACK));
        acceptOne(listener);
        final Transport dialled = track(new TlsTransportProvider(new TlsConfig().engine(engines.client())
            .trustCertificates(otherPki.caFile()))
            .connect(listener.localAddress(), SECONDS_10));
        final IOException thrown = assertThrows(IOException.class, () -> readFully(dialled, 1));
        assertTrue(thrown.getMessage().contains("not trusted"), thrown.getMessage());
        assertFalse(dialled.isOpen());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void shouldRefuseAServerCertificateForAnotherHost(final Engines engines) throws Exception
    {
        final TestCertificates.Leaf elsewhere = pki.issue("elsewhere", "elsewhere.example");
        final TransportServer listener = track(new TlsTransportProvider(new TlsConfig().engine(engines.server())
            .certificateChain(elsewhere.certificate()).privateKey(elsewhere.key())).bind(LOOPBACK));
        acceptOne(listener);
        final SSLHandshakeException thrown = assertThrows(SSLHandshakeException.class,
            () -> new TlsTransportProvider(clientConfig(engines)).connect(listener.localAddress(), SECONDS_10));
        assertTrue(thrown.getMessage().contains("does not name the host"), thrown.getMessage());
        assertEquals(thrown.getMessage().indexOf("TLS handshake with"), thrown.getMessage().lastIndexOf("TLS handshake with"),
            "said once: " + thrown.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void shouldAcceptACertificateForAnotherHostWhenTheNameIsNotChecked(final Engines engines) throws Exception
    {
        final TestCertificates.Leaf elsewhere = pki.issue("elsewhere", "elsewhere.example");
        final TransportServer listener = track(new TlsTransportProvider(new TlsConfig().engine(engines.server())
            .certificateChain(elsewhere.certificate()).privateKey(elsewhere.key())).bind(LOOPBACK));
        final CompletableFuture<TlsTransport> accepted = acceptOne(listener);
        final TlsTransport dialled = track((TlsTransport)new TlsTransportProvider(clientConfig(engines)
            .verifyHostname(false)).connect(listener.localAddress(), SECONDS_10));
        final TlsTransport served = accepted.get(20, TimeUnit.SECONDS);
        writeFully(dialled, ByteBuffer.wrap(new byte[] {5}));
        assertArrayEquals(new byte[] {5}, readFully(served, 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void shouldRefuseAServerWhosePinDoesNotMatch(final Engines engines) throws Exception
    {
        final TransportServer listener = track(new TlsTransportProvider(serverConfig(engines)).bind(LOOPBACK));
        acceptOne(listener);
        final TlsConfig pinned = clientConfig(engines).pinSha256(Pem.pinSha256(client.publicKey()));
        final SSLHandshakeException thrown = assertThrows(SSLHandshakeException.class,
            () -> new TlsTransportProvider(pinned).connect(listener.localAddress(), SECONDS_10));
        assertTrue(thrown.getMessage().contains("certificate pin mismatch"), thrown.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void shouldAcceptAServerWhosePinMatches(final Engines engines) throws Exception
    {
        final TransportServer listener = track(new TlsTransportProvider(serverConfig(engines)).bind(LOOPBACK));
        final CompletableFuture<TlsTransport> accepted = acceptOne(listener);
        final TlsConfig pinned = clientConfig(engines).pinSha256("sha256/" + Pem.pinSha256(server.publicKey()));
        final TlsTransport dialled = track((TlsTransport)new TlsTransportProvider(pinned)
            .connect(listener.localAddress(), SECONDS_10));
        final TlsTransport served = accepted.get(20, TimeUnit.SECONDS);
        writeFully(dialled, ByteBuffer.wrap(new byte[] {42}));
        assertArrayEquals(new byte[] {42}, readFully(served, 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void shouldRequireAClientCertificateWhenTheServerAsksForOne(final Engines engines) throws Exception
    {
        final TransportServer listener = track(new TlsTransportProvider(serverConfig(engines)
            .trustCertificates(pki.caFile()).clientAuth(TlsConfig.ClientAuth.REQUIRED)).bind(LOOPBACK));

        // Without a certificate: the server refuses; the client learns it on its first read at the latest.
        final CompletableFuture<TlsTransport> refused = acceptOne(listener);
        final IOException clientSaw = assertThrows(IOException.class, () ->
        {
            final Transport anonymous = track(new TlsTransportProvider(clientConfig(engines))
                .connect(listener.localAddress(), SECONDS_10));
            readFully(anonymous, 1);
        });
        final ExecutionException serverSaw = assertThrows(ExecutionException.class, () -> refused.get(20, TimeUnit.SECONDS));
        assertTrue(messageOf(serverSaw).contains("client certificate is required"), messageOf(serverSaw));
        // JDK 17's server sends bad_certificate, JDK 25's certificate_required: either way the client is told.
        assertTrue(messageOf(clientSaw).contains("refused this side's certificate, or wants one") ||
            messageOf(clientSaw).contains("a client certificate is required"), messageOf(clientSaw));

        // With one: admitted, and the server sees who it is.
        final CompletableFuture<TlsTransport> accepted = acceptOne(listener);
        final TlsTransport dialled = track((TlsTransport)new TlsTransportProvider(clientConfig(engines)
            .certificateChain(client.certificate()).privateKey(client.key())).connect(listener.localAddress(), SECONDS_10));
        final TlsTransport served = accepted.get(20, TimeUnit.SECONDS);
        writeFully(dialled, ByteBuffer.wrap(new byte[] {7}));
        assertArrayEquals(new byte[] {7}, readFully(served, 1));
        assertTrue(served.peerCertificates().length > 0 && served.peerCertificates()[0].toString().contains("CN=client"),
            Arrays.toString(served.peerCertificates()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void shouldFailAPlaintextClientWithAClearErrorAndCloseIt(final Engines engines) throws Exception
    {
        final TransportServer listener = track(new TlsTransportProvider(serverConfig(engines)).bind(LOOPBACK));
        final CompletableFuture<TlsTransport> accepted = acceptOne(listener);
        try (Socket plain = new Socket())
        {
            plain.connect(listener.localAddress(), 10_000);
            plain.setSoTimeout(10_000);
            final OutputStream out = plain.getOutputStream();
            out.write(Frames.frame("login alice secret".getBytes(StandardCharsets.US_ASCII), 0x5BE0));
            out.flush();
            final ExecutionException thrown = assertThrows(ExecutionException.class,
                () -> accepted.get(20, TimeUnit.SECONDS));
            assertTrue(messageOf(thrown).contains("does not speak TLS"), messageOf(thrown));
            closeables.forEach(closeable ->
            {
                try
                {
                    closeable.close();
                }
                catch (final Exception ex)
                {
                    throw new IllegalStateException(ex);
                }
            });
            // The plaintext client sees at most an alert, then the end of the stream or a reset (the server
            // leaves its unread bytes behind): never a hang.
            final InputStream in = plain.getInputStream();
            final byte[] alert = new byte[64];
            int total = 0;
            try
            {
                int read;
                while ((read = in.read(alert)) >= 0)
                {
                    total += read;
                    assertTrue(total < 1024, "a TLS alert is a few bytes");
                }
            }
            catch (final java.net.SocketException reset)
            {
                assertTrue(reset.getMessage().contains("reset"), reset.getMessage());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void shouldCloseAPeerThatNeverFinishesItsHandshakeAtTheTimeout(final Engines engines) throws Exception
    {
        final TransportServer listener = track(new TlsTransportProvider(serverConfig(engines)
            .handshakeTimeout(java.time.Duration.ofMillis(300))).bind(LOOPBACK));
        try (Socket silent = new Socket())
        {
            silent.connect(listener.localAddress(), 10_000);
            silent.setSoTimeout(20_000);
            final Transport accepted = track(acceptWithin(listener));
            // Nobody reads the accepted side: the service's handshake driver alone closes it.
            assertEquals(-1, silent.getInputStream().read(), "closed by the server");
            final Transport served = accepted;
            final IOException thrown = assertThrows(IOException.class, () -> served.read(ByteBuffer.allocate(1)));
            assertTrue(thrown.getMessage().contains("not finished within the handshake timeout"), thrown.getMessage());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void shouldReadAPeerThatResetsDuringTheHandshakeAsEndOfStream(final Engines engines) throws Exception
    {
        final TransportServer listener = track(new TlsTransportProvider(serverConfig(engines)).bind(LOOPBACK));
        final Transport served;
        try (Socket peer = new Socket())
        {
            peer.connect(listener.localAddress(), 10_000);
            served = track(acceptWithin(listener));
            // Closed with a reset rather than a FIN, as a kernel does when our flight reaches a socket already closed.
            peer.setSoLinger(true, 0);
        }
        final ByteBuffer into = ByteBuffer.allocate(16);
        final long deadline = System.nanoTime() + SECONDS_10;
        int read;
        while ((read = served.read(into)) == 0)
        {
            served.awaitReadable(TimeUnit.MILLISECONDS.toNanos(50));
            assertTrue(deadline - System.nanoTime() > 0, "the peer's departure was not seen");
        }
        assertEquals(-1, read, "a peer that left mid-handshake is the end of the stream, not an I/O error");
    }

    private static Transport acceptWithin(final TransportServer listener) throws IOException
    {
        final long deadline = System.nanoTime() + SECONDS_10;
        Transport accepted = null;
        while (accepted == null)
        {
            listener.awaitAcceptable(TimeUnit.MILLISECONDS.toNanos(100));
            accepted = listener.accept();
            assertTrue(deadline - System.nanoTime() > 0, "nothing to accept");
        }
        return accepted;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void shouldRefuseAHandshakeWithAPlaintextServer(final Engines engines) throws Exception
    {
        try (java.net.ServerSocket plain = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            final CompletableFuture<Void> server = CompletableFuture.runAsync(() ->
            {
                try (Socket socket = plain.accept())
                {
                    socket.getOutputStream().write("HELLO plaintext\r\n".getBytes(StandardCharsets.US_ASCII));
                    socket.getInputStream().read(new byte[4096]);
                }
                catch (final IOException ex)
                {
                    // The client hangs up: expected.
                }
            }, executor);
            final IOException thrown = assertThrows(IOException.class,
                () -> new TlsTransportProvider(clientConfig(engines)).connect(plain.getLocalSocketAddress(),
                    SECONDS_10));
            assertTrue(messageOf(thrown).contains("does not speak TLS"), messageOf(thrown));
            server.get(20, TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void shouldSendNoSessionTicketAfterTheHandshake(final Engines engines) throws Exception
    {
        // Two engines in memory: after both have finished, nothing more may travel to the client. A ticket nobody
        // reads makes a client that only writes close with a reset, which can destroy its last messages.
        final SSLEngine serverEngine = serverConfig(engines).conclude().newEngine(false, null, -1);
        final SSLEngine clientEngine = clientConfig(engines).conclude().newEngine(true, "localhost", 1);
        final ByteBuffer toServer = ByteBuffer.allocateDirect(1 << 17);
        final ByteBuffer toClient = ByteBuffer.allocateDirect(1 << 17);
        final ByteBuffer[] scratch = {ByteBuffer.allocateDirect(1 << 15)};
        clientEngine.beginHandshake();
        serverEngine.beginHandshake();
        // Stops as soon as both have finished, so a ticket sealed at the end stays in toClient, unread.
        for (int i = 0; i < 20 && (handshaking(clientEngine) || handshaking(serverEngine)); i++)
        {
            exchangeHandshake(clientEngine, toServer, toClient, scratch);
            exchangeHandshake(serverEngine, toClient, toServer, scratch);
        }
        assertEquals(SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING, clientEngine.getHandshakeStatus());
        assertEquals(SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING, serverEngine.getHandshakeStatus());
        final SSLEngineResult after = serverEngine.wrap(new ByteBuffer[] {ByteBuffer.allocate(0)}, 0, 1, toClient);
        assertEquals(0, after.bytesProduced(), "the server sealed something after the handshake");
        assertEquals(0, toClient.position(), "bytes left for the client after the handshake: a session ticket?");
    }

    private static boolean handshaking(final SSLEngine engine)
    {
        return engine.getHandshakeStatus() != SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING;
    }

    private static void exchangeHandshake(final SSLEngine engine, final ByteBuffer out, final ByteBuffer in,
        final ByteBuffer[] scratch) throws IOException
    {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null)
        {
            task.run();
        }
        while (engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_WRAP)
        {
            if (engine.wrap(new ByteBuffer[] {ByteBuffer.allocate(0)}, 0, 1, out).bytesProduced() == 0)
            {
                break;
            }
        }
        // Unwrapped even with nothing new: Netty's engine finishes a server's handshake on the call after the last
        // record, as TlsTransport's handshake does.
        in.flip();
        scratch[0].clear();
        engine.unwrap(in, scratch, 0, 1);
        in.compact();
    }

    @Test
    void shouldNameTheArtifactsToAddWhenOpenSslIsChosenWithoutNetty() throws Exception
    {
        // TlsConfig loaded from core's classes alone, with no Netty behind it: as in an application without it.
        final java.net.URL core = TlsConfig.class.getProtectionDomain().getCodeSource().getLocation();
        try (java.net.URLClassLoader alone = new java.net.URLClassLoader(new java.net.URL[] {core},
            ClassLoader.getPlatformClassLoader()))
        {
            final Class<?> config = Class.forName(TlsConfig.class.getName(), true, alone);
            assertThrows(ClassNotFoundException.class,
                () -> Class.forName("io.netty.handler.ssl.OpenSsl", false, alone));
            @SuppressWarnings({"unchecked", "rawtypes"})
            final Object openSsl = Enum.valueOf((Class)Class.forName(TlsConfig.Engine.class.getName(), true, alone),
                "OPENSSL");
            final Object instance = config.getConstructor().newInstance();
            // The JDK engine needs nothing more.
            config.getMethod("conclude").invoke(instance);
            final Object chosen = config.getConstructor().newInstance();
            config.getMethod("engine", openSsl.getClass()).invoke(chosen, openSsl);
            final java.lang.reflect.InvocationTargetException thrown = assertThrows(
                java.lang.reflect.InvocationTargetException.class, () -> config.getMethod("conclude").invoke(chosen));
            assertTrue(thrown.getCause() instanceof IllegalStateException, String.valueOf(thrown.getCause()));
            final String message = thrown.getCause().getMessage();
            assertTrue(message.contains("io.netty:netty-handler") &&
                message.contains("io.netty:netty-tcnative-boringssl-static"), message);
        }
    }

    @Test
    void shouldRejectAConfigurationWithACertificateButNoKey()
    {
        final IllegalStateException thrown = assertThrows(IllegalStateException.class,
            () -> new TlsConfig().certificateChain(server.certificate()).conclude());
        assertTrue(thrown.getMessage().contains("certificateChain and privateKey"), thrown.getMessage());
    }

    @Test
    void shouldExplainHowToConvertALegacyKey() throws IOException
    {
        final Path legacy = Files.writeString(directory.resolve("legacy.pem"),
            "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n-----END EC PRIVATE KEY-----\n");
        final UncheckedIOException thrown = assertThrows(UncheckedIOException.class,
            () -> new TlsConfig().certificateChain(server.certificate()).privateKey(legacy).conclude());
        assertTrue(thrown.getMessage().contains("openssl pkcs8 -topk8"), thrown.getMessage());
    }

    @Test
    void shouldRefuseToBindWithoutACertificate()
    {
        assertThrows(IllegalStateException.class, () -> new TlsTransportProvider(clientConfig()).bind(LOOPBACK));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void shouldReadIdentityAndTrustFromKeyStores(final Engines engines) throws Exception
    {
        final char[] password = "changeit".toCharArray();
        final java.security.KeyStore identity = java.security.KeyStore.getInstance("PKCS12");
        identity.load(null, null);
        identity.setKeyEntry("server", Pem.readPrivateKey(server.key()), password,
            Pem.readCertificates(server.certificate()).toArray(new java.security.cert.X509Certificate[0]));
        final Path identityFile = directory.resolve("server.p12");
        try (OutputStream out = Files.newOutputStream(identityFile))
        {
            identity.store(out, password);
        }
        final java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", Pem.readCertificates(pki.caFile()).get(0));
        final Path trustFile = directory.resolve("trust.p12");
        try (OutputStream out = Files.newOutputStream(trustFile))
        {
            trust.store(out, password);
        }

        final TransportServer listener = track(new TlsTransportProvider(new TlsConfig().engine(engines.server())
            .keyStore(identityFile, password))
            .bind(LOOPBACK));
        final CompletableFuture<TlsTransport> accepted = acceptOne(listener);
        final TlsTransport dialled = track((TlsTransport)new TlsTransportProvider(new TlsConfig()
            .engine(engines.client()).trustStore(trustFile, password).handshakeOnConnect(true))
            .connect(listener.localAddress(), SECONDS_10));
        final TlsTransport served = accepted.get(20, TimeUnit.SECONDS);
        writeFully(served, ByteBuffer.wrap(new byte[] {9}));
        assertArrayEquals(new byte[] {9}, readFully(dialled, 1));
    }
}
