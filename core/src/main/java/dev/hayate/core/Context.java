package dev.hayate.core;

import java.util.concurrent.TimeUnit;

import dev.hayate.core.buffer.BufferPool;
import dev.hayate.core.frame.Sofh;
import dev.hayate.core.transport.TcpTransportProvider;
import dev.hayate.core.transport.TransportProvider;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;

/**
 * Configuration shared by every endpoint flavour: fluent setters with defaults, validated once by
 * {@link #conclude()}. An endpoint concludes the context it is given and reads it at construction.
 *
 * <pre>{@code
 * Context ctx = new Context().name("gateway").maxFrameLength(4096).maxConnections(100);
 * }</pre>
 *
 * <p>Thread-safety: configure on one thread before handing it to an endpoint; do not change it after.
 */
public final class Context
{
    /** Default largest frame, header included. */
    public static final int DEFAULT_MAX_FRAME_LENGTH = 64 * 1024;

    private String name = "hayate";
    private TransportProvider transportProvider;
    private BufferPool bufferPool;
    private int maxFrameLength = DEFAULT_MAX_FRAME_LENGTH;
    private int receiveBufferCapacity;
    private int sendBufferCapacity;
    private int encodingType = Sofh.SBE_1_0_LITTLE_ENDIAN;
    private NanoClock nanoClock = SystemNanoClock.INSTANCE;
    private long connectTimeoutNanos = TimeUnit.SECONDS.toNanos(5);
    private long connectRetryIntervalNanos = TimeUnit.MILLISECONDS.toNanos(100);
    private long handshakeTimeoutNanos = TimeUnit.SECONDS.toNanos(5);
    private long bufferLeaseTimeoutNanos;
    private long lingerTimeoutNanos = TimeUnit.SECONDS.toNanos(1);
    private int maxConnections = 1024;
    private int maxHandshakes;
    private int maxConnectionsPerAddress;
    private int maxHandshakesPerAddress;
    private int connectionRateBurst;
    private long connectionRatePeriodNanos = TimeUnit.SECONDS.toNanos(1);
    private int addressTableCapacity;
    private ErrorHandler errorHandler = Context::printError;
    private boolean concluded;

    private static void printError(final Throwable error)
    {
        System.getLogger("dev.hayate").log(System.Logger.Level.WARNING, "hayate: unexpected error", error);
    }

    /**
     * Validates and fills derived defaults. Idempotent.
     *
     * @return this.
     * @throws IllegalArgumentException if a setting is out of range.
     */
    public Context conclude()
    {
        if (concluded)
        {
            return this;
        }
        if (transportProvider == null)
        {
            transportProvider = new TcpTransportProvider();
        }
        if (bufferPool == null)
        {
            bufferPool = BufferPool.shared();
        }
        if (receiveBufferCapacity == 0)
        {
            receiveBufferCapacity = maxFrameLength;
        }
        if (sendBufferCapacity == 0)
        {
            sendBufferCapacity = maxFrameLength;
        }
        requirePositive(connectTimeoutNanos, "connect timeout");
        requirePositive(connectRetryIntervalNanos, "connect retry interval");
        requirePositive(handshakeTimeoutNanos, "handshake timeout");
        requireNotNegative(bufferLeaseTimeoutNanos, "buffer lease timeout");
        requireNotNegative(lingerTimeoutNanos, "linger timeout");
        if (maxConnections < 1)
        {
            throw new IllegalArgumentException("max connections must be at least 1: " + maxConnections);
        }
        concludePeerLimits();
        if (receiveBufferCapacity < maxFrameLength || sendBufferCapacity < maxFrameLength)
        {
            throw new IllegalArgumentException("send (" + sendBufferCapacity + ") and receive (" +
                receiveBufferCapacity + ") buffers must hold a frame of maxFrameLength " + maxFrameLength);
        }
        concluded = true;
        return this;
    }

    private void concludePeerLimits()
    {
        // Unset (0) means no limit beyond the one above it, so existing services behave as before.
        if (maxHandshakes == 0)
        {
            maxHandshakes = maxConnections;
        }
        if (maxConnectionsPerAddress == 0)
        {
            maxConnectionsPerAddress = maxConnections;
        }
        if (maxHandshakesPerAddress == 0)
        {
            maxHandshakesPerAddress = maxHandshakes;
        }
        if (addressTableCapacity == 0)
        {
            addressTableCapacity = Math.max(1024, 2 * maxConnections);
        }
        if (addressTableCapacity < maxConnections)
        {
            // Every address with a live connection must fit, so the table never refuses for being full.
            throw new IllegalArgumentException("address table capacity (" + addressTableCapacity +
                ") must be at least maxConnections (" + maxConnections + ")");
        }
        if (connectionRateBurst > 0 && connectionRatePeriodNanos / connectionRateBurst == 0)
        {
            throw new IllegalArgumentException("connection rate of " + connectionRateBurst + " per " +
                connectionRatePeriodNanos + " ns is finer than a nanosecond");
        }
    }

