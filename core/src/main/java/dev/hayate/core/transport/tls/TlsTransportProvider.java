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
 * <p>{@link #connect} returns once the handshake has finished (bounded by its timeout), so a refused
 * certificate fails the connect with an exception naming why. An accepted transport finishes its handshake as
 * it is first read or written, on whichever thread does that: accepting never waits on a peer.
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
            tls = new TlsTransport(socket, config.newEngine(true, address.getHostString(), address.getPort()), deadline);
            tls.awaitHandshake(deadline);
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
