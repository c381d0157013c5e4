package dev.hayate.examples;

import dev.hayate.codec.SbeMessage;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A bounded record of the sequenced messages one side of a session has sent, so that they can be sent again,
 * byte for byte and with the same sequence numbers, after a reconnect. Both the gateway (its outbound stream,
 * replayed to a trader that resumes) and the trader (orders the gateway may not have processed, resent after
 * {@code LoginAccepted}) keep one.
 *
 * <p>Bounded twice: at most {@code maxMessages} messages and {@code maxBytes} bytes, both fixed when it is built,
 * so a session's memory never grows. Appending past either bound evicts the oldest messages; whatever was
 * evicted can no longer be replayed, and a peer asking for it is told so.
 *
 * <pre>
 *   bytes (capacity maxBytes, used as a ring of laps; a message never straddles the end of a lap)
 *   +----------------------------------------------------------------+
 *   |  seq 7 | seq 8 |  seq 9  | ..free.. |  seq 5  | seq 6 |  pad   |
 *   +----------------------------------------------------------------+
 *             newest ^ tail                ^ head (oldest kept: firstSeqNo = 5)
 *
 *   index (maxMessages slots): seqNo % maxMessages -&gt; (logical start, length)
 * </pre>
 *
 * <p>Positions are logical (they only grow); the physical offset is the position modulo the capacity. A message
 * that would run past the end of the buffer starts at the next lap instead, and the skipped tail counts as used
 * until the message before it is evicted. The messages kept always span at most {@code maxBytes} logical
 * bytes, so none overlaps another.
 *
 * <p>Thread-safety: one writer thread ({@link #append}, {@link #reset}, {@link #read}). {@link #firstSeqNo()} and
 * {@link #nextSeqNo()} may be read from any thread (a login decision on a handshake thread) and are
 * published in order: a reader never sees {@code nextSeqNo} before the message it counts.
 */
public final class Journal
{
    private final UnsafeBuffer bytes;
    private final int capacity;
    private final int maxMessages;
    private final long[] starts;
    private final int[] lengths;
    private volatile long firstSeqNo;
    private volatile long nextSeqNo;
    private long head;
    private long tail;

    /**
     * @param maxMessages most messages kept, at least 1.
     * @param maxBytes    most bytes kept; no message may be longer.
     * @param firstSeqNo  sequence number of the first message appended.
     */
    public Journal(final int maxMessages, final int maxBytes, final long firstSeqNo)
    {
        if (maxMessages < 1 || maxBytes < SbeMessage.HEADER_LENGTH)
        {
            throw new IllegalArgumentException("a journal keeps at least one message of at least a header: " +
                maxMessages + " messages, " + maxBytes + " bytes");
        }
        this.capacity = maxBytes;
        this.maxMessages = maxMessages;
        this.bytes = new UnsafeBuffer(new byte[maxBytes]);
        this.starts = new long[maxMessages];
        this.lengths = new int[maxMessages];
        reset(firstSeqNo);
    }

    /**
     * Forgets everything; the next message appended gets {@code nextSeqNo}.
     *
     * @param nextSeqNo sequence number of the next message.
     */
    public void reset(final long nextSeqNo)
    {
        head = 0;
        tail = 0;
        this.firstSeqNo = nextSeqNo;
        this.nextSeqNo = nextSeqNo;
    }

    /**
     * Keeps a copy of a message as number {@link #nextSeqNo()}, evicting the oldest as the bounds require.
     *
     * @param buffer holding the message.
     * @param offset of the message.
     * @param length of the message.
     * @return the sequence number it was kept as.
     * @throws IllegalArgumentException if the message is longer than the journal's byte bound.
     */
    public long append(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length > capacity || length < 0)
        {
            throw new IllegalArgumentException("a message of " + length + " bytes does not fit a journal of " +
                capacity + " bytes");
        }
        long start = tail;
        final int physical = (int)(start % capacity);
        if (physical + length > capacity)
        {
            start += capacity - physical;
        }
        long first = firstSeqNo;
        final long next = nextSeqNo;
        while (first < next && (next - first >= maxMessages || start + length - head > capacity))
        {
            first++;
            head = first < next ? starts[slot(first)] : start;
        }
        if (first == next)
        {
            head = start;
        }
        bytes.putBytes((int)(start % capacity), buffer, offset, length);
        final int slot = slot(next);
        starts[slot] = start;
        lengths[slot] = length;
        tail = start + length;
        firstSeqNo = first;
        nextSeqNo = next + 1;
        return next;
    }

    /**
     * Points a view at a kept message; nothing is copied. The view is valid until the next append or reset.
     *
     * @param seqNo of the message.
     * @param view  to point at it.
     * @return true if the message is kept, false if it was evicted or not appended yet.
     */
    public boolean read(final long seqNo, final SbeMessage view)
    {
        if (seqNo < firstSeqNo || seqNo >= nextSeqNo)
        {
            return false;
        }
        final int slot = slot(seqNo);
        view.wrap(bytes, (int)(starts[slot] % capacity), lengths[slot]);
        return true;
    }

    private int slot(final long seqNo)
    {
        return (int)Long.remainderUnsigned(seqNo, maxMessages);
    }

    /**
     * @return the oldest sequence number kept (equal to {@link #nextSeqNo()} when empty).
     */
    public long firstSeqNo()
    {
        return firstSeqNo;
    }

    /**
     * @return the sequence number the next message appended gets; the last kept is one less.
     */
    public long nextSeqNo()
    {
        return nextSeqNo;
    }

    /**
     * @return messages kept now, at most {@link #maxMessages()}.
     */
    public long size()
    {
        return nextSeqNo - firstSeqNo;
    }

    /**
     * @return logical bytes the kept messages span, padding included; at most {@link #maxBytes()}. Writer thread.
     */
    public long bytesUsed()
    {
        return size() == 0 ? 0 : tail - head;
    }

    /**
     * @return the message bound.
     */
    public int maxMessages()
    {
        return maxMessages;
    }

    /**
     * @return the byte bound.
     */
    public int maxBytes()
    {
        return capacity;
    }

    @Override
    public String toString()
    {
        return "Journal{seqNo " + firstSeqNo + ".." + (nextSeqNo - 1) + ", max " + maxMessages + " messages / " +
            capacity + " bytes}";
    }
}
