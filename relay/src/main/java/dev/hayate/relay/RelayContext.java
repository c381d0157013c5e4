package dev.hayate.relay;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import dev.hayate.core.BackoffWait;
import dev.hayate.core.BusySpinWait;
import dev.hayate.core.Context;
import dev.hayate.core.KernelWait;
import dev.hayate.core.WaitStrategy;
import dev.hayate.core.buffer.BufferPool;

/**
 * A relay's configuration: fluent setters with defaults, validated once by {@link #conclude()}. The engine's own
 * settings (transport, the connection gate {@link Context#maxConnections}, the maximum frame length, timeouts,
 * counters) are in the engine {@link Context} it carries.
 *
 * <p>Memory bound per consumer: its connection's receive and send buffers (one maximum frame each, from the
 * engine's buffer pool) plus at most {@link #maxQueueBytes()} of queued frames, counted by the pool memory each
 * queued frame holds (frames are shared by the consumers of a session, so a session's frames hold at most the
 * largest of its queues in the common case, and never more than the sum).
 *
 * <p>Thread-safety: configure on one thread before binding; read-only afterwards.
 */
public final class RelayContext
{
    private SocketAddress listen = new InetSocketAddress("127.0.0.1", 0);
    private int maxSessions = 1024;
    private int maxConsumersPerSession = 1024;
    private long maxQueueBytes = 8L << 20;
    private long stallTimeoutNanos = TimeUnit.SECONDS.toNanos(30);
    private long idleSessionTimeoutNanos = TimeUnit.MINUTES.toNanos(10);
    private WaitStrategy waitStrategy;
    private BufferPool framePool;
    private ProducerKey identity;
    private Context context = new Context();
    private boolean concluded;

    /**
     * @param address where to listen; port 0 picks a free port (default loopback, port 0).
     * @return this.
     */
    public RelayContext listen(final SocketAddress address)
    {
        this.listen = Objects.requireNonNull(address, "address");
        return this;
    }

    /**
     * @return where to listen.
     */
    public SocketAddress listen()
    {
        return listen;
    }

    /**
     * @param max sessions open at once (default 1024); a client that would open one more is refused.
     * @return this.
     */
    public RelayContext maxSessions(final int max)
    {
        this.maxSessions = max;
        return this;
    }

    /**
     * @return the session limit.
     */
    public int maxSessions()
    {
        return maxSessions;
    }

    /**
     * @param max consumers a session holds at once (default 1024).
     * @return this.
     */
    public RelayContext maxConsumersPerSession(final int max)
    {
        this.maxConsumersPerSession = max;
        return this;
    }

    /**
     * @return the consumer limit per session.
     */
    public int maxConsumersPerSession()
    {
        return maxConsumersPerSession;
    }

    /**
     * @param bytes the most pool memory one consumer's queued frames may hold (default 8 MiB); at least one
     *              maximum frame's buffer.
     * @return this.
     */
    public RelayContext maxQueueBytes(final long bytes)
    {
        this.maxQueueBytes = bytes;
        return this;
    }

    /**
     * @return the per-consumer queue bound in bytes.
     */
    public long maxQueueBytes()
    {
        return maxQueueBytes;
    }

    /**
     * @param timeout how long a consumer (or pipe end) may keep a BACK_PRESSURE session's producer unread by having
     *                no room in its queue (default 30 s); then it is disconnected and counted
     *                ({@link RelayStats.Counter#STALL_DISCONNECTS}), so one consumer that stops reading, and who
     *                joins authenticates nothing, cannot freeze a session forever. Positive.
     * @param unit    of the timeout.
     * @return this.
     */
    public RelayContext stallTimeout(final long timeout, final TimeUnit unit)
    {
        this.stallTimeoutNanos = unit.toNanos(timeout);
        return this;
    }

    /**
     * @return the back-pressure stall bound in nanoseconds.
     */
    public long stallTimeoutNanos()
    {
        return stallTimeoutNanos;
    }

    /**
     * @param timeout how long a session may have neither a producer nor a paired pipe (default 10 min): consumers
     *                waiting for a producer that does not come, or a lone pipe end, are then closed and the session
     *                freed ({@link RelayStats.Counter#IDLE_SESSIONS_CLOSED}), so an id claimed by a stranger does
     *                not hold a slot of {@link #maxSessions()} forever. Positive.
     * @param unit    of the timeout.
     * @return this.
     */
    public RelayContext idleSessionTimeout(final long timeout, final TimeUnit unit)
    {
        this.idleSessionTimeoutNanos = unit.toNanos(timeout);
        return this;
    }

