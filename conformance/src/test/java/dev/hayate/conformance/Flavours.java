package dev.hayate.conformance;

import java.io.IOException;
import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.hayate.async.AsyncRuntime;
import dev.hayate.core.CloseReason;
import dev.hayate.core.Context;
import dev.hayate.core.ProtocolFactory;
import dev.hayate.core.Status;

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
            return new Server<>()
            {
                @Override
                public SocketAddress address()
                {
                    return svc.localAddress();
                }

                @Override
                public Client<T> accept(final long timeout, final TimeUnit unit) throws IOException
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

        @Override
        public <T> Client<T> connect(final SocketAddress remote, final ProtocolFactory<T> protocols,
            final Context context) throws IOException
        {
            return wrap(dev.hayate.nonblocking.Clt.connect(remote, protocols, context));
        }

        private static <T> Client<T> wrap(final dev.hayate.nonblocking.Clt<T> clt)
        {
            return new Client<>()
            {
                @Override
                public Status send(final T message, final long timeout, final TimeUnit unit)
                {
                    return clt.send(message, timeout, unit);
                }

                @Override
                public T recv(final long timeout, final TimeUnit unit)
                {
                    return clt.recv(timeout, unit);
                }

                @Override
                public boolean isClosed()
                {
                    return clt.isClosed();
                }

                @Override
                public CloseReason closeReason()
                {
                    return clt.closeReason();
                }

                @Override
                public String closeDetail()
                {
                    return clt.closeDetail();
                }

                @Override
                public Object[] split()
                {
                    final dev.hayate.nonblocking.Clt.Halves<T> halves = clt.split();
                    final Sender<T> sender = halves.sender()::send;
                    final Receiver<T> receiver = halves.recver()::recv;
                    return new Object[] {sender, receiver};
                }

                @Override
                public void close()
                {
                    clt.close();
                }
            };
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
            return new Server<>()
            {
                @Override
                public SocketAddress address()
                {
                    return svc.localAddress();
                }

                @Override
                public Client<T> accept(final long timeout, final TimeUnit unit) throws IOException
                {
                    final dev.hayate.blocking.Clt<T> clt = svc.accept(timeout, unit);
                    return clt == null ? null : wrap(clt);
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

        @Override
        public <T> Client<T> connect(final SocketAddress remote, final ProtocolFactory<T> protocols,
            final Context context) throws IOException
        {
            return wrap(dev.hayate.blocking.Clt.connect(remote, protocols, context));
        }

        private static <T> Client<T> wrap(final dev.hayate.blocking.Clt<T> clt)
        {
            return new Client<>()
            {
                @Override
                public Status send(final T message, final long timeout, final TimeUnit unit)
                {
                    return clt.send(message, timeout, unit);
                }

                @Override
                public T recv(final long timeout, final TimeUnit unit)
                {
                    return clt.recv(timeout, unit);
                }

                @Override
                public boolean isClosed()
                {
                    return clt.isClosed();
                }

                @Override
                public CloseReason closeReason()
                {
                    return clt.closeReason();
                }

                @Override
                public String closeDetail()
                {
                    return clt.closeDetail();
                }

                @Override
                public Object[] split()
                {
                    final dev.hayate.blocking.Clt.Halves<T> halves = clt.split();
                    final Sender<T> sender = halves.sender()::send;
                    final Receiver<T> receiver = halves.recver()::recv;
                    return new Object[] {sender, receiver};
                }

                @Override
                public void close()
                {
                    clt.close();
                }
            };
        }
    }

    private static final class Async implements Flavour
    {
        // Two I/O threads: the suite also proves connections spread over loops behave alike.
        private static final AsyncRuntime RUNTIME = new AsyncRuntime.Builder().name("conformance").ioThreads(2).build();

        @Override
        public String name()
        {
            return "async";
        }

        @Override
        public boolean supportsVirtualTime()
        {
            return false;
        }

        @Override
        public <T> Server<T> bind(final SocketAddress local, final ProtocolFactory<T> protocols, final Context context)
            throws IOException
        {
            final dev.hayate.async.Svc<T> svc = dev.hayate.async.Svc.bind(local, protocols, context, RUNTIME);
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
                    final java.util.concurrent.CompletableFuture<dev.hayate.async.Clt<T>> future = svc.accept();
                    try
                    {
                        return wrap(future.get(timeout, unit));
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
                }
            };
        }

        @Override
        public <T> Client<T> connect(final SocketAddress remote, final ProtocolFactory<T> protocols,
            final Context context) throws IOException
        {
            try
            {
                return wrap(dev.hayate.async.Clt.connect(remote, protocols, context, RUNTIME).get(30, TimeUnit.SECONDS));
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

        private static <T> Client<T> wrap(final dev.hayate.async.Clt<T> clt)
        {
            final Sender<T> sender = (message, timeout, unit) ->
            {
                try
                {
                    clt.send(message).get(timeout, unit);
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
                    return clt.recv(timeout, unit).get(unit.toNanos(timeout) + TimeUnit.SECONDS.toNanos(30),
                        TimeUnit.NANOSECONDS);
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
                    throw new IllegalStateException("a receive future never completed", ex);
                }
            };
            return new Client<>()
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
                    return clt.isClosed();
                }

                @Override
                public CloseReason closeReason()
                {
                    return clt.closeReason();
                }

                @Override
                public String closeDetail()
                {
                    return clt.closeDetail();
                }

                @Override
                public Object[] split()
                {
                    // Every method of an async Clt is thread-safe: both halves are the connection itself.
                    return new Object[] {sender, receiver};
                }

                @Override
                public void close()
                {
                    clt.close();
                }
            };
        }
    }
}
