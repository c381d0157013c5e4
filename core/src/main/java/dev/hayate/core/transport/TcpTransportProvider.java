package dev.hayate.core.transport;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

/**
 * TCP transports over non-blocking {@link SocketChannel}s with {@code TCP_NODELAY} on.
 *
 * <pre>{@code
 * TransportProvider tcp = new TcpTransportProvider().socketSendBufferSize(1 << 20);
 * }</pre>
 *
 * <p>Thread-safety: configure before first use; after that safe for concurrent use.
 */
public final class TcpTransportProvider implements TransportProvider
{
    private int socketSendBufferSize;
    private int socketReceiveBufferSize;
    private int backlog = 1024;
    private boolean tcpNoDelay = true;
    private InetAddress sourceAddress;

    /**
     * @param bytes {@code SO_SNDBUF}, 0 for the operating system's default.
     * @return this.
     */
    public TcpTransportProvider socketSendBufferSize(final int bytes)
    {
        if (bytes < 0)
        {
            throw new IllegalArgumentException("socketSendBufferSize must be >= 0: " + bytes);
        }
        socketSendBufferSize = bytes;
        return this;
    }

    /**
     * @param bytes {@code SO_RCVBUF}, 0 for the operating system's default.
     * @return this.
     */
    public TcpTransportProvider socketReceiveBufferSize(final int bytes)
    {
        if (bytes < 0)
        {
            throw new IllegalArgumentException("socketReceiveBufferSize must be >= 0: " + bytes);
        }
        socketReceiveBufferSize = bytes;
        return this;
    }

    /**
     * @param backlog listen backlog of servers bound later.
     * @return this.
     */
    public TcpTransportProvider backlog(final int backlog)
    {
        if (backlog < 1)
        {
            throw new IllegalArgumentException("backlog must be >= 1: " + backlog);
        }
        this.backlog = backlog;
        return this;
    }

    /**
     * @param on whether Nagle's algorithm is disabled (default true: small frames go out at once).
     * @return this.
     */
    public TcpTransportProvider tcpNoDelay(final boolean on)
    {
        tcpNoDelay = on;
        return this;
    }

    /**
     * @param address local address that connecting sockets bind before they connect (an ephemeral port on it), so
     *                a host with several addresses picks which one peers see; {@code null} (the default) leaves
     *                the choice to the operating system.
     * @return this.
     */
    public TcpTransportProvider sourceAddress(final InetAddress address)
    {
        sourceAddress = address;
        return this;
    }

    @Override
    public Transport connect(final SocketAddress remote, final long timeoutNanos) throws IOException
    {
        final SocketChannel channel = SocketChannel.open();
        try
        {
            if (socketReceiveBufferSize > 0)
            {
                // Set before connect so the window scale is negotiated for it.
                channel.setOption(StandardSocketOptions.SO_RCVBUF, socketReceiveBufferSize);
            }
            if (sourceAddress != null)
            {
                channel.bind(new InetSocketAddress(sourceAddress, 0));
            }
            channel.configureBlocking(false);
            if (!channel.connect(remote))
            {
                awaitConnected(channel, remote, timeoutNanos);
            }
            return new TcpTransport(configure(channel));
        }
        catch (final IOException | RuntimeException ex)
        {
            channel.close();
            throw ex;
        }
    }

    private static void awaitConnected(final SocketChannel channel, final SocketAddress remote, final long timeoutNanos)
        throws IOException
    {
        try (Selector selector = Selector.open())
        {
            channel.register(selector, SelectionKey.OP_CONNECT);
            final long deadline = System.nanoTime() + timeoutNanos;
            while (true)
            {
                final long remaining = deadline - System.nanoTime();
                if (remaining <= 0)
                {
                    throw new SocketTimeoutException("connect to " + remote + " timed out after " +
                        TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
                }
                selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(remaining)));
                try
                {
                    if (channel.finishConnect())
                    {
                        return;
                    }
                }
                catch (final ConnectException ex)
                {
                    final ConnectException withAddress = new ConnectException("connect to " + remote + ": " + ex.getMessage());
                    withAddress.initCause(ex);
                    throw withAddress;
                }
            }
        }
    }

    @Override
    public TransportServer bind(final SocketAddress local) throws IOException
    {
        final ServerSocketChannel server = ServerSocketChannel.open();
        try
        {
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            if (socketReceiveBufferSize > 0)
            {
                // Accepted sockets inherit it, and it must be set before the handshake to take effect.
                server.setOption(StandardSocketOptions.SO_RCVBUF, socketReceiveBufferSize);
            }
            server.bind(local, backlog);
            server.configureBlocking(false);
            return new TcpTransportServer(server, this);
        }
        catch (final IOException | RuntimeException ex)
        {
            server.close();
            throw ex;
        }
    }

    SocketChannel configure(final SocketChannel channel) throws IOException
    {
        channel.configureBlocking(false);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, tcpNoDelay);
        if (socketSendBufferSize > 0)
        {
            channel.setOption(StandardSocketOptions.SO_SNDBUF, socketSendBufferSize);
        }
        return channel;
    }

    @Override
    public String name()
    {
        return "tcp";
    }
}
