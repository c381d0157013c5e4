package dev.hayate.conformance;

import java.io.IOException;
import java.net.SocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import dev.hayate.async.AsyncRuntime;
import dev.hayate.core.CloseReason;
import dev.hayate.core.Context;
import dev.hayate.core.ProtocolFactory;
import dev.hayate.core.Status;
import dev.hayate.core.internal.PooledService;
import dev.hayate.core.internal.WaitingClt;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.NanoClock;

/**
 * The adapters of the three faces.
 */
final class Flavours
{
    static final Flavour NONBLOCKING = new Nonblocking();
    static final Flavour BLOCKING = new Blocking();
    static final Flavour ASYNC = new Async();
    static final List<Flavour> ALL = List.of(NONBLOCKING, BLOCKING, ASYNC);

    private Flavours()
    {
    }

    private static final class Nonblocking implements Flavour
    {
        @Override
        public String name()
        {
            return "nonblocking";
        }

        @Override
        public boolean supportsVirtualTime()
        {
            return true;
        }

        @Override
        public <T> Server<T> bind(final SocketAddress local, final ProtocolFactory<T> protocols, final Context context)
            throws IOException
        {
            final dev.hayate.nonblocking.Svc<T> svc = dev.hayate.nonblocking.Svc.bind(local, protocols, context);
            // The nonblocking service's accept never waits: the adapter spins on it until the timeout.
            return waitingServer(svc, (timeout, unit) ->
            {
                final long deadline = System.nanoTime() + unit.toNanos(timeout);
                do
                {
                    final dev.hayate.nonblocking.Clt<T> clt = svc.accept();
                    if (clt != null)
                    {
                        return wrap(clt);
                    }
                    Thread.onSpinWait();
                }
                while (deadline - System.nanoTime() > 0);
                return null;
            });
        }

        @Override
        public <T> Client<T> connect(final SocketAddress remote, final ProtocolFactory<T> protocols,
            final Context context) throws IOException
        {
            return wrap(dev.hayate.nonblocking.Clt.connect(remote, protocols, context));
        }

        private static <T> Client<T> wrap(final dev.hayate.nonblocking.Clt<T> clt)
        {
            return waitingClient(clt, () ->
            {
                final dev.hayate.nonblocking.Clt.Halves<T> halves = clt.split();
                final Sender<T> sender = halves.sender()::send;
                final Receiver<T> receiver = halves.recver()::recv;
                return new Object[] {sender, receiver};
            });
        }
    }

    private static final class Blocking implements Flavour
    {
        @Override
        public String name()
        {
            return "blocking";
        }

        @Override
        public boolean supportsVirtualTime()
        {
            return true;
        }

        @Override
        public <T> Server<T> bind(final SocketAddress local, final ProtocolFactory<T> protocols, final Context context)
            throws IOException
        {
            final dev.hayate.blocking.Svc<T> svc = dev.hayate.blocking.Svc.bind(local, protocols, context);
            return waitingServer(svc, (timeout, unit) ->
            {
                final dev.hayate.blocking.Clt<T> clt = svc.accept(timeout, unit);
                return clt == null ? null : wrap(clt);
            });
        }

        @Override
        public <T> Client<T> connect(final SocketAddress remote, final ProtocolFactory<T> protocols,
            final Context context) throws IOException
        {
            return wrap(dev.hayate.blocking.Clt.connect(remote, protocols, context));
        }

        private static <T> Client<T> wrap(final dev.hayate.blocking.Clt<T> clt)
        {
            return waitingClient(clt, () ->
            {
                final dev.hayate.blocking.Clt.Halves<T> halves = clt.split();
                final Sender<T> sender = halves.sender()::send;
                final Receiver<T> receiver = halves.recver()::recv;
                return new Object[] {sender, receiver};
            });
        }
    }

    /** How a waiting face's service hands over its next client. */
    @FunctionalInterface
    private interface Accept<T>
    {
        Flavour.Client<T> accept(long timeout, TimeUnit unit) throws IOException;
    }

    /** The service side shared by the two waiting faces, whose services differ only in how they accept. */
    private static <T> Flavour.Server<T> waitingServer(final PooledService<T> svc, final Accept<T> accept)
    {
        return new Flavour.Server<>()
        {
            @Override
            public SocketAddress address()
            {
                return svc.localAddress();
            }

            @Override
            public Flavour.Client<T> accept(final long timeout, final TimeUnit unit) throws IOException
            {
                return accept.accept(timeout, unit);
            }

            @Override
            public long refused()
            {
                return svc.refusedConnections();
            }

            @Override
            public long handshakeFailures()
            {
                return svc.handshakeFailures();
            }

            @Override
            public int connectionCount()
            {
                return svc.connectionCount();
            }

            @Override
            public void close()
            {
                svc.close();
            }
        };
    }

