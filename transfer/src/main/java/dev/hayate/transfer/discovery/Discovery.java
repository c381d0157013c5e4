package dev.hayate.transfer.discovery;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.jmdns.JmDNS;
import javax.jmdns.ServiceEvent;
import javax.jmdns.ServiceInfo;
import javax.jmdns.ServiceListener;

import dev.hayate.transfer.SenderSource;
import dev.hayate.transfer.crypto.CodePhrase;

/**
 * Listens for senders' {@link Announcement}s by UDP and mDNS. With a code it is a {@link SenderSource} for
 * {@code TransferReceiver.Builder.dial}: {@link #next} hands out, once each, every sender whose announcement
 * matches the code's number and transport — a sender with another number is never dialled. Without a code it
 * only collects {@link #sightings()} ({@code hayate discover}).
 *
 * <p>Memory is bounded: at most {@value #MAX_SIGHTINGS} distinct announcements are kept, at most
 * {@value #MAX_SIGHTINGS_PER_SOURCE} from one address, and one not heard again for {@value #SIGHTING_TTL_SECONDS} s
 * may be forgotten to make room. Announcements are free to forge (UDP sources too), so the bound never hides the
 * sender being looked for: an announcement that matches the code is tested first and always kept, in place of the
 * oldest non-matching one if need be; only the others are dropped when the table is full.
 *
 * <p>mDNS names are resolved on a thread of their own ({@link MdnsResolver}), never on jmdns's listener thread.
 *
 * <p>Thread-safety: a UDP thread and jmdns's threads record sightings; {@link #next}, {@link #sightings} and
 * {@link #close} may be called from any thread.
 */
public final class Discovery implements SenderSource
{
    /** Distinct announcements kept at most. */
    public static final int MAX_SIGHTINGS = 256;
    /** Distinct announcements kept at most from one address (a sender has one or two). */
    public static final int MAX_SIGHTINGS_PER_SOURCE = 16;
    /** A sighting not heard again for this long may make room for a new one. */
    public static final long SIGHTING_TTL_SECONDS = 60;
    private static final long SIGHTING_TTL_NANOS = TimeUnit.SECONDS.toNanos(SIGHTING_TTL_SECONDS);
    private static final long RESOLVE_TIMEOUT_MILLIS = 1000;

    private static final System.Logger LOG = System.getLogger(Discovery.class.getName());

    private final CodePhrase code;
    private final byte transport;
    private final DiscoveryConfig config;
    private final Map<String, Seen> seen = new LinkedHashMap<>();
    private final Map<InetAddress, Integer> perSource = new HashMap<>();
    private final LinkedBlockingQueue<SocketAddress> candidates = new LinkedBlockingQueue<>();
    private final List<JmDNS> mdns = new ArrayList<>();
    private final DatagramChannel channel;
    private final Thread udpThread;
    private final Thread mdnsThread;
    private final MdnsResolver resolver;
    private volatile boolean closed;

    private Discovery(final DiscoveryConfig config, final CodePhrase code, final byte transport) throws IOException
    {
        this.config = config;
        this.code = code;
        this.transport = transport;
        if (config.udp())
        {
            channel = DatagramChannel.open();
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.bind(new InetSocketAddress(config.udpPort()));
            udpThread = new Thread(this::listenUdp, "hayate-discover-udp");
            udpThread.setDaemon(true);
        }
        else
        {
            channel = null;
            udpThread = null;
        }
        if (config.mdns())
        {
            mdnsThread = new Thread(this::listenMdns, "hayate-discover-mdns");
            mdnsThread.setDaemon(true);
            resolver = new MdnsResolver();
        }
        else
        {
            mdnsThread = null;
            resolver = null;
        }
    }

    /**
     * Starts listening.
     *
     * @param config    how.
     * @param code      the receiver's code, or null to collect sightings only.
     * @param transport the receiver's transport ({@link Announcement#TCP} or {@link Announcement#QUIC}): senders
     *                  announcing another one are not handed out.
     * @return the running discovery; close it when done.
     * @throws IOException if the UDP port cannot be bound.
     */
    public static Discovery start(final DiscoveryConfig config, final CodePhrase code, final byte transport)
        throws IOException
    {
        final Discovery d = new Discovery(config, code, transport);
        if (d.udpThread != null)
        {
            d.udpThread.start();
        }
        if (d.mdnsThread != null)
        {
            d.mdnsThread.start();
        }
        return d;
    }

    /**
     * @return this host's LAN addresses (one IPv4 and one IPv6 per interface that is up, not loopback, and
     *         multicast-capable), IPv4 first on each interface: what a QR code can show as the place to dial.
     */
    public static List<InetAddress> lanAddresses()
    {
        return Lan.mdnsAddresses();
    }

    /** @return the UDP address listened on, or null without UDP. @throws IOException if it cannot be read. */
    public InetSocketAddress udpAddress() throws IOException
    {
        return channel == null ? null : (InetSocketAddress)channel.getLocalAddress();
    }

