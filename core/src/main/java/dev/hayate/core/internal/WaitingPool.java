package dev.hayate.core.internal;

import java.io.IOException;
import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.hayate.core.Callback;
import dev.hayate.core.ConId;
import dev.hayate.core.ConnectionPool;
import dev.hayate.core.Context;
import dev.hayate.core.ProtocolFactory;
import dev.hayate.core.Status;
import dev.hayate.core.WaitStrategy;

/**
 * The one implementation of a round-robin pool of client connections for the faces that wait on the caller's
 * thread: sends go to the next live member, receives come from whichever member has a message. A member that
 * closes leaves the pool and is reported once; an empty pool answers {@link Status#NOT_CONNECTED} (sends) or
 * {@code null} (receives) at once instead of hanging. The faces add their untimed {@code send}/{@code recv}.
 *
 * <p>Thread-safety: one thread, the pool's owner.
 *
 * @param <T> the message type.
 */
public abstract class WaitingPool<T> implements AutoCloseable
{
    /** The members. */
    protected final ConnectionPool<T> pool;

    /**
     * Connects one member per address (repeat an address for several connections to one service).
     *
     * @param remotes      addresses, one connection each.
     * @param protocols    makes each connection's protocol.
     * @param callback     observes messages of every member.
     * @param context      configuration.
     * @param onMemberLeft told once about each member that closed and left, with its identity.
     * @param wait         how the pool waits; a stateful policy serves this pool only.
     * @throws IOException if any connection could not be made (those made are closed).
     */
    protected WaitingPool(final List<? extends SocketAddress> remotes, final ProtocolFactory<T> protocols,
        final Callback<T> callback, final Context context, final Consumer<ConId> onMemberLeft,
        final WaitStrategy wait) throws IOException
    {
        pool = new ConnectionPool<>(member -> onMemberLeft.accept(member.id()), context, wait);
        try
        {
            for (final SocketAddress remote : remotes)
            {
                pool.add(Connector.connect(remote, protocols, callback, context));
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            pool.close();
            throw ex;
        }
    }

    /**
     * Sends to the next member with room, waiting for room up to the timeout.
     *
     * @param message to send.
     * @param timeout longest wait.
     * @param unit    of the timeout.
     * @return {@link Status#OK}, {@link Status#TIMED_OUT} (nothing sent) or {@link Status#NOT_CONNECTED}.
     */
    public final Status send(final T message, final long timeout, final TimeUnit unit)
    {
        return pool.sendUntil(message, pool.deadlineAfter(timeout, unit));
    }

    /**
     * Receives from whichever member has a message, waiting up to the timeout.
     *
     * @param timeout longest wait.
     * @param unit    of the timeout.
     * @return the message, or {@code null} on timeout or when the pool is empty.
     */
    public final T recv(final long timeout, final TimeUnit unit)
    {
        return pool.recvUntil(pool.deadlineAfter(timeout, unit));
    }

    /**
     * @return the identity of the member that delivered the last message, or {@code null}.
     */
    public final ConId lastRecvFrom()
    {
        return pool.lastReceivedFromId();
    }

    /**
     * @return live members.
     */
    public final int size()
    {
        return pool.size();
    }

    /**
     * Closes every member.
     */
    @Override
    public final void close()
    {
        pool.close();
    }
}
