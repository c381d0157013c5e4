package dev.hayate.nonblocking;

import dev.hayate.core.Connection;
import dev.hayate.core.Context;
import dev.hayate.core.WaitStrategy;
import dev.hayate.core.internal.WaitingRecver;

/**
 * The receiving half of a nonblocking {@link Clt}, after {@link Clt#split()}: busy-spins, never parks.
 * {@link #recv()} makes one attempt; the timed receives ({@link WaitingRecver}) spin. A {@code null} receive
 * means "nothing yet" while {@link #isClosed()} is false and "closed" once true.
 *
 * <p>Thread-safety: one receiving thread, beside one thread using the matching {@link CltSender}.
 * {@link #close()} closes the whole connection at once (it cannot write the sender's pending bytes).
 *
 * @param <T> the message type.
 */
public final class CltRecver<T> extends WaitingRecver<T>
{
    CltRecver(final Connection<T> connection, final Context context, final WaitStrategy wait)
    {
        super(connection, context, wait);
    }

    /**
     * One attempt to receive.
     *
     * @return the message, or {@code null}: nothing yet, or closed if {@link #isClosed()}. For a flyweight
     * codec the message is valid until the next receive.
     */
    public T recv()
    {
        return half.tryRecv();
    }
}
