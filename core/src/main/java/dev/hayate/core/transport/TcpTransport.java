package dev.hayate.core.transport;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/**
 * A {@link Transport} over a non-blocking {@link SocketChannel}. Waiting happens in the kernel
 * ({@code epoll_wait}) through a private selector per direction, opened on first wait, so a blocking
 * reader and a blocking writer never disturb each other.
 *
 * <p>Thread-safety: as {@link Transport}: one reading thread, one writing thread, close from any.
 */
public final class TcpTransport implements Transport
{
    private final SocketChannel channel;
    private final SocketAddress local;
    private final SocketAddress remote;
    private final Object selectorLock = new Object();
    private volatile Selector readSelector;
    private volatile Selector writeSelector;
    private volatile boolean closed;

    /**
     * Wraps a connected channel. The channel is switched to non-blocking mode.
     *
     * @param channel connected.
     * @throws IOException if the channel cannot be configured.
     */
    public TcpTransport(final SocketChannel channel) throws IOException
    {
        this.channel = channel;
        channel.configureBlocking(false);
        local = channel.getLocalAddress();
        remote = channel.getRemoteAddress();
    }

    @Override
    public int read(final ByteBuffer dst) throws IOException
    {
        return channel.read(dst);
    }

    @Override
    public int write(final ByteBuffer src) throws IOException
    {
        return channel.write(src);
    }

    @Override
    public boolean awaitReadable(final long timeoutNanos) throws IOException
    {
        return await(readSelector(), timeoutNanos);
    }

    @Override
    public boolean awaitWritable(final long timeoutNanos) throws IOException
    {
        return await(writeSelector(), timeoutNanos);
    }

    private boolean await(final Selector selector, final long timeoutNanos) throws IOException
    {
        if (closed)
        {
            throw new ClosedChannelException();
        }
        final int ready;
        try
        {
            ready = Selectors.select(selector, timeoutNanos);
        }
        catch (final ClosedSelectorException ex)
        {
            throw new ClosedChannelException();
        }
        if (closed)
        {
            throw new ClosedChannelException();
        }
        return ready > 0;
    }

    private Selector readSelector() throws IOException
    {
        final Selector selector = readSelector;
        return selector != null ? selector : openSelector(SelectionKey.OP_READ);
    }

    private Selector writeSelector() throws IOException
    {
        final Selector selector = writeSelector;
        return selector != null ? selector : openSelector(SelectionKey.OP_WRITE);
    }

    private Selector openSelector(final int ops) throws IOException
    {
        synchronized (selectorLock)
        {
            if (closed)
            {
                throw new ClosedChannelException();
            }
            final Selector selector = Selector.open();
            channel.register(selector, ops);
            if (ops == SelectionKey.OP_READ)
            {
                readSelector = selector;
            }
            else
            {
                writeSelector = selector;
            }
            return selector;
        }
    }

    @Override
    public IoPoller.Registration register(final IoPoller poller, final Object attachment) throws IOException
    {
        return poller.registerChannel(channel, 0, attachment);
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
        return !closed && channel.isOpen();
    }

    @Override
    public void close() throws IOException
    {
        synchronized (selectorLock)
        {
            if (closed)
            {
                return;
            }
            closed = true;
        }
        try
        {
            channel.close();
        }
        finally
        {
            closeSelector(readSelector);
            closeSelector(writeSelector);
        }
    }

    private static void closeSelector(final Selector selector) throws IOException
    {
        if (selector != null)
        {
            // close() wakes a thread blocked in select on it.
            selector.close();
        }
    }

    @Override
    public String toString()
    {
        return "tcp " + local + "<->" + remote;
    }
}