    /** The client side shared by the two waiting faces, whose clients differ only in the types of their halves. */
    private static <T> Flavour.Client<T> waitingClient(final WaitingClt<T> clt, final Supplier<Object[]> split)
    {
        return client(clt::send, clt::recv, split, new Lifecycle(clt::isClosed, clt::closeReason, clt::closeDetail,
            clt::close));
    }

    /** How every face tells and ends a client's life, as functions (the faces share no type for it). */
    private record Lifecycle(BooleanSupplier isClosed, Supplier<CloseReason> closeReason,
        Supplier<String> closeDetail, Runnable close)
    {
    }

    /** One client adapter for every face: its sending, receiving, splitting and lifecycle given as functions. */
    private static <T> Flavour.Client<T> client(final Flavour.Sender<T> sender, final Flavour.Receiver<T> receiver,
        final Supplier<Object[]> split, final Lifecycle lifecycle)
    {
        return new Flavour.Client<>()
        {
            @Override
            public Status send(final T message, final long timeout, final TimeUnit unit)
            {
                return sender.send(message, timeout, unit);
            }

            @Override
            public T recv(final long timeout, final TimeUnit unit)
            {
                return receiver.recv(timeout, unit);
            }

            @Override
            public boolean isClosed()
            {
                return lifecycle.isClosed().getAsBoolean();
            }

            @Override
            public CloseReason closeReason()
            {
                return lifecycle.closeReason().get();
            }

            @Override
            public String closeDetail()
            {
                return lifecycle.closeDetail().get();
            }

            @Override
            public Object[] split()
            {
                return split.get();
            }

            @Override
            public void close()
            {
                lifecycle.close().run();
            }
        };
    }

    private static final class Async implements Flavour
    {
        // Two I/O threads: the suite also proves connections spread over loops behave alike.
        private static final AsyncRuntime RUNTIME = new AsyncRuntime.Builder().name("conformance").ioThreads(2).build();
        // Under virtual time (a CachedNanoClock in the context) the loops run no threads: the test's own thread
        // drives them while it waits, and lets the clock leap to the next timer only while it waits for a timed
        // receive, as a waiting face's thread advances it only while it waits.
        private static final Map<NanoClock, AsyncRuntime> VIRTUAL = new ConcurrentHashMap<>();
        private static final long REAL_BOUND_NANOS = TimeUnit.SECONDS.toNanos(30);

        @Override
        public String name()
        {
            return "async";
        }

        @Override
        public boolean supportsVirtualTime()
        {
            return true;
        }

        private static AsyncRuntime runtimeFor(final Context context)
        {
            final NanoClock clock = context.nanoClock();
            if (!(clock instanceof CachedNanoClock))
            {
                return RUNTIME;
            }
            return VIRTUAL.computeIfAbsent(clock, virtual -> new AsyncRuntime.Builder().name("conformance-virtual")
                .ioThreads(2).useInvoker(true).nanoClock(virtual).build());
        }

        /**
         * Waits for {@code future}: plainly on a threaded runtime; driving the loops on a virtual one, and when
         * {@code timed} letting virtual time leap to the next timer whenever the loops are idle.
         */
        private static <V> V await(final AsyncRuntime runtime, final CompletableFuture<V> future, final boolean timed,
            final long realTimeoutNanos) throws ExecutionException, TimeoutException, InterruptedException
        {
            if (runtime == RUNTIME)
            {
                return future.get(realTimeoutNanos, TimeUnit.NANOSECONDS);
            }
            final CachedNanoClock clock = (CachedNanoClock)runtime.clock();
            final long realDeadline = System.nanoTime() + realTimeoutNanos;
            while (!future.isDone())
            {
                if (runtime.invoker().invoke() == 0)
                {
                    final long next = timed ? runtime.nanosToNextTimer() : -1;
                    if (next > 0)
                    {
                        clock.advance(next);
                    }
                    else
                    {
                        Thread.yield();
                    }
                }
                if (System.nanoTime() - realDeadline > 0)
                {
                    throw new TimeoutException("not done within the real-time bound of the test");
                }
            }
            return future.get();
        }

        /**
         * @return the stacks of the runtime's I/O and completion threads and of TLS handshake drivers, for a
         * failure that means one of them is stuck.
         */
        private static String loopThreads()
        {
            final StringBuilder dump = new StringBuilder("threads of the runtime now:");
            Thread.getAllStackTraces().forEach((thread, stack) ->
            {
                final String name = thread.getName();
                if (name.startsWith("conformance") || name.startsWith("hayate"))
                {
                    dump.append("\n\"").append(name).append("\" ").append(thread.getState());
                    for (final StackTraceElement frame : stack)
                    {
                        dump.append("\n    at ").append(frame);
                    }
                }
            });
            return dump.toString();
        }

