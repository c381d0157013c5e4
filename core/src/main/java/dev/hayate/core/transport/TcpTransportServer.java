package dev.hayate.core.transport;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * A listening TCP socket in non-blocking mode.
 *
 * <p>Thread-safety: as {@link TransportServer}.
 */
final class TcpTransportServer implements TransportServer
{
    private final ServerSocketChannel server;
    private final TcpTransportProvider provider;
    private final SocketAddress local;
    private final Object selectorLock = new Object();
    private Selector acceptSelector;
    private volatile boolean closed;

    TcpTransportServer(final ServerSocketChannel server, final TcpTransportProvider provider) throws IOException
    {
        this.server = server;
        this.provider = provider;
        this.local = server.getLocalAddress();
    }

    @Override
    public Transport accept() throws IOException
    {
        final SocketChannel channel = server.accept();
        if (channel == null)
        {
            return null;
        }
        try
        {
            return new TcpTransport(provider.configure(channel));
        }
        catch (final IOException | RuntimeException ex)
        {
            channel.close();
            throw ex;
        }
    }

    @Override
    public boolean awaitAcceptable(final long timeoutNanos) throws IOException
    {
        Selector selector;
        synchronized (selectorLock)
        {
            if (closed)
            {
                throw new ClosedChannelException();
            }
            selector = acceptSelector;
            if (selector == null)
            {
                selector = Selector.open();
                server.register(selector, SelectionKey.OP_ACCEPT);
                acceptSelector = selector;
            }
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

    @Override
    public IoPoller.Registration register(final IoPoller poller, final Object attachment) throws IOException
    {
        return poller.registerChannel(server, IoPoller.ACCEPT, attachment);
    }

    @Override
    public SocketAddress localAddress()
    {
        return local;
    }

    @Override
    public boolean isOpen()
    {
        return !closed;
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
            server.close();
        }
        finally
        {
            if (acceptSelector != null)
            {
                acceptSelector.close();
            }
        }
    }

    @Override
    public String toString()
    {
        return "tcp server " + local;
    }
}
