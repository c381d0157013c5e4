package dev.hayate.nonblocking;

import java.io.IOException;
import java.net.SocketAddress;

import dev.hayate.core.BusySpinWait;
import dev.hayate.core.Callback;
import dev.hayate.core.Connection;
import dev.hayate.core.Context;
import dev.hayate.core.ProtocolFactory;
import dev.hayate.core.ReconnectPolicy;
import dev.hayate.core.Reconnector;
import dev.hayate.core.Status;
import dev.hayate.core.internal.ClientLink;
import dev.hayate.core.internal.WaitingClt;

/**
 * A nonblocking, busy-spinning client connection: the lowest-latency face. Every call is driven by the
 * calling thread, which is never parked ({@link BusySpinWait}): {@link #send(Object)} and {@link #recv()}
 * make one attempt; the timed sends and receives ({@link WaitingClt}) spin until done, the timeout, or the
 * connection closing.
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
 * the two never mix. Receives also push out send bytes still pending.
 *
 * <p>Thread-safety: one thread at a time. To send from one thread and receive on another,
 * {@link #split()} it. Connection setup ({@link #connect}) is not the hot path and may wait in the kernel;
 * everything after it spins.
 *
 * @param <T> the message type.
 */
public final class Clt<T> extends WaitingClt<T>
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

    Clt(final ClientLink<T> link)
    {
        super(link);
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
        return new Clt<>(ClientLink.connect(remote, protocols, callback, context, BusySpinWait.INSTANCE));
    }

    /**
     * Connects, and keeps reconnecting whenever the connection is lost (but not after {@link #close()}),
     * following {@code policy}; see {@link ClientLink#reconnecting}. While reconnecting, one-attempt calls
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
        return new Clt<>(ClientLink.reconnecting(remote, protocols, callback, context, policy, listener,
            BusySpinWait.INSTANCE));
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
     * @throws IllegalStateException if this client reconnects.
     */
    public Halves<T> split()
    {
        final Connection<T> connection = link.connectionToSplit();
        return new Halves<>(new CltSender<>(connection, context, link.waitStrategy().copy()),
            new CltRecver<>(connection, context, link.waitStrategy().copy()));
    }

    /**
     * One attempt to send.
     *
     * @param message to send; encoded during the call.
     * @return {@link Status#OK} when the frame was taken (bytes the socket did not take now go out on the
     * next call), {@link Status#BACK_PRESSURED} when earlier bytes still fill the send buffer (nothing
     * taken: retry), {@link Status#NOT_CONNECTED} while reconnecting, {@link Status#CLOSED}.
     */
    public Status send(final T message)
    {
        return link.trySend(message);
    }

    /**
     * One attempt to take a message into the send buffer without writing it (unless the buffer is full):
     * offer a batch, then {@link #flush()} once, and many frames leave in one system call. For throughput;
     * {@link #send(Object)} is for latency.
     *
     * @param message to send; encoded during the call.
     * @return {@link Status#OK} when taken, {@link Status#BACK_PRESSURED} (nothing taken: flush and retry),
     * {@link Status#NOT_CONNECTED} while reconnecting, {@link Status#CLOSED}.
     */
    public Status offer(final T message)
    {
        return link.offer(message);
    }

    /**
     * One attempt to take a batch of messages without writing them (unless the buffer fills): the source is
     * asked for each next message only when there is room, and the send half is entered once for the batch.
     * Follow with {@link #flush()}. For streaming many small messages; see {@link #poll} on the receiving side.
     *
     * <pre>{@code
     * int taken = clt.offer(() -> quotes.hasNext() ? quotes.encodeNext(flyweight) : null, 256);
     * clt.flush();
     * }</pre>
     *
     * @param source the next message (encoded before the next is asked for, so a flyweight may be reused), or
     *               {@code null} to end the batch.
     * @param limit  most messages taken by this call.
     * @return messages taken: fewer than {@code limit} when the source ended, under back pressure (flush, then
     * offer again), while reconnecting, or once closed ({@link #isClosed()}).
     */
    public int offer(final java.util.function.Supplier<? extends T> source, final int limit)
    {
        return link.offer(source, limit);
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
     * One attempt to receive (after one attempt to push out pending send bytes).
     *
     * @return the message, or {@code null}: nothing yet, or closed if {@link #isClosed()}. For a flyweight
     * codec the message is valid until the next receive.
     */
    public T recv()
    {
        return link.tryRecv();
    }
}
