package dev.hayate.nonblocking;

import java.io.IOException;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.hayate.core.Acceptor;
import dev.hayate.core.BusySpinWait;
import dev.hayate.core.Callback;
import dev.hayate.core.Connection;
import dev.hayate.core.Context;
import dev.hayate.core.ProtocolFactory;
import dev.hayate.core.Status;
import dev.hayate.core.internal.ClientLink;
import dev.hayate.core.internal.PooledService;

/**
 * A nonblocking service: binds, and accepts connections one attempt at a time, each becoming a
 * {@link Clt} of its own. The connection gate ({@link Context#maxConnections(int)}) closes connections
 * beyond it at once and counts them in {@link #refusedConnections()}.
 *
 * <pre>{@code
 * try (Svc<Order> svc = Svc.bind(new InetSocketAddress("127.0.0.1", 0), ProtocolFactory.of(OrderCodec::new), ctx))
 * {
 *     while (running)
 *     {
 *         svc.accept();                       // one attempt; new clients join svc.clients()
 *         for (Clt<Order> clt : svc.clients())
 *         {
 *             Order order = clt.recv();
 *             if (order != null) clt.send(reply(order));
 *         }
 *     }
 * }
 * }</pre>
 *
 * <p>Thread-safety: {@link #accept()} and {@link #clients()} from one thread (the service's duty-cycle
 * thread); each accepted {@link Clt} then follows its own rules. Counters and {@link #close()} are safe
 * from any thread.
 *
 * @param <T> the message type.
 */
public final class Svc<T> extends PooledService<T>
{
    private final List<Clt<T>> clients = new ArrayList<>();
    private final List<Clt<T>> clientsView = Collections.unmodifiableList(clients);

    private Svc(final Acceptor<T> acceptor, final Context context)
    {
        super(acceptor, context, BusySpinWait.INSTANCE);
    }

    /**
     * Binds a service.
     *
     * @param local     address; port 0 picks a free port (see {@link #localAddress()}).
     * @param protocols makes each connection's protocol.
     * @param callback  observes messages of every connection.
     * @param context   configuration, including the connection gate.
     * @param <T>       the message type.
     * @return the bound service.
     * @throws IOException if the address cannot be bound.
     */
    public static <T> Svc<T> bind(final SocketAddress local, final ProtocolFactory<T> protocols,
        final Callback<T> callback, final Context context) throws IOException
    {
        return new Svc<>(new Acceptor<>(local, protocols, callback, context), context);
    }

    /**
     * Binds a service with no callback.
     *
     * @param local     address; port 0 picks a free port.
     * @param protocols makes each connection's protocol.
     * @param context   configuration.
     * @param <T>       the message type.
     * @return the bound service.
     * @throws IOException if the address cannot be bound.
     */
    public static <T> Svc<T> bind(final SocketAddress local, final ProtocolFactory<T> protocols,
        final Context context) throws IOException
    {
        return bind(local, protocols, Callback.none(), context);
    }

    /**
     * One attempt to accept.
     *
     * @return the new client connection, or {@code null} if none was pending, it was refused, or the service
     * is closed.
     * @throws IOException if the listener failed.
     */
    public Clt<T> accept() throws IOException
    {
        return adopt(tryAcceptConnection());
    }

    /**
     * Accepts, spinning until a connection is admitted, the timeout, or close.
     *
     * @param timeout longest spin.
     * @param unit    of the timeout.
     * @return the new client connection, or {@code null} on timeout or close.
     * @throws IOException if the listener failed.
     */
    public Clt<T> accept(final long timeout, final TimeUnit unit) throws IOException
    {
        return adopt(acceptUntil(acceptDeadlineAfter(timeout, unit), true));
    }

    private Clt<T> adopt(final Connection<T> connection)
    {
        if (connection == null)
        {
            return null;
        }
        final Clt<T> clt = new Clt<>(new ClientLink<>(connection, null, context, BusySpinWait.INSTANCE));
        clients.add(clt);
        return clt;
    }

    /**
     * @return live accepted clients; closed ones are dropped on each call. A read-only view of the service's
     * own list: iterate it on the service's thread, and copy it to keep it past the next call.
     */
    public List<Clt<T>> clients()
    {
        clients.removeIf(Clt::isClosed);
        return clientsView;
    }

    /**
     * One attempt to send to the next accepted connection in turn (round-robin).
     *
     * @param message to send.
     * @return {@link Status#OK}, {@link Status#BACK_PRESSURED} (every connection full) or
     * {@link Status#NOT_CONNECTED} (none accepted and live).
     */
    public Status send(final T message)
    {
        return pool.trySend(message);
    }
}
