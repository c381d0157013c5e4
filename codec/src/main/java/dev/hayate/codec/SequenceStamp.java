package dev.hayate.codec;

/**
 * The sequence number a connection writes into the next message it sends, for codecs whose values are
 * immutable records.
 *
 * <p>A protocol's {@code onSend} hook cannot stamp a number on a record, so the number is the connection's
 * state instead of the message's: a record codec built with a stamp writes {@link #claim()} in place of the
 * record's own value, and the number is used up only when the whole message has been encoded. The connection
 * calls {@code onSend} and then {@code encode} exactly once per message, and never for a send that was back
 * pressured, so each message sent gets exactly one number and a message that fails to encode leaves no gap.
 *
 * <pre>
 *   encode(msg) ─▶ claim() ─▶ 7 written ─▶ encoded whole? ─ yes ─▶ commit(): next() is 8
 *                                                        └─ no ──▶ abort():  next() stays 7
 * </pre>
 *
 * <p>A protocol makes one stamp per connection, hands it to the codec, and keeps it to read {@link #next()}
 * (what the peer should expect) or to set it when a session is resumed ({@link #next(long)}, for example from
 * the peer's {@code LoginAccepted.nextSeqNo}).
 *
 * <p>Thread-safety: not thread-safe; owned by the connection's sending thread. Set it with {@link #next(long)}
 * from that thread, or before the connection sends its first message.
 */
public final class SequenceStamp
{
    private long next;
    private boolean claimed;

    /**
     * A stamp whose first number is 1.
     */
    public SequenceStamp()
    {
        this(1);
    }

    /**
     * @param next the number of the first message stamped.
     */
    public SequenceStamp(final long next)
    {
        this.next = next;
    }

    /**
     * Called by an encoder that writes a sequence number. Calling it again before {@link #commit()} or
     * {@link #abort()} returns the same number.
     *
     * @return the number of the message being encoded.
     */
    public long claim()
    {
        claimed = true;
        return next;
    }

    /**
     * The message being encoded was encoded whole: if it claimed a number, the next message gets the one after.
     */
    public void commit()
    {
        if (claimed)
        {
            claimed = false;
            next++;
        }
    }

    /**
     * The message being encoded was not sent: its number, if it claimed one, goes to the next message.
     */
    public void abort()
    {
        claimed = false;
    }

    /**
     * @return the number the next stamped message gets.
     */
    public long next()
    {
        return next;
    }

    /**
     * Sets the number of the next stamped message, for example when a session resumes.
     *
     * @param next the number the next stamped message gets.
     * @throws IllegalStateException if called while a message holds a claim.
     */
    public void next(final long next)
    {
        if (claimed)
        {
            throw new IllegalStateException("cannot reset the sequence while a message is being encoded");
        }
        this.next = next;
    }

    @Override
    public String toString()
    {
        return "SequenceStamp{next=" + next + '}';
    }
}
