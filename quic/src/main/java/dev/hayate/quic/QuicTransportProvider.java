package dev.hayate.quic;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.hayate.core.transport.Transport;
import dev.hayate.core.transport.TransportProvider;
import dev.hayate.core.transport.TransportServer;

/**
 * QUIC transports for the core transport SPI: a client {@link Transport} is one bidirectional stream,
 * and a server accepts one transport per stream a client opens.
 *
 * <pre>{@code
 * // server: self-signed certificate, Netty's native codec where available, kwik elsewhere
 * QuicTransportProvider serverSide = QuicTransportProvider.server(new QuicConfig());
 * TransportServer server = serverSide.bind(new InetSocketAddress("127.0.0.1", 0));
 * String caPem = QuicTransportProvider.certificateChainPem(server);
 *
 * // client: trusts that certificate
 * QuicTransportProvider clientSide = QuicTransportProvider.client(new QuicConfig().trustedCaPem(caPem));
 * Transport transport = clientSide.connect(server.localAddress(), TimeUnit.SECONDS.toNanos(5));
 * }</pre>
 *
 * <p>By default every {@link #connect} makes its own QUIC connection, closed with the transport. With
 * {@link #shareConnections(boolean)} all transports to one address are streams of one connection
 * (many logical {@code Clt}s over one connection), which lives until {@link #close()}.
 *
 * <p>Thread-safety: configure before first use; after that safe for concurrent use.
 */
public final class QuicTransportProvider implements TransportProvider, AutoCloseable
{
    private static final ScheduledExecutorService LINGER = Executors.newSingleThreadScheduledExecutor(r ->
    {
        final Thread thread = new Thread(r, "hayate-quic-linger");
        thread.setDaemon(true);
        return thread;
    });

    private final QuicConfig clientConfig;
    private final QuicConfig serverConfig;
    private final Map<SocketAddress, QuicConnection> shared = new ConcurrentHashMap<>();
    private final Object clientLock = new Object();
    private volatile QuicEndpoint clientEndpoint;
    private String serverName;
    private boolean shareConnections;
    private Duration closeLinger = Duration.ofSeconds(5);

    private QuicTransportProvider(final QuicConfig clientConfig, final QuicConfig serverConfig)
    {
        this.clientConfig = clientConfig == null ? null : clientConfig.copy();
        this.serverConfig = serverConfig == null ? null : serverConfig.copy();
    }

    /**
     * @param config client configuration (trust, backend, ALPN).
     * @return a provider that connects.
     */
    public static QuicTransportProvider client(final QuicConfig config)
    {
        return new QuicTransportProvider(config, null);
    }

    /**
     * @param config server configuration (certificate, backend, ALPN); its bind address is replaced by the
     *               one given to {@link #bind}.
     * @return a provider that binds.
     */
    public static QuicTransportProvider server(final QuicConfig config)
    {
        return new QuicTransportProvider(null, config);
    }

    /**
     * @param client client configuration, or null.
     * @param server server configuration, or null.
     * @return a provider that does both.
     */
    public static QuicTransportProvider of(final QuicConfig client, final QuicConfig server)
    {
        return new QuicTransportProvider(client, server);
    }

    /**
     * @param name server name for SNI and certificate checks; default: {@code localhost} for a loopback
     *             address, else the host string of the address given to {@link #connect}.
     * @return this.
     */
    public QuicTransportProvider serverName(final String name)
    {
        this.serverName = name;
        return this;
    }

    /**
     * @param share true to run every transport to one address as a stream of one shared connection.
     * @return this.
     */
    public QuicTransportProvider shareConnections(final boolean share)
    {
        this.shareConnections = share;
        return this;
    }

    /**
     * @param linger how long a closed client transport that owns its connection waits for the peer to
     *               finish before the connection is closed; default 5 s.
     * @return this.
     */
    public QuicTransportProvider closeLinger(final Duration linger)
    {
        if (linger == null || linger.isNegative())
        {
            throw new IllegalArgumentException("closeLinger must be >= 0: " + linger);
        }
        this.closeLinger = linger;
        return this;
    }

