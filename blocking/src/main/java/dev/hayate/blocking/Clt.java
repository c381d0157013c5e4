package dev.hayate.blocking;

import java.io.IOException;
import java.net.SocketAddress;

import dev.hayate.core.Callback;
import dev.hayate.core.Connection;
import dev.hayate.core.Context;
import dev.hayate.core.Deadline;
import dev.hayate.core.KernelWait;
import dev.hayate.core.ProtocolFactory;
import dev.hayate.core.ReconnectPolicy;
import dev.hayate.core.Reconnector;
import dev.hayate.core.Status;
import dev.hayate.core.WaitStrategy;
import dev.hayate.core.internal.ClientLink;
import dev.hayate.core.internal.WaitingClt;

/**
 * A blocking client connection: the simplest face. {@link #send(Object)} returns once the whole frame is
 * written; {@link #recv()} waits until a message arrives or the connection closes. Waiting happens in the
 * kernel ({@link KernelWait}: {@code epoll_wait} for TCP), so an idle connection costs no CPU, unless the
 * client was connected with a {@link WaitStrategy} of its own.
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
        return new Clt<>(ClientLink.connect(remote, protocols, callback, context, KernelWait.INSTANCE));
    }

    /**
     * Connects a client with the blocking face's calls that waits its own way instead of in the kernel: for
     * example a {@link dev.hayate.core.BackoffWait} (spin, yield, then park) for a latency-sensitive thread
     * that must not burn a core when idle, or any agrona {@code IdleStrategy} through
     * {@link dev.hayate.core.IdleStrategyWait}. The halves of {@link #split()} get {@link WaitStrategy#copy()}s.
     *
     * @param remote    address of the service.
     * @param protocols makes the connection's protocol.
     * @param callback  observes messages.
     * @param context   configuration.
     * @param wait      how every call waits; a stateful policy serves this client only.
     * @param <T>       the message type.
     * @return the connected client.
     * @throws IOException if no connection was made in time; the message says why.
     */
    public static <T> Clt<T> connect(final SocketAddress remote, final ProtocolFactory<T> protocols,
        final Callback<T> callback, final Context context, final WaitStrategy wait) throws IOException
    {
        return new Clt<>(ClientLink.connect(remote, protocols, callback, context, wait));
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
     * Connects, and keeps reconnecting whenever the connection is lost (but not after {@link #close()}),
     * following {@code policy}; see {@link ClientLink#reconnecting}. While reconnecting, timed calls wait for
     * the new connection within their own timeout. Frames taken by a connection that died are not resent:
     * replaying them is the session protocol's job.
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
            KernelWait.INSTANCE));
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
     * Sends, blocking until the whole frame is written.
     *
     * @param message to send; encoded during the call.
     * @return {@link Status#OK} or {@link Status#CLOSED}.
     */
    public Status send(final T message)
    {
        return link.sendUntil(message, WaitStrategy.FOREVER);
    }

    /**
     * Receives, blocking until a message arrives or the connection closes.
     *
     * @return the message, or {@code null} once closed (see {@link #closeReason()}). For a flyweight codec
     * the message is valid until the next receive.
     */
    public T recv()
    {
        return link.recvUntil(WaitStrategy.FOREVER);
    }
}
