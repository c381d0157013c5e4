package dev.hayate.nonblocking;

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
 * A nonblocking, busy-spinning client connection: the lowest-latency face. Every call is driven by the
 * calling thread, which is never parked: {@link #send(Object)} and {@link #recv()} make one attempt;
 * {@link #send(Object, long, TimeUnit)} and {@link #recv(long, TimeUnit)} spin until done, the timeout, or
 * the connection closing.
 *
 * <pre>{@code
 * try (Clt<Order> clt = Clt.connect(address, ProtocolFactory.of(OrderCodec::new), new Context()))
 * {
 *     if (clt.send(order, 1, TimeUnit.SECONDS) != Status.OK) { ... }
 *     Report report = clt.recv(1, TimeUnit.SECONDS);
 *     if (report == null && clt.isClosed()) { ... peer gone: clt.closeReason() ... }
 * }
 * }</pre>
 *
 * <p>A null receive means "nothing yet" while {@link #isClosed()} is false, and "closed" once it is true;
 * the two never mix. Receives also push out send bytes still pending, so a request whose frame the socket
 * took only in part is completed while the caller waits for the reply.
 *
 * <p>Thread-safety: one thread at a time. To send from one thread and receive on another,
 * {@link #split()} it. Connection setup ({@link #connect}) is not the hot path and may wait in the kernel;
 * everything after it spins.
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
     * One attempt to send; see {@link CltSender#send(Object)}.
     *
     * @param message to send.
     * @return {@link Status#OK}, {@link Status#BACK_PRESSURED} (nothing taken) or {@link Status#CLOSED}.
     */
    public Status send(final T message)
    {
        return sender.send(message);
    }

    /**
     * Sends, spinning until taken and written or the timeout; see {@link CltSender#send(Object, long, TimeUnit)}.
     *
     * @param message to send.
     * @param timeout longest spin.
     * @param unit    of the timeout.
     * @return {@link Status#OK}, {@link Status#TIMED_OUT} (nothing sent) or {@link Status#CLOSED}.
     */
    public Status send(final T message, final long timeout, final TimeUnit unit)
    {
        return sender.send(message, timeout, unit);
    }

    /**
     * Sends, spinning until taken and written or the deadline.
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
     * One attempt to write bytes of frames already taken.
     *
     * @return {@link Status#OK} when nothing is pending, {@link Status#BACK_PRESSURED}, {@link Status#CLOSED}.
     */
    public Status flush()
    {
        return sender.flush();
    }

    /**
     * Writes pending bytes, spinning until none are left or the timeout.
     *
     * @param timeout longest spin.
     * @param unit    of the timeout.
     * @return {@link Status#OK}, {@link Status#TIMED_OUT} or {@link Status#CLOSED}.
     */
    public Status flush(final long timeout, final TimeUnit unit)
    {
        return sender.flush(timeout, unit);
    }

    /**
     * @return true while bytes of taken frames wait to be written.
     */
    public boolean hasPendingSend()
    {
        return sender.hasPendingSend();
    }

    /**
     * One attempt to receive (after one attempt to push out pending send bytes).
     *
     * @return the message, or {@code null}: nothing yet, or closed if {@link #isClosed()}.
     */
    public T recv()
    {
        return recver.recv();
    }

    /**
     * Receives, spinning until a message arrives, the timeout expires, or the connection closes.
     *
     * @param timeout longest spin.
     * @param unit    of the timeout.
     * @return the message, or {@code null} on timeout or close ({@link #isClosed()} tells which).
     */
    public T recv(final long timeout, final TimeUnit unit)
    {
        return recver.recv(timeout, unit);
    }

    /**
     * Receives, spinning until a message, the deadline, or close.
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
     * Closes gracefully: spins up to the context's linger timeout writing frames already taken, then
     * closes the connection and returns its buffers to the pool.
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