    @Override
    public SocketAddress next(final Duration timeout) throws InterruptedException
    {
        return candidates.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** @return every distinct announcement heard so far, in order of arrival. */
    public List<Sighting> sightings()
    {
        synchronized (seen)
        {
            final List<Sighting> all = new ArrayList<>(seen.size());
            for (final Seen s : seen.values())
            {
                all.add(s.sighting);
            }
            return List.copyOf(all);
        }
    }

    /** Stops listening (bounded, see {@link Announcer#close()}). */
    @Override
    public void close()
    {
        closed = true;
        if (resolver != null)
        {
            resolver.close();
        }
        if (channel != null)
        {
            try
            {
                channel.close();
            }
            catch (final IOException ex)
            {
                // Closing.
            }
        }
        final List<JmDNS> toClose;
        synchronized (mdns)
        {
            toClose = new ArrayList<>(mdns);
            mdns.clear();
        }
        Mdns.closeAll(toClose);
    }

    /** Records a sighting and, if it is this code's sender, queues it for dialling. */
    void heard(final Announcement a, final InetAddress from, final String via)
    {
        if (a == null || closed)
        {
            return;
        }
        final InetSocketAddress sender = new InetSocketAddress(from, a.port());
        final String key = a.value() + "@" + sender;
        // Tested before any bound: a flood of forged announcements must not hide the one looked for.
        final boolean match = code != null && a.transport() == transport && a.matches(code);
        final long now = System.nanoTime();
        synchronized (seen)
        {
            final Seen known = seen.get(key);
            if (known != null)
            {
                known.heardNanos = now;
                return;
            }
            if (!match && perSource.getOrDefault(from, 0) >= MAX_SIGHTINGS_PER_SOURCE)
            {
                return;
            }
            if (seen.size() >= MAX_SIGHTINGS && !makeRoom(now, match))
            {
                return;
            }
            seen.put(key, new Seen(new Sighting(a, sender, via), from, match, now));
            perSource.merge(from, 1, Integer::sum);
        }
        if (match)
        {
            candidates.add(sender);
        }
    }

    // With the lock held and the table full: forgets sightings not heard for the TTL, and for a match the oldest
    // non-matching one (or, if all match, the oldest). Matching sightings are not forgotten by age: heard again, one
    // would be handed out a second time.
    private boolean makeRoom(final long now, final boolean match)
    {
        final Iterator<Seen> all = seen.values().iterator();
        Seen oldestOther = null;
        while (all.hasNext())
        {
            final Seen s = all.next();
            if (!s.match && now - s.heardNanos - SIGHTING_TTL_NANOS >= 0)
            {
                all.remove();
                forget(s);
            }
            else if (!s.match && oldestOther == null)
            {
                oldestOther = s;
            }
        }
        if (seen.size() < MAX_SIGHTINGS)
        {
            return true;
        }
        if (!match)
        {
            return false;
        }
        final Seen evicted = oldestOther != null ? oldestOther : seen.values().iterator().next();
        seen.values().remove(evicted);
        forget(evicted);
        return true;
    }

    private void forget(final Seen s)
    {
        perSource.computeIfPresent(s.source, (address, count) -> count > 1 ? count - 1 : null);
    }

    /** A sighting with what the bounds need. */
    private static final class Seen
    {
        final Sighting sighting;
        final InetAddress source;
        final boolean match;
        long heardNanos;

        Seen(final Sighting sighting, final InetAddress source, final boolean match, final long heardNanos)
        {
            this.sighting = sighting;
            this.source = source;
            this.match = match;
            this.heardNanos = heardNanos;
        }
    }

    private void listenUdp()
    {
        final ByteBuffer buffer = ByteBuffer.allocate(512);
        while (!closed)
        {
            try
            {
                buffer.clear();
                final SocketAddress from = channel.receive(buffer);
                if (from instanceof InetSocketAddress source)
                {
                    buffer.flip();
                    heard(Announcement.decode(buffer.array(), 0, buffer.limit()), source.getAddress(), "udp");
                }
            }
            catch (final ClosedChannelException ex)
            {
                return;
            }
            catch (final IOException ex)
            {
                LOG.log(System.Logger.Level.DEBUG, "discovery by UDP: " + ex);
            }
        }
    }

    private void listenMdns()
    {
        Mdns.openEach(config.mdnsAddresses(), () -> closed, mdns,
            jmdns -> jmdns.addServiceListener(DiscoveryConfig.MDNS_TYPE, new Listener(jmdns, resolver)), LOG);
    }

    /**
     * Resolves each service added and records what it announces, once per address it has. Runs on jmdns's one
     * listener thread, so it never waits: resolution is queued on the {@link MdnsResolver}.
     */
    private final class Listener implements ServiceListener
    {
        private final JmDNS jmdns;
        private final MdnsResolver resolver;

        Listener(final JmDNS jmdns, final MdnsResolver resolver)
        {
            this.jmdns = jmdns;
            this.resolver = resolver;
        }

        @Override
        public void serviceAdded(final ServiceEvent event)
        {
            final ServiceInfo info = event.getInfo();
            if (info != null && info.hasData())
            {
                serviceResolved(event);
                return;
            }
            final String type = event.getType();
            final String name = event.getName();
            // The overload with an explicit timeout: in jmdns 3.6.1 the others wait up to 6 s whatever they are given.
            resolver.offer(System.identityHashCode(jmdns) + "/" + type + "/" + name,
                () -> jmdns.requestServiceInfo(type, name, false, RESOLVE_TIMEOUT_MILLIS));
        }

        @Override
        public void serviceRemoved(final ServiceEvent event)
        {
            // A sender that stopped announcing is tried anyway if already queued: dialling it just fails.
        }

        @Override
        public void serviceResolved(final ServiceEvent event)
        {
            final ServiceInfo info = event.getInfo();
            final Announcement a = Announcement.decodeHex(info.getPropertyString(Mdns.TXT_KEY));
            if (a == null || a.port() != info.getPort())
            {
                return;
            }
            for (final InetAddress address : info.getInet4Addresses())
            {
                heard(a, address, "mdns");
            }
            for (final InetAddress address : info.getInet6Addresses())
            {
                heard(a, address, "mdns");
            }
        }
    }
}