    /**
     * @param server bound by a QUIC provider.
     * @return its certificate chain in PEM, for a client's CA bundle.
     */
    public static String certificateChainPem(final TransportServer server)
    {
        if (!(server instanceof QuicTransportServer))
        {
            throw new IllegalArgumentException("not a QUIC transport server: " + server);
        }
        return ((QuicTransportServer)server).endpoint().certificateChainPem();
    }

    @Override
    public Transport connect(final SocketAddress remote, final long timeoutNanos) throws IOException
    {
        if (clientConfig == null)
        {
            throw new IllegalStateException("this provider has no client configuration");
        }
        if (!(remote instanceof InetSocketAddress))
        {
            throw new IllegalArgumentException("not an IP socket address: " + remote);
        }
        final InetSocketAddress address = (InetSocketAddress)remote;
        final long deadline = System.nanoTime() + timeoutNanos;
        final QuicEndpoint endpoint = clientEndpoint();
        // kwik checks names against DNS entries only, so loopback goes by the name every self-signed cert has.
        final String name = serverName != null ? serverName :
            address.getAddress() != null && address.getAddress().isLoopbackAddress() ? "localhost" : address.getHostString();
        QuicConnection connection = shareConnections ? shared.get(address) : null;
        if (connection == null || connection.isClosed())
        {
            try
            {
                connection = endpoint.connect(address, name, Duration.ofNanos(Math.max(1, timeoutNanos)));
            }
            catch (final QuicException ex)
            {
                if (System.nanoTime() - deadline >= 0)
                {
                    final SocketTimeoutException timeout = new SocketTimeoutException("QUIC connect to " + address +
                        " timed out after " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms: " + ex.getMessage());
                    timeout.initCause(ex);
                    throw timeout;
                }
                throw ex;
            }
            if (shareConnections)
            {
                final QuicConnection existing = shared.putIfAbsent(address, connection);
                if (existing != null && !existing.isClosed())
                {
                    connection.disconnect(0, "duplicate");
                    connection = existing;
                }
                else if (existing != null)
                {
                    shared.put(address, connection);
                }
            }
        }
        final QuicConnection owned = shareConnections ? null : connection;
        final QuicStream stream;
        try
        {
            stream = connection.openStream(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            stream.send(new byte[] {QuicTransportServer.PREAMBLE});
        }
        catch (final IOException | RuntimeException ex)
        {
            if (owned != null)
            {
                owned.disconnect(0, "stream setup failed");
            }
            throw ex;
        }
        return new QuicTransport(stream, owned == null ? null : () -> lingerThenClose(stream, owned));
    }

    private void lingerThenClose(final QuicStream stream, final QuicConnection connection)
    {
        // Closing now could drop data still queued in the QUIC stack; the peer's FIN proves it got ours.
        stream.peerDoneListener(() -> connection.disconnect(0, "transport closed"));
        LINGER.schedule(() -> connection.disconnect(0, "transport closed (linger expired)"),
            closeLinger.toNanos(), TimeUnit.NANOSECONDS);
    }

    private QuicEndpoint clientEndpoint() throws IOException
    {
        QuicEndpoint endpoint = clientEndpoint;
        if (endpoint == null)
        {
            synchronized (clientLock)
            {
                endpoint = clientEndpoint;
                if (endpoint == null)
                {
                    endpoint = QuicEndpoint.client(clientConfig);
                    clientEndpoint = endpoint;
                }
            }
        }
        return endpoint;
    }

    @Override
    public TransportServer bind(final SocketAddress local) throws IOException
    {
        if (serverConfig == null)
        {
            throw new IllegalStateException("this provider has no server configuration");
        }
        if (!(local instanceof InetSocketAddress))
        {
            throw new IllegalArgumentException("not an IP socket address: " + local);
        }
        return new QuicTransportServer(QuicEndpoint.server(serverConfig.copy().bindAddress((InetSocketAddress)local)));
    }

    @Override
    public String name()
    {
        final QuicConfig config = clientConfig != null ? clientConfig : serverConfig;
        return QuicEndpoint.resolve(config) == QuicConfig.Backend.NETTY ? "quic-netty" : "quic-kwik";
    }

    /**
     * Closes the client endpoint and every connection it made. Servers are closed on their own.
     */
    @Override
    public void close()
    {
        synchronized (clientLock)
        {
            if (clientEndpoint != null)
            {
                clientEndpoint.close();
                clientEndpoint = null;
            }
        }
        shared.clear();
    }
}