    private static void requirePositive(final long nanos, final String what)
    {
        if (nanos <= 0)
        {
            throw new IllegalArgumentException(what + " must be positive: " + nanos + " ns");
        }
    }

    private static void requireNotNegative(final long nanos, final String what)
    {
        if (nanos < 0)
        {
            throw new IllegalArgumentException(what + " must not be negative: " + nanos + " ns");
        }
    }

    private void checkNotConcluded()
    {
        if (concluded)
        {
            throw new IllegalStateException("context already concluded: configure before creating endpoints");
        }
    }

    /**
     * @param name shown in {@link ConId} and logs.
     * @return this.
     */
    public Context name(final String name)
    {
        checkNotConcluded();
        this.name = java.util.Objects.requireNonNull(name, "name");
        return this;
    }

    /**
     * @return the endpoint name.
     */
    public String name()
    {
        return name;
    }

    /**
     * @param provider of transports (default TCP).
     * @return this.
     */
    public Context transportProvider(final TransportProvider provider)
    {
        checkNotConcluded();
        this.transportProvider = provider;
        return this;
    }

    /**
     * @return the transport provider.
     */
    public TransportProvider transportProvider()
    {
        return transportProvider;
    }

    /**
     * @param pool to lease send and receive buffers from (default {@link BufferPool#shared()}).
     * @return this.
     */
    public Context bufferPool(final BufferPool pool)
    {
        checkNotConcluded();
        this.bufferPool = pool;
        return this;
    }

    /**
     * @return the buffer pool.
     */
    public BufferPool bufferPool()
    {
        return bufferPool;
    }

    /**
     * @param bytes largest frame accepted or sent, SOFH header included (default 64 KiB). A longer frame
     *              from a peer closes that connection as a protocol error.
     * @return this.
     */
    public Context maxFrameLength(final int bytes)
    {
        checkNotConcluded();
        if (bytes < Sofh.HEADER_LENGTH + 1)
        {
            throw new IllegalArgumentException("maxFrameLength must exceed the header size: " + bytes);
        }
        this.maxFrameLength = bytes;
        return this;
    }

    /**
     * @return the largest frame, header included.
     */
    public int maxFrameLength()
    {
        return maxFrameLength;
    }

    /**
     * @param bytes receive buffer per connection (default: maxFrameLength); at least maxFrameLength. A
     *              larger buffer takes more frames per read.
     * @return this.
     */
    public Context receiveBufferCapacity(final int bytes)
    {
        checkNotConcluded();
        this.receiveBufferCapacity = bytes;
        return this;
    }

    /**
     * @return receive buffer capacity per connection.
     */
    public int receiveBufferCapacity()
    {
        return receiveBufferCapacity;
    }

    /**
     * @param bytes send buffer per connection (default: maxFrameLength); at least maxFrameLength.
     * @return this.
     */
    public Context sendBufferCapacity(final int bytes)
    {
        checkNotConcluded();
        this.sendBufferCapacity = bytes;
        return this;
    }

    /**
     * @return send buffer capacity per connection.
     */
    public int sendBufferCapacity()
    {
        return sendBufferCapacity;
    }

    /**
     * @param type SOFH encoding type written and required (default {@link Sofh#SBE_1_0_LITTLE_ENDIAN}).
     * @return this.
     */
    public Context encodingType(final int type)
    {
        checkNotConcluded();
        if (type < 0 || type > 0xFFFF)
        {
            throw new IllegalArgumentException("encoding type is 16 bits: " + type);
        }
        this.encodingType = type;
        return this;
    }

    /**
     * @return the SOFH encoding type.
     */
    public int encodingType()
    {
        return encodingType;
    }

    /**
     * @param clock time source for timeouts, deadlines and heartbeats (inject one in tests).
     * @return this.
     */
    public Context nanoClock(final NanoClock clock)
    {
        checkNotConcluded();
        this.nanoClock = java.util.Objects.requireNonNull(clock, "clock");
        return this;
    }

    /**
     * @return the time source.
     */
    public NanoClock nanoClock()
    {
        return nanoClock;
    }

    /**
     * @param timeout how long a client keeps trying to connect (default 5 s).
     * @param unit    of the timeout.
     * @return this.
     */
    public Context connectTimeout(final long timeout, final TimeUnit unit)
    {
        checkNotConcluded();
        this.connectTimeoutNanos = unit.toNanos(timeout);
        return this;
    }

