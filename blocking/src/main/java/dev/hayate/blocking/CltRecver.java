package dev.hayate.blocking;

import dev.hayate.core.Connection;
import dev.hayate.core.Context;
import dev.hayate.core.WaitStrategy;
import dev.hayate.core.internal.WaitingRecver;

/**
 * The receiving half of a blocking {@link Clt}, after {@link Clt#split()}: waits in the kernel. A
 * {@code null} receive means "timed out" while {@link #isClosed()} is false and "closed" once true.
 *
 * <p>Thread-safety: one receiving thread, beside one thread using the matching {@link CltSender}.
 * {@link #close()} closes the whole connection at once; a thread blocked in a receive returns {@code null}.
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
     * Receives, blocking until a message arrives or the connection closes.
     *
     * @return the message, or {@code null} once closed. For a flyweight codec the message is valid until
     * the next receive.
     */
    public T recv()
    {
        return half.recvUntil(WaitStrategy.FOREVER);
    }
}
