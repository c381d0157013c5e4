package dev.hayate.blocking;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import dev.hayate.core.Acceptor;
import dev.hayate.core.Callback;
import dev.hayate.core.Connection;
import dev.hayate.core.Context;
import dev.hayate.core.KernelWait;
import dev.hayate.core.ProtocolFactory;
import dev.hayate.core.WaitStrategy;
import dev.hayate.core.internal.ClientLink;
import dev.hayate.core.internal.PooledService;

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

    /** How long {@link #serve} waits after a failed accept before it tries again. */
    private static final long ACCEPT_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final AtomicInteger threadCounter = new AtomicInteger();

    private Svc(final Acceptor<T> acceptor, final Context context)
    {
        super(acceptor, context, KernelWait.INSTANCE);
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
        return wrap(acceptUntil(WaitStrategy.FOREVER, true));
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
        return wrap(acceptUntil(acceptDeadlineAfter(timeout, unit), true));
    }

    /**
     * Accepts on a thread of its own until {@link #close()}, and runs {@code handler} for each admitted
     * connection on a new thread, closing the connection (gracefully) when the handler returns. A handler
     * that throws closes only its connection; the error goes to the context's error handler. So does a failed
     * accept (out of file descriptors, threads or direct memory: conditions that pass as connections close), after
     * which serving goes on 100 ms later; only {@link #close()} or a closed listener ends it. Returns at once.
     *
     * @param handler runs once per connection, on that connection's thread.
     * @return the accepting thread (daemon), for joining after {@link #close()}.
     */
    public Thread serve(final Handler<T> handler)
    {
        final Thread acceptor = new Thread(() -> acceptLoop(handler), context.name() + "-serve");
        acceptor.setDaemon(true);
        acceptor.start();
        return acceptor;
    }

    private void acceptLoop(final Handler<T> handler)
    {
        while (!acceptor.isClosed())
        {
            try
            {
                final Connection<T> connection = acceptUntil(WaitStrategy.FOREVER, false);
                if (connection == null)
                {
                    return;
                }
                final Clt<T> served = wrap(connection);
                final Thread thread = new Thread(() -> run(handler, served),
                    context.name() + "-conn-" + threadCounter.incrementAndGet());
                thread.setDaemon(true);
                thread.start();
            }
            catch (final IOException | RuntimeException | OutOfMemoryError ex)
            {
                if (acceptor.isClosed())
                {
                    return;
                }
                if (ex instanceof ClosedChannelException)
                {
                    // The listener itself is gone: nothing to retry.
                    context.errorHandler().onError(ex);
                    return;
                }
                // Out of file descriptors (EMFILE, which a flood of peers can cause), of threads or of memory: all
                // pass once connections close, so the service reports, backs off and keeps serving rather than
                // stopping for good.
                context.errorHandler().onError(ex);
                LockSupport.parkNanos(ACCEPT_RETRY_NANOS);
            }
        }
    }

    private void run(final Handler<T> handler, final Clt<T> clt)
    {
        try
        {
            handler.handle(clt);
        }
        catch (final Exception ex)
        {
            // Reported before the close, so nobody who sees the connection close can miss the error.
            context.errorHandler().onError(ex);
        }
        finally
        {
            clt.close();
        }
    }

    private Clt<T> wrap(final Connection<T> connection)
    {
        return connection == null ? null : new Clt<>(new ClientLink<>(connection, null, context, KernelWait.INSTANCE));
    }

    /**
     * @return live accepted connections, a snapshot.
     */
    public List<Connection<T>> connections()
    {
        return acceptor.connections();
    }
}
