package dev.hayate.core;

import java.net.InetAddress;
import java.util.concurrent.TimeUnit;

import dev.hayate.core.stat.Stat;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The per-address table on its own: no sockets, time given by the test.
 */
class PeerLimitsTest
{
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private static InetAddress address(final int last) throws Exception
    {
        return InetAddress.getByAddress(new byte[] {10, 0, 0, (byte)last});
    }

    @Test
    void shouldAdmitABurstThenOneConnectionPerIntervalAndTakeNoTokenForARefusal() throws Exception
    {
        final PeerLimits limits = new PeerLimits(new Context().connectionRatePerAddress(2, 1, TimeUnit.SECONDS)
            .conclude());
        final InetAddress a = address(1);
        assertNotNull(limits.tryAdmit(a, 0));
        assertNotNull(limits.tryAdmit(a, 0));
        assertNull(limits.tryAdmit(a, 0));
        assertEquals(Stat.REFUSED_RATE, limits.lastRefusal());
        assertNull(limits.tryAdmit(a, SECOND / 2 - 1), "not before one interval (period / burst)");
        assertNotNull(limits.tryAdmit(a, SECOND / 2), "refused attempts took no token");
        assertNull(limits.tryAdmit(a, SECOND / 2));
        assertNotNull(limits.tryAdmit(address(2), SECOND / 2), "another address has a bucket of its own");
        assertNotNull(limits.tryAdmit(a, 10 * SECOND));
        assertNotNull(limits.tryAdmit(a, 10 * SECOND), "an idle address is back to its whole burst, no more");
        assertNull(limits.tryAdmit(a, 10 * SECOND));
    }

    @Test
    void shouldCountConnectionsAndHandshakesPerAddressUntilReleased() throws Exception
    {
        final PeerLimits limits = new PeerLimits(new Context().maxConnectionsPerAddress(3).maxHandshakesPerAddress(1)
            .conclude());
        final InetAddress a = address(1);
        final PeerLimits.Peer first = limits.tryAdmit(a, 0);
        limits.handshakeStarted(first);
        assertNull(limits.tryAdmit(a, 0), "one handshake at a time from this address");
        assertEquals(Stat.REFUSED_HANDSHAKES, limits.lastRefusal());
        limits.handshakeDone(first);
        assertNotNull(limits.tryAdmit(a, 0));
        assertNotNull(limits.tryAdmit(a, 0));
        assertNull(limits.tryAdmit(a, 0));
        assertEquals(Stat.REFUSED_PER_ADDRESS, limits.lastRefusal());
        assertEquals(3, limits.connectionsFrom(a));
        limits.connectionClosed(first);
        assertEquals(2, limits.connectionsFrom(a));
        assertNotNull(limits.tryAdmit(a, 0), "a closed connection frees its place");
    }

    @Test
    void shouldStayWithinItsCapacityEvictingOnlyIdleAddresses() throws Exception
    {
        final PeerLimits limits = new PeerLimits(new Context().maxConnections(2).maxConnectionsPerAddress(1)
            .addressTableCapacity(2).conclude());
        final PeerLimits.Peer a = limits.tryAdmit(address(1), 0);
        assertNotNull(limits.tryAdmit(address(2), 0));
        assertNull(limits.tryAdmit(address(3), 0), "full, and both addresses have a live connection");
        assertEquals(Stat.REFUSED_PER_ADDRESS, limits.lastRefusal());
        limits.connectionClosed(a);
        assertNotNull(limits.tryAdmit(address(3), 0), "the idle address made room");
        assertEquals(2, limits.trackedAddresses());
        assertEquals(0, limits.connectionsFrom(address(1)), "forgotten");
        for (int i = 10; i < 1000; i++)
        {
            final PeerLimits.Peer churn = limits.tryAdmit(address(i % 250), 0);
            if (churn != null)
            {
                limits.connectionClosed(churn);
            }
            assertTrue(limits.trackedAddresses() <= 2);
        }
    }

    @Test
    void shouldTrackAddressesOnlyWhenALimitIsTighterThanTheGate()
    {
        assertFalse(PeerLimits.needed(new Context().conclude()), "the defaults change nothing");
        assertFalse(PeerLimits.needed(new Context().maxConnectionsPerAddress(5000).conclude()));
        assertTrue(PeerLimits.needed(new Context().maxConnectionsPerAddress(8).conclude()));
        assertTrue(PeerLimits.needed(new Context().maxHandshakesPerAddress(2).conclude()));
        assertTrue(PeerLimits.needed(new Context().connectionRatePerAddress(10, 1, TimeUnit.SECONDS).conclude()));
    }
}
