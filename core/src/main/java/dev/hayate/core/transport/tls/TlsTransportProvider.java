package dev.hayate.core.transport.tls;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

import dev.hayate.core.transport.TcpTransportProvider;
import dev.hayate.core.transport.Transport;
import dev.hayate.core.transport.TransportProvider;
import dev.hayate.core.transport.TransportServer;

/**
 * TLS over TCP: every transport it makes is a {@link TlsTransport} over a {@link TcpTransportProvider}'s
 * socket, so any {@code Clt}/{@code Svc} runs encrypted by changing only its context's provider.
 *
 * <pre>{@code
 * Context server = new Context().transportProvider(new TlsTransportProvider(
 *     new TlsConfig().certificateChain(Path.of("cert.pem")).privateKey(Path.of("key.pem"))));
 * Context client = new Context().transportProvider(new TlsTransportProvider(
 *     new TlsConfig().trustCertificates(Path.of("ca.pem"))));
 * }</pre>
 *
 * <p>The handshake advances as a transport is read, written or waited on, on whichever thread does that, so
 * neither connecting nor accepting waits on the peer's application (a service may accept a connection long
 * after the client dialled, as over plain TCP). A refused certificate then fails the first read or write with
 * an exception naming why, which closes the connection with that detail. With
 * {@link TlsConfig#handshakeOnConnect(boolean)} a client's {@link #connect} instead returns only once the
 * handshake has finished (bounded by its timeout) and throws that exception itself.
 *
 * <p>Thread-safety: the configuration is concluded in the constructor; after that safe for concurrent use.
 */
public final class TlsTransportProvider implements TransportProvider
{
    private final TcpTransportProvider tcp;
    private final TlsConfig config;

    /**
     * @param config identity and trust, concluded here if it was not yet.
     */
    public TlsTransportProvider(final TlsConfig config)
    {
        this(new TcpTransportProvider(), config);
    }

    /**
     * @param tcp    the sockets underneath (buffer sizes, {@code TCP_NODELAY}).
     * @param config identity and trust, concluded here if it was not yet.
     */
    public TlsTransportProvider(final TcpTransportProvider tcp, final TlsConfig config)
    {
        this.tcp = tcp;
        this.config = config.conclude();
    }

    /**
     * @return the configuration.
     */
    public TlsConfig config()
    {
        return config;
    }

    @Override
    public Transport connect(final SocketAddress remote, final long timeoutNanos) throws IOException
    {
        final long deadline = System.nanoTime() + timeoutNanos;
        final Transport socket = tcp.connect(remote, timeoutNanos);
        TlsTransport tls = null;
        try
        {
            final InetSocketAddress address = (InetSocketAddress)remote;
            tls = new TlsTransport(socket, config.newEngine(true, address.getHostString(), address.getPort()), deadline,
                config.engine());
            if (config.handshakeOnConnect())
            {
                tls.awaitHandshake(deadline - System.nanoTime());
            }
            else
            {
                try
                {
                    // Sends the ClientHello now; the rest follows as the connection is used.
                    tls.advanceHandshake();
                }
                catch (final IOException ex)
                {
                    // As over TCP, a peer that refused or failed is seen when the connection is first used: the
                    // transport keeps the reason for that first call.
                }
            }
            return tls;
        }
        catch (final IOException | RuntimeException ex)
        {
            if (tls != null)
            {
                tls.close();
            }
            socket.close();
            throw ex;
        }
    }

    @Override
    public TransportServer bind(final SocketAddress local) throws IOException
    {
        if (!config.hasIdentity())
        {
            throw new IllegalStateException("a TLS server needs a certificate and key: set TlsConfig.certificateChain " +
                "and privateKey, or keyStore");
        }
        return new TlsTransportServer(tcp.bind(local), config);
    }

    @Override
    public String name()
    {
        return "tls";
    }
}
