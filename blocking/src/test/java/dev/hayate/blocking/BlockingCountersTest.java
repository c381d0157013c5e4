package dev.hayate.blocking;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.TimeUnit;

import dev.hayate.core.Codec;
import dev.hayate.core.Context;
import dev.hayate.core.Protocol;
import dev.hayate.core.ProtocolFactory;
import dev.hayate.core.Session;
import dev.hayate.core.Status;
import dev.hayate.core.frame.Sofh;
import dev.hayate.core.stat.Counters;
import dev.hayate.core.stat.Stat;
import dev.hayate.core.test.ByteArrayCodec;
import dev.hayate.core.test.Frames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine's counters seen end to end, each side counting into counters of its own.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BlockingCountersTest
{
    private static final ProtocolFactory<byte[]> BYTES = ProtocolFactory.of(ByteArrayCodec::new);
    private static final InetSocketAddress ANY_LOOPBACK = new InetSocketAddress("127.0.0.1", 0);

    private static Context context(final Counters counters)
    {
        return new Context().counters(counters).maxFrameLength(1024).connectTimeout(5, TimeUnit.SECONDS)
            .handshakeTimeout(5, TimeUnit.SECONDS);
    }

    @Test
    void shouldCountAFrameOutOnOneSideAndInOnTheOther() throws Exception
    {
        final Counters serverCounters = Counters.inMemory();
        final Counters clientCounters = Counters.inMemory();
        try (Svc<byte[]> svc = Svc.bind(ANY_LOOPBACK, BYTES, context(serverCounters)))
        {
            final Clt<byte[]> clt = Clt.connect(svc.localAddress(), BYTES, context(clientCounters));
            final Clt<byte[]> server = svc.accept(10, TimeUnit.SECONDS);
            assertNotNull(server);
            assertEquals(Status.OK, clt.send(new byte[10]));
            assertEquals(10, server.recv(10, TimeUnit.SECONDS).length);

            final long frame = 10 + Sofh.HEADER_LENGTH;
            assertEquals(1, clientCounters.get(Stat.FRAMES_OUT));
            assertEquals(frame, clientCounters.get(Stat.BYTES_OUT));
            assertEquals(0, clientCounters.get(Stat.FRAMES_IN));
            assertEquals(1, serverCounters.get(Stat.FRAMES_IN));
            assertEquals(frame, serverCounters.get(Stat.BYTES_IN));
            assertEquals(0, serverCounters.get(Stat.FRAMES_OUT));
            assertEquals(1, clientCounters.get(Stat.CONNECTIONS_OPENED));
            assertEquals(1, serverCounters.get(Stat.CONNECTIONS_OPENED));

            clt.close();
            assertNull(server.recv(10, TimeUnit.SECONDS));
            assertEquals(1, clientCounters.get(Stat.CONNECTIONS_CLOSED));
            assertEquals(1, serverCounters.get(Stat.CONNECTIONS_CLOSED));
        }
    }

    @Test
    void shouldCountARefusalByTheGate() throws Exception
    {
        final Counters serverCounters = Counters.inMemory();
        try (Svc<byte[]> svc = Svc.bind(ANY_LOOPBACK, BYTES, context(serverCounters).maxConnections(1));
            Clt<byte[]> first = Clt.connect(svc.localAddress(), BYTES, context(Counters.inMemory()));
            Clt<byte[]> second = Clt.connect(svc.localAddress(), BYTES, context(Counters.inMemory())))
        {
            assertNotNull(svc.accept(10, TimeUnit.SECONDS));
            assertNull(svc.accept(200, TimeUnit.MILLISECONDS));
            assertEquals(1, svc.refusedConnections());
            assertEquals(1, serverCounters.get(Stat.REFUSED));
            assertNull(second.recv(10, TimeUnit.SECONDS));
            assertTrue(second.isClosed());
            assertTrue(!first.isClosed());
        }
    }

    @Test
    void shouldCountAHandshakeFailureOnBothSides() throws Exception
    {
        final Counters serverCounters = Counters.inMemory();
        final Counters clientCounters = Counters.inMemory();
        final ProtocolFactory<byte[]> rejecting = id -> new Protocol<>()
        {
            private final Codec<byte[]> codec = new ByteArrayCodec();

            @Override
            public Codec<byte[]> codec()
            {
                return codec;
            }

            @Override
            public void onConnect(final Session<byte[]> session) throws Exception
            {
                final byte[] hello = session.recv();
                if (hello == null || hello.length != 1)
                {
                    throw new IllegalStateException("no hello");
                }
            }
        };
        final ProtocolFactory<byte[]> waitingForWelcome = id -> new Protocol<>()
        {
            private final Codec<byte[]> codec = new ByteArrayCodec();

            @Override
            public Codec<byte[]> codec()
            {
                return codec;
            }

            @Override
            public void onConnect(final Session<byte[]> session) throws Exception
            {
                session.send(new byte[2]);
                if (session.recv() == null)
                {
                    throw new IllegalStateException("no welcome");
                }
            }
        };
        try (Svc<byte[]> svc = Svc.bind(ANY_LOOPBACK, rejecting, context(serverCounters)))
        {
            assertThrows(java.io.IOException.class,
                () -> Clt.connect(svc.localAddress(), waitingForWelcome, context(clientCounters)));
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (svc.handshakeFailures() == 0 && System.nanoTime() - deadline < 0)
            {
                assertNull(svc.accept(10, TimeUnit.MILLISECONDS));
            }
            assertEquals(1, svc.handshakeFailures());
            assertEquals(1, serverCounters.get(Stat.HANDSHAKE_FAILURES));
            assertEquals(1, clientCounters.get(Stat.HANDSHAKE_FAILURES));
        }
    }

    @Test
    void shouldCountAProtocolError() throws Exception
    {
        final Counters serverCounters = Counters.inMemory();
        try (Svc<byte[]> svc = Svc.bind(ANY_LOOPBACK, BYTES, context(serverCounters));
            Socket hostile = new Socket())
        {
            hostile.connect(svc.localAddress(), 5_000);
            final Clt<byte[]> server = svc.accept(10, TimeUnit.SECONDS);
            assertNotNull(server);
            final OutputStream out = hostile.getOutputStream();
            out.write(Frames.header(1025, 0x5BE0, new byte[0]));
            out.flush();
            assertNull(server.recv(10, TimeUnit.SECONDS));
            assertEquals(1, serverCounters.get(Stat.PROTOCOL_ERRORS));
        }
    }

    @Test
    void shouldCountBackPressure() throws Exception
    {
        final Counters clientCounters = Counters.inMemory();
        final Context small = context(clientCounters).sendBufferCapacity(1024).transportProvider(
            new dev.hayate.core.transport.TcpTransportProvider().socketSendBufferSize(8 * 1024)
                .socketReceiveBufferSize(8 * 1024));
        try (Svc<byte[]> svc = Svc.bind(ANY_LOOPBACK, BYTES, context(Counters.inMemory()));
            Clt<byte[]> clt = Clt.connect(svc.localAddress(), BYTES, small))
        {
            assertNotNull(svc.accept(10, TimeUnit.SECONDS));
            Status status;
            int sent = 0;
            while ((status = clt.send(new byte[1000], 50, TimeUnit.MILLISECONDS)) == Status.OK)
            {
                sent++;
                assertTrue(sent < 100_000, "the kernel buffers must fill up while nobody reads");
            }
            assertEquals(Status.TIMED_OUT, status);
            assertTrue(clientCounters.get(Stat.BACK_PRESSURE) > 0);
        }
    }
}
