package dev.hayate.quic;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.hayate.core.transport.IoPoller;
import dev.hayate.core.transport.Transport;
import dev.hayate.core.transport.TransportServer;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class QuicTransportTest
{
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final long WAIT = 10 * SECOND;

    /**
     * A bound server and a connected client transport with its accepted peer.
     */
    static final class Link implements AutoCloseable
    {
        final QuicTransportProvider serverSide;
        final QuicTransportProvider clientSide;
        final TransportServer server;
        final Transport client;
        final Transport accepted;

        Link(final QuicConfig.Backend backend) throws IOException
        {
            this(backend, c -> c, false);
        }

        Link(final QuicConfig.Backend backend, final java.util.function.UnaryOperator<QuicConfig> tweak,
            final boolean share) throws IOException
        {
            serverSide = QuicTransportProvider.server(tweak.apply(new QuicConfig().backend(backend)));
            server = serverSide.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            clientSide = QuicTransportProvider.client(tweak.apply(new QuicConfig().backend(backend)
                .trustedCaPem(QuicTransportProvider.certificateChainPem(server)))).shareConnections(share);
            client = clientSide.connect(server.localAddress(), WAIT);
            assertTrue(server.awaitAcceptable(WAIT), "nothing to accept");
            accepted = server.accept();
            assertNotNull(accepted);
        }

        @Override
        public void close() throws IOException
        {
            client.close();
            accepted.close();
            server.close();
            clientSide.close();
        }
    }

    static void writeFully(final Transport transport, final ByteBuffer src) throws IOException
    {
        while (src.hasRemaining())
        {
            if (transport.write(src) == 0)
            {
                assertTrue(transport.awaitWritable(WAIT), "not writable");
            }
        }
    }

    static void readFully(final Transport transport, final ByteBuffer dst) throws IOException
    {
        while (dst.hasRemaining())
        {
            final int n = transport.read(dst);
            assertTrue(n >= 0, "end of stream");
            if (n == 0)
            {
                assertTrue(transport.awaitReadable(WAIT), "not readable");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.hayate.quic.QuicTestSupport#backends")
    void shouldReadZeroWhenEmptyAndMinusOneAfterFin(final QuicConfig.Backend backend) throws Exception
    {
        try (Link link = new Link(backend))
        {
            assertEquals(0, link.accepted.read(ByteBuffer.allocate(8)));
            assertEquals(0, link.client.read(ByteBuffer.allocate(8)));
            writeFully(link.client, ByteBuffer.wrap(new byte[] {1, 2, 3}));
            final ByteBuffer three = ByteBuffer.allocate(3);
            readFully(link.accepted, three);
            assertEquals(2, three.get(1));
            link.accepted.close();
            assertTrue(link.client.awaitReadable(WAIT));
            assertEquals(-1, link.client.read(ByteBuffer.allocate(8)));
            assertEquals(-1, link.client.read(ByteBuffer.allocate(8)));
            assertThrows(ClosedChannelException.class, () -> link.accepted.read(ByteBuffer.allocate(8)));
            assertFalse(link.accepted.isOpen());
            assertNotNull(link.client.remoteAddress());
            assertEquals(link.server.localAddress(), link.client.remoteAddress());
        }
    }

    @ParameterizedTest
    @MethodSource("dev.hayate.quic.QuicTestSupport#backends")
    void shouldTimeOutAwaitReadableAndWakeOnData(final QuicConfig.Backend backend) throws Exception
    {
        try (Link link = new Link(backend))
        {
            long start = System.nanoTime();
            assertFalse(link.accepted.awaitReadable(TimeUnit.MILLISECONDS.toNanos(100)));
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(95));
            assertFalse(link.accepted.awaitReadable(0));
            final CompletableFuture<Void> later = QuicTestSupport.runAsync(() ->
            {
                try
                {
                    Thread.sleep(100);
                    writeFully(link.client, ByteBuffer.wrap(new byte[] {9}));
                }
                catch (final Exception ex)
                {
                    throw new IllegalStateException(ex);
                }
            });
            start = System.nanoTime();
            assertTrue(link.accepted.awaitReadable(WAIT));
            assertTrue(System.nanoTime() - start < 5 * SECOND);
            later.get(5, TimeUnit.SECONDS);
            assertEquals(1, link.accepted.read(ByteBuffer.allocate(8)));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.hayate.quic.QuicTestSupport#backends")
    void shouldTimeOutAwaitWritableWhenFullAndWakeWhenPeerReads(final QuicConfig.Backend backend) throws Exception
    {
        try (Link link = new Link(backend, c -> c.streamSendBufferBytes(16 * 1024).streamReceiveBufferBytes(16 * 1024)
            .streamWindowBytes(32 * 1024).connectionWindowBytes(64 * 1024), false))
        {
            assertTrue(link.client.awaitWritable(0));
            final ByteBuffer big = ByteBuffer.allocate(4 << 20);
            final long deadline = System.nanoTime() + 5 * SECOND;
            while (System.nanoTime() - deadline < 0)
            {
                if (link.client.write(big) == 0 && !link.client.awaitWritable(TimeUnit.MILLISECONDS.toNanos(200)))
                {
                    break;
                }
            }
            assertTrue(big.hasRemaining(), "4 MiB fit into 128 KiB of buffers and windows");
            assertFalse(link.client.awaitWritable(TimeUnit.MILLISECONDS.toNanos(100)));
            final int written = big.position();
            final CompletableFuture<Void> reader = QuicTestSupport.runAsync(() ->
            {
                try
                {
                    readFully(link.accepted, ByteBuffer.allocate(big.capacity()));
                }
                catch (final IOException ex)
                {
                    throw new IllegalStateException(ex);
                }
            });
            assertTrue(link.client.awaitWritable(WAIT), "not woken when the peer read");
            writeFully(link.client, big);
            reader.get(30, TimeUnit.SECONDS);
            assertTrue(written > 0);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.hayate.quic.QuicTestSupport#backends")
    void shouldWakeWaitersWhenClosedFromAnotherThread(final QuicConfig.Backend backend) throws Exception
    {
        try (Link link = new Link(backend))
        {
            final CompletableFuture<Throwable> waiter = QuicTestSupport.supplyAsync(() ->
            {
                try
                {
                    link.accepted.awaitReadable(30 * SECOND);
                    return null;
                }
                catch (final IOException ex)
                {
                    return ex;
                }
            });
            Thread.sleep(100);
            link.accepted.close();
            assertInstanceOf(ClosedChannelException.class, waiter.get(5, TimeUnit.SECONDS));
            assertThrows(ClosedChannelException.class, () -> link.accepted.awaitWritable(0));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.hayate.quic.QuicTestSupport#backends")
    void shouldWakeIoPollerOnDataAndOnAccept(final QuicConfig.Backend backend) throws Exception
    {
        try (Link link = new Link(backend); IoPoller poller = new IoPoller())
        {
            final IoPoller.Registration registration = link.accepted.register(poller, "peer");
            registration.interestOps(IoPoller.READ);
            final IoPoller.Registration acceptRegistration = link.server.register(poller, "server");
            final AtomicInteger readEvents = new AtomicInteger();
            final AtomicInteger acceptEvents = new AtomicInteger();
            final IoPoller.Handler handler = (attachment, ops) ->
            {
                if ("peer".equals(attachment) && (ops & IoPoller.READ) != 0)
                {
                    readEvents.incrementAndGet();
                }
                if ("server".equals(attachment) && (ops & IoPoller.ACCEPT) != 0)
                {
                    acceptEvents.incrementAndGet();
                }
            };
            assertEquals(0, poller.poll(0, handler));
            final CompletableFuture<Void> writer = QuicTestSupport.runAsync(() ->
            {
                try
                {
                    Thread.sleep(100);
                    writeFully(link.client, ByteBuffer.wrap(new byte[] {7}));
                }
                catch (final Exception ex)
                {
                    throw new IllegalStateException(ex);
                }
            });
            final long start = System.nanoTime();
            while (readEvents.get() == 0 && System.nanoTime() - start < WAIT)
            {
                poller.poll(WAIT, handler);
            }
            assertTrue(readEvents.get() > 0);
            assertTrue(System.nanoTime() - start < 5 * SECOND, "poller was not woken");
            writer.get(5, TimeUnit.SECONDS);

            final Transport second = link.clientSide.connect(link.server.localAddress(), WAIT);
            final long acceptStart = System.nanoTime();
            while (acceptEvents.get() == 0 && System.nanoTime() - acceptStart < WAIT)
            {
                poller.poll(WAIT, handler);
            }
            assertTrue(acceptEvents.get() > 0, "no accept event");
            final Transport secondAccepted = link.server.accept();
            assertNotNull(secondAccepted);
            registration.cancel();
            acceptRegistration.cancel();
            second.close();
            secondAccepted.close();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.hayate.quic.QuicTestSupport#backends")
    void shouldTimeOutAcceptAndConnect(final QuicConfig.Backend backend) throws Exception
    {
        final QuicTransportProvider serverSide = QuicTransportProvider.server(new QuicConfig().backend(backend));
        final TransportServer server = serverSide.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        try (
QuicTransportProvider clientSide = QuicTransportProvider.client(new QuicConfig().backend(backend)
                 .insecureTrustAnyCertificateForDevelopment());
             DatagramSocket silent = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)))
        {
            assertNull(server.accept());
            long start = System.nanoTime();
            assertFalse(server.awaitAcceptable(TimeUnit.MILLISECONDS.toNanos(100)));
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(95));
            start = System.nanoTime();
            assertThrows(IOException.class, () ->
                clientSide.connect(silent.getLocalSocketAddress(), TimeUnit.MILLISECONDS.toNanos(500)));
            assertTrue(System.nanoTime() - start < 5 * SECOND);
            final CompletableFuture<Throwable> waiter = QuicTestSupport.supplyAsync(() ->
            {
                try
                {
                    server.awaitAcceptable(30 * SECOND);
                    return null;
                }
                catch (final IOException ex)
                {
                    return ex;
                }
            });
            Thread.sleep(100);
            server.close();
            assertInstanceOf(ClosedChannelException.class, waiter.get(5, TimeUnit.SECONDS));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.hayate.quic.QuicTestSupport#backends")
    void shouldRunManyTransportsOverOneSharedConnection(final QuicConfig.Backend backend) throws Exception
    {
        try (Link link = new Link(backend, c -> c, true))
        {
            final Transport second = link.clientSide.connect(link.server.localAddress(), WAIT);
            assertTrue(link.server.awaitAcceptable(WAIT));
            final Transport secondAccepted = link.server.accept();
            assertNotSame(link.accepted, secondAccepted);
            final QuicTransport a = (QuicTransport)link.client;
            final QuicTransport b = (QuicTransport)second;
            assertSame(a.stream().connection(), b.stream().connection());
            writeFully(second, ByteBuffer.wrap(new byte[] {5}));
            final ByteBuffer one = ByteBuffer.allocate(1);
            readFully(secondAccepted, one);
            assertEquals(5, one.get(0));
            assertEquals("quic-" + (QuicEndpoint.resolve(new QuicConfig().backend(backend)) ==
                QuicConfig.Backend.NETTY ? "netty" : "kwik"), link.clientSide.name());
            second.close();
            secondAccepted.close();
        }
    }
}
