package dev.hayate.core;

import java.util.concurrent.TimeUnit;

import dev.hayate.core.internal.RecvHalf;
import dev.hayate.core.internal.SendHalf;

/**
 * Runs a protocol's handshake over a connection, on the calling thread, waiting in the kernel and bounded
 * by the context's handshake timeout.
 *
 * <p>Thread-safety: stateless; each call owns its connection for the duration.
 */
public final class Handshakes
{
    private Handshakes()
    {
    }

    /**
     * @param connection just established.
     * @return true if its protocol has a handshake to run.
     */
    public static boolean needed(final Connection<?> connection)
    {
        return Hooks.overridesOnConnect(connection.protocol());
    }

    /**
     * Runs the handshake. On failure the connection is closed as {@link CloseReason#HANDSHAKE_FAILED}.
     *
     * @param connection to run it on.
     * @param context    the endpoint's configuration: clock and handshake timeout.
     * @param onFailure  runs before the connection is closed on failure (counters), so nobody who sees the
     *                   close can see the count lag behind.
     * @param <T>        the message type.
     * @throws HandshakeException if the protocol rejected the connection, the peer closed, or time ran out.
     */
    public static <T> void run(final Connection<T> connection, final Context context, final Runnable onFailure)
        throws HandshakeException
    {
        final Deadline deadline = Deadline.after(context.handshakeTimeoutNanos(), TimeUnit.NANOSECONDS,
            context.nanoClock());
        final SendHalf<T> sender = new SendHalf<>(connection, context, KernelWait.INSTANCE);
        final RecvHalf<T> receiver = new RecvHalf<>(connection, context, KernelWait.INSTANCE, true);
        final Session<T> session = new Session<>()
        {
            @Override
            public Status send(final T message)
            {
                return sender.sendUntil(message, deadline.deadlineNanos());
            }

            @Override
            public T recv()
            {
                return receiver.recvUntil(deadline.deadlineNanos());
            }

            @Override
            public ConId id()
            {
                return connection.id();
            }

            @Override
            public Deadline deadline()
            {
                return deadline;
            }
        };
        try
        {
            connection.protocol().onConnect(session);
        }
        catch (final Exception ex)
        {
            final String why;
            if (connection.isClosed() && connection.closeReason() != CloseReason.LOCAL)
            {
                why = "connection " + connection.closeReason() + " during the handshake: " + connection.closeDetail();
            }
            else if (deadline.hasExpired())
            {
                context.counters().increment(dev.hayate.core.stat.Stat.HANDSHAKE_TIMEOUTS);
                why = "handshake did not finish within " + TimeUnit.NANOSECONDS.toMillis(context.handshakeTimeoutNanos()) +
                    " ms: " + ex.getMessage();
            }
            else
            {
                why = "handshake rejected: " + ex.getMessage();
            }
            onFailure.run();
            connection.closeWith(CloseReason.HANDSHAKE_FAILED, why);
            throw new HandshakeException(connection.id() + ": " + why, ex);
        }
        if (connection.isClosed())
        {
            onFailure.run();
            throw new HandshakeException(connection.id() + ": closed during the handshake (" +
                connection.closeReason() + "): " + connection.closeDetail(), null);
        }
    }
}
