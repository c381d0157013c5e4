package dev.hayate.transfer.discovery;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The host's LAN interfaces as discovery sees them: up, not loopback, not point-to-point.
 *
 * <p>Thread-safety: stateless.
 */
final class Lan
{
    private static final byte[] ALL_NODES = {(byte)0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};

    private Lan()
    {
    }

    /** Every IPv4 broadcast address, and the IPv6 all-nodes group on every interface with IPv6. */
    static List<InetSocketAddress> broadcastTargets(final int port)
    {
        final List<InetSocketAddress> targets = new ArrayList<>();
        for (final NetworkInterface ni : interfaces())
        {
            boolean ipv6 = false;
            for (final InterfaceAddress a : ni.getInterfaceAddresses())
            {
                if (a.getBroadcast() != null)
                {
                    targets.add(new InetSocketAddress(a.getBroadcast(), port));
                }
                ipv6 |= a.getAddress() instanceof Inet6Address;
            }
            if (ipv6 && supportsMulticast(ni))
            {
                try
                {
                    targets.add(new InetSocketAddress(Inet6Address.getByAddress(null, ALL_NODES, ni), port));
                }
                catch (final UnknownHostException ex)
                {
                    // Sixteen bytes are always a valid IPv6 address.
                }
            }
        }
        return targets;
    }

    /** One IPv4 and one IPv6 address per multicast-capable interface. */
    static List<InetAddress> mdnsAddresses()
    {
        final List<InetAddress> addresses = new ArrayList<>();
        for (final NetworkInterface ni : interfaces())
        {
            if (!supportsMulticast(ni))
            {
                continue;
            }
            InetAddress v4 = null;
            InetAddress v6 = null;
            for (final InterfaceAddress a : ni.getInterfaceAddresses())
            {
                final InetAddress address = a.getAddress();
                if (address instanceof Inet4Address && v4 == null)
                {
                    v4 = address;
                }
                else if (address instanceof Inet6Address && v6 == null)
                {
                    v6 = address;
                }
            }
            if (v4 != null)
            {
                addresses.add(v4);
            }
            if (v6 != null)
            {
                addresses.add(v6);
            }
        }
        return addresses;
    }

    /** A host name for mDNS records that says nothing about the machine or its user. */
    static String anonymousHostName(final SecureRandom random)
    {
        final byte[] b = new byte[6];
        random.nextBytes(b);
        return "hayate-" + HexFormat.of().formatHex(b);
    }

    private static List<NetworkInterface> interfaces()
    {
        final List<NetworkInterface> result = new ArrayList<>();
        try
        {
            for (final NetworkInterface ni : NetworkInterface.networkInterfaces().toList())
            {
                if (ni.isUp() && !ni.isLoopback() && !ni.isPointToPoint())
                {
                    result.add(ni);
                }
            }
        }
        catch (final SocketException ex)
        {
            // No interfaces to announce on: discovery finds nothing, the transfer times out and says so.
        }
        return result;
    }

    private static boolean supportsMulticast(final NetworkInterface ni)
    {
        try
        {
            return ni.supportsMulticast();
        }
        catch (final SocketException ex)
        {
            return false;
        }
    }
}
