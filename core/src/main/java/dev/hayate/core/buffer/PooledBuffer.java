package dev.hayate.core.buffer;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * One off-heap buffer leased from a {@link BufferPool}. The same memory is visible as an agrona
 * {@link UnsafeBuffer} (for codecs) and a direct {@link ByteBuffer} (for channel I/O); both cover exactly
 * {@link #capacity()} bytes and start on a cache-line boundary.
 *
 * <p>Thread-safety: the lease may be released from a different thread than the one that leased it.
 * Using the buffer after {@link #release()} is a programming error: the memory then belongs to the next
 * lessee.
 */
public final class PooledBuffer implements AutoCloseable
{
    private static final int FREE = 0;
    private static final int LEASED = 1;
    private static final AtomicIntegerFieldUpdater<PooledBuffer> STATE =
        AtomicIntegerFieldUpdater.newUpdater(PooledBuffer.class, "state");

    private final BufferPool.SizeClass sizeClass;
    private final UnsafeBuffer buffer;
    private final ByteBuffer byteBuffer;
    private volatile int state = FREE;
    private boolean zeroOnRelease;
    private volatile Throwable leaseSite;

    PooledBuffer(final BufferPool.SizeClass sizeClass, final ByteBuffer slice)
    {
        this.sizeClass = sizeClass;
        this.byteBuffer = slice;
        this.buffer = new UnsafeBuffer(slice);
    }

    /**
     * @return the memory as an agrona buffer; index 0 is the first byte of the lease.
     */
    public UnsafeBuffer buffer()
    {
        return buffer;
    }

    /**
     * @return the memory as a direct byte buffer for channel reads and writes. Its position and limit are
     * the caller's to move; they are reset on the next lease.
     */
    public ByteBuffer byteBuffer()
    {
        return byteBuffer;
    }

    /**
     * @return the size of the lease in bytes (the size class, at least what was asked for).
     */
    public int capacity()
    {
        return buffer.capacity();
    }

    /**
     * Asks for the memory to be zeroed when released, for buffers that held keys or plaintext.
     *
     * @param zero whether to zero on release.
     * @return this.
     */
    public PooledBuffer zeroOnRelease(final boolean zero)
    {
        zeroOnRelease = zero;
        return this;
    }

    /**
     * Returns the buffer to its pool. Releasing twice is a programming error and throws.
     *
     * @throws IllegalStateException if the buffer is not leased.
     */
    public void release()
    {
        if (!STATE.compareAndSet(this, LEASED, FREE))
        {
            throw new IllegalStateException("buffer of " + capacity() + " bytes released twice or never leased");
        }
        if (zeroOnRelease || sizeClass.pool.zeroOnRelease)
        {
            buffer.setMemory(0, buffer.capacity(), (byte)0);
        }
        leaseSite = null;
        sizeClass.onRelease(this);
    }

    /**
     * Same as {@link #release()}, for try-with-resources.
     */
    @Override
    public void close()
    {
        release();
    }

    /**
     * @return true while leased.
     */
    public boolean isLeased()
    {
        return state == LEASED;
    }

    boolean tryMarkLeased(final boolean trackSite)
    {
        if (!STATE.compareAndSet(this, FREE, LEASED))
        {
            return false;
        }
        zeroOnRelease = false;
        byteBuffer.clear();
        if (trackSite)
        {
            leaseSite = new Throwable("buffer of " + capacity() + " bytes leased here and never released");
        }
        return true;
    }

    Throwable leaseSite()
    {
        return leaseSite;
    }
}
