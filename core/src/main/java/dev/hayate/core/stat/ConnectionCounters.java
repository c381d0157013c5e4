package dev.hayate.core.stat;

import org.agrona.concurrent.status.AtomicCounter;

/**
 * The traffic counters of one connection: frames and bytes in and out, each with one writer (the thread
 * holding the connection's receive or send half), so a count is a plain add and a release store — no
 * {@code lock} prefix, no cache line shared with another connection or the other direction. They live in
 * the process's {@link Counters} (labelled with the connection), so a reader of the stat file sees them
 * while the connection runs; {@link #close()} folds them into the process totals and frees them.
 *
 * <p>When the counters' file is full, a connection counts straight into the process totals with atomic
 * adds instead: slower, still exact.
 *
 * <p>A batch of frames ({@code Connection.offer(source, limit)}, {@code Connection.poll(handler, limit)}) is
 * counted once, at its end ({@link #onFramesIn}, {@link #onFramesOut}): one store per counter instead of two per
 * frame. A reader sees the counts of whole batches; they are exact once the batch call has returned.
 *
 * <p>Thread-safety: {@link #onFrameIn} and {@link #onFramesIn} from the one receiving thread,
 * {@link #onFrameOut} and {@link #onFramesOut} from the one sending thread, {@link #close()} once, after both
 * have stopped.
 */
public final class ConnectionCounters
{
    private final Counters totals;
    private final boolean exclusive;
    private final AtomicCounter framesIn;
    private final AtomicCounter framesOut;
    private final AtomicCounter bytesIn;
    private final AtomicCounter bytesOut;

    ConnectionCounters(final Counters totals, final boolean exclusive, final AtomicCounter framesIn,
        final AtomicCounter framesOut, final AtomicCounter bytesIn, final AtomicCounter bytesOut)
    {
        this.totals = totals;
        this.exclusive = exclusive;
        this.framesIn = framesIn;
        this.framesOut = framesOut;
        this.bytesIn = bytesIn;
        this.bytesOut = bytesOut;
    }

    /**
     * @param bytes of the frame, header included.
     */
    public void onFrameIn(final int bytes)
    {
        onFramesIn(1, bytes);
    }

    /**
     * @param bytes of the frame, header included.
     */
    public void onFrameOut(final int bytes)
    {
        onFramesOut(1, bytes);
    }

    /**
     * Counts several frames received, as that many calls of {@link #onFrameIn} would.
     *
     * @param frames received, at least 1.
     * @param bytes  of those frames, headers included.
     */
    public void onFramesIn(final int frames, final long bytes)
    {
        if (exclusive)
        {
            framesIn.getAndAddRelease(frames);
            bytesIn.getAndAddRelease(bytes);
        }
        else
        {
            framesIn.getAndAdd(frames);
            bytesIn.getAndAdd(bytes);
        }
    }

    /**
     * Counts several frames sent, as that many calls of {@link #onFrameOut} would.
     *
     * @param frames sent, at least 1.
     * @param bytes  of those frames, headers included.
     */
    public void onFramesOut(final int frames, final long bytes)
    {
        if (exclusive)
        {
            framesOut.getAndAddRelease(frames);
            bytesOut.getAndAddRelease(bytes);
        }
        else
        {
            framesOut.getAndAdd(frames);
            bytesOut.getAndAdd(bytes);
        }
    }

    /**
     * @return true if this connection has counters of its own (false: it counts into the totals).
     */
    public boolean isExclusive()
    {
        return exclusive;
    }

    /**
     * Adds this connection's counts to the process totals and frees its counters. Idempotent for shared
     * ones; call once for exclusive ones.
     */
    public void close()
    {
        if (exclusive)
        {
            fold(framesIn, Stat.FRAMES_IN);
            fold(framesOut, Stat.FRAMES_OUT);
            fold(bytesIn, Stat.BYTES_IN);
            fold(bytesOut, Stat.BYTES_OUT);
        }
    }

    private void fold(final AtomicCounter counter, final Stat stat)
    {
        // Freed first: a reader summing the file meanwhile sees the count once or, for a moment, not at all,
        // never twice.
        final long value = counter.get();
        counter.close();
        totals.counter(stat).getAndAdd(value);
    }
}
