package dev.hayate.transfer.discovery;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.jmdns.JmDNS;
import javax.jmdns.ServiceInfo;

import dev.hayate.transfer.ListenHook;
import dev.hayate.transfer.crypto.CodePhrase;

/**
 * Makes a listening sender findable: repeats its {@link Announcement} by UDP (to every IPv4 broadcast address and
 * the IPv6 all-nodes group, at once, after 250 ms and 500 ms, then every interval) and registers it as an mDNS
 * service (type {@value DiscoveryConfig#MDNS_TYPE}, instance {@code hayate-<value>}, TXT {@code a=<announcement
 * in hex>}, under a random host name) until closed.
 *
 * <p>Thread-safety: one announcing thread of its own; {@link #close()} from any thread, once or more.
 */
public final class Announcer implements AutoCloseable
{
    private static final System.Logger LOG = System.getLogger(Announcer.class.getName());

    private final Announcement announcement;
    private final DiscoveryConfig config;
    private final List<JmDNS> mdns = new ArrayList<>();
    private final Thread thread;
    private volatile boolean closed;

    private Announcer(final Announcement announcement, final DiscoveryConfig config)
    {
        this.announcement = announcement;
        this.config = config;
        this.thread = new Thread(this::announce, "hayate-announce");
        this.thread.setDaemon(true);
    }

    /**
     * Starts announcing in the background.
     *
     * @param announcement what to announce.
     * @param config       how.
     * @return the running announcer; close it when paired or given up.
     */
    public static Announcer start(final Announcement announcement, final DiscoveryConfig config)
    {
        final Announcer a = new Announcer(announcement, config);
        a.thread.start();
        return a;
    }

    /**
     * @param code      the sender's code (only its number goes into the announcement).
     * @param transport {@link Announcement#TCP} or {@link Announcement#QUIC}.
     * @param config    how to announce.
     * @return a hook for {@code TransferSender.Builder.onListening} that announces the bound port with a fresh salt
     *         until a receiver has paired.
     */
    public static ListenHook hook(final CodePhrase code, final byte transport, final DiscoveryConfig config)
    {
        return bound -> start(Announcement.create(code, transport, bound.getPort(), new SecureRandom()), config);
    }

    /** @return what is announced. */
    public Announcement announcement()
    {
        return announcement;
    }

    private void announce()
    {
        if (config.mdns())
        {
            registerMdns();
        }
        if (!config.udp())
        {
            return;
        }
        try (DatagramChannel channel = DatagramChannel.open())
        {
            channel.setOption(StandardSocketOptions.SO_BROADCAST, true);
            final byte[] bytes = announcement.encode();
            final long[] firstGaps = {TimeUnit.MILLISECONDS.toNanos(250), TimeUnit.MILLISECONDS.toNanos(250)};
            int round = 0;
            while (!closed)
            {
                for (final InetSocketAddress target : config.udpTargets())
                {
                    try
                    {
                        channel.send(ByteBuffer.wrap(bytes), target);
                    }
                    catch (final IOException ex)
                    {
                        // An interface without a route (IPv6 not configured, a link down): the others still work.
                        LOG.log(System.Logger.Level.DEBUG, "announcing to " + target + ": " + ex);
                    }
                }
                final long gap = round < firstGaps.length ? firstGaps[round] : config.interval().toNanos();
                round++;
                sleep(gap);
            }
        }
        catch (final IOException ex)
        {
            LOG.log(System.Logger.Level.WARNING, "UDP announcing stopped: " + ex);
        }
    }

    private void registerMdns()
    {
        Mdns.openEach(config.mdnsAddresses(), () -> closed, mdns, jmdns -> jmdns.registerService(ServiceInfo.create(
            DiscoveryConfig.MDNS_TYPE, "hayate-" + announcement.value(), announcement.port(), 0, 0,
            Map.of(Mdns.TXT_KEY, announcement.encodeHex()))), LOG);
    }

    private void sleep(final long nanos)
    {
        final long deadline = System.nanoTime() + nanos;
        long left;
        while (!closed && (left = deadline - System.nanoTime()) > 0)
        {
            try
            {
                Thread.sleep(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 50)));
            }
            catch (final InterruptedException ex)
            {
                return;
            }
        }
    }

    /** Stops announcing and withdraws the mDNS service (bounded: a stuck mDNS goodbye is left to finish alone). */
    @Override
    public void close()
    {
        closed = true;
        thread.interrupt();
        final List<JmDNS> toClose;
        synchronized (mdns)
        {
            toClose = new ArrayList<>(mdns);
            mdns.clear();
        }
        try
        {
            thread.join(Duration.ofSeconds(2).toMillis());
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        Mdns.closeAll(toClose);
    }
}
