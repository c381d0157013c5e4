package dev.hayate.core.internal;

import java.io.IOException;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;

import dev.hayate.core.Callback;
import dev.hayate.core.Connection;
import dev.hayate.core.Context;
import dev.hayate.core.MessageHandler;
import dev.hayate.core.ProtocolFactory;
import dev.hayate.core.Readiness;
import dev.hayate.core.ReconnectPolicy;
import dev.hayate.core.Reconnector;
import dev.hayate.core.Status;
import dev.hayate.core.WaitStrategy;
import org.agrona.concurrent.NanoClock;

/**
 * A client's connection as the waiting faces (nonblocking, blocking) use it: fixed, or kept alive by a
 * {@link Reconnector}. With a reconnector, a send or receive that finds the connection gone waits for the
 * next one within its own deadline; one attempt answers {@link Status#NOT_CONNECTED} meanwhile.
 *
 * <p>Messages taken by a connection that then died are not resent: that is the session protocol's job
 * (sequence numbers and replay, see the order-entry example).
 *
 * <p>Thread-safety: one thread, the client's owner.
 *
 * @param <T> the message type.
 */
public final class ClientLink<T>
{
    private static final long MAX_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final Reconnector<T> reconnector;
    private final Readiness reconnected;
    private final Context context;
    private final WaitStrategy wait;
    private final NanoClock clock;
    private Connection<T> connection;
    private SendHalf<T> sender;
    private RecvHalf<T> receiver;

    /**
     * @param connection  the first connection.
     * @param reconnector keeps it alive, or {@code null} for a fixed connection.
     * @param context     configuration.
     * @param wait        how to wait.
     */
    public ClientLink(final Connection<T> connection, final Reconnector<T> reconnector, final Context context,
        final WaitStrategy wait)
    {
        this.reconnector = reconnector;
        this.context = context;
        this.wait = wait;
        this.clock = context.nanoClock();
        this.reconnected = reconnector == null ? null : (forWrite, timeoutNanos) -> reconnector.awaitConnected(timeoutNanos);
        bind(connection);
    }

    /**
     * Connects, retrying while the service refuses, up to the context's connect timeout.
     *
     * @param remote    address of the service.
     * @param protocols makes the connection's protocol.
     * @param callback  observes messages.
     * @param context   configuration.
     * @param wait      how the client waits; a stateful policy serves this client only.
     * @param <T>       the message type.
     * @return the link over a live connection.
     * @throws IOException if no connection was made in time; the message says why.
     */
    public static <T> ClientLink<T> connect(final SocketAddress remote, final ProtocolFactory<T> protocols,
        final Callback<T> callback, final Context context, final WaitStrategy wait) throws IOException
    {
        return new ClientLink<>(Connector.connect(remote, protocols, callback, context), null, context, wait);
    }

    /**
     * Connects, and keeps reconnecting following {@code policy} whenever the connection is lost, until
     * {@link #close()}.
     *
     * @param remote    address of the service.
     * @param protocols makes each connection's protocol.
     * @param callback  observes messages.
     * @param context   configuration.
     * @param policy    when to retry.
     * @param listener  told of each connect, disconnect, and giving up (on the reconnect thread).
     * @param wait      how the client waits; a stateful policy serves this client only.
     * @param <T>       the message type.
     * @return the link over the first live connection.
     * @throws IOException if the first connection could not be made within the connect timeout.
     */
    public static <T> ClientLink<T> reconnecting(final SocketAddress remote, final ProtocolFactory<T> protocols,
        final Callback<T> callback, final Context context, final ReconnectPolicy policy,
        final Reconnector.Listener<T> listener, final WaitStrategy wait) throws IOException
    {
        final Reconnector<T> reconnector = new Reconnector<>(remote, protocols, callback, context, policy, listener);
        return new ClientLink<>(reconnector.start(), reconnector, context, wait);
    }

    private void bind(final Connection<T> live)
    {
        connection = live;
        sender = new SendHalf<>(live, context, wait);
        receiver = new RecvHalf<>(live, context, wait, true);
    }

    /**
     * @return true if the bound connection is live, after picking up a reconnection if one happened.
     */
    private boolean refresh()
    {
        if (!connection.isClosed())
        {
            return true;
        }
        if (reconnector != null)
        {
            final Connection<T> next = reconnector.current();
            if (next != null && next != connection)
            {
                bind(next);
                return !next.isClosed();
            }
        }
        return false;
    }

    private boolean awaitReconnect(final long deadlineNanos)
    {
        if (reconnector == null)
        {
            return false;
        }
        wait.reset();
        Connection<T> next;
        while ((next = reconnector.current()) == null && !reconnector.isFinished())
        {
            if (!wait.await(reconnected, false, clock, deadlineNanos, MAX_WAIT_NANOS))
            {
                next = reconnector.current();
                break;
            }
        }
        if (next == null)
        {
            return false;
        }
        if (next != connection)
        {
            bind(next);
        }
        return true;
    }