    /**
     * @return the connect timeout in nanoseconds.
     */
    public long connectTimeoutNanos()
    {
        return connectTimeoutNanos;
    }

    /**
     * @param interval pause between connection attempts while the peer refuses (default 100 ms).
     * @param unit     of the interval.
     * @return this.
     */
    public Context connectRetryInterval(final long interval, final TimeUnit unit)
    {
        checkNotConcluded();
        this.connectRetryIntervalNanos = unit.toNanos(interval);
        return this;
    }

    /**
     * @return the connect retry interval in nanoseconds.
     */
    public long connectRetryIntervalNanos()
    {
        return connectRetryIntervalNanos;
    }

    /**
     * @param timeout longest time a protocol's connect handshake may take (default 5 s): the deadline of every
     *                send and receive of its {@link Session}, so a peer that never logs in is closed when it passes
     *                (counted in {@code Stat.HANDSHAKE_TIMEOUTS}).
     * @param unit    of the timeout.
     * @return this.
     */
    public Context handshakeTimeout(final long timeout, final TimeUnit unit)
    {
        checkNotConcluded();
        this.handshakeTimeoutNanos = unit.toNanos(timeout);
        return this;
    }

    /**
     * @return the handshake timeout in nanoseconds.
     */
    public long handshakeTimeoutNanos()
    {
        return handshakeTimeoutNanos;
    }

    /**
     * @param timeout how long a new connection waits for pool buffers before it is refused (default 0).
     * @param unit    of the timeout.
     * @return this.
     */
    public Context bufferLeaseTimeout(final long timeout, final TimeUnit unit)
    {
        checkNotConcluded();
        this.bufferLeaseTimeoutNanos = unit.toNanos(timeout);
        return this;
    }

    /**
     * @return the buffer lease timeout in nanoseconds.
     */
    public long bufferLeaseTimeoutNanos()
    {
        return bufferLeaseTimeoutNanos;
    }

    /**
     * @param timeout how long {@code close()} keeps trying to write frames already taken before it closes
     *                the transport (default 1 s); 0 closes at once and may drop them.
     * @param unit    of the timeout.
     * @return this.
     */
    public Context lingerTimeout(final long timeout, final TimeUnit unit)
    {
        checkNotConcluded();
        this.lingerTimeoutNanos = unit.toNanos(timeout);
        return this;
    }

    /**
     * @return the linger timeout in nanoseconds.
     */
    public long lingerTimeoutNanos()
    {
        return lingerTimeoutNanos;
    }

    /**
     * @param max live connections a service keeps; more are refused and counted (default 1024).
     * @return this.
     */
    public Context maxConnections(final int max)
    {
        checkNotConcluded();
        if (max < 1)
        {
            throw new IllegalArgumentException("maxConnections must be >= 1: " + max);
        }
        this.maxConnections = max;
        return this;
    }

    /**
     * @return the connection gate of services.
     */
    public int maxConnections()
    {
        return maxConnections;
    }

    /**
     * @param max handshakes ({@link Protocol#onConnect}) a service runs at once, each on a thread of its own; more
     *            connections are refused and counted ({@code Stat.REFUSED_HANDSHAKES}) until one ends (default:
     *            maxConnections).
     * @return this.
     */
    public Context maxHandshakes(final int max)
    {
        checkNotConcluded();
        this.maxHandshakes = requireAtLeastOne(max, "maxHandshakes");
        return this;
    }

    /**
     * @return handshakes a service runs at once.
     */
    public int maxHandshakes()
    {
        return maxHandshakes;
    }

    /**
     * @param max live connections a service keeps from one remote IP address; more are refused and counted
     *            ({@code Stat.REFUSED_PER_ADDRESS}) (default: maxConnections, no limit of its own).
     * @return this.
     */
    public Context maxConnectionsPerAddress(final int max)
    {
        checkNotConcluded();
        this.maxConnectionsPerAddress = requireAtLeastOne(max, "maxConnectionsPerAddress");
        return this;
    }

    /**
     * @return live connections a service keeps from one address.
     */
    public int maxConnectionsPerAddress()
    {
        return maxConnectionsPerAddress;
    }

    /**
     * @param max connections from one remote IP address that a service lets be in their handshake at once (a
     *            connection counts until its {@link Protocol#onConnect} ends); more are refused and counted
     *            ({@code Stat.REFUSED_HANDSHAKES}) (default: maxHandshakes, no limit of its own). This is what keeps
     *            a peer that holds connections open without logging in (slow loris) from filling the gate.
     * @return this.
     */
    public Context maxHandshakesPerAddress(final int max)
    {
        checkNotConcluded();
        this.maxHandshakesPerAddress = requireAtLeastOne(max, "maxHandshakesPerAddress");
        return this;
    }

