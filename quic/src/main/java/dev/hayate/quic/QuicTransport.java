package dev.hayate.quic;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.hayate.core.transport.IoPoller;
import dev.hayate.core.transport.Transport;

/**
 * A {@link Transport} over one bidirectional {@link QuicStream}, so any {@code Clt}/{@code Svc} runs
 * over QUIC as it runs over TCP. Reads and writes go to the stream's queues and never block; waiting is
 * on the stream's conditions; an event loop learns of readiness through a probe registration that the
 * stream's readiness changes wake.
 *
 * <p>{@link #close()} sends FIN after everything written and drops what arrives afterwards. When the
 * transport owns its connection (one connection per client transport, the default) the connection is
 * closed once the peer has finished its side too, or after the provider's linger time.
 *
 * <p>Thread-safety: as {@link Transport}: one reading thread, one writing thread, close from any.
 */
public final class QuicTransport implements Transport
{
    private final QuicStream stream;
    private final CopyOnWriteArrayList<IoPoller> pollers = new CopyOnWriteArrayList<>();
    private final Runnable onClose;
    private volatile boolean closed;

    QuicTransport(final QuicStream stream, final Runnable onClose)
    {
        this.stream = stream;
        this.onClose = onClose;
        stream.readinessListener(this::wakePollers);
    }

    /**
     * @return the stream under this transport.
     */
    public QuicStream stream()
    {
        return stream;
    }

    @Override
    public int read(final ByteBuffer dst) throws IOException
    {
        checkOpen();
        return stream.tryRecv(dst);
    }

    @Override
    public int write(final ByteBuffer src) throws IOException
    {
        checkOpen();
        return stream.trySend(src);
    }

    @Override
    public boolean awaitReadable(final long timeoutNanos) throws IOException
    {
        checkOpen();
        final boolean ready;
        try
        {
            ready = stream.awaitReadable(timeoutNanos);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while awaiting readable");
        }
        checkOpen();
        return ready;
    }

    @Override
    public boolean awaitWritable(final long timeoutNanos) throws IOException
    {
        checkOpen();
        final boolean ready;
        try
        {
            ready = stream.awaitWritable(timeoutNanos);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while awaiting writable");
        }
        checkOpen();
        return ready;
    }

    private void checkOpen() throws ClosedChannelException
    {
        if (closed)
        {
            throw new ClosedChannelException();
        }
    }

    @Override
    public IoPoller.Registration register(final IoPoller poller, final Object attachment) throws IOException
    {
        checkOpen();
        pollers.addIfAbsent(poller);
        return poller.registerProbe(this::readyOps, 0, attachment);
    }

    private int readyOps()
    {
        return closed ? 0 : stream.readyOps();
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
        return stream.connection().localAddress();
    }

    @Override
    public SocketAddress remoteAddress()
    {
        return stream.connection().peerAddress();
    }

    @Override
    public boolean isOpen()
    {
        if (closed)
        {
            return false;
        }
        final QuicStreamStats stats = stream.observe();
        return !(stats.sendClosed() && stats.receiveClosed() && stats.lastError() != null);
    }

    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        stream.close();
        stream.wakeAll();
        wakePollers();
        if (onClose != null)
        {
            onClose.run();
        }
    }

    @Override
    public String toString()
    {
        return "QuicTransport[" + stream + " on " + stream.connection() + "]";
    }
}
