package dev.hayate.relay;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import dev.hayate.core.Connection;
import dev.hayate.core.Status;
import dev.hayate.core.transport.IoPoller;
import dev.hayate.core.transport.Transport;
import dev.hayate.transfer.crypto.ChunkIntegrityException;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One end of a byte pipe through a relay, as a {@link Transport}: what is written travels in relay frames (kind
 * PIPE, forwarded unread) to the other end, whose reads return the same bytes in order. The engine that runs on
 * top (a transfer) frames, pairs and seals its own stream end to end; the relay sees only its ciphertext.
 *
 * <p>The relay connection underneath is an engine {@link Connection} of its own; this transport pushes out its
 * pending bytes whenever it is read, written or waited on, and for up to two seconds on close.
 *
 * <p>Thread-safety: one reading and one writing thread, as a transport allows. Reading and waiting for readability
 * also push out pending bytes (a writer that has moved on to waiting for an answer would otherwise leave them in the
 * relay connection's send buffer), so the relay connection's send half is shared: a lock serialises it, which the
 * reader only tries (if the writer holds it, the writer is writing anyway).
 */
final class RelayPipeTransport implements Transport
{
    private static final long CLOSE_FLUSH_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final Connection<RelayMessage> connection;
    private final ClientProtocol protocol;
    private final int maxChunk;
    private final RelayMessage out = new RelayMessage();
    private final UnsafeBuffer outView = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer in = new UnsafeBuffer(0, 0);
    private int inPosition;
    private int inLength;
    private boolean ended;
    private final java.util.concurrent.locks.ReentrantLock sendLock = new java.util.concurrent.locks.ReentrantLock();

    RelayPipeTransport(final Connection<RelayMessage> connection, final ClientProtocol protocol, final int maxChunk)
    {
        this.connection = connection;
        this.protocol = protocol;
        this.maxChunk = maxChunk;
        out.type = RelayMessage.Type.DATA;
        out.kind = RelayMessage.KIND_PIPE;
    }

    @Override
    public int read(final ByteBuffer dst) throws IOException
    {
        while (true)
        {
            if (inPosition < inLength)
            {
                final int n = Math.min(inLength - inPosition, dst.remaining());
                in.getBytes(inPosition, dst, dst.position(), n);
                dst.position(dst.position() + n);
                inPosition += n;
                return n;
            }
            if (ended)
            {
                return -1;
            }
            tryFlush();
            final RelayMessage m = connection.tryRecv();
            if (m == null)
            {
                if (connection.isClosed())
                {
                    ended = true;
                    return -1;
                }
                return 0;
            }
            if (m.type == RelayMessage.Type.CONTROL)
            {
                final Control control = openControl(m);
                if (control != null && control.type() == Control.PRODUCER_GONE)
                {
                    ended = true;
                }
                continue;
            }
            if (m.type != RelayMessage.Type.DATA || m.kind != RelayMessage.KIND_PIPE)
            {
                throw new IOException("unexpected " + m + " on a pipe");
            }
            // A view into the relay connection's receive buffer: valid until the next tryRecv, which happens only
            // once it is used up.
            in.wrap(m.body, m.bodyOffset, m.bodyLength);
            inPosition = 0;
            inLength = m.bodyLength;
        }
    }

    /** Pushes out pending bytes unless the writing thread is at it. */
    private void tryFlush()
    {
        if (connection.hasPendingSend() && sendLock.tryLock())
        {
            try
            {
                connection.flush();
            }
            finally
            {
                sendLock.unlock();
            }
        }
    }

    private void flush()
    {
        sendLock.lock();
        try
        {
            connection.flush();
        }
        finally
        {
            sendLock.unlock();
        }
    }

    private Control openControl(final RelayMessage m) throws IOException
    {
        try
        {
            return protocol.openControl(m);
        }
        catch (final ChunkIntegrityException ex)
        {
            throw new IOException("a control frame from the relay was tampered with: " + ex.getMessage(), ex);
        }
    }

    @Override
    public int write(final ByteBuffer src) throws IOException
    {
        final int length = Math.min(src.remaining(), maxChunk);
        if (length == 0)
        {
            return 0;
        }
        outView.wrap(src);
        out.body(outView, src.position(), length);
        final Status status;
        sendLock.lock();
        try
        {
            status = connection.trySend(out);
        }
        finally
        {
            sendLock.unlock();
        }
        if (status == Status.OK)
        {
            src.position(src.position() + length);
            return length;
        }
        if (status == Status.BACK_PRESSURED)
        {
            return 0;
        }
        throw new IOException("the relay connection is closed: " + connection.closeDetail());
    }

    @Override
    public boolean awaitReadable(final long timeoutNanos) throws IOException
    {
        final long deadline = System.nanoTime() + Math.max(0, timeoutNanos);
        final Transport relay = connection.transport();
        while (true)
        {
            if (inPosition < inLength || ended || connection.hasBufferedInput() || connection.isClosed())
            {
                return true;
            }
            tryFlush();
            final long left = deadline - System.nanoTime();
            if (connection.hasPendingSend())
            {
                if (relay.awaitReadable(0))
                {
                    return true;
                }
                if (left <= 0)
                {
                    return false;
                }
                relay.awaitWritable(Math.min(left, SLICE_NANOS));
            }
            else
            {
                return relay.awaitReadable(Math.max(0, left));
            }
        }
    }

    @Override
    public boolean awaitWritable(final long timeoutNanos) throws IOException
    {
        flush();
        return !connection.hasPendingSend() || connection.transport().awaitWritable(timeoutNanos);
    }

    @Override
    public IoPoller.Registration register(final IoPoller poller, final Object attachment) throws IOException
    {
        throw new IOException("a relay pipe serves the waiting faces only (blocking, nonblocking)");
    }

    @Override
    public SocketAddress localAddress()
    {
        return connection.transport().localAddress();
    }

    @Override
    public SocketAddress remoteAddress()
    {
        return connection.transport().remoteAddress();
    }

    @Override
    public boolean isOpen()
    {
        return !connection.isClosed();
    }

    @Override
    public void close() throws IOException
    {
        final long deadline = System.nanoTime() + CLOSE_FLUSH_NANOS;
        while (!connection.isClosed() && connection.hasPendingSend() && deadline - System.nanoTime() > 0)
        {
            flush();
            if (connection.hasPendingSend())
            {
                connection.transport().awaitWritable(SLICE_NANOS);
            }
        }
        connection.close();
    }
}
