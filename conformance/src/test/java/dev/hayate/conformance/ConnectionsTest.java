package dev.hayate.conformance;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.hayate.core.Acceptor;
import dev.hayate.core.Callback;
import dev.hayate.core.CloseReason;
import dev.hayate.core.ConId;
import dev.hayate.core.Connection;
import dev.hayate.core.Context;
import dev.hayate.core.PollHandler;
import dev.hayate.core.ProtocolFactory;
import dev.hayate.core.ReconnectPolicy;
import dev.hayate.core.Reconnector;
import dev.hayate.core.Status;
import dev.hayate.core.buffer.BufferPool;
import dev.hayate.core.test.ByteArrayCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Connections in numbers: pools, the poll handler, reconnect.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConnectionsTest
{
    private static final ProtocolFactory<byte[]> BYTES = ProtocolFactory.of(ByteArrayCodec::new);
    private static final InetSocketAddress ANY_LOOPBACK = new InetSocketAddress("127.0.0.1", 0);

    private final BufferPool pool = new BufferPool.Context().sizeClass(4096, 512).build();
    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception
    {
        for (int i = resources.size() - 1; i >= 0; i--)
        {
            resources.get(i).close();
        }
    }

    private <T extends AutoCloseable> T track(final T resource)
    {
        resources.add(resource);
        return resource;
    }

    private Context context()
    {
        return new Context().bufferPool(pool).maxFrameLength(4096).connectTimeout(10, TimeUnit.SECONDS);
    }

    private static List<dev.hayate.nonblocking.Clt<byte[]>> acceptAll(final dev.hayate.nonblocking.Svc<byte[]> svc,
        final int count) throws IOException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (svc.clients().size() < count && System.nanoTime() < deadline)
        {
            svc.accept();
        }
        assertEquals(count, svc.clients().size());
        return new ArrayList<>(svc.clients());
    }

    @Test
    void shouldSendRoundRobinAndReceiveFromWhicheverMemberAndReportMembersThatDie() throws Exception
    {
        final dev.hayate.nonblocking.Svc<byte[]> svc = track(dev.hayate.nonblocking.Svc.bind(ANY_LOOPBACK, BYTES, context()));
        final List<ConId> left = new CopyOnWriteArrayList<>();
        final SocketAddress address = svc.localAddress();
        final dev.hayate.nonblocking.CltPool<byte[]> clients = track(dev.hayate.nonblocking.CltPool.connect(
            List.of(address, address, address), BYTES, Callback.none(), context(), left::add));
        final List<dev.hayate.nonblocking.Clt<byte[]>> peers = acceptAll(svc, 3);

        for (int i = 0; i < 30; i++)
        {
            assertEquals(Status.OK, clients.send(new byte[] {(byte)i}, 5, TimeUnit.SECONDS));
        }
        final Map<Integer, Integer> perPeer = new HashMap<>();
        for (int p = 0; p < peers.size(); p++)
        {
            for (int n = 0; n < 10; n++)
            {
                final byte[] message = peers.get(p).recv(5, TimeUnit.SECONDS);
                assertNotNull(message, "peer " + p + " message " + n);
                perPeer.merge(p, 1, Integer::sum);
            }
            assertNull(peers.get(p).recv(50, TimeUnit.MILLISECONDS), "exactly its share");
        }
        assertEquals(Map.of(0, 10, 1, 10, 2, 10), perPeer, "round-robin: ten each");

        assertEquals(Status.OK, peers.get(2).send(new byte[] {42}, 5, TimeUnit.SECONDS));
        assertArrayEquals(new byte[] {42}, clients.recv(5, TimeUnit.SECONDS), "from whichever member has one");
        assertEquals(peers.get(2).id().remote(), clients.lastRecvFrom().local());

        peers.get(1).close();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (left.isEmpty() && System.nanoTime() < deadline)
        {
            clients.recv(10, TimeUnit.MILLISECONDS);
        }
        assertEquals(1, left.size(), "the dead member is reported once");
        assertEquals(2, clients.size());
        for (int i = 0; i < 10; i++)
        {
            assertEquals(Status.OK, clients.send(new byte[] {(byte)i}, 5, TimeUnit.SECONDS), "the others carry on");
        }

        peers.get(0).close();
        peers.get(2).close();
        while (clients.size() > 0 && System.nanoTime() < deadline + TimeUnit.SECONDS.toNanos(10))
        {
            clients.recv(10, TimeUnit.MILLISECONDS);
        }
        assertEquals(3, left.size());
        final long start = System.nanoTime();
        assertEquals(Status.NOT_CONNECTED, clients.send(new byte[] {1}, 10, TimeUnit.SECONDS));
        assertNull(clients.recv(10, TimeUnit.SECONDS));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "an empty pool answers at once");
    }

    @Test
    void shouldSendRoundRobinFromTheServiceSide() throws Exception
    {
        final dev.hayate.blocking.Svc<byte[]> svc = track(dev.hayate.blocking.Svc.bind(ANY_LOOPBACK, BYTES, context()));
        final List<dev.hayate.blocking.Clt<byte[]>> clients = new ArrayList<>();
        for (int i = 0; i < 3; i++)
        {
            clients.add(track(dev.hayate.blocking.Clt.connect(svc.localAddress(), BYTES, context())));
            assertNotNull(svc.accept(10, TimeUnit.SECONDS));
        }
        for (int i = 0; i < 9; i++)
        {
            assertEquals(Status.OK, svc.send(new byte[] {(byte)i}, 5, TimeUnit.SECONDS));
        }
        for (final dev.hayate.blocking.Clt<byte[]> clt : clients)
        {
            for (int n = 0; n < 3; n++)
            {
                assertNotNull(clt.recv(5, TimeUnit.SECONDS));
            }
            assertNull(clt.recv(50, TimeUnit.MILLISECONDS));
        }
        assertEquals(Status.OK, clients.get(1).send(new byte[] {7}));
        assertArrayEquals(new byte[] {7}, svc.recv(5, TimeUnit.SECONDS));
        assertEquals(clients.get(1).id().local(), svc.lastRecvFrom().remote());
        final List<ConId> gone = new CopyOnWriteArrayList<>();
        svc.onDisconnected(gone::add);
        clients.get(0).close();
        assertNull(svc.recv(300, TimeUnit.MILLISECONDS));
        assertEquals(1, gone.size());
    }

    @Test
    void shouldServeManyConnectionsOnOneThreadWithBoundedWorkPerPoll() throws Exception
    {
        final Acceptor<byte[]> acceptor = track(new Acceptor<>(ANY_LOOPBACK, BYTES, Callback.none(), context()));
        final AtomicInteger connected = new AtomicInteger();
        final List<String> servingThreads = Collections.synchronizedList(new ArrayList<>());
        final PollHandler<byte[]> poll = track(new PollHandler<>(new PollHandler.Handler<byte[]>()
        {
            @Override
            public void onMessage(final Connection<byte[]> from, final byte[] message)
            {
                servingThreads.add(Thread.currentThread().getName());
                from.trySend(message);
            }

            @Override
            public void onConnected(final Connection<byte[]> connection)
            {
                connected.incrementAndGet();
            }
        }));
        poll.add(acceptor);
        final int connections = 50;
        final List<dev.hayate.blocking.Clt<byte[]>> clients = new ArrayList<>();
        for (int i = 0; i < connections; i++)
        {
            clients.add(track(dev.hayate.blocking.Clt.connect(acceptor.localAddress(), BYTES, context())));
        }
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (connected.get() < connections && System.nanoTime() < deadline)
        {
            poll.poll(1_000_000, 64);
        }
        assertEquals(connections, poll.connectionCount());

        // Five messages waiting on each connection, then polls of at most three deliveries each.
        for (final dev.hayate.blocking.Clt<byte[]> clt : clients)
        {
            for (int m = 0; m < 5; m++)
            {
                assertEquals(Status.OK, clt.send(new byte[] {(byte)m}));
            }
        }
        Thread.sleep(100);
        int delivered = 0;
        while (delivered < connections * 5 && System.nanoTime() < deadline + TimeUnit.SECONDS.toNanos(10))
        {
            final int before = servingThreads.size();
            poll.poll(1_000_000, 3);
            final int now = servingThreads.size() - before;
            assertTrue(now <= 3, "bounded work per poll: " + now);
            delivered += now;
        }
        assertEquals(connections * 5, delivered);
        for (final dev.hayate.blocking.Clt<byte[]> clt : clients)
        {
            for (int m = 0; m < 5; m++)
            {
                assertArrayEquals(new byte[] {(byte)m}, clt.recv(5, TimeUnit.SECONDS), "echoed in order");
            }
        }
        assertEquals(1, servingThreads.stream().distinct().count(), "one thread served all " + connections);

        clients.get(0).close();
        while (poll.connectionCount() == connections && System.nanoTime() < deadline + TimeUnit.SECONDS.toNanos(20))
        {
            poll.poll(1_000_000, 64);
        }
        assertEquals(connections - 1, poll.connectionCount(), "a closed connection leaves");
    }

    @Test
    void shouldReconnectWithBackoffAndTellTheListener() throws Exception
    {
        final dev.hayate.blocking.Svc<byte[]> svc = track(dev.hayate.blocking.Svc.bind(ANY_LOOPBACK, BYTES, context()));
        final List<String> events = new CopyOnWriteArrayList<>();
        final CountDownLatch reconnected = new CountDownLatch(2);
        final Reconnector.Listener<byte[]> listener = new Reconnector.Listener<>()
        {
            @Override
            public void onConnected(final Connection<byte[]> connection)
            {
                events.add("connected");
                reconnected.countDown();
            }

            @Override
            public void onDisconnected(final Connection<byte[]> connection)
            {
                events.add("disconnected " + connection.closeReason());
            }
        };
        final dev.hayate.blocking.Clt<byte[]> clt = track(dev.hayate.blocking.Clt.connect(svc.localAddress(), BYTES,
            Callback.none(), context(), ReconnectPolicy.backoff(20, 200, TimeUnit.MILLISECONDS), listener));
        final dev.hayate.blocking.Clt<byte[]> first = svc.accept(10, TimeUnit.SECONDS);
        first.close();
        // The loss is noticed by the client's own I/O, as on any socket; the receive then waits for the new one.
        assertNull(clt.recv(300, TimeUnit.MILLISECONDS));
        final dev.hayate.blocking.Clt<byte[]> second = svc.accept(10, TimeUnit.SECONDS);
        assertNotNull(second, "the client came back");
        assertTrue(reconnected.await(10, TimeUnit.SECONDS));
        assertEquals(List.of("connected", "disconnected PEER_CLOSED", "connected"), events);
        assertEquals(Status.OK, clt.send(new byte[] {5}, 5, TimeUnit.SECONDS));
        assertArrayEquals(new byte[] {5}, second.recv(5, TimeUnit.SECONDS));
        assertFalse(clt.isClosed());
        assertThrows(IllegalStateException.class, clt::split);
    }

    @Test
    void shouldGiveUpAfterTheAttemptLimitAndSayClosed() throws Exception
    {
        final dev.hayate.nonblocking.Svc<byte[]> svc = dev.hayate.nonblocking.Svc.bind(ANY_LOOPBACK, BYTES, context());
        final CountDownLatch gaveUp = new CountDownLatch(1);
        final dev.hayate.nonblocking.Clt<byte[]> clt = track(dev.hayate.nonblocking.Clt.connect(svc.localAddress(), BYTES,
            Callback.none(), context().connectTimeout(100, TimeUnit.MILLISECONDS),
            ReconnectPolicy.backoff(10, 40, TimeUnit.MILLISECONDS).maxAttempts(3), new Reconnector.Listener<>()
            {
                @Override
                public void onGaveUp(final IOException lastFailure)
                {
                    gaveUp.countDown();
                }
            }));
        acceptAll(svc, 1);
        svc.close();
        assertNull(clt.recv(5, TimeUnit.SECONDS), "nothing while the service is gone");
        assertTrue(gaveUp.await(30, TimeUnit.SECONDS));
        assertTrue(clt.isClosed(), "closed once it gives up");
        assertEquals(Status.CLOSED, clt.send(new byte[] {1}, 1, TimeUnit.SECONDS));
        assertEquals(CloseReason.PEER_CLOSED, clt.closeReason());
    }

    @Test
    void shouldSayNotConnectedWhileReconnecting() throws Exception
    {
        final dev.hayate.nonblocking.Svc<byte[]> svc = track(dev.hayate.nonblocking.Svc.bind(ANY_LOOPBACK, BYTES, context()));
        final dev.hayate.nonblocking.Clt<byte[]> clt = track(dev.hayate.nonblocking.Clt.connect(svc.localAddress(), BYTES,
            Callback.none(), context(), ReconnectPolicy.backoff(500, 500, TimeUnit.MILLISECONDS), new Reconnector.Listener<>()
            {
            }));
        final dev.hayate.nonblocking.Clt<byte[]> peer = acceptAll(svc, 1).get(0);
        peer.close();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (clt.isConnected() && System.nanoTime() < deadline)
        {
            clt.recv();
        }
        assertFalse(clt.isConnected());
        assertEquals(Status.NOT_CONNECTED, clt.send(new byte[] {1}), "one attempt while reconnecting");
        assertFalse(clt.isClosed(), "reconnecting is not closed");
        final byte[] ping = {9};
        final Thread acceptor = new Thread(() ->
        {
            try
            {
                final dev.hayate.nonblocking.Clt<byte[]> second = acceptAll(svc, 1).get(0);
                second.send(second.recv(10, TimeUnit.SECONDS), 10, TimeUnit.SECONDS);
            }
            catch (final IOException ex)
            {
                throw new IllegalStateException(ex);
            }
        });
        acceptor.start();
        assertEquals(Status.OK, clt.send(ping, 10, TimeUnit.SECONDS), "a timed send waits for the reconnect");
        assertArrayEquals(ping, clt.recv(10, TimeUnit.SECONDS));
        acceptor.join(10_000);
    }

    @Test
    void shouldBackOffExponentiallyUpToTheCap()
    {
        final ReconnectPolicy policy = ReconnectPolicy.backoff(100, 1_000, TimeUnit.MILLISECONDS);
        final long[] expected = {100, 200, 400, 800, 1_000, 1_000, 1_000};
        for (int attempt = 0; attempt < expected.length; attempt++)
        {
            for (int sample = 0; sample < 50; sample++)
            {
                final long millis = TimeUnit.NANOSECONDS.toMillis(policy.delayNanos(attempt));
                assertTrue(millis >= expected[attempt] * 9 / 10 - 1 && millis <= Math.min(1_000, expected[attempt] * 11 / 10),
                    "attempt " + attempt + ": " + millis + " ms, expected about " + expected[attempt]);
            }
        }
        assertTrue(TimeUnit.NANOSECONDS.toMillis(policy.delayNanos(10_000)) <= 1_000, "no overflow far out");
        assertFalse(policy.givesUpAfter(1_000_000));
        assertTrue(policy.maxAttempts(3).givesUpAfter(3));
        assertThrows(IllegalArgumentException.class, () -> ReconnectPolicy.backoff(10, 5, TimeUnit.MILLISECONDS));
    }

    @Test
    void shouldBalanceMembersOfOneServiceEvenly() throws Exception
    {
        final dev.hayate.nonblocking.Svc<byte[]> svc = track(dev.hayate.nonblocking.Svc.bind(ANY_LOOPBACK, BYTES, context()));
        final List<dev.hayate.nonblocking.Clt<byte[]>> clients = new ArrayList<>();
        for (int i = 0; i < 4; i++)
        {
            clients.add(track(dev.hayate.nonblocking.Clt.connect(svc.localAddress(), BYTES, context())));
        }
        acceptAll(svc, 4);
        for (int i = 0; i < 400; i++)
        {
            assertEquals(Status.OK, svc.send(ByteBuffer.allocate(4).putInt(i).array(), 5, TimeUnit.SECONDS));
        }
        for (final dev.hayate.nonblocking.Clt<byte[]> clt : clients)
        {
            int count = 0;
            while (clt.recv(100, TimeUnit.MILLISECONDS) != null)
            {
                count++;
            }
            assertEquals(100, count);
        }
    }
}
