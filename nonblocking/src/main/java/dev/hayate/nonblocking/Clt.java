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
import org.agrona.concurrent.NanoClock;

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
 * the two never mix. Receives also push out any send bytes still pending, so a request whose frame the
 * socket took only in part is completed while the caller waits for the reply.
 *
 * <p>Thread-safety: one thread at a time. Connection setup ({@link #connect}) is not the hot path and may
 * wait in the kernel; everything after it spins.
 *
 * @param <T> the message type.
 */
public final class Clt<T> implements AutoCloseable
{
    private final Connection<T> connection;
    private final NanoClock clock;

    Clt(final Connection<T> connection, final Context context)
    {
        this.connection = connection;
        this.clock = context.nanoClock();
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
     * One attempt to send.
     *
     * @param message to send; encoded during the call.
     * @return {@link Status#OK} when the frame was taken (bytes the socket did not take now go out on the
     * next call), {@link Status#BACK_PRESSURED} when earlier bytes still fill the send buffer (nothing
     * taken: retry), {@link Status#CLOSED}.
     */
    public Status send(final T message)
    {
        return connection.trySend(message);
    }

    /**
     * Sends, spinning until the whole frame is written to the transport or the timeout expires.
     *
     * @param message to send.
     * @param timeout longest spin.
     * @param unit    of the timeout.
     * @return {@link Status#OK} once the frame is taken and written — or taken and still partly unwritten at
     * the deadline, in which case {@link #hasPendingSend()} is true and the rest goes out on later calls
     * (a taken frame is never dropped, so never retry after OK); {@link Status#TIMED_OUT} if the frame
     * could not be taken in time (nothing was sent: safe to retry); {@link Status#CLOSED}.
     */
    public Status send(final T message, final long timeout, final TimeUnit unit)
    {
        return sendUntil(message, clock.nanoTime() + unit.toNanos(timeout));
    }

    /**
     * Sends, spinning until written or the deadline.
     *
     * @param message  to send.
     * @param deadline shared with other operations.
     * @return as {@link #send(Object, long, TimeUnit)}.
     */
    public Status send(final T message, final Deadline deadline)
    {
        return sendUntil(message, deadline.deadlineNanos());
    }

    private Status sendUntil(final T message, final long deadlineNanos)
    {
        Status status;
        while ((status = connection.trySend(message)) == Status.BACK_PRESSURED)
        {
            if (deadlineNanos - clock.nanoTime() <= 0)
            {
                return Status.TIMED_OUT;
            }
            Thread.onSpinWait();
        }
        if (status != Status.OK)
        {
            return status;
        }
        final Status flushed = flushUntil(deadlineNanos);
        return flushed == Status.CLOSED ? Status.CLOSED : Status.OK;
    }

    /**
     * One attempt to write bytes of frames already taken.
     *
     * @return {@link Status#OK} when nothing is pending, {@link Status#BACK_PRESSURED}, {@link Status#CLOSED}.
     */
    public Status flush()
    {
        return connection.flush();
    }

    /**
     * Writes pending bytes, spinning until none are left or the timeout expires.
     *
     * @param timeout longest spin.
     * @param unit    of the timeout.
     * @return {@link Status#OK}, {@link Status#TIMED_OUT} or {@link Status#CLOSED}.
     */
    public Status flush(final long timeout, final TimeUnit unit)
    {
        return flushUntil(clock.nanoTime() + unit.toNanos(timeout));
    }

    private Status flushUntil(final long deadlineNanos)
    {
        Status status;
        while ((status = connection.flush()) == Status.BACK_PRESSURED)
        {
            if (deadlineNanos - clock.nanoTime() <= 0)
            {
                return Status.TIMED_OUT;
            }
            Thread.onSpinWait();
        }
        return status;
    }

    /**
     * @return true while bytes of taken frames wait to be written.
     */
    public boolean hasPendingSend()
    {
        return connection.hasPendingSend();
    }

    /**
     * One attempt to receive (after one attempt to push out pending send bytes).
     *
     * @return the message, or {@code null}: nothing yet, or closed if {@link #isClosed()}.
     */
    public T recv()
    {
        if (connection.hasPendingSend())
        {
            connection.flush();
        }
        return connection.tryRecv();
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
        return recvUntil(clock.nanoTime() + unit.toNanos(timeout));
    }

    /**
     * Receives, spinning until a message, the deadline, or close.
     *
     * @param deadline shared with other operations.
     * @return the message, or {@code null} on expiry or close.
     */
    public T recv(final Deadline deadline)
    {
        return recvUntil(deadline.deadlineNanos());
    }

    private T recvUntil(final long deadlineNanos)
    {
        while (true)
        {
            final T message = recv();
            if (message != null || connection.isClosed())
            {
                return message;
            }
            if (deadlineNanos - clock.nanoTime() <= 0)
            {
                return null;
            }
            Thread.onSpinWait();
        }
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
     * Closes the connection and returns its buffers to the pool.
     */
    @Override
    public void close()
    {
        connection.close();
    }

    @Override
    public String toString()
    {
        return connection.toString();
    }
}
