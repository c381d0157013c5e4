package dev.hayate.nonblocking;

import java.io.IOException;
import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.hayate.core.Callback;
import dev.hayate.core.ConId;
import dev.hayate.core.Connection;
import dev.hayate.core.ConnectionPool;
import dev.hayate.core.Connector;
import dev.hayate.core.Context;
import dev.hayate.core.ProtocolFactory;
import dev.hayate.core.Status;
import dev.hayate.core.WaitStrategy;
import org.agrona.concurrent.NanoClock;

/**
 * A round-robin pool of client connections that busy-spins: sends go to the next live member, receives come from
 * whichever member has a message. A member that closes leaves the pool and is reported once; an empty pool
 * answers {@link Status#NOT_CONNECTED} (sends) or {@code null} (receives) at once instead of hanging.
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
public final class CltPool<T> implements AutoCloseable
{
    private final ConnectionPool<T> pool;
    private final NanoClock clock;

    private CltPool(final ConnectionPool<T> pool, final Context context)
    {
        this.pool = pool;
        this.clock = context.nanoClock();
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
        final ConnectionPool<T> pool = new ConnectionPool<>(member -> onMemberLeft.accept(member.id()));
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
        return new CltPool<>(pool, context);
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
     * Sends to the next member with room, waiting for room up to the timeout.
     *
     * @param message to send.
     * @param timeout longest wait.
     * @param unit    of the timeout.
     * @return {@link Status#OK}, {@link Status#TIMED_OUT} (nothing sent) or {@link Status#NOT_CONNECTED}.
     */
    public Status send(final T message, final long timeout, final TimeUnit unit)
    {
        return pool.sendUntil(message, clock.nanoTime() + unit.toNanos(timeout), WaitStrategy.SPIN, clock);
    }

    /**
     * One pass over the members for a message.
     *
     * @return the message, or {@code null}.
     */
    public T recv()
    {
        pool.flushAll();
        return pool.tryRecv();
    }

    /**
     * Receives from whichever member has a message, waiting up to the timeout.
     *
     * @param timeout longest wait.
     * @param unit    of the timeout.
     * @return the message, or {@code null} on timeout or when the pool is empty.
     */
    public T recv(final long timeout, final TimeUnit unit)
    {
        return pool.recvUntil(clock.nanoTime() + unit.toNanos(timeout), WaitStrategy.SPIN, clock);
    }

    /**
     * @return the identity of the member that delivered the last message, or {@code null}.
     */
    public ConId lastRecvFrom()
    {
        final Connection<T> from = pool.lastReceivedFrom();
        return from == null ? null : from.id();
    }

    /**
     * @return live members.
     */
    public int size()
    {
        return pool.size();
    }

    /**
     * Closes every member.
     */
    @Override
    public void close()
    {
        pool.close();
    }
}
