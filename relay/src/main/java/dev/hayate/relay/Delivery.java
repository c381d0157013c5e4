package dev.hayate.relay;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * What a consumer's receive returns: a frame of the producer's (opened and checked) or an event of the stream.
 * One instance per consumer, reused: read it before the next receive, copy what must be kept
 * ({@link #payload()}).
 *
 * <p>Thread-safety: none; the consumer's receiving thread.
 */
public final class Delivery
{
    /** What a delivery is. */
    public enum Kind
    {
        /** A payload the producer broadcast: {@link #buffer()}, {@link #length()}, {@link #sequence()}. */
        DATA,
        /**
         * The relay dropped frames for this consumer (policy DROP_OLDEST, the consumer was slow): {@link #sequence()}
         * is the first missed, {@link #missed()} how many. The relay's word, not the producer's.
         */
        GAP,
        /** A producer joined the session and starts a new stream (its sequence numbers start at 0). */
        PRODUCER_JOINED,
        /** The producer ended its stream (its sealed end marker: authentic, nothing was cut). */
        END,
        /**
         * The relay reports the producer's connection gone: {@link #sequence()} is the next number it would have
         * sent. Without an {@link #END} before it, the stream was cut (or the relay is lying: it cannot forge END).
         */
        PRODUCER_GONE
    }

    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private Kind kind;
    private long sequence;
    private long missed;
    private int length;

    Delivery data(final DirectBuffer plain, final int length, final long sequence)
    {
        this.kind = Kind.DATA;
        this.sequence = sequence;
        this.missed = 0;
        this.length = length;
        view.wrap(plain, 0, Math.max(length, 0));
        return this;
    }

    Delivery event(final Kind kind, final long sequence, final long missed)
    {
        this.kind = kind;
        this.sequence = sequence;
        this.missed = missed;
        this.length = 0;
        return this;
    }

    /**
     * @return what this is.
     */
    public Kind kind()
    {
        return kind;
    }

    /**
     * @return the payload, valid until the next receive (DATA only).
     */
    public DirectBuffer buffer()
    {
        return view;
    }

    /**
     * @return payload bytes (DATA), else 0.
     */
    public int length()
    {
        return length;
    }

    /**
     * @return a copy of the payload.
     */
    public byte[] payload()
    {
        final byte[] copy = new byte[length];
        view.getBytes(0, copy, 0, length);
        return copy;
    }

    /**
     * @return the frame's sequence number in its producer's stream (DATA), the first missed (GAP), the next
     * number (PRODUCER_GONE).
     */
    public long sequence()
    {
        return sequence;
    }

    /**
     * @return frames missed (GAP), else 0.
     */
    public long missed()
    {
        return missed;
    }

    @Override
    public String toString()
    {
        return "Delivery(" + kind + ", seq " + sequence + (kind == Kind.GAP ? ", missed " + missed : "") +
            (kind == Kind.DATA ? ", " + length + " bytes" : "") + ')';
    }
}
