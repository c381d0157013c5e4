package dev.hayate.blocking;

import java.io.IOException;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.hayate.core.Acceptor;
import dev.hayate.core.Callback;
import dev.hayate.core.Connection;
import dev.hayate.core.Context;
import dev.hayate.core.PooledService;
import dev.hayate.core.ProtocolFactory;
import dev.hayate.core.Status;
import dev.hayate.core.WaitStrategy;

/**
 * A blocking service. Either accept connections yourself ({@link #accept()} blocks until one is admitted
 * through the connection gate), or let the service run a handler per connection ({@link #serve}).
 *
 * <pre>{@code
 * Svc<Order> svc = Svc.bind(new InetSocketAddress("127.0.0.1", 7000), ProtocolFactory.of(OrderCodec::new), ctx);
 * svc.serve(clt -> {
 *     Order order;
 *     while ((order = clt.recv()) != null) clt.send(fill(order));
 * });
 * }</pre>
 *
 * <p>{@link #serve} runs one thread per connection. Blocking receives park their thread in the kernel
 * for as long as the peer is quiet, so a fixed pool smaller than the number of connections would let
 * quiet connections starve busy ones; the connection gate ({@link Context#maxConnections(int)}) bounds
 * the number of threads instead. For thousands of mostly idle connections use the async flavour, which
 * serves many connections from few threads.
 *
 * <p>Thread-safety: {@link #accept()} from one thread at a time; counters and {@link #close()} from any
 * thread. Each accepted {@link Clt} follows its own rules.
 *
 * @param <T> the message type.
 */
public final class Svc<T> extends PooledService<T>
{
    /**
     * Serves one connection on its own thread; the connection is closed when the handler returns.
     *
     * @param <T> the message type.
     */
    @FunctionalInterface
    public interface Handler<T>
    {
        /**
         * @param clt the accepted connection.
         * @throws Exception to close the connection; the error goes to the context's error handler.
         */
        void handle(Clt<T> clt) throws Exception;
    }

    private static final long ACCEPT_WAKE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long HANDSHAKE_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private final List<Thread> threads = new ArrayList<>();
    private final AtomicInteger threadCounter = new AtomicInteger();
    private volatile boolean closed;

    private Svc(final Acceptor<T> acceptor, final Context context)
    {
        super(acceptor, context, WaitStrategy.KERNEL);
    }

    /**
     * Binds a service.
     *
     * @param local     address; port 0 picks a free port (see {@link #localAddress()}).
     * @param protocols makes each connection's protocol.
     * @param callback  observes messages of every connection; must be thread-safe under {@link #serve}.
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
     * Blocks until a connection is admitted through the gate (refused ones are counted and skipped).
     *
     * @return the connection, or {@code null} if the service was closed or the thread interrupted.
     * @throws IOException if the listener failed.
     */
    public Clt<T> accept() throws IOException
    {
        return acceptUntil(Long.MAX_VALUE, true);
    }

    /**
     * Blocks at most {@code timeout} for a connection.
     *
     * @param timeout longest wait.
     * @param unit    of the timeout.
     * @return the connection, or {@code null} on timeout, close or interrupt.
     * @throws IOException if the listener failed.
     */
    public Clt<T> accept(final long timeout, final TimeUnit unit) throws IOException
    {
        return acceptUntil(System.nanoTime() + unit.toNanos(timeout), true);
    }

    private Clt<T> acceptUntil(final long deadlineNanos, final boolean pooled) throws IOException
    {
        while (!closed && !Thread.currentThread().isInterrupted())
        {
            final Connection<T> connection;
            try
            {
                connection = acceptor.tryAccept();
            }
            catch (final IOException ex)
            {
                if (closed)
                {
                    return null;
                }
                throw ex;
            }
            if (connection != null)
            {
                if (pooled)
                {
                    pool.add(connection);
                }
                return new Clt<>(connection, null, context);
            }
            final long left = deadlineNanos == Long.MAX_VALUE ? ACCEPT_WAKE_NANOS : deadlineNanos - System.nanoTime();
            if (left <= 0)
            {
                return null;
            }
            try
            {
                // While handshakes run on their threads, look for their results often.
                final long wake = acceptor.hasAdmissionsInProgress() ? HANDSHAKE_POLL_NANOS : ACCEPT_WAKE_NANOS;
                acceptor.awaitAcceptable(Math.min(left, wake));
            }
            catch (final IOException ex)
            {
                if (closed)
                {
                    return null;
                }
                throw ex;
            }
        }
        return null;
    }

    /**
     * @return live accepted connections, a snapshot.
     */
    public List<Connection<T>> connections()
    {
        return acceptor.connections();
    }

}
