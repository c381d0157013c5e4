package dev.hayate.nonblocking;

import java.io.IOException;
import java.net.SocketAddress;
import java.util.List;
import java.util.function.Consumer;

import dev.hayate.core.BusySpinWait;
import dev.hayate.core.Callback;
import dev.hayate.core.ConId;
import dev.hayate.core.Context;
import dev.hayate.core.ProtocolFactory;
import dev.hayate.core.Status;
import dev.hayate.core.internal.WaitingPool;

/**
 * A round-robin pool of client connections that busy-spins ({@link WaitingPool}): sends go to the next live
 * member, receives come from whichever member has a message. {@link #send(Object)} and {@link #recv()} make
 * one attempt; the timed ones spin.
 *
 * <pre>{@code
 * CltPool<Order> pool = CltPool.connect(List.of(primary, secondary), protocols, Callback.none(), ctx,
 *     gone -> log.warn("lost " + gone));
 * pool.send(order, 1, TimeUnit.SECONDS);
 * Report report = pool.recv(1, TimeUnit.SECONDS);    // pool.lastRecvFrom() says which connection
 * }</pre>
 *
 * <p>Thread-safety: one thread, the pool's owner.
 *
 * @param <T> the message type.
 */
public final class CltPool<T> extends WaitingPool<T>
{
    private CltPool(final List<? extends SocketAddress> remotes, final ProtocolFactory<T> protocols,
        final Callback<T> callback, final Context context, final Consumer<ConId> onMemberLeft) throws IOException
    {
        super(remotes, protocols, callback, context, onMemberLeft, BusySpinWait.INSTANCE);
    }

    /**
     * Connects one member per address (repeat an address for several connections to one service).
     *
     * @param remotes      addresses, one connection each.
     * @param protocols    makes each connection's protocol.
     * @param callback     observes messages of every member.
     * @param context      configuration.
     * @param onMemberLeft told once about each member that closed and left, with its identity.
     * @param <T>          the message type.
     * @return the pool.
     * @throws IOException if any connection could not be made (those made are closed).
     */
    public static <T> CltPool<T> connect(final List<? extends SocketAddress> remotes, final ProtocolFactory<T> protocols,
        final Callback<T> callback, final Context context, final Consumer<ConId> onMemberLeft) throws IOException
    {
        return new CltPool<>(remotes, protocols, callback, context, onMemberLeft);
    }

    /**
     * One attempt to send to the next member with room.
     *
     * @param message to send.
     * @return {@link Status#OK}, {@link Status#BACK_PRESSURED} (every member full, nothing taken) or
     * {@link Status#NOT_CONNECTED} (empty pool).
     */
    public Status send(final T message)
    {
        return pool.trySend(message);
    }

    /**
     * One pass over the members for a message (after pushing out their pending send bytes).
     *
     * @return the message, or {@code null}.
     */
    public T recv()
    {
        pool.flushAll();
        return pool.tryRecv();
    }
}
