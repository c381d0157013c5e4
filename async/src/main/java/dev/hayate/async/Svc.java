package dev.hayate.async;

import java.io.IOException;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

import dev.hayate.core.Acceptor;
import dev.hayate.core.Callback;
import dev.hayate.core.Connection;
import dev.hayate.core.Context;
import dev.hayate.core.ProtocolFactory;
import dev.hayate.core.internal.ServiceEndpoint;
import dev.hayate.core.loop.DutyLoop;
import dev.hayate.core.transport.IoPoller;

/**
 * An asynchronous service. Accepting runs on an I/O loop; accepted connections are spread over the
 * runtime's loops. Take them as futures ({@link #accept()}) or give a handler that is called once per
 * connection ({@link #onAccept}).
 *
 * <pre>{@code
 * Svc<Order> svc = Svc.bind(new InetSocketAddress("127.0.0.1", 0), ProtocolFactory.of(OrderCodec::new),
 *     new Context(), AsyncRuntime.shared());
 * svc.onAccept(clt -> serve(clt));   // serve() chains clt.recv() / clt.send() futures
 * }</pre>
 *
 * <p>Connections accepted while nobody asks for them wait (their number is bounded by the connection
 * gate) until an {@link #accept()} or a handler takes them. Handlers run on the runtime's completion
 * executor (they may block); {@link #accept()} futures complete as the runtime's other futures do.
 *
 * <p>Thread-safety: every method may be called from any thread.
 *
 * @param <T> the message type.
 */
public final class Svc<T> extends ServiceEndpoint<T>
{
    private static final int ACCEPTS_PER_READINESS = 64;

    private final AsyncRuntime runtime;
    private final DutyLoop loop;
    private final LoopMember member = new LoopMember();
    private final Queue<CompletableFuture<Clt<T>>> acceptRequests = new ConcurrentLinkedQueue<>();
    private final ArrayDeque<Clt<T>> unclaimed = new ArrayDeque<>();
    private volatile Consumer<Clt<T>> handler;
    private IoPoller.Registration registration;
    private volatile boolean closed;

    private Svc(final Acceptor<T> acceptor, final AsyncRuntime runtime)
    {
        super(acceptor, acceptor.context());
        this.runtime = runtime;
        try
        {
            this.loop = runtime.nextLoop();
        }
        catch (final IllegalStateException ex)
        {
            acceptor.close();
            throw ex;
        }
        acceptor.onHandshakeDone(() -> loop.schedule(member));
        if (!loop.join(member) || !loop.execute(this::register))
        {
            acceptor.close();
            throw new IllegalStateException("the I/O loop of the service does not run");
        }
    }

    /**
     * Binds a service.
     *
     * @param local     address; port 0 picks a free port (see {@link #localAddress()}).
     * @param protocols makes each connection's protocol.
     * @param callback  observes messages of every connection; runs on I/O threads, must not block.
     * @param context   configuration, including the connection gate.
     * @param runtime   the threads to run on.
     * @param <T>       the message type.
     * @return the bound service.
     * @throws IOException if the address cannot be bound.
     */
    public static <T> Svc<T> bind(final SocketAddress local, final ProtocolFactory<T> protocols,
        final Callback<T> callback, final Context context, final AsyncRuntime runtime) throws IOException
    {
        return new Svc<>(new Acceptor<>(local, protocols, callback, context), runtime);
    }

    /**
     * Binds a service with no callback.
     *
     * @param local     address; port 0 picks a free port.
     * @param protocols makes each connection's protocol.
     * @param context   configuration.
     * @param runtime   the threads to run on.
     * @param <T>       the message type.
     * @return the bound service.
     * @throws IOException if the address cannot be bound.
     */
    public static <T> Svc<T> bind(final SocketAddress local, final ProtocolFactory<T> protocols,
        final Context context, final AsyncRuntime runtime) throws IOException
    {
        return bind(local, protocols, Callback.none(), context, runtime);
    }

