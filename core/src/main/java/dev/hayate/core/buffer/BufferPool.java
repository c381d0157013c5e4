package dev.hayate.core.buffer;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

import org.agrona.BufferUtil;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.ManyToManyConcurrentArrayQueue;

/**
 * A bounded pool of off-heap buffers in a few size classes, shared by every endpoint in a process.
 *
 * <pre>
 *   size class 4 KiB   [slab: |buf|buf|buf|...]  [slab: ...]      up to maxBuffers
 *   size class 64 KiB  [slab: |  buf  |  buf  |...]               up to maxBuffers
 *   size class 1 MiB   (no slab until first lease)
 * </pre>
 *
 * <p>Each class grows in slabs of direct memory, cache-line aligned, up to its maximum and never past
 * it: a lease that cannot be served returns {@code null} ({@link #tryLease}) or waits up to a timeout
 * ({@link #lease}). A lease is served by the smallest class that fits and has a free buffer. Memory is
 * never returned to the operating system before the pool is garbage collected.
 *
 * <p>With leak detection on, every lease records where it happened and {@link #leaks()} lists buffers
 * never released — for tests; it allocates on every lease.
 *
 * <p>Thread-safety: safe for concurrent use; a buffer may be leased on one thread and released on another.
 */
public final class BufferPool
{
    private static final int CACHE_LINE = 64;
    private static final int SLAB_BYTES = 4 << 20;
    private static volatile BufferPool shared;

    final boolean zeroOnRelease;
    private final boolean leakDetection;
    private final SizeClass[] classes;

    private BufferPool(final Context context)
    {
        zeroOnRelease = context.zeroOnRelease;
        leakDetection = context.leakDetection;
        classes = new SizeClass[context.capacities.size()];
        for (int i = 0; i < classes.length; i++)
        {
            classes[i] = new SizeClass(this, context.capacities.get(i), context.maxBuffers.get(i));
        }
    }

    /**
     * The process-wide pool endpoints use unless given another: 4 KiB × 1024, 64 KiB × 2048,
     * 1 MiB × 128, 16 MiB × 8, each class allocated in slabs on demand.
     *
     * @return the shared pool.
     */
    public static BufferPool shared()
    {
        BufferPool pool = shared;
        if (pool == null)
        {
            synchronized (BufferPool.class)
            {
                pool = shared;
                if (pool == null)
                {
                    pool = new Context()
                        .sizeClass(4 << 10, 1024)
                        .sizeClass(64 << 10, 2048)
                        .sizeClass(1 << 20, 128)
                        .sizeClass(16 << 20, 8)
                        .build();
                    shared = pool;
                }
            }
        }
        return pool;
    }

    /**
     * Leases a buffer of at least {@code minCapacity} bytes without waiting.
     *
     * @param minCapacity bytes needed.
     * @return the lease, or {@code null} when every class that fits is exhausted.
     * @throws IllegalArgumentException if no class is large enough.
     */
    public PooledBuffer tryLease(final int minCapacity)
    {
        boolean fits = false;
        for (final SizeClass sizeClass : classes)
        {
            if (sizeClass.capacity >= minCapacity)
            {
                fits = true;
                final PooledBuffer buffer = sizeClass.tryLease(leakDetection);
                if (buffer != null)
                {
                    return buffer;
                }
            }
        }
        if (!fits)
        {
            throw new IllegalArgumentException("no size class holds " + minCapacity + " bytes; largest is " +
                classes[classes.length - 1].capacity);
        }
        for (final SizeClass sizeClass : classes)
        {
            if (sizeClass.capacity >= minCapacity)
            {
                sizeClass.failedLeases.incrementAndGet();
                break;
            }
        }
        return null;
    }

