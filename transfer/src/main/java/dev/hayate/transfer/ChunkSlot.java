package dev.hayate.transfer;

import java.nio.ByteBuffer;

import dev.hayate.core.buffer.BufferPool;
import dev.hayate.core.buffer.PooledBuffer;

/**
 * One chunk in flight between two pipeline threads: two pooled buffers (plaintext, and the compressed or
 * decompressed form) and what the chunk is. Slots are made once per transfer and recycled through a free queue,
 * so the number of slots bounds the memory in flight. Both buffers are zeroed when they go back to the pool: they
 * held plaintext.
 *
 * <p>Thread-safety: handed between threads through blocking queues (which publish it); one owner at a time.
 */
final class ChunkSlot implements AutoCloseable
{
    static final int CHUNK = 0;
    static final int FILE_END = 1;
    static final int END = 2;

    private final PooledBuffer plainLease;
    private final PooledBuffer otherLease;
    final ByteBuffer plain;
    final ByteBuffer other;

    int type;
    int fileIndex;
    long chunkIndex;
    byte flags;
    int plainLength;
    /** The bytes that travel: a window of {@link #plain} or {@link #other}. */
    ByteBuffer payload;
    long chunkCount;
    byte[] fileChecksum;

    ChunkSlot(final BufferPool pool, final int capacity, final long leaseTimeoutNanos)
    {
        plainLease = pool.lease(capacity, leaseTimeoutNanos, java.util.concurrent.TimeUnit.NANOSECONDS)
            .zeroOnRelease(true);
        PooledBuffer second = null;
        try
        {
            second = pool.lease(capacity, leaseTimeoutNanos, java.util.concurrent.TimeUnit.NANOSECONDS)
                .zeroOnRelease(true);
        }
        finally
        {
            if (second == null)
            {
                plainLease.release();
            }
        }
        otherLease = second;
        plain = plainLease.byteBuffer().duplicate().clear().limit(capacity);
        other = otherLease.byteBuffer().duplicate().clear().limit(capacity);
    }

    ChunkSlot chunk(final int fileIndex, final long chunkIndex)
    {
        this.type = CHUNK;
        this.fileIndex = fileIndex;
        this.chunkIndex = chunkIndex;
        this.flags = 0;
        return this;
    }

    ChunkSlot fileEnd(final int fileIndex, final long chunkCount, final byte[] fileChecksum)
    {
        this.type = FILE_END;
        this.fileIndex = fileIndex;
        this.chunkCount = chunkCount;
        this.fileChecksum = fileChecksum;
        return this;
    }

    ChunkSlot end()
    {
        this.type = END;
        return this;
    }

    @Override
    public void close()
    {
        plainLease.release();
        otherLease.release();
    }
}
