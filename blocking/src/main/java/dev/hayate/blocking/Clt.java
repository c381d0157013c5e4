package dev.hayate.blocking;

import java.io.IOException;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;

import dev.hayate.core.Callback;
import dev.hayate.core.CloseReason;
import dev.hayate.core.ConId;
import dev.hayate.core.Connection;
import dev.hayate.core.Connector;
import dev.hayate.core.Context;
import dev.hayate.core.Deadline;
import dev.hayate.core.ProtocolFactory;
import dev.hayate.core.Status;

/**
 * A blocking client connection: the simplest face. {@link #send(Object)} returns once the whole frame is
 * written; {@link #recv()} waits until a message arrives or the connection closes. Waiting happens in the
 * kernel ({@code epoll_wait} for TCP), so an idle connection costs no CPU.
 *
 * <pre>{@code
 * try (Clt<Order> clt = Clt.connect(address, ProtocolFactory.of(OrderCodec::new), new Context()))
 * {
 *     clt.send(order);
 *     Report report = clt.recv(1, TimeUnit.SECONDS);   // null: timed out, or closed if clt.isClosed()
 * }
 * }</pre>
 *
 * <p>A per-call timeout bounds one call; a {@link Deadline} bounds a sequence of calls. An interrupted
 * call returns as if its time were up, and the thread's interrupt status is kept.
 *
 * <p>Thread-safety: one thread at a time. To send from one thread and receive on another,
 * {@link #split()} it.
 *
 * @param <T> the message type.
 */
public final class Clt<T> implements AutoCloseable
{
    /**
     * The two halves of a split connection.
     *
     * @param sender for the sending thread.
     * @param recver for the receiving thread.
     * @param <T>    the message type.
     */
    public record Halves<T>(CltSender<T> sender, CltRecver<T> recver)
    {
    }

    private final Connection<T> connection;
    private final Context context;
    private final CltSender<T> sender;
    private final CltRecver<T> recver;

    Clt(final Connection<T> connection, final Context context)
    {
        this.connection = connection;
        this.context = context;
        this.sender = new CltSender<>(connection, context);
        this.recver = new CltRecver<>(connection, context, true);
    }

    /**
     * Connects, retrying while the service refuses, up to the context's connect timeout.
     *
     * @param remote    address of the service.
     * @param protocols makes the connection's protocol.
     * @param callback  observes messages.
     * @param context   configuration.
     * @param <T>       the message type.
     * @return the connected client.
     * @throws IOException if no connection was made in time; the message says why.
     */
    public static <T> Clt<T> connect(final SocketAddress remote, final ProtocolFactory<T> protocols,
        final Callback<T> callback, final Context context) throws IOException
    {
        return new Clt<>(Connector.connect(remote, protocols, callback, context), context);
    }

    /**
     * Connects with no callback.
     *
     * @param remote    address of the service.
     * @param protocols makes the connection's protocol.
     * @param context   configuration.
     * @param <T>       the message type.
     * @return the connected client.
     * @throws IOException if no connection was made in time.
     */
    public static <T> Clt<T> connect(final SocketAddress remote, final ProtocolFactory<T> protocols,
        final Context context) throws IOException
    {
        return connect(remote, protocols, Callback.none(), context);
    }

    /**
     * Splits into a sender and a receiver for two threads. Use only the halves from then on; closing either
     * closes the connection.
     *
     * @return the halves.
     */
    public Halves<T> split()
    {
        return new Halves<>(sender, new CltRecver<>(connection, context, false));
    }

    /**
     * Sends, blocking until the whole frame is written.
     *
     * @param message to send.
     * @return {@link Status#OK} or {@link Status#CLOSED}.
     */
    public Status send(final T message)
    {
        return sender.send(message);
    }

    /**
     * Sends, blocking until taken and written or the timeout; see {@link CltSender#send(Object, long, TimeUnit)}.
     *
     * @param message to send.
     * @param timeout longest wait.
     * @param unit    of the timeout.
     * @return {@link Status#OK}, {@link Status#TIMED_OUT} (nothing sent) or {@link Status#CLOSED}.
     */
    public Status send(final T message, final long timeout, final TimeUnit unit)
    {
        return sender.send(message, timeout, unit);
    }

    /**
     * Sends, blocking until taken and written or the deadline.
     *
     * @param message  to send.
     * @param deadline shared with other operations.
     * @return as {@link #send(Object, long, TimeUnit)}.
     */
    public Status send(final T message, final Deadline deadline)
    {
        return sender.send(message, deadline);
    }

    /**
     * Writes bytes left by a timed send that ran out of time, blocking until none are left or the timeout.
     *
     * @param timeout longest wait.
     * @param unit    of the timeout.
     * @return {@link Status#OK}, {@link Status#TIMED_OUT} or {@link Status#CLOSED}.
     */
    public Status flush(final long timeout, final TimeUnit unit)
    {
        return sender.flush(timeout, unit);
    }

    /**
     * @return true while bytes of a taken frame wait to be written (only after a timed send ran out of time).
     */
    public boolean hasPendingSend()
    {
        return sender.hasPendingSend();
    }

    /**
     * Receives, blocking until a message arrives or the connection closes.
     *
     * @return the message, or {@code null} once closed (see {@link #closeReason()}).
     */
    public T recv()
    {
        return recver.recv();
    }

    /**
     * Receives, blocking until a message arrives, the timeout expires, or the connection closes.
     *
     * @param timeout longest wait.
     * @param unit    of the timeout.
     * @return the message, or {@code null} on timeout or close ({@link #isClosed()} tells which).
     */
    public T recv(final long timeout, final TimeUnit unit)
    {
        return recver.recv(timeout, unit);
    }

    /**
     * Receives, blocking until a message, the deadline, or close.
     *
     * @param deadline shared with other operations.
     * @return the message, or {@code null} on expiry or close.
     */
    public T recv(final Deadline deadline)
    {
        return recver.recv(deadline);
    }

    /**
     * @return true once closed, for any reason.
     */
    public boolean isClosed()
    {
        return connection.isClosed();
    }

    /**
     * @return why the connection closed, {@link CloseReason#NONE} while open.
     */
    public CloseReason closeReason()
    {
        return connection.closeReason();
    }

    /**
     * @return a readable explanation of the close, or {@code null} while open.
     */
    public String closeDetail()
    {
        return connection.closeDetail();
    }

    /**
     * @return this connection's identity.
     */
    public ConId id()
    {
        return connection.id();
    }

    /**
     * @return the engine underneath, for pools and poll handlers.
     */
    public Connection<T> connection()
    {
        return connection;
    }

    /**
     * Closes gracefully: waits up to the context's linger timeout for frames already taken to be written,
     * then closes; a thread blocked in a receive returns {@code null}.
     */
    @Override
    public void close()
    {
        sender.close();
    }

    @Override
    public String toString()
    {
        return connection.toString();
    }
}