    /**
     * Leases a buffer, waiting up to {@code timeout} for one to be released.
     *
     * @param minCapacity bytes needed.
     * @param timeout     longest wait; 0 means one attempt.
     * @param unit        of the timeout.
     * @return the lease.
     * @throws BufferPoolExhaustedException if none became free in time.
     */
    public PooledBuffer lease(final int minCapacity, final long timeout, final TimeUnit unit)
    {
        final long deadline = System.nanoTime() + unit.toNanos(timeout);
        final IdleStrategy idle = new BackoffIdleStrategy(10, 10, 1_000, 1_000_000);
        while (true)
        {
            final PooledBuffer buffer = tryLease(minCapacity);
            if (buffer != null)
            {
                return buffer;
            }
            if (deadline - System.nanoTime() <= 0)
            {
                throw new BufferPoolExhaustedException("no buffer of " + minCapacity + " bytes free within " +
                    unit.toMillis(timeout) + " ms: " + Arrays.toString(stats()));
            }
            idle.idle();
        }
    }

    /**
     * @return one snapshot per size class, smallest first.
     */
    public Stats[] stats()
    {
        final Stats[] stats = new Stats[classes.length];
        for (int i = 0; i < classes.length; i++)
        {
            stats[i] = classes[i].stats();
        }
        return stats;
    }

    /**
     * @return buffers leased now, over all classes.
     */
    public long leased()
    {
        long leased = 0;
        for (final SizeClass sizeClass : classes)
        {
            leased += sizeClass.leased.get();
        }
        return leased;
    }

    /**
     * Lists buffers leased and never released, each with the stack where it was leased. Only with leak
     * detection on; otherwise the list is empty.
     *
     * @return one throwable per outstanding lease.
     */
    public List<Throwable> leaks()
    {
        final List<Throwable> leaks = new ArrayList<>();
        for (final SizeClass sizeClass : classes)
        {
            sizeClass.collectLeaks(leaks);
        }
        return leaks;
    }

    /**
     * Counters of one size class at one moment.
     *
     * @param capacity     bytes per buffer.
     * @param maxBuffers   the bound.
     * @param allocated    buffers carved from slabs so far.
     * @param leased       buffers leased now.
     * @param free         buffers allocated and free now.
     * @param highWater    most buffers leased at once.
     * @param failedLeases leases that found this class (the smallest that fits) exhausted.
     */
    public record Stats(int capacity, int maxBuffers, int allocated, long leased, long free, long highWater, long failedLeases)
    {
    }

    /**
     * Configuration of a pool: fluent setters, validated by {@link #build()}.
     *
     * <p>Thread-safety: not thread-safe; configure on one thread.
     */
    public static final class Context
    {
        private final List<Integer> capacities = new ArrayList<>();
        private final List<Integer> maxBuffers = new ArrayList<>();
        private boolean zeroOnRelease;
        private boolean leakDetection;

        /**
         * Adds a size class.
         *
         * @param capacity   bytes per buffer, a positive multiple of 64.
         * @param maxBuffers most buffers of this class.
         * @return this.
         */
        public Context sizeClass(final int capacity, final int maxBuffers)
        {
            capacities.add(capacity);
            this.maxBuffers.add(maxBuffers);
            return this;
        }

        /**
         * @param zero zero every buffer on release, not only those marked.
         * @return this.
         */
        public Context zeroOnRelease(final boolean zero)
        {
            zeroOnRelease = zero;
            return this;
        }

        /**
         * @param on record lease sites for {@link BufferPool#leaks()}.
         * @return this.
         */
        public Context leakDetection(final boolean on)
        {
            leakDetection = on;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the pool.
         * @throws IllegalArgumentException if the classes are empty, unsorted or misaligned.
         */
        public BufferPool build()
        {
            if (capacities.isEmpty())
            {
                throw new IllegalArgumentException("a pool needs at least one size class");
            }
            for (int i = 0; i < capacities.size(); i++)
            {
                final int capacity = capacities.get(i);
                if (capacity <= 0 || capacity % CACHE_LINE != 0)
                {
                    throw new IllegalArgumentException("size class must be a positive multiple of 64: " + capacity);
                }
                if (maxBuffers.get(i) <= 0)
                {
                    throw new IllegalArgumentException("maxBuffers must be positive for class " + capacity);
                }
                if (i > 0 && capacities.get(i - 1) >= capacity)
                {
                    throw new IllegalArgumentException("size classes must be added smallest first: " + capacities);
                }
            }
            return new BufferPool(this);
        }
    }