        /**
         * Lets a virtual runtime finish what a close started (flushing, failing futures).
         */
        private static void settle(final AsyncRuntime runtime, final CompletableFuture<?> done)
        {
            if (runtime == RUNTIME)
            {
                return;
            }
            try
            {
                await(runtime, done, true, TimeUnit.SECONDS.toNanos(5));
            }
            catch (final ExecutionException | TimeoutException ex)
            {
                // Closing anyway.
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public <T> Server<T> bind(final SocketAddress local, final ProtocolFactory<T> protocols, final Context context)
            throws IOException
        {
            final AsyncRuntime runtime = runtimeFor(context);
            final dev.hayate.async.Svc<T> svc = dev.hayate.async.Svc.bind(local, protocols, context, runtime);
            return new Server<>()
            {
                @Override
                public SocketAddress address()
                {
                    return svc.localAddress();
                }

                @Override
                public Client<T> accept(final long timeout, final TimeUnit unit)
                {
                    final CompletableFuture<dev.hayate.async.Clt<T>> future = svc.accept();
                    try
                    {
                        return wrap(await(runtime, future, false, unit.toNanos(timeout)), runtime);
                    }
                    catch (final TimeoutException ex)
                    {
                        future.cancel(false);
                        return null;
                    }
                    catch (final InterruptedException | ExecutionException ex)
                    {
                        throw new IllegalStateException(ex);
                    }
                }

                @Override
                public long refused()
                {
                    return svc.refusedConnections();
                }

                @Override
                public long handshakeFailures()
                {
                    return svc.handshakeFailures();
                }

                @Override
                public int connectionCount()
                {
                    return svc.connectionCount();
                }

                @Override
                public void close()
                {
                    svc.close();
                    if (runtime != RUNTIME)
                    {
                        runtime.invoker().invoke();
                    }
                }
            };
        }

        @Override
        public <T> Client<T> connect(final SocketAddress remote, final ProtocolFactory<T> protocols,
            final Context context) throws IOException
        {
            final AsyncRuntime runtime = runtimeFor(context);
            try
            {
                return wrap(await(runtime, dev.hayate.async.Clt.connect(remote, protocols, context, runtime), false,
                    REAL_BOUND_NANOS), runtime);
            }
            catch (final ExecutionException ex)
            {
                if (ex.getCause() instanceof IOException)
                {
                    throw (IOException)ex.getCause();
                }
                throw new IllegalStateException(ex.getCause());
            }
            catch (final InterruptedException | TimeoutException ex)
            {
                throw new IllegalStateException(ex);
            }
        }

        private static <T> Client<T> wrap(final dev.hayate.async.Clt<T> clt, final AsyncRuntime runtime)
        {
            final Sender<T> sender = (message, timeout, unit) ->
            {
                try
                {
                    await(runtime, clt.send(message), false, unit.toNanos(timeout));
                    return Status.OK;
                }
                catch (final TimeoutException ex)
                {
                    return Status.TIMED_OUT;
                }
                catch (final ExecutionException ex)
                {
                    if (ex.getCause() instanceof dev.hayate.async.ConnectionClosedException)
                    {
                        return Status.CLOSED;
                    }
                    if (ex.getCause() instanceof RuntimeException)
                    {
                        throw (RuntimeException)ex.getCause();
                    }
                    throw new IllegalStateException(ex.getCause());
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                    return Status.TIMED_OUT;
                }
            };
            final Receiver<T> receiver = (timeout, unit) ->
            {
                try
                {
                    // The future times out on the I/O loop; the outer bound only guards the test.
                    return await(runtime, clt.recv(timeout, unit), true, unit.toNanos(timeout) + REAL_BOUND_NANOS);
                }
                catch (final ExecutionException ex)
                {
                    if (ex.getCause() instanceof TimeoutException ||
                        ex.getCause() instanceof dev.hayate.async.ConnectionClosedException)
                    {
                        return null;
                    }
                    throw new IllegalStateException(ex.getCause());
                }
                catch (final InterruptedException | TimeoutException ex)
                {
                    // A loop's own timer should have ended it: show what the loops were doing instead.
                    throw new IllegalStateException("a receive future never completed; " + loopThreads(), ex);
                }
            };
            // Every method of an async Clt is thread-safe: both halves are the connection itself.
            return client(sender, receiver, () -> new Object[] {sender, receiver}, new Lifecycle(clt::isClosed,
                clt::closeReason, clt::closeDetail, () ->
                {
                    clt.close();
                    settle(runtime, clt.closeFuture());
                }));
        }
    }
}
