package dev.hayate.core.transport;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

import org.agrona.concurrent.CachedNanoClock;

/**
 * Transports over in-memory pipes, for tests with no sockets: the harness that delivers bytes in any
 * split. Reads and writes can be cut to any size per call ({@link #readChunk}, {@link #writeChunk}), so a
 * test can feed a protocol one byte at a time, or in seeded random pieces, and see partial writes.
 *
 * <pre>{@code
 * InMemoryTransportProvider memory = new InMemoryTransportProvider().readChunk(() -> 1);
 * Context ctx = new Context().transportProvider(memory);
 * Svc<Msg> svc = Svc.bind(new InetSocketAddress("127.0.0.1", 0), protocols, ctx);   // any flavour
 * }</pre>
 *
 * Addresses are only names: {@code bind} to port 0 assigns a fresh port within this provider; connecting
 * to an address nobody bound fails with {@link ConnectException}. Each provider is its own little network.
 *
 * <p>Thread-safety: safe for concurrent use; configure the chunk suppliers before use. The suppliers are
 * called from the threads that read and write, so a seeded random supplier must be thread-safe if both
 * ends run on different threads.
 */
public final class InMemoryTransportProvider implements TransportProvider
{
    private final Map<SocketAddress, Server> servers = new ConcurrentHashMap<>();
    private final AtomicInteger nextPort = new AtomicInteger(40_000);
    private int pipeCapacity = 256 * 1024;
    private IntSupplier readChunk = () -> Integer.MAX_VALUE;
    private IntSupplier writeChunk = () -> Integer.MAX_VALUE;
    private CachedNanoClock virtualClock;
    private long emptyReadAdvanceNanos;

    /**
     * @param bytes capacity of each direction of each connection (default 256 KiB): what a writer can get
     *              ahead of its reader.
     * @return this.
     */
    public InMemoryTransportProvider pipeCapacity(final int bytes)
    {
        if (bytes < 1)
        {
            throw new IllegalArgumentException("pipeCapacity must be >= 1: " + bytes);
        }
        pipeCapacity = bytes;
        return this;
    }

    /**
     * @param maxBytesPerRead most bytes one read returns, asked before every read (values below 1 count as 1).
     * @return this.
     */
    public InMemoryTransportProvider readChunk(final IntSupplier maxBytesPerRead)
    {
        readChunk = maxBytesPerRead;
        return this;
    }

    /**
     * @param maxBytesPerWrite most bytes one write takes, asked before every write (values below 1 count as 1).
     * @return this.
     */
    public InMemoryTransportProvider writeChunk(final IntSupplier maxBytesPerWrite)
    {
        writeChunk = maxBytesPerWrite;
        return this;
    }

    /**
     * Makes time virtual: a wait that would time out advances {@code clock} by its timeout and returns at
     * once, and a read that finds nothing advances it by {@code emptyReadAdvanceNanos} (so spinning
     * receivers see time pass). Give the same clock to the endpoints' {@code Context.nanoClock}, and
     * timeouts become deterministic and instant.
     *
     * @param clock                 the virtual clock.
     * @param emptyReadAdvanceNanos time that passes per empty read (a spinning receiver's poll interval).
     * @return this.
     */
    public InMemoryTransportProvider virtualTime(final CachedNanoClock clock, final long emptyReadAdvanceNanos)
    {
        virtualClock = clock;
        this.emptyReadAdvanceNanos = emptyReadAdvanceNanos;
        return this;
    }

    private boolean virtualWait(final boolean ready, final long timeoutNanos)
    {
        if (!ready && timeoutNanos > 0)
        {
            virtualClock.advance(timeoutNanos);
        }
        return ready;
    }

    @Override
    public Transport connect(final SocketAddress remote, final long timeoutNanos) throws IOException
    {
        final Server server = servers.get(remote);
        if (server == null || server.closed)
        {
            throw new ConnectException("Connection refused: nothing bound at " + remote + " (in-memory)");
        }
        final InMemoryPipe toServer = new InMemoryPipe(pipeCapacity);
        final InMemoryPipe toClient = new InMemoryPipe(pipeCapacity);
        final SocketAddress clientAddress = new InetSocketAddress(InetAddress.getLoopbackAddress(), nextPort.getAndIncrement());
        final Endpoint clientSide = new Endpoint(toClient, toServer, clientAddress, remote);
        final Endpoint serverSide = new Endpoint(toServer, toClient, remote, clientAddress);
        if (!server.pending.offer(serverSide))
        {
            throw new ConnectException("Connection refused: backlog of " + remote + " is full (in-memory)");
        }
        server.signal();
        return clientSide;
    }

    @Override
    public TransportServer bind(final SocketAddress local) throws IOException
    {
        SocketAddress address = local;
        if (local instanceof InetSocketAddress && ((InetSocketAddress)local).getPort() == 0)
        {
            address = new InetSocketAddress(((InetSocketAddress)local).getAddress(), nextPort.getAndIncrement());
        }
        final Server server = new Server(address);
        if (servers.putIfAbsent(address, server) != null)
        {
            throw new java.net.BindException("Address already in use: " + address + " (in-memory)");
        }
        return server;
    }

