package dev.hayate.quic;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QuicConfigTest
{
    @Test
    void shouldBindAClientToLoopbackOnlyForALoopbackPeer() throws Exception
    {
        final QuicConfig defaults = new QuicConfig();
        final InetSocketAddress local = new InetSocketAddress("127.0.0.1", 4433);
        assertEquals(local.getAddress(), defaults.clientBindFor(local));
        // A socket bound to loopback can never reach another address (the bug: LAN peers timed out).
        assertTrue(defaults.clientBindFor(new InetSocketAddress("192.0.2.7", 4433)).isAnyLocalAddress());
        assertTrue(defaults.clientBindFor(new InetSocketAddress("fe80::1", 4433)).isAnyLocalAddress());
        assertTrue(defaults.clientBindFor(new InetSocketAddress("fe80::1", 4433)) instanceof java.net.Inet6Address);
    }

    @Test
    void shouldKeepAnExplicitNonLoopbackBindAddress() throws Exception
    {
        final InetAddress nic = InetAddress.getByName("192.0.2.5");
        final QuicConfig config = new QuicConfig().bindAddress(new InetSocketAddress(nic, 0));
        assertEquals(nic, config.clientBindFor(new InetSocketAddress("192.0.2.7", 4433)));
    }
}
