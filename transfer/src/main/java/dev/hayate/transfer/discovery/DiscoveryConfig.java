package dev.hayate.transfer.discovery;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How an {@link Announcer} and a {@link Discovery} use the LAN: the UDP port, which of broadcast and mDNS, where
 * datagrams go and which addresses mDNS runs on (the host's interfaces unless given), how often a sender repeats.
 *
 * <p>Thread-safety: none; configure on one thread, then hand it to {@link Announcer#start} or
 * {@link Discovery#start}, which copy what they need.
 */
public final class DiscoveryConfig
{
    /** The UDP port announcements are broadcast to and listened for. */
    public static final int DEFAULT_PORT = 9751;
    /** The mDNS service type. */
    public static final String MDNS_TYPE = "_hayate-xfer._tcp.local.";

    private int udpPort = DEFAULT_PORT;
    private boolean udp = true;
    private boolean mdns = true;
    private List<InetSocketAddress> udpTargets;
    private List<InetAddress> mdnsAddresses;
    private Duration interval = Duration.ofSeconds(1);

    /** @param port the UDP port to broadcast to and listen on (0: an ephemeral one, for tests). @return this. */
    public DiscoveryConfig udpPort(final int port)
    {
        if (port < 0 || port > 0xFFFF)
        {
            throw new IllegalArgumentException("port " + port + " outside 0..65535");
        }
        this.udpPort = port;
        return this;
    }

    /** @param on announce and listen by UDP broadcast (IPv4) and all-nodes multicast (IPv6). @return this. */
    public DiscoveryConfig udp(final boolean on)
    {
        this.udp = on;
        return this;
    }

    /** @param on announce and listen by mDNS. @return this. */
    public DiscoveryConfig mdns(final boolean on)
    {
        this.mdns = on;
        return this;
    }

    /**
     * @param targets where an announcer sends its datagrams instead of every interface's broadcast address and
     *                IPv6 all-nodes group (tests on loopback, or a routed subnet's broadcast address).
     * @return this.
     */
    public DiscoveryConfig udpTargets(final List<InetSocketAddress> targets)
    {
        this.udpTargets = List.copyOf(targets);
        return this;
    }

    /** @param addresses the local addresses mDNS runs on instead of one per interface and family. @return this. */
    public DiscoveryConfig mdnsAddresses(final List<InetAddress> addresses)
    {
        this.mdnsAddresses = List.copyOf(addresses);
        return this;
    }

    /** @param every how often a sender repeats its announcement. @return this. */
    public DiscoveryConfig interval(final Duration every)
    {
        if (every == null || every.isNegative() || every.isZero())
        {
            throw new IllegalArgumentException("interval must be positive: " + every);
        }
        this.interval = every;
        return this;
    }

    int udpPort()
    {
        return udpPort;
    }

    boolean udp()
    {
        return udp;
    }

    boolean mdns()
    {
        return mdns;
    }

    List<InetSocketAddress> udpTargets()
    {
        return udpTargets != null ? udpTargets : Lan.broadcastTargets(udpPort);
    }

    List<InetAddress> mdnsAddresses()
    {
        return mdnsAddresses != null ? mdnsAddresses : Lan.mdnsAddresses();
    }

    Duration interval()
    {
        return Objects.requireNonNull(interval);
    }
}
