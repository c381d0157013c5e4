package dev.hayate.core.transport.tls;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

import dev.hayate.core.transport.IoPoller;
import dev.hayate.core.transport.Transport;
import dev.hayate.core.transport.TransportServer;

/**
 * A listening TCP server whose accepted transports speak TLS. Accepting does not wait for the handshake: a
 * {@link HandshakeDriver} thread (one per server, started on the first accept) finishes it, or the owner does as
 * it reads or writes, within {@link TlsConfig#handshakeTimeout}.
 *
 * <p>Thread-safety: as {@link TransportServer}.
 */
final class TlsTransportServer implements TransportServer
{
    private final TransportServer server;
    private final TlsConfig config;
    private final Object driverLock = new Object();
    private HandshakeDriver driver;
    private boolean closed;

    TlsTransportServer(final TransportServer server, final TlsConfig config)
    {
        this.server = server;
        this.config = config;
    }

    @Override
    public Transport accept() throws IOException
    {
        final Transport socket = server.accept();
        if (socket == null)
        {
            return null;
        }
        try
        {
            final SocketAddress remote = socket.remoteAddress();
            final String host = remote instanceof InetSocketAddress ? ((InetSocketAddress)remote).getHostString() : null;
            final int port = remote instanceof InetSocketAddress ? ((InetSocketAddress)remote).getPort() : -1;
            final TlsTransport tls = new TlsTransport(socket, config.newEngine(false, host, port),
                System.nanoTime() + config.handshakeTimeoutNanos(), config.engine());
            driver().add(tls);
            return tls;
        }
        catch (final IOException | RuntimeException ex)
        {
            socket.close();
            throw ex;
        }
    }

    private HandshakeDriver driver() throws IOException
    {
        synchronized (driverLock)
        {
            if (closed)
            {
                throw new java.nio.channels.ClosedChannelException();
            }
            if (driver == null)
            {
                driver = new HandshakeDriver("hayate-tls-handshake-" + server.localAddress());
            }
            return driver;
        }
    }

    @Override
    public boolean awaitAcceptable(final long timeoutNanos) throws IOException
    {
        return server.awaitAcceptable(timeoutNanos);
    }

    @Override
    public IoPoller.Registration register(final IoPoller poller, final Object attachment) throws IOException
    {
        return server.register(poller, attachment);
    }

    @Override
    public SocketAddress localAddress()
    {
        return server.localAddress();
    }

    @Override
    public boolean isOpen()
    {
        return server.isOpen();
    }

    @Override
    public void close() throws IOException
    {
        synchronized (driverLock)
        {
            closed = true;
            if (driver != null)
            {
                driver.close();
            }
        }
        server.close();
    }

    @Override
    public String toString()
    {
        return "tls server " + server.localAddress();
    }
}
