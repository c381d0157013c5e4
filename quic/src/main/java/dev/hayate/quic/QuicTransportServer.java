package dev.hayate.quic;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import dev.hayate.core.transport.IoPoller;
import dev.hayate.core.transport.Transport;
import dev.hayate.core.transport.TransportServer;

/**
 * A {@link TransportServer} over a QUIC server endpoint: every bidirectional stream a client opens, on any
 * of its connections, becomes one {@link QuicTransport} once its one-byte preamble has arrived (QUIC
 * announces a stream only with its first frame, and a protocol whose server speaks first would otherwise
 * never see the client).
 *
 * <p>Thread-safety: as {@link TransportServer}; streams arrive on backend threads and are handed off
 * through a bounded queue without blocking them.
 */
final class QuicTransportServer implements TransportServer
{
    /** First byte of every transport stream: identifies a Hayate transport stream and its version. */
    static final byte PREAMBLE = 0x48;
    /** Stream error code sent when the preamble is wrong. */
    static final long BAD_PREAMBLE = 0x4801;
    private static final int MAX_PENDING = 4096;

    private final QuicEndpoint endpoint;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final ArrayDeque<QuicTransport> ready = new ArrayDeque<>();
    private final CopyOnWriteArrayList<IoPoller> pollers = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    QuicTransportServer(final QuicEndpoint endpoint)
    {
        this.endpoint = endpoint;
        endpoint.acceptListener(connection -> connection.peerStreamListener(this::onStream));
    }

    private void onStream(final QuicStream stream)
    {
        final Object guard = new Object();
        final boolean[] done = new boolean[1];
        final Runnable check = () ->
        {
            synchronized (guard)
            {
                if (!done[0])
                {
                    done[0] = checkPreamble(stream);
                }
            }
        };
        stream.readinessListener(check);
        check.run();
    }

    /**
     * @return true once the stream was decided (accepted or refused).
     */
    private boolean checkPreamble(final QuicStream stream)
    {
        final ByteBuffer one = ByteBuffer.allocate(1);
        final int n;
        try
        {
            n = stream.tryRecv(one);
        }
        catch (final QuicException ex)
        {
            return true;
        }
        if (n == 0)
        {
            return false;
        }
        if (n < 0 || one.get(0) != PREAMBLE)
        {
            stream.stop(BAD_PREAMBLE);
            return true;
        }
        final QuicTransport transport = new QuicTransport(stream, null);
        lock.lock();
        try
        {
            if (closed || ready.size() >= MAX_PENDING)
            {
                stream.stop(BAD_PREAMBLE);
                return true;
            }
            ready.addLast(transport);
            arrived.signalAll();
        }
        finally
        {
            lock.unlock();
        }
        wakePollers();
        return true;
    }

    @Override
    public Transport accept() throws IOException
    {
        lock.lock();
        try
        {
            if (closed)
            {
                throw new ClosedChannelException();
            }
            return ready.pollFirst();
        }
        finally
        {
            lock.unlock();
        }
    }

    @Override
    public boolean awaitAcceptable(final long timeoutNanos) throws IOException
    {
        final long deadline = System.nanoTime() + Math.max(0, timeoutNanos);
        lock.lock();
        try
        {
            while (true)
            {
                if (closed)
                {
                    throw new ClosedChannelException();
                }
                if (!ready.isEmpty())
                {
                    return true;
                }
                final long remaining = deadline - System.nanoTime();
                if (remaining <= 0)
                {
                    return false;
                }
                arrived.awaitNanos(remaining);
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while awaiting a connection");
        }
        finally
        {
            lock.unlock();
        }
    }

    @Override
    public IoPoller.Registration register(final IoPoller poller, final Object attachment) throws IOException
    {
        if (closed)
        {
            throw new ClosedChannelException();
        }
        pollers.addIfAbsent(poller);
        return poller.registerProbe(this::readyOps, IoPoller.ACCEPT, attachment);
    }

    private int readyOps()
    {
        lock.lock();
        try
        {
            return ready.isEmpty() || closed ? 0 : IoPoller.ACCEPT;
        }
        finally
        {
            lock.unlock();
        }
    }

    private void wakePollers()
    {
        for (final IoPoller poller : pollers)
        {
            try
            {
                poller.wakeup();
            }
            catch (final RuntimeException ex)
            {
                pollers.remove(poller);
            }
        }
    }

    @Override
    public SocketAddress localAddress()
    {
        return endpoint.localAddress();
    }

    @Override
    public boolean isOpen()
    {
        return !closed;
    }

    /**
     * @return the endpoint under this server.
     */
    QuicEndpoint endpoint()
    {
        return endpoint;
    }

    @Override
    public void close()
    {
        final ArrayDeque<QuicTransport> pending;
        lock.lock();
        try
        {
            if (closed)
            {
                return;
            }
            closed = true;
            pending = new ArrayDeque<>(ready);
            ready.clear();
            arrived.signalAll();
        }
        finally
        {
            lock.unlock();
        }
        for (final QuicTransport transport : pending)
        {
            transport.close();
        }
        wakePollers();
        endpoint.close();
    }

    @Override
    public String toString()
    {
        return "quic server " + endpoint.localAddress();
    }
}
