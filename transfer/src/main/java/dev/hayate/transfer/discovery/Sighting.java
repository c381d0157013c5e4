package dev.hayate.transfer.discovery;

import java.net.InetSocketAddress;

/**
 * One announcement heard: what it said, the sender's listening address (the announcement's source address and
 * port), and how it came ({@code "udp"} or {@code "mdns"}).
 *
 * <p>Thread-safety: immutable.
 *
 * @param announcement what the sender announced.
 * @param sender       where to dial it.
 * @param via          {@code "udp"} or {@code "mdns"}.
 */
public record Sighting(Announcement announcement, InetSocketAddress sender, String via)
{
}
