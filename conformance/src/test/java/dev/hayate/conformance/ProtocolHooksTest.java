package dev.hayate.conformance;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import dev.hayate.core.Codec;
import dev.hayate.core.CloseReason;
import dev.hayate.core.Context;
import dev.hayate.core.HandshakeException;
import dev.hayate.core.Protocol;
import dev.hayate.core.ProtocolFactory;
import dev.hayate.core.Session;
import dev.hayate.core.Status;
import dev.hayate.core.buffer.BufferPool;
import dev.hayate.core.test.ByteArrayCodec;
import dev.hayate.core.transport.InMemoryTransportProvider;
import dev.hayate.core.transport.TcpTransportProvider;
import dev.hayate.core.transport.Transport;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each protocol hook's rule, checked through every face that can run it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProtocolHooksTest
{
    private static final InetSocketAddress ANY_LOOPBACK = new InetSocketAddress("127.0.0.1", 0);
    private static final byte[] PING = ascii("PING");
    private static final byte[] PONG = ascii("PONG");
    private static final byte[] HEARTBEAT = ascii("HB");

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final ExecutorService threads = Executors.newCachedThreadPool(task ->
    {
        final Thread thread = new Thread(task, "hooks-peer");
        thread.setDaemon(true);
        return thread;
    });
    private final BufferPool pool = new BufferPool.Context().sizeClass(4096, 256).build();

    static Stream<Arguments> flavours()
    {
        return Flavours.ALL.stream().map(flavour -> Arguments.of(flavour.name(), flavour));
    }

    static Stream<Arguments> virtualTimeFlavours()
    {
        return Flavours.ALL.stream().filter(Flavour::supportsVirtualTime).map(flavour -> Arguments.of(flavour.name(), flavour));
    }

    private static byte[] ascii(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    @AfterEach
    void tearDown() throws Exception
    {
        for (int i = resources.size() - 1; i >= 0; i--)
        {
            resources.get(i).close();
        }
        threads.shutdownNow();
    }

    private <T extends AutoCloseable> T track(final T resource)
    {
        resources.add(resource);
        return resource;
    }

    private Context context()
    {
        return new Context().bufferPool(pool).maxFrameLength(4096).connectTimeout(10, TimeUnit.SECONDS)
            .handshakeTimeout(5, TimeUnit.SECONDS);
    }

    /**
     * A protocol assembled from parts, counting every hook call.
     */
    static class TestProtocol implements Protocol<byte[]>
    {
        final Codec<byte[]> codec = new ByteArrayCodec();
        final AtomicInteger onSend = new AtomicInteger();
        final AtomicInteger onSent = new AtomicInteger();
        final AtomicInteger onRecv = new AtomicInteger();
        final AtomicInteger heartbeatsReceived = new AtomicInteger();
        int sequence;

        @Override
        public Codec<byte[]> codec()
        {
            return codec;
        }

        @Override
        public void onSend(final byte[] message)
        {
            onSend.incrementAndGet();
            if (message.length >= 8 && message[0] == 'S')
            {
                ByteBuffer.wrap(message).putInt(4, ++sequence);
            }
        }

        @Override
        public void onSent(final byte[] message)
        {
            onSent.incrementAndGet();
        }

        @Override
        public void onRecv(final byte[] message)
        {
            onRecv.incrementAndGet();
            if (java.util.Arrays.equals(message, HEARTBEAT))
            {
                heartbeatsReceived.incrementAndGet();
            }
        }
    }

    @Test
    void shouldStampEachMessageExactlyOnceEvenWhenSendsAreRetried() throws Exception
    {
        final TestProtocol clientProtocol = new TestProtocol();
        final TestProtocol serverProtocol = new TestProtocol();
        final Context small = context().transportProvider(new TcpTransportProvider()
            .socketSendBufferSize(8 * 1024).socketReceiveBufferSize(8 * 1024));
        final Flavour.Server<byte[]> server = track(Flavours.NONBLOCKING.bind(ANY_LOOPBACK, id -> serverProtocol, small));
        final dev.hayate.nonblocking.Clt<byte[]> client = track(
            dev.hayate.nonblocking.Clt.connect(server.address(), id -> clientProtocol, small));
        final Flavour.Client<byte[]> peer = track(server.accept(10, TimeUnit.SECONDS));

        final int count = 2_000;
        int backPressured = 0;
        final Future<List<Integer>> received = threads.submit(() ->
        {
            final List<Integer> sequences = new ArrayList<>();
            Thread.sleep(200);
            while (sequences.size() < count)
            {
                final byte[] message = peer.recv(10, TimeUnit.SECONDS);
                assertNotNull(message);
                sequences.add(ByteBuffer.wrap(message).getInt(4));
            }
            return sequences;
        });
        for (int i = 0; i < count; i++)
        {
            final byte[] message = new byte[1000];
            message[0] = 'S';
            Status status;
            while ((status = client.send(message)) == Status.BACK_PRESSURED)
            {
                backPressured++;
                Thread.onSpinWait();
            }
            assertEquals(Status.OK, status);
        }
        assertEquals(Status.OK, client.flush(10, TimeUnit.SECONDS));
        final List<Integer> sequences = received.get(60, TimeUnit.SECONDS);
        assertTrue(backPressured > 0, "the test must exercise retries");
        for (int i = 0; i < count; i++)
        {
            assertEquals(i + 1, sequences.get(i), "gap-free sequence numbers: stamped once per message");
        }
        assertEquals(count, clientProtocol.onSend.get(), "onSend once per message taken, not per attempt");
        assertEquals(count, clientProtocol.onSent.get());
        assertEquals(count, serverProtocol.onRecv.get());
    }

    @Test
    void shouldReportAMessageTakenAsOkEvenWhenWritingItThenFails() throws Exception
    {
        // A session protocol numbers and journals a message in onSend/onSent: the status must say it was taken,
        // or the caller sends it again and the peer gets it twice under two numbers.
        final TestProtocol clientProtocol = new TestProtocol();
        final Context memory = context().transportProvider(new InMemoryTransportProvider());
        final Flavour.Server<byte[]> server = track(Flavours.NONBLOCKING.bind(ANY_LOOPBACK,
            ProtocolFactory.of(ByteArrayCodec::new), memory));
        final dev.hayate.nonblocking.Clt<byte[]> client = track(
            dev.hayate.nonblocking.Clt.connect(server.address(), id -> clientProtocol, memory));
        server.accept(10, TimeUnit.SECONDS).close();

        assertEquals(Status.OK, client.send(ascii("taken, then the write fails")), "taken: onSend and onSent ran");
        assertEquals(1, clientProtocol.onSent.get());
        assertTrue(client.isClosed(), "the failed write closed the connection");
        assertEquals(CloseReason.IO_ERROR, client.closeReason());
        assertEquals(Status.CLOSED, client.send(ascii("not taken")));
        assertEquals(1, clientProtocol.onSend.get(), "nothing more was taken");
    }

    /**
     * Server side of a login handshake: the first message must be "LOGIN:secret".
     */
    static final class LoginServer extends TestProtocol
    {
        @Override
        public void onConnect(final Session<byte[]> session) throws Exception
        {
            final byte[] login = session.recv();
            if (login == null)
            {
                throw new IllegalStateException("no login");
            }
            if (!new String(login, StandardCharsets.US_ASCII).equals("LOGIN:secret"))
            {
                session.send(ascii("REJECTED"));
                throw new SecurityException("wrong credentials");
            }
            session.send(ascii("ACCEPTED"));
        }
    }

    /**
     * Client side of the login handshake.
     */
    static final class LoginClient extends TestProtocol
    {
        private final String password;

        LoginClient(final String password)
        {
            this.password = password;
        }

        @Override
        public void onConnect(final Session<byte[]> session) throws Exception
        {
            assertEquals(Status.OK, session.send(ascii("LOGIN:" + password)));
            final byte[] answer = session.recv();
            if (answer == null || !new String(answer, StandardCharsets.US_ASCII).equals("ACCEPTED"))
            {
                throw new SecurityException("login " + (answer == null ? "unanswered" : new String(answer, StandardCharsets.US_ASCII)));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flavours")
    void shouldRejectFailedHandshakeAndKeepAccepting(final String name, final Flavour flavour) throws Exception
    {
        final Flavour.Server<byte[]> server = track(flavour.bind(ANY_LOOPBACK, id -> new LoginServer(), context()));
        final Future<Flavour.Client<byte[]>> accepted = threads.submit(() -> server.accept(30, TimeUnit.SECONDS));

        // A peer that connects and never logs in holds nobody up, and is dropped after the handshake timeout.
        final Transport silent = track(new TcpTransportProvider().connect(server.address(), TimeUnit.SECONDS.toNanos(5)));

        final HandshakeException rejected = assertThrows(HandshakeException.class,
            () -> dev.hayate.blocking.Clt.connect(server.address(), id -> new LoginClient("guess"), context()));
        assertTrue(rejected.getMessage().contains("REJECTED"), rejected.getMessage());

        final Flavour.Client<byte[]> good = track(flavour.connect(server.address(), id -> new LoginClient("secret"), context()));
        final Flavour.Client<byte[]> peer = track(accepted.get(30, TimeUnit.SECONDS));
        assertNotNull(peer, "only the good client is handed to the application");
        assertEquals(Status.OK, good.send(ascii("hello"), 10, TimeUnit.SECONDS));
        assertArrayEquals(ascii("hello"), peer.recv(10, TimeUnit.SECONDS));

        final ByteBuffer sink = ByteBuffer.allocate(64);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        int read;
        while ((read = silent.read(sink.clear())) == 0 && System.nanoTime() < deadline)
        {
            Thread.sleep(10);
        }
        assertEquals(-1, read, "the silent peer was dropped when its handshake timed out");
        assertEquals(2, server.handshakeFailures(), "the wrong password and the silent peer");
        assertEquals(0, server.refused());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("virtualTimeFlavours")
    void shouldDeclarePeerDeadWhenSilentBeyondItsIntervalUnderInjectedClock(final String name, final Flavour flavour)
        throws Exception
    {
        final CachedNanoClock clock = new CachedNanoClock();
        final InMemoryTransportProvider memory = new InMemoryTransportProvider().virtualTime(clock, TimeUnit.MILLISECONDS.toNanos(1));
        final Context context = context().transportProvider(memory).nanoClock(clock);
        final ProtocolFactory<byte[]> watchful = id -> new TestProtocol()
        {
            @Override
            public boolean isConnected(final long nanosSinceLastReceive)
            {
                return nanosSinceLastReceive < TimeUnit.SECONDS.toNanos(3);
            }
        };
        final Flavour.Server<byte[]> server = track(flavour.bind(ANY_LOOPBACK, ProtocolFactory.of(ByteArrayCodec::new), context));
        final Flavour.Client<byte[]> client = track(flavour.connect(server.address(), watchful, context));
        track(server.accept(10, TimeUnit.SECONDS));

        final long start = clock.nanoTime();
        assertNull(client.recv(1, TimeUnit.MINUTES));
        assertEquals(CloseReason.HEARTBEAT_TIMEOUT, client.closeReason(), client.closeDetail());
        final long elapsed = clock.nanoTime() - start;
        assertTrue(elapsed >= TimeUnit.SECONDS.toNanos(3), "not before the peer's interval");
        assertTrue(elapsed < TimeUnit.SECONDS.toNanos(4), "and soon after it, not at the receive's timeout: " + elapsed);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("virtualTimeFlavours")
    void shouldSendHeartbeatsWhileIdleAndHideThemFromTheApplication(final String name, final Flavour flavour)
        throws Exception
    {
        final CachedNanoClock clock = new CachedNanoClock();
        final InMemoryTransportProvider memory = new InMemoryTransportProvider().virtualTime(clock, TimeUnit.MILLISECONDS.toNanos(1));
        final Context context = context().transportProvider(memory).nanoClock(clock);
        final TestProtocol serverProtocol = new HeartbeatProtocol();
        final Flavour.Server<byte[]> server = track(flavour.bind(ANY_LOOPBACK, id -> serverProtocol, context));
        final Flavour.Client<byte[]> client = track(flavour.connect(server.address(), id -> new HeartbeatProtocol(), context));
        final Flavour.Client<byte[]> peer = track(server.accept(10, TimeUnit.SECONDS));

        assertNull(client.recv(10_500, TimeUnit.MILLISECONDS), "idle for 10.5 s of virtual time");
        assertFalse(client.isClosed());
        assertNull(peer.recv(0, TimeUnit.MILLISECONDS), "heartbeats are consumed by the protocol");
        assertEquals(10, serverProtocol.heartbeatsReceived.get(), "one heartbeat per second of silence");
        assertFalse(peer.isClosed());
    }

    /**
     * Heartbeats every virtual second, consumed on arrival.
     */
    static class HeartbeatProtocol extends TestProtocol
    {
        @Override
        public long heartbeatIntervalNanos()
        {
            return TimeUnit.SECONDS.toNanos(1);
        }

        @Override
        public byte[] heartbeat()
        {
            return HEARTBEAT;
        }

        @Override
        public boolean consumes(final byte[] received)
        {
            return java.util.Arrays.equals(received, HEARTBEAT);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flavours")
    void shouldAnswerAutomaticallyWithoutTheApplication(final String name, final Flavour flavour) throws Exception
    {
        final ProtocolFactory<byte[]> answering = id -> new TestProtocol()
        {
            @Override
            public byte[] autoReply(final byte[] received)
            {
                return java.util.Arrays.equals(received, PING) ? PONG : null;
            }

            @Override
            public boolean consumes(final byte[] received)
            {
                return java.util.Arrays.equals(received, PING);
            }
        };
        final Flavour.Server<byte[]> server = track(flavour.bind(ANY_LOOPBACK, answering, context()));
        final Flavour.Client<byte[]> client = track(flavour.connect(server.address(), ProtocolFactory.of(ByteArrayCodec::new), context()));
        final Flavour.Client<byte[]> peer = track(server.accept(10, TimeUnit.SECONDS));
        final Future<byte[]> application = threads.submit(() -> peer.recv(20, TimeUnit.SECONDS));
        assertEquals(Status.OK, client.send(PING, 10, TimeUnit.SECONDS));
        assertArrayEquals(PONG, client.recv(10, TimeUnit.SECONDS), "answered by the protocol");
        assertEquals(Status.OK, client.send(ascii("order"), 10, TimeUnit.SECONDS));
        assertArrayEquals(ascii("order"), application.get(30, TimeUnit.SECONDS), "the application saw only its message");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flavours")
    void shouldSendTheProtocolsLastMessageOnClose(final String name, final Flavour flavour) throws Exception
    {
        final ProtocolFactory<byte[]> polite = id -> new TestProtocol()
        {
            @Override
            public byte[] onDisconnect()
            {
                return ascii("LOGOUT");
            }
        };
        final Flavour.Server<byte[]> server = track(flavour.bind(ANY_LOOPBACK, ProtocolFactory.of(ByteArrayCodec::new), context()));
        final Flavour.Client<byte[]> client = flavour.connect(server.address(), polite, context());
        final Flavour.Client<byte[]> peer = track(server.accept(10, TimeUnit.SECONDS));
        client.close();
        assertArrayEquals(ascii("LOGOUT"), peer.recv(10, TimeUnit.SECONDS));
        assertNull(peer.recv(10, TimeUnit.SECONDS));
        assertEquals(CloseReason.PEER_CLOSED, peer.closeReason());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flavours")
    @SuppressWarnings("unchecked")
    void shouldNeverInterleaveHeartbeatsInsideFramesOfABusySender(final String name, final Flavour flavour)
        throws Exception
    {
        // Heartbeats every 50 µs from the receiving thread while another thread sends large frames flat out.
        final ProtocolFactory<byte[]> chatty = id -> new TestProtocol()
        {
            @Override
            public long heartbeatIntervalNanos()
            {
                return TimeUnit.MICROSECONDS.toNanos(50);
            }

            @Override
            public byte[] heartbeat()
            {
                return HEARTBEAT;
            }
        };
        final Flavour.Server<byte[]> server = track(flavour.bind(ANY_LOOPBACK, ProtocolFactory.of(ByteArrayCodec::new), context()));
        final Flavour.Client<byte[]> client = track(flavour.connect(server.address(), chatty, context()));
        final Flavour.Client<byte[]> peer = track(server.accept(10, TimeUnit.SECONDS));
        final Object[] halves = client.split();
        final Flavour.Sender<byte[]> sender = (Flavour.Sender<byte[]>)halves[0];
        final Flavour.Receiver<byte[]> receiver = (Flavour.Receiver<byte[]>)halves[1];
        final AtomicLong stop = new AtomicLong();
        final Future<?> idleReceiver = threads.submit(() ->
        {
            while (stop.get() == 0)
            {
                receiver.recv(1, TimeUnit.MILLISECONDS);
            }
            return null;
        });
        final int count = 3_000;
        final Future<Integer> checked = threads.submit(() ->
        {
            int frames = 0;
            int heartbeats = 0;
            while (frames < count)
            {
                final byte[] message = peer.recv(10, TimeUnit.SECONDS);
                assertNotNull(message, () -> "lost at frame " + peer.closeReason() + ": " + peer.closeDetail());
                if (java.util.Arrays.equals(message, HEARTBEAT))
                {
                    heartbeats++;
                    continue;
                }
                assertEquals(3000, message.length);
                assertEquals(frames, ByteBuffer.wrap(message).getInt(), "whole and in order");
                assertEquals((byte)0x77, message[2999]);
                frames++;
            }
            return heartbeats;
        });
        for (int i = 0; i < count; i++)
        {
            final byte[] message = new byte[3000];
            ByteBuffer.wrap(message).putInt(i);
            message[2999] = 0x77;
            assertEquals(Status.OK, sender.send(message, 10, TimeUnit.SECONDS));
        }
        final int heartbeats = checked.get(60, TimeUnit.SECONDS);
        stop.set(1);
        idleReceiver.get(30, TimeUnit.SECONDS);
        assertFalse(peer.isClosed(), "no framing error ever");
        assertTrue(heartbeats >= 0);
    }
}
