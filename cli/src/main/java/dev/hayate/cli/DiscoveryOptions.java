package dev.hayate.cli;

import java.util.ArrayList;
import java.util.List;

import dev.hayate.transfer.discovery.DiscoveryConfig;
import picocli.CommandLine.Option;

/**
 * The LAN discovery options {@code send}, {@code receive} and {@code discover} share. The port and the explicit
 * targets are hidden: they exist so tests can run discovery on loopback with ephemeral ports.
 *
 * <p>Thread-safety: a picocli mixin, filled and read on one thread.
 */
final class DiscoveryOptions
{
    @Option(names = "--no-mdns", description = "Discover by UDP broadcast only, not by mDNS.")
    private boolean noMdns;

    @Option(names = "--discovery-port", paramLabel = "PORT", hidden = true,
        description = "UDP port for announcements (default " + DiscoveryConfig.DEFAULT_PORT + ").")
    private int port = DiscoveryConfig.DEFAULT_PORT;

    @Option(names = "--announce-to", paramLabel = "HOST:PORT", hidden = true, split = ",",
        description = "Send announcements to these addresses instead of every interface's broadcast address.")
    private List<String> targets;

    /** @return whether mDNS is on. */
    boolean mdns()
    {
        return !noMdns;
    }

    /** @return the configuration these options describe. */
    DiscoveryConfig config()
    {
        final DiscoveryConfig config = new DiscoveryConfig().udpPort(port).mdns(!noMdns);
        if (targets != null)
        {
            final List<java.net.InetSocketAddress> parsed = new ArrayList<>();
            for (final String t : targets)
            {
                parsed.add(Addresses.parse(t, "127.0.0.1"));
            }
            config.udpTargets(parsed);
        }
        return config;
    }
}