    /**
     * @return completes with the next accepted connection; fails with {@link ConnectionClosedException}
     * if the service closes first.
     */
    public CompletableFuture<Clt<T>> accept()
    {
        final CompletableFuture<Clt<T>> future = new CompletableFuture<>();
        acceptRequests.offer(future);
        if (!loop.schedule(member))
        {
            future.completeExceptionally(new ConnectionClosedException(dev.hayate.core.CloseReason.LOCAL,
                "the service's I/O loop does not run"));
        }
        return future;
    }

    /**
     * Calls {@code handler} for every connection accepted from now on, and for those already waiting.
     *
     * @param handler runs on the completion executor, once per connection.
     * @return this.
     */
    public Svc<T> onAccept(final Consumer<Clt<T>> handler)
    {
        this.handler = handler;
        loop.schedule(member);
        return this;
    }

    private void register()
    {
        try
        {
            registration = acceptor.register(loop.poller(), member);
        }
        catch (final IOException | RuntimeException ex)
        {
            if (!closed)
            {
                context.errorHandler().onError(ex);
            }
        }
    }

    /**
     * The service as its I/O loop sees it; not part of the API.
     */
    private final class LoopMember implements DutyLoop.Member
    {
        @Override
        public void onWork()
        {
            acceptPending();
        }

        @Override
        public void onReady(final int readyOps)
        {
            acceptPending();
        }

        @Override
        public void onFailure(final Throwable cause)
        {
            context.errorHandler().onError(cause);
        }

        @Override
        public void onLoopClosed(final Throwable cause)
        {
            closed = true;
            acceptor.close();
            matchAccepted();
        }
    }

    /**
     * Stops listening and closes every connection; waiting {@link #accept()} futures fail.
     */
    @Override
    public void close()
    {
        closed = true;
        super.close();
        if (!loop.schedule(member))
        {
            CompletableFuture<Clt<T>> request;
            while ((request = acceptRequests.poll()) != null)
            {
                request.completeExceptionally(new ConnectionClosedException(dev.hayate.core.CloseReason.LOCAL,
                    "service closed"));
            }
        }
    }

    private void acceptPending()
    {
        long refusedBefore = acceptor.refused();
        for (int i = 0; i < ACCEPTS_PER_READINESS && !closed; i++)
        {
            final Connection<T> connection;
            try
            {
                connection = acceptor.tryAccept();
            }
            catch (final IOException ex)
            {
                if (!closed)
                {
                    context.errorHandler().onError(ex);
                }
                return;
            }
            if (connection == null)
            {
                if (acceptor.refused() == refusedBefore)
                {
                    break;
                }
                // The pending one was refused by the gate and closed; others may wait behind it.
                refusedBefore = acceptor.refused();
                continue;
            }
            unclaimed.addLast(new Clt<>(connection, acceptor.context(), runtime));
        }
        matchAccepted();
    }

    private void matchAccepted()
    {
        final Consumer<Clt<T>> currentHandler = handler;
        while (!unclaimed.isEmpty())
        {
            final Clt<T> clt = unclaimed.peekFirst();
            if (clt.isClosed())
            {
                unclaimed.pollFirst();
                continue;
            }
            if (currentHandler != null)
            {
                unclaimed.pollFirst();
                // A handler serves a session and may block: never on the I/O thread.
                runtime.completionExecutor().execute(() -> currentHandler.accept(clt));
                continue;
            }
            final CompletableFuture<Clt<T>> request = acceptRequests.poll();
            if (request == null)
            {
                break;
            }
            if (request.isDone())
            {
                continue;
            }
            unclaimed.pollFirst();
            runtime.complete(request, clt);
        }
        if (closed)
        {
            if (registration != null)
            {
                registration.cancel();
                registration = null;
            }
            loop.leave(member);
            CompletableFuture<Clt<T>> request;
            while ((request = acceptRequests.poll()) != null)
            {
                runtime.fail(request, new ConnectionClosedException(dev.hayate.core.CloseReason.LOCAL, "service closed"));
            }
        }
    }

}