    /**
     * @param message to send.
     * @return as {@link Connection#trySend}, or {@link Status#NOT_CONNECTED} while reconnecting.
     */
    public Status trySend(final T message)
    {
        if (!refresh() && reconnector != null && !reconnector.isFinished())
        {
            return Status.NOT_CONNECTED;
        }
        return sender.trySend(message);
    }

    /**
     * @param message to take without writing it.
     * @return as {@link Connection#offer}, or {@link Status#NOT_CONNECTED} while reconnecting.
     */
    public Status offer(final T message)
    {
        if (!refresh() && reconnector != null && !reconnector.isFinished())
        {
            return Status.NOT_CONNECTED;
        }
        return sender.offer(message);
    }

    /**
     * @param source next message, or {@code null} to end the batch.
     * @param limit  most messages taken.
     * @return as {@link Connection#offer(java.util.function.Supplier, int)}; 0 while reconnecting.
     */
    public int offer(final java.util.function.Supplier<? extends T> source, final int limit)
    {
        refresh();
        return sender.offer(source, limit);
    }

    /**
     * @param message       to send.
     * @param deadlineNanos on the context clock, or {@link WaitStrategy#FOREVER}.
     * @return as {@link SendHalf#sendUntil}; {@link Status#NOT_CONNECTED} if no connection came back in time.
     */
    public Status sendUntil(final T message, final long deadlineNanos)
    {
        while (true)
        {
            refresh();
            final Status status = sender.sendUntil(message, deadlineNanos);
            if (status != Status.CLOSED || reconnector == null || reconnector.isFinished())
            {
                return status;
            }
            if (!awaitReconnect(deadlineNanos))
            {
                return reconnector.isFinished() ? Status.CLOSED : Status.NOT_CONNECTED;
            }
        }
    }

    /**
     * @return as {@link SendHalf#flush()}.
     */
    public Status flush()
    {
        refresh();
        return sender.flush();
    }

    /**
     * @param deadlineNanos on the context clock.
     * @return as {@link SendHalf#flushUntil}.
     */
    public Status flushUntil(final long deadlineNanos)
    {
        refresh();
        return sender.flushUntil(deadlineNanos);
    }

    /**
     * @return true while bytes of taken frames wait to be written.
     */
    public boolean hasPendingSend()
    {
        return sender.hasPendingSend();
    }

    /**
     * @return a message, or {@code null}: nothing yet, reconnecting, or closed.
     */
    public T tryRecv()
    {
        refresh();
        return receiver.tryRecv();
    }

    /**
     * @param handler called once per message on this thread.
     * @param limit   most messages delivered.
     * @return messages delivered; 0 for none yet, reconnecting, or closed.
     */
    public int poll(final MessageHandler<? super T> handler, final int limit)
    {
        refresh();
        return receiver.poll(handler, limit);
    }

    /**
     * @param deadlineNanos on the context clock, or {@link WaitStrategy#FOREVER}.
     * @return a message, or {@code null} at the deadline or once finally closed.
     */
    public T recvUntil(final long deadlineNanos)
    {
        while (true)
        {
            refresh();
            final T message = receiver.recvUntil(deadlineNanos);
            if (message != null || !connection.isClosed() || reconnector == null || reconnector.isFinished())
            {
                return message;
            }
            if (!awaitReconnect(deadlineNanos))
            {
                return null;
            }
        }
    }

    /**
     * @return the connection bound now (the live one, or the last one while reconnecting).
     */
    public Connection<T> connection()
    {
        refresh();
        return connection;
    }

    /**
     * @return true once finally closed: the connection closed and no reconnect will follow.
     */
    public boolean isClosed()
    {
        if (reconnector == null)
        {
            return connection.isClosed();
        }
        return !refresh() && reconnector.isFinished();
    }

    /**
     * @return true while a live connection is bound.
     */
    public boolean isConnected()
    {
        return refresh();
    }

    /**
     * @return true if a reconnector keeps this link alive.
     */
    public boolean reconnects()
    {
        return reconnector != null;
    }

    /**
     * @return the connection, for splitting into a sender and a receiver half.
     * @throws IllegalStateException if a reconnector keeps this link alive: the connection would change
     *                               under the halves.
     */
    public Connection<T> connectionToSplit()
    {
        if (reconnector != null)
        {
            throw new IllegalStateException("a reconnecting Clt cannot be split: its connection changes under the halves");
        }
        return connection;
    }

    /**
     * @return the configuration the link was made with.
     */
    public Context context()
    {
        return context;
    }

    /**
     * @return how this link waits.
     */
    public WaitStrategy waitStrategy()
    {
        return wait;
    }

    /**
     * Closes gracefully (the protocol's last message, pending bytes within the linger timeout) and stops
     * reconnecting.
     */
    public void close()
    {
        refresh();
        sender.closeGracefully();
        if (reconnector != null)
        {
            reconnector.close();
        }
    }

    /**
     * @param timeout from now.
     * @param unit    of the timeout.
     * @return the deadline on the context clock.
     */
    public long deadlineAfter(final long timeout, final TimeUnit unit)
    {
        return clock.nanoTime() + unit.toNanos(timeout);
    }
}