    @Override
    public String name()
    {
        return "in-memory";
    }

    private static int chunk(final IntSupplier supplier)
    {
        return Math.max(1, supplier.getAsInt());
    }

    private final class Endpoint implements Transport
    {
        private final InMemoryPipe in;
        private final InMemoryPipe out;
        private final SocketAddress local;
        private final SocketAddress remote;
        private volatile boolean closed;

        Endpoint(final InMemoryPipe in, final InMemoryPipe out, final SocketAddress local, final SocketAddress remote)
        {
            this.in = in;
            this.out = out;
            this.local = local;
            this.remote = remote;
        }

        @Override
        public int read(final ByteBuffer dst) throws IOException
        {
            final int read = in.read(dst, chunk(readChunk));
            if (read == 0 && virtualClock != null)
            {
                virtualClock.advance(emptyReadAdvanceNanos);
            }
            return read;
        }

        @Override
        public int write(final ByteBuffer src) throws IOException
        {
            return out.write(src, chunk(writeChunk));
        }

        @Override
        public boolean awaitReadable(final long timeoutNanos) throws IOException
        {
            if (virtualClock != null)
            {
                return virtualWait(in.awaitReadable(0), timeoutNanos);
            }
            return in.awaitReadable(timeoutNanos);
        }

        @Override
        public boolean awaitWritable(final long timeoutNanos) throws IOException
        {
            if (virtualClock != null)
            {
                return virtualWait(out.awaitWritable(0), timeoutNanos);
            }
            return out.awaitWritable(timeoutNanos);
        }

        @Override
        public IoPoller.Registration register(final IoPoller poller, final Object attachment)
        {
            final Runnable wakeup = poller::wakeup;
            in.addListener(wakeup);
            out.addListener(wakeup);
            final IoPoller.Registration probe = poller.registerProbe(
                () -> (in.isReadable() ? IoPoller.READ : 0) | (out.isWritable() ? IoPoller.WRITE : 0), 0, attachment);
            return new IoPoller.Registration(attachment)
            {
                @Override
                public void interestOps(final int ops)
                {
                    probe.interestOps(ops);
                }

                @Override
                public int interestOps()
                {
                    return probe.interestOps();
                }

                @Override
                public void cancel()
                {
                    in.removeListener(wakeup);
                    out.removeListener(wakeup);
                    probe.cancel();
                }
            };
        }

        @Override
        public SocketAddress localAddress()
        {
            return local;
        }

        @Override
        public SocketAddress remoteAddress()
        {
            return remote;
        }

        @Override
        public boolean isOpen()
        {
            return !closed;
        }

        @Override
        public void close()
        {
            closed = true;
            in.closeReader();
            out.closeWriter();
        }

        @Override
        public String toString()
        {
            return "in-memory " + local + "<->" + remote;
        }
    }

    private final class Server implements TransportServer
    {
        private final SocketAddress address;
        private final BlockingQueue<Endpoint> pending = new ArrayBlockingQueue<>(1024);
        private final java.util.concurrent.CopyOnWriteArrayList<Runnable> listeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();
        private volatile boolean closed;

        Server(final SocketAddress address)
        {
            this.address = address;
        }

        @Override
        public Transport accept() throws IOException
        {
            if (closed)
            {
                throw new ClosedChannelException();
            }
            return pending.poll();
        }

        @Override
        public boolean awaitAcceptable(final long timeoutNanos) throws IOException
        {
            if (closed)
            {
                throw new ClosedChannelException();
            }
            if (virtualClock != null)
            {
                return virtualWait(!pending.isEmpty(), timeoutNanos);
            }
            synchronized (this)
            {
                final long deadline = System.nanoTime() + timeoutNanos;
                while (pending.isEmpty() && !closed)
                {
                    final long left = deadline - System.nanoTime();
                    if (left <= 0)
                    {
                        return false;
                    }
                    try
                    {
                        TimeUnit.NANOSECONDS.timedWait(this, left);
                    }
                    catch (final InterruptedException ex)
                    {
                        Thread.currentThread().interrupt();
                        throw new java.io.InterruptedIOException("interrupted while accepting");
                    }
                }
            }
            if (closed)
            {
                throw new ClosedChannelException();
            }
            return true;
        }

        void signal()
        {
            synchronized (this)
            {
                notifyAll();
            }
            for (final Runnable listener : listeners)
            {
                listener.run();
            }
        }

        @Override
        public IoPoller.Registration register(final IoPoller poller, final Object attachment)
        {
            listeners.add(poller::wakeup);
            return poller.registerProbe(() -> pending.isEmpty() ? 0 : IoPoller.ACCEPT, IoPoller.ACCEPT, attachment);
        }

        @Override
        public SocketAddress localAddress()
        {
            return address;
        }

        @Override
        public boolean isOpen()
        {
            return !closed;
        }

        @Override
        public void close()
        {
            closed = true;
            servers.remove(address, this);
            Endpoint endpoint;
            while ((endpoint = pending.poll()) != null)
            {
                endpoint.close();
            }
            signal();
        }
    }
}
