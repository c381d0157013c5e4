package dev.hayate.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import dev.hayate.core.internal.Connector;
import dev.hayate.core.stat.Counters;
import dev.hayate.core.stat.Stat;
import dev.hayate.core.test.ByteArrayCodec;
import dev.hayate.core.test.Frames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The per-peer limits of a service's gate over real loopback sockets. Every loopback client is 127.0.0.1 unless it
 * binds another 127.x.y.z source address, which is how these tests play several peers.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AcceptorLimitsTest
{
    private static final String PEER_A = "127.0.0.2";
    private static final String PEER_B = "127.0.0.3";
    private static final long WAIT_MS = 10_000;

    private final Counters counters = Counters.inMemory();
    private final List<Socket> sockets = new ArrayList<>();
    private final List<Connection<byte[]>> accepted = new ArrayList<>();
    private Acceptor<byte[]> acceptor;

    @AfterEach
    void tearDown() throws IOException
    {
        for (final Socket socket : sockets)
        {
            socket.close();
        }
        if (acceptor != null)
        {
            acceptor.close();
        }
    }

    /**
     * A protocol whose handshake waits for one frame (a "login") from the peer.
     */
    static final class LoginFirst implements Protocol<byte[]>
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
            if (session.recv() == null)
            {
                throw new IllegalStateException("no login");
            }
        }
    }

    private Acceptor<byte[]> bind(final Context context, final boolean handshake) throws IOException
    {
        final ProtocolFactory<byte[]> protocols = handshake ? id -> new LoginFirst() : ProtocolFactory.of(ByteArrayCodec::new);
        acceptor = new Acceptor<>(new InetSocketAddress("127.0.0.1", 0), protocols, Callback.none(),
            context.counters(counters).lingerTimeout(0, TimeUnit.SECONDS));
        return acceptor;
    }

    private Socket connectFrom(final String source) throws IOException
    {
        final Socket socket = new Socket();
        sockets.add(socket);
        socket.bind(new InetSocketAddress(source, 0));
        socket.connect(acceptor.localAddress(), 5_000);
        return socket;
    }

    private void acceptUntil(final BooleanSupplier done, final String what) throws IOException
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
        while (!done.getAsBoolean())
        {
            if (System.nanoTime() - deadline >= 0)
            {
                fail("timed out waiting for " + what + ": accepted " + acceptor.accepted() + ", refused " +
                    acceptor.refused());
            }
            final Connection<byte[]> connection = acceptor.tryAccept();
            if (connection != null)
            {
                accepted.add(connection);
            }
            else
            {
                acceptor.awaitAcceptable(TimeUnit.MILLISECONDS.toNanos(2));
            }
        }
    }

    private static boolean closedByPeer(final Socket socket) throws IOException
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
        final InputStream in = socket.getInputStream();
        while (System.nanoTime() - deadline < 0)
        {
            socket.setSoTimeout(100);
            try
            {
                if (in.read() < 0)
                {
                    return true;
                }
            }
            catch (final SocketTimeoutException ex)
            {
                // Still open; look again until the deadline.
            }
            catch (final SocketException ex)
            {
                return true;
            }
        }
        return false;
    }

    private static boolean stillOpen(final Socket socket) throws IOException
    {
        socket.setSoTimeout(50);
        try
        {
            return socket.getInputStream().read() >= 0;
        }
        catch (final SocketTimeoutException ex)
        {
            return true;
        }
        catch (final SocketException ex)
        {
            return false;
        }
    }

    private long count(final Stat stat)
    {
        return counters.counter(stat).get();
    }

    @Test
    void shouldRefuseConnectionsBeyondThePerAddressLimitAndLetOtherAddressesIn() throws Exception
    {
        bind(new Context().maxConnectionsPerAddress(2), false);
        final List<Socket> fromA = new ArrayList<>();
        for (int i = 0; i < 4; i++)
        {
            fromA.add(connectFrom(PEER_A));
        }
        acceptUntil(() -> acceptor.accepted() == 2 && acceptor.refused() == 2, "two in, two refused");
        assertTrue(closedByPeer(fromA.get(2)) && closedByPeer(fromA.get(3)), "refused ones are closed at once");
        assertTrue(stillOpen(fromA.get(0)) && stillOpen(fromA.get(1)));
        assertEquals(2, count(Stat.REFUSED_PER_ADDRESS));
        assertEquals(2, count(Stat.REFUSED));

        connectFrom(PEER_B);
        acceptUntil(() -> acceptor.accepted() == 3, "another address, admitted");
        assertEquals(2, acceptor.connectionsFrom(java.net.InetAddress.getByName(PEER_A)));

        accepted.get(0).close();
        final Socket again = connectFrom(PEER_A);
        acceptUntil(() -> acceptor.accepted() == 4, "a place freed by a close");
        assertTrue(stillOpen(again));
        assertEquals(2, count(Stat.REFUSED_PER_ADDRESS));
    }

    @Test
    void shouldHoldIdlePeersToTheirHandshakeLimitAndCloseThemAtTheHandshakeTimeout() throws Exception
    {
        bind(new Context().maxConnections(8).maxHandshakesPerAddress(2).handshakeTimeout(500, TimeUnit.MILLISECONDS),
            true);
        final List<Socket> idle = new ArrayList<>();
        for (int i = 0; i < 3; i++)
        {
            idle.add(connectFrom(PEER_A));
        }
        acceptUntil(() -> acceptor.refused() == 1, "the third idle connection refused");
        assertEquals(1, count(Stat.REFUSED_HANDSHAKES));
        assertTrue(closedByPeer(idle.get(2)));

        final Socket trader = connectFrom(PEER_B);
        trader.getOutputStream().write(Frames.frame(new byte[] {'h', 'i'}));
        acceptUntil(() -> acceptor.accepted() == 1, "the peer that logs in, in spite of the idle ones");

        assertTrue(closedByPeer(idle.get(0)) && closedByPeer(idle.get(1)), "closed at the handshake timeout");
        acceptUntil(() -> count(Stat.HANDSHAKE_TIMEOUTS) == 2, "both counted as timeouts");
        assertEquals(2, acceptor.handshakeFailures());
        assertEquals(2, count(Stat.HANDSHAKE_FAILURES));
        acceptUntil(() -> acceptor.connectionCount() == 1, "only the logged-in peer left");

        final Socket late = connectFrom(PEER_A);
        late.getOutputStream().write(Frames.frame(new byte[] {'h', 'i'}));
        acceptUntil(() -> acceptor.accepted() == 2, "the address may log in again once its handshakes ended");
        assertTrue(stillOpen(trader) && stillOpen(late));
    }

    @Test
    void shouldRefuseHandshakesBeyondTheServiceWideLimit() throws Exception
    {
        bind(new Context().maxHandshakes(2).handshakeTimeout(5, TimeUnit.SECONDS), true);
        connectFrom(PEER_A);
        connectFrom(PEER_B);
        final Socket third = connectFrom("127.0.0.4");
        acceptUntil(() -> acceptor.refused() == 1, "the third handshake refused");
        assertEquals(1, count(Stat.REFUSED_HANDSHAKES));
        assertEquals(0, count(Stat.REFUSED_PER_ADDRESS));
        assertTrue(closedByPeer(third));
    }

    @Test
    void shouldConnectFromTheSourceAddressTheTransportProviderNames() throws Exception
    {
        bind(new Context().maxConnectionsPerAddress(1), false);
        final Context clientContext = new Context().counters(counters).transportProvider(
            new dev.hayate.core.transport.TcpTransportProvider().sourceAddress(java.net.InetAddress.getByName(PEER_B)));
        try (Connection<byte[]> client = Connector.connect(acceptor.localAddress(),
            ProtocolFactory.of(ByteArrayCodec::new), Callback.none(), clientContext))
        {
            acceptUntil(() -> acceptor.accepted() == 1, "the client");
            assertEquals(java.net.InetAddress.getByName(PEER_B),
                ((InetSocketAddress)accepted.get(0).transport().remoteAddress()).getAddress());
            assertEquals(1, acceptor.connectionsFrom(java.net.InetAddress.getByName(PEER_B)));
            assertFalse(client.isClosed());
        }
    }

    @Test
    void shouldLimitTheRateOfNewConnectionsPerAddressOnTheContextClock() throws Exception
    {
        final AtomicLong now = new AtomicLong();
        bind(new Context().nanoClock(now::get).connectionRatePerAddress(3, 3, TimeUnit.SECONDS), false);
        final List<Socket> burst = new ArrayList<>();
        for (int i = 0; i < 5; i++)
        {
            burst.add(connectFrom(PEER_A));
        }
        acceptUntil(() -> acceptor.accepted() + acceptor.refused() == 5, "the burst handled");
        assertEquals(3, acceptor.accepted());
        assertEquals(2, count(Stat.REFUSED_RATE));
        assertTrue(closedByPeer(burst.get(3)) && closedByPeer(burst.get(4)));

        accepted.get(0).close();
        connectFrom(PEER_A);
        acceptUntil(() -> acceptor.refused() == 3, "a close gives no token back");

        now.addAndGet(TimeUnit.SECONDS.toNanos(1));
        final Socket later = connectFrom(PEER_A);
        acceptUntil(() -> acceptor.accepted() == 4, "one token an interval later");
        assertTrue(stillOpen(later));
        connectFrom(PEER_B);
        acceptUntil(() -> acceptor.accepted() == 5, "another address has its own bucket");
        assertEquals(3, count(Stat.REFUSED_RATE));
        assertFalse(acceptor.isClosed());
    }
}