    static final class SizeClass
    {
        final BufferPool pool;
        final int capacity;
        final int maxBuffers;
        final ManyToManyConcurrentArrayQueue<PooledBuffer> free;
        final AtomicReferenceArray<PooledBuffer> all;
        final AtomicLong leased = new AtomicLong();
        final AtomicLong highWater = new AtomicLong();
        final AtomicLong failedLeases = new AtomicLong();
        private volatile int allocated;

        SizeClass(final BufferPool pool, final int capacity, final int maxBuffers)
        {
            this.pool = pool;
            this.capacity = capacity;
            this.maxBuffers = maxBuffers;
            // The queue rounds up and needs at least 2 slots; the bound itself is enforced by grow().
            this.free = new ManyToManyConcurrentArrayQueue<>(Math.max(2, maxBuffers));
            this.all = new AtomicReferenceArray<>(maxBuffers);
        }

        PooledBuffer tryLease(final boolean trackSite)
        {
            while (true)
            {
                PooledBuffer buffer = free.poll();
                if (buffer == null)
                {
                    buffer = grow();
                    if (buffer == null)
                    {
                        return null;
                    }
                }
                if (buffer.tryMarkLeased(trackSite))
                {
                    final long now = leased.incrementAndGet();
                    long high;
                    while (now > (high = highWater.get()) && !highWater.compareAndSet(high, now))
                    {
                        Thread.onSpinWait();
                    }
                    return buffer;
                }
            }
        }

        /**
         * Carves a new slab and returns one buffer of it, the rest going to the free list; or null at the bound.
         */
        private synchronized PooledBuffer grow()
        {
            final PooledBuffer freed = free.poll();
            if (freed != null)
            {
                return freed;
            }
            final int start = allocated;
            if (start >= maxBuffers)
            {
                return null;
            }
            final int count = Math.min(maxBuffers - start, Math.max(1, SLAB_BYTES / capacity));
            final ByteBuffer slab;
            try
            {
                slab = BufferUtil.allocateDirectAligned(count * capacity, CACHE_LINE);
            }
            catch (final OutOfMemoryError ex)
            {
                // The JVM's direct-memory limit (-XX:MaxDirectMemorySize, by default the heap's) can be below the
                // pool's own bound: running into it is the pool being exhausted, reported as such by the caller,
                // not an Error that kills whichever thread asked (a service's accept thread, an event loop).
                return null;
            }
            PooledBuffer first = null;
            for (int i = 0; i < count; i++)
            {
                final ByteBuffer slice = slab.duplicate().position(i * capacity).limit((i + 1) * capacity).slice();
                final PooledBuffer buffer = new PooledBuffer(this, slice);
                all.set(start + i, buffer);
                if (first == null)
                {
                    first = buffer;
                }
                else
                {
                    free.offer(buffer);
                }
            }
            allocated = start + count;
            return first;
        }

        void onRelease(final PooledBuffer buffer)
        {
            leased.decrementAndGet();
            free.offer(buffer);
        }

        Stats stats()
        {
            final int allocatedNow = allocated;
            final long leasedNow = leased.get();
            return new Stats(capacity, maxBuffers, allocatedNow, leasedNow, allocatedNow - leasedNow, highWater.get(),
                failedLeases.get());
        }

        void collectLeaks(final List<Throwable> leaks)
        {
            final int allocatedNow = allocated;
            for (int i = 0; i < allocatedNow; i++)
            {
                final PooledBuffer buffer = all.get(i);
                if (buffer != null && buffer.isLeased() && buffer.leaseSite() != null)
                {
                    leaks.add(buffer.leaseSite());
                }
            }
        }
    }
}