    /**
     * @return handshakes in progress a service allows from one address.
     */
    public int maxHandshakesPerAddress()
    {
        return maxHandshakesPerAddress;
    }

    /**
     * Limits how fast one remote IP address may open connections: a token bucket of {@code burst} connections,
     * refilled at {@code burst} per {@code period} (so {@code burst} at once, then one every
     * {@code period / burst}). Connections beyond it are refused and counted ({@code Stat.REFUSED_RATE}); refused
     * attempts take no token. Default: no rate limit.
     *
     * @param burst  connections per period; 0 for no limit.
     * @param period over which {@code burst} connections are allowed.
     * @param unit   of the period.
     * @return this.
     */
    public Context connectionRatePerAddress(final int burst, final long period, final TimeUnit unit)
    {
        checkNotConcluded();
        if (burst < 0 || period <= 0)
        {
            throw new IllegalArgumentException("connection rate wants burst >= 0 and a positive period: " + burst +
                " per " + period + " " + unit);
        }
        this.connectionRateBurst = burst;
        this.connectionRatePeriodNanos = unit.toNanos(period);
        return this;
    }

    /**
     * @return connections one address may open per {@link #connectionRatePeriodNanos()}, 0 for no limit.
     */
    public int connectionRateBurst()
    {
        return connectionRateBurst;
    }

    /**
     * @return the period of the per-address connection rate, in nanoseconds.
     */
    public long connectionRatePeriodNanos()
    {
        return connectionRatePeriodNanos;
    }

    /**
     * @param capacity remote addresses a service tracks for its per-address limits (default: the larger of 1024
     *                 and twice maxConnections); at least maxConnections. The table is allocated once at this size;
     *                 when full, the address idle longest (no connection, no handshake) is forgotten, rate history
     *                 and all. Unused when no per-address limit is set.
     * @return this.
     */
    public Context addressTableCapacity(final int capacity)
    {
        checkNotConcluded();
        this.addressTableCapacity = requireAtLeastOne(capacity, "addressTableCapacity");
        return this;
    }

    /**
     * @return remote addresses a service tracks for its per-address limits.
     */
    public int addressTableCapacity()
    {
        return addressTableCapacity;
    }

    private static int requireAtLeastOne(final int value, final String what)
    {
        if (value < 1)
        {
            throw new IllegalArgumentException(what + " must be >= 1: " + value);
        }
        return value;
    }

    /**
     * @param handler receives errors that have no caller to return to (background threads, callbacks).
     * @return this.
     */
    public Context errorHandler(final ErrorHandler handler)
    {
        checkNotConcluded();
        this.errorHandler = java.util.Objects.requireNonNull(handler, "handler");
        return this;
    }

    /**
     * @return the error handler.
     */
    public ErrorHandler errorHandler()
    {
        return errorHandler;
    }

    // Counters (dev.hayate.core.stat): kept together so this block is the whole of the counters' hook.
    private java.nio.file.Path statDirectory;
    private volatile dev.hayate.core.stat.Counters counters;

    /**
     * @param directory where this process's stat file ({@code hayate-<pid>.stat}) is made on first use;
     *                  default {@code java.io.tmpdir}. Ignored once {@link #counters(dev.hayate.core.stat.Counters)}
     *                  gave counters of their own.
     * @return this.
     */
    public Context statDirectory(final java.nio.file.Path directory)
    {
        checkNotConcluded();
        this.statDirectory = java.util.Objects.requireNonNull(directory, "directory");
        return this;
    }

    /**
     * @param counters to count into instead of the process's stat file (for example
     *                 {@link dev.hayate.core.stat.Counters#inMemory()}, or one shared by several contexts).
     * @return this.
     */
    public Context counters(final dev.hayate.core.stat.Counters counters)
    {
        checkNotConcluded();
        this.counters = java.util.Objects.requireNonNull(counters, "counters");
        return this;
    }

    /**
     * @return the counters endpoints of this context count into: given, or the process's stat file in the
     * stat directory, made on the first call.
     */
    public dev.hayate.core.stat.Counters counters()
    {
        dev.hayate.core.stat.Counters current = counters;
        if (current == null)
        {
            current = dev.hayate.core.stat.Counters.forDirectory(statDirectory != null ? statDirectory :
                dev.hayate.core.stat.StatReader.defaultDirectory());
            counters = current;
        }
        return current;
    }
}
