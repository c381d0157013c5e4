package dev.hayate.core;

import java.net.InetAddress;
import java.util.ArrayDeque;

import dev.hayate.core.stat.Stat;
import org.agrona.collections.Object2ObjectHashMap;

/**
 * The per-address part of a service's connection gate: connections per remote IP address, handshakes in
 * progress per address, and a rate of new connections per address. The {@link Acceptor} asks it before it
 * builds a connection, so a refusal costs a table lookup and a close, nothing more.
 *
 * <p>The rate is a token bucket written as the generic cell rate algorithm: each address keeps one time, the
 * earliest moment its bucket is full again ({@code fullAt}); a connection is admitted while
 * {@code fullAt - now <= period - interval} and then moves {@code fullAt} on by one interval
 * ({@code period / burst}). So {@code burst} connections may arrive at once, then one every interval. Refused
 * attempts take no token.
 *
 * <pre>
 *   address ──▶ table (at most capacity entries) ──▶ connections &lt; max?  handshakes &lt; max?  token?
 *                 │ full: evict the address idle longest (no connection, no handshake), forgetting its rate
 *                 │ nothing idle: refuse, counted as "per address"
 * </pre>
 *
 * <p>Bounded memory: the table holds at most {@code capacity} entries (one small object each, recycled) and is
 * sized once, so it never grows. Addresses with a live connection are never evicted, and there are fewer of
 * them than the service's connection gate, which {@link Context#conclude()} keeps at or below the capacity; so
 * an address can be refused for a full table only in the instant between a connection's close and the end of
 * its handshake's bookkeeping. An evicted address starts again with a full bucket: an attacker spread over more
 * addresses than the table holds can reset its own rate history, never anyone else's, and never its connection
 * or handshake counts.
 *
 * <p>Thread-safety: every method from any thread; one lock guards the table, held for a lookup and a few
 * counts. {@link #tryAdmit} and {@link #lastRefusal()} from one thread (the accepting one).
 */
final class PeerLimits
{
    /**
     * One address's counts; recycled once the address is evicted.
     */
    static final class Peer
    {
        private InetAddress address;
        private int connections;
        private int handshakes;
        private long fullAtNanos;
        private boolean queuedIdle;
    }

    private final int maxConnections;
    private final int maxHandshakes;
    private final long intervalNanos;
    private final long toleranceNanos;
    private final int capacity;
    private final Object2ObjectHashMap<InetAddress, Peer> table;
    private final ArrayDeque<Peer> idle;
    private final ArrayDeque<Peer> free;
    private Stat lastRefusal;

    /**
     * @param context concluded: the per-address limits and the table's capacity.
     */
    PeerLimits(final Context context)
    {
        this.maxConnections = context.maxConnectionsPerAddress();
        this.maxHandshakes = context.maxHandshakesPerAddress();
        final int burst = context.connectionRateBurst();
        this.intervalNanos = burst == 0 ? 0 : context.connectionRatePeriodNanos() / burst;
        this.toleranceNanos = context.connectionRatePeriodNanos() - intervalNanos;
        this.capacity = context.addressTableCapacity();
        // Sized so the table never resizes (agrona's map grows past capacity * load factor).
        this.table = new Object2ObjectHashMap<>(capacity * 2, 0.65f);
        this.idle = new ArrayDeque<>(capacity);
        this.free = new ArrayDeque<>(capacity);
    }

    /**
     * @param context concluded.
     * @return true if any per-address limit is tighter than the service's own gate.
     */
    static boolean needed(final Context context)
    {
        return context.maxConnectionsPerAddress() < context.maxConnections() ||
            context.maxHandshakesPerAddress() < context.maxHandshakes() || context.connectionRateBurst() > 0;
    }

    /**
     * Counts a new connection from an address, or refuses it.
     *
     * @param address  the peer's IP address.
     * @param nowNanos on the context's clock.
     * @return the address's entry, to hand back to {@link #connectionClosed} (and the handshake methods), or
     * {@code null} if refused: {@link #lastRefusal()} says why.
     */
    Peer tryAdmit(final InetAddress address, final long nowNanos)
    {
        synchronized (this)
        {
            Peer peer = table.get(address);
            if (peer == null)
            {
                peer = newPeer(address, nowNanos);
                if (peer == null)
                {
                    lastRefusal = Stat.REFUSED_PER_ADDRESS;
                    return null;
                }
            }
            if (peer.connections >= maxConnections)
            {
                lastRefusal = Stat.REFUSED_PER_ADDRESS;
                return null;
            }
            if (peer.handshakes >= maxHandshakes)
            {
                lastRefusal = Stat.REFUSED_HANDSHAKES;
                return null;
            }
            if (intervalNanos > 0)
            {
                final long fullAt = peer.fullAtNanos - nowNanos > 0 ? peer.fullAtNanos : nowNanos;
                if (fullAt - nowNanos > toleranceNanos)
                {
                    lastRefusal = Stat.REFUSED_RATE;
                    return null;
                }
                peer.fullAtNanos = fullAt + intervalNanos;
            }
            peer.connections++;
            return peer;
        }
    }

    private Peer newPeer(final InetAddress address, final long nowNanos)
    {
        if (table.size() >= capacity && !evictOne())
        {
            return null;
        }
        Peer peer = free.poll();
        if (peer == null)
        {
            peer = new Peer();
        }
        peer.address = address;
        peer.connections = 0;
        peer.handshakes = 0;
        peer.fullAtNanos = nowNanos;
        peer.queuedIdle = false;
        table.put(address, peer);
        return peer;
    }

    private boolean evictOne()
    {
        Peer candidate;
        while ((candidate = idle.poll()) != null)
        {
            candidate.queuedIdle = false;
            if (candidate.connections == 0 && candidate.handshakes == 0)
            {
                table.remove(candidate.address);
                candidate.address = null;
                free.offer(candidate);
                return true;
            }
            // Busy again since it was queued; it is queued anew when it next goes idle.
        }
        return false;
    }

    /**
     * @return why the last {@link #tryAdmit} refused: {@link Stat#REFUSED_PER_ADDRESS},
     * {@link Stat#REFUSED_HANDSHAKES} or {@link Stat#REFUSED_RATE}.
     */
    Stat lastRefusal()
    {
        return lastRefusal;
    }

    /**
     * @param peer whose connection has started its handshake.
     */
    void handshakeStarted(final Peer peer)
    {
        synchronized (this)
        {
            peer.handshakes++;
        }
    }

    /**
     * @param peer whose connection's handshake ended, however it ended.
     */
    void handshakeDone(final Peer peer)
    {
        synchronized (this)
        {
            peer.handshakes--;
            queueIfIdle(peer);
        }
    }

    /**
     * @param peer whose connection closed (or was never built).
     */
    void connectionClosed(final Peer peer)
    {
        synchronized (this)
        {
            peer.connections--;
            queueIfIdle(peer);
        }
    }

    private void queueIfIdle(final Peer peer)
    {
        if (peer.connections == 0 && peer.handshakes == 0 && !peer.queuedIdle)
        {
            peer.queuedIdle = true;
            idle.offer(peer);
        }
    }

    /**
     * @param address a peer's IP address.
     * @return its live connections as counted here, 0 if it has no entry.
     */
    int connectionsFrom(final InetAddress address)
    {
        synchronized (this)
        {
            final Peer peer = table.get(address);
            return peer == null ? 0 : peer.connections;
        }
    }

    /**
     * @return addresses in the table now (at most the capacity).
     */
    int trackedAddresses()
    {
        synchronized (this)
        {
            return table.size();
        }
    }
}
