package dev.hayate.nonblocking;

import java.io.IOException;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;

import dev.hayate.core.Callback;
import dev.hayate.core.Connection;
import dev.hayate.core.Connector;
import dev.hayate.core.Context;
import dev.hayate.core.Deadline;
import dev.hayate.core.LinkedClient;
import dev.hayate.core.ProtocolFactory;
import dev.hayate.core.ReconnectPolicy;
import dev.hayate.core.Reconnector;
import dev.hayate.core.Status;
import dev.hayate.core.WaitStrategy;

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
public final class Clt<T> extends LinkedClient<T>
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

    Clt(final Connection<T> connection, final Reconnector<T> reconnector, final Context context)
    {
        super(connection, reconnector, context, WaitStrategy.SPIN);
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
        return new Clt<>(Connector.connect(remote, protocols, callback, context), null, context);
    }

    /**
     * Connects, and keeps reconnecting whenever the connection is lost (but not after {@link #close()}),
     * following {@code policy}. The loss is noticed by this client's own sends and receives (or the
     * protocol's liveness rule while receiving), as on any socket. While reconnecting, one-attempt calls
     * answer {@link Status#NOT_CONNECTED} and timed calls wait for the new connection within their own
     * timeout. Frames taken by a connection that died are not resent: replaying them is the session
     * protocol's job.
     *
     * @param remote    address of the service.
     * @param protocols makes each connection's protocol (keep session state that must survive a reconnect
     *                  outside the protocol instance).
     * @param callback  observes messages.
     * @param context   configuration.
     * @param policy    when to retry.
     * @param listener  told of each connect, disconnect, and giving up (on the reconnect thread).
     * @param <T>       the message type.
     * @return the connected client.
     * @throws IOException if the first connection could not be made within the connect timeout.
     */
    public static <T> Clt<T> connect(final SocketAddress remote, final ProtocolFactory<T> protocols,
        final Callback<T> callback, final Context context, final ReconnectPolicy policy,
        final Reconnector.Listener<T> listener) throws IOException
    {
        final Reconnector<T> reconnector = new Reconnector<>(remote, protocols, callback, context, policy, listener);
        return new Clt<>(reconnector.start(), reconnector, context);
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
        if (link.reconnects())
        {
            throw new IllegalStateException("a reconnecting Clt cannot be split: its connection changes under the halves");
        }
        final Connection<T> connection = link.connection();
        return new Halves<>(new CltSender<>(connection, context), new CltRecver<>(connection, context, false));
    }

    /**
     * One attempt to send; see {@link CltSender#send(Object)}.
     *
     * @param message to send.
     * @return {@link Status#OK}, {@link Status#BACK_PRESSURED} (nothing taken) or {@link Status#CLOSED}.
     */
    public Status send(final T message)
    {
        return link.trySend(message);
    }

    /**
     * One attempt to take a message without writing it; see {@link CltSender#offer(Object)}. Offer a batch,
     * then {@link #flush()}.
     *
     * @param message to send.
     * @return {@link Status#OK}, {@link Status#BACK_PRESSURED} (nothing taken) or {@link Status#CLOSED}.
     */
    public Status offer(final T message)
    {
        return link.offer(message);
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
        return link.sendUntil(message, link.deadlineAfter(timeout, unit));
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
        return link.sendUntil(message, deadline.deadlineNanos());
    }

    /**
     * One attempt to write bytes of frames already taken.
     *
     * @return {@link Status#OK} when nothing is pending, {@link Status#BACK_PRESSURED}, {@link Status#CLOSED}.
     */
    public Status flush()
    {
        return link.flush();
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
        return link.flushUntil(link.deadlineAfter(timeout, unit));
    }

    /**
     * One attempt to receive (after one attempt to push out pending send bytes).
     *
     * @return the message, or {@code null}: nothing yet, or closed if {@link #isClosed()}.
     */
    public T recv()
    {
        return link.tryRecv();
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
        return link.recvUntil(link.deadlineAfter(timeout, unit));
    }

}
