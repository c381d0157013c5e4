package dev.hayate.blocking;

import dev.hayate.core.Connection;
import dev.hayate.core.Context;
import dev.hayate.core.Status;
import dev.hayate.core.WaitStrategy;
import dev.hayate.core.internal.WaitingSender;

/**
 * The sending half of a blocking {@link Clt}, after {@link Clt#split()}: waits in the kernel. Bytes are left
 * pending only after a timed send ran out of time ({@link #hasPendingSend()}).
 *
 * <p>Thread-safety: one sending thread, beside one thread using the matching {@link CltRecver}.
 * {@link #close()} closes the whole connection.
 *
 * @param <T> the message type.
 */
public final class CltSender<T> extends WaitingSender<T>
{
    CltSender(final Connection<T> connection, final Context context, final WaitStrategy wait)
    {
        super(connection, context, wait);
    }

    /**
     * Sends, blocking until the whole frame is written.
     *
     * @param message to send; encoded during the call.
     * @return {@link Status#OK} or {@link Status#CLOSED}.
     */
    public Status send(final T message)
    {
        return half.sendUntil(message, WaitStrategy.FOREVER);
    }
}