    /**
     * @return the idle-session bound in nanoseconds.
     */
    public long idleSessionTimeoutNanos()
    {
        return idleSessionTimeoutNanos;
    }

    /**
     * @param wait how the relay's thread waits when a cycle found nothing to do: {@link KernelWait#INSTANCE} (the
     *             default: in {@code epoll_wait} on all its connections), {@link BusySpinWait#INSTANCE} (busy: lowest
     *             latency, one core) or a parking policy such as {@link BackoffWait} (parks for its own periods).
     * @return this.
     */
    public RelayContext waitStrategy(final WaitStrategy wait)
    {
        this.waitStrategy = Objects.requireNonNull(wait, "wait");
        return this;
    }

    /**
     * @return how the relay's thread waits.
     */
    public WaitStrategy waitStrategy()
    {
        return waitStrategy;
    }

    /**
     * @param pool where forwarded frames are held (default: a pool of the relay's own, 512 B to 1 MiB classes (at most 384 MiB),
     *             grown on demand).
     * @return this.
     */
    public RelayContext framePool(final BufferPool pool)
    {
        this.framePool = Objects.requireNonNull(pool, "pool");
        return this;
    }

    /**
     * @return where forwarded frames are held.
     */
    public BufferPool framePool()
    {
        return framePool;
    }

    /**
     * @param key the relay's Ed25519 identity, which signs every handshake (default: a new random one per run;
     *            give a stored one so clients can pin it).
     * @return this.
     */
    public RelayContext identity(final ProducerKey key)
    {
        this.identity = Objects.requireNonNull(key, "key");
        return this;
    }

    /**
     * @return the relay's identity key.
     */
    public ProducerKey identity()
    {
        return identity;
    }

    /**
     * @param engine the engine's configuration.
     * @return this.
     */
    public RelayContext context(final Context engine)
    {
        this.context = Objects.requireNonNull(engine, "engine");
        return this;
    }

    /**
     * @return the engine's configuration.
     */
    public Context context()
    {
        return context;
    }

    /**
     * Validates and fills defaults. Idempotent.
     *
     * @return this.
     * @throws IllegalArgumentException if a setting is out of range.
     */
    public RelayContext conclude()
    {
        if (concluded)
        {
            return this;
        }
        context.conclude();
        if (maxSessions < 1 || maxConsumersPerSession < 1)
        {
            throw new IllegalArgumentException("max sessions (" + maxSessions + ") and consumers per session (" +
                maxConsumersPerSession + ") must be at least 1");
        }
        if (stallTimeoutNanos <= 0 || idleSessionTimeoutNanos <= 0)
        {
            throw new IllegalArgumentException("the stall timeout (" + stallTimeoutNanos + " ns) and the idle " +
                "session timeout (" + idleSessionTimeoutNanos + " ns) must be positive");
        }
        if (waitStrategy == null)
        {
            waitStrategy = KernelWait.INSTANCE;
        }
        if (framePool == null)
        {
            framePool = new BufferPool.Context()
                .sizeClass(512, 1 << 16)
                .sizeClass(4 << 10, 1 << 13)
                .sizeClass(64 << 10, 1 << 11)
                .sizeClass(256 << 10, 1 << 9)
                .sizeClass(1 << 20, 1 << 6)
                .build();
        }
        if (identity == null)
        {
            identity = ProducerKey.generate();
        }
        final long largestFrame = leaseCapacity(framePool, context.maxFrameLength());
        if (maxQueueBytes < largestFrame)
        {
            throw new IllegalArgumentException("max queue bytes " + maxQueueBytes + " must hold one frame of the " +
                "maximum length (" + largestFrame + " bytes of pool memory)");
        }
        concluded = true;
        return this;
    }

    static long leaseCapacity(final BufferPool pool, final int bytes)
    {
        long best = Long.MAX_VALUE;
        for (final BufferPool.Stats stats : pool.stats())
        {
            if (stats.capacity() >= bytes && stats.capacity() < best)
            {
                best = stats.capacity();
            }
        }
        if (best == Long.MAX_VALUE)
        {
            throw new IllegalArgumentException("the frame pool has no class for " + bytes + " bytes");
        }
        return best;
    }
}
