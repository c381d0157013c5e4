package dev.hayate.blocking;

import java.io.IOException;
import java.net.SocketAddress;
import java.util.List;
import java.util.function.Consumer;

import dev.hayate.core.Callback;
import dev.hayate.core.ConId;
import dev.hayate.core.Context;
import dev.hayate.core.KernelWait;
import dev.hayate.core.ProtocolFactory;
import dev.hayate.core.Status;
import dev.hayate.core.WaitStrategy;
import dev.hayate.core.internal.WaitingPool;

/**
 * A round-robin pool of client connections that waits in the kernel ({@link WaitingPool}): sends go to the
 * next live member, receives come from whichever member has a message. {@link #send(Object)} and
 * {@link #recv()} wait as long as the pool has members.
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
        super(remotes, protocols, callback, context, onMemberLeft, KernelWait.INSTANCE);
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
     * Sends to the next member with room, waiting as long as every member is full.
     *
     * @param message to send.
     * @return {@link Status#OK} or {@link Status#NOT_CONNECTED}.
     */
    public Status send(final T message)
    {
        return pool.sendUntil(message, WaitStrategy.FOREVER);
    }

    /**
     * Receives from whichever member has a message, waiting as long as the pool has members.
     *
     * @return the message, or {@code null} once the pool is empty.
     */
    public T recv()
    {
        return pool.recvUntil(WaitStrategy.FOREVER);
    }
}
