package dev.hayate.quic;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * A QUIC endpoint: a server bound to a UDP address that accepts connections, or a client that
 * connects. The backend (Netty's native quiche codec or kwik) is chosen by {@link QuicConfig#backend};
 * {@link QuicConfig.Backend#AUTO} picks Netty where its native library loads and kwik elsewhere.
 *
 * <pre>{@code
 * try (QuicEndpoint server = QuicEndpoint.server(new QuicConfig().bind("127.0.0.1:0"));
 *      QuicEndpoint client = QuicEndpoint.client(new QuicConfig().trustedCaPem(server.certificateChainPem())))
 * {
 *     QuicConnection connection = client.connect(server.localAddress(), "localhost");
 *     QuicConnection accepted = server.accept(Duration.ofSeconds(5));
 * }
 * }</pre>
 *
 * <p>Thread-safety: safe for concurrent use. {@link #close()} closes every connection of the endpoint
 * and wakes a thread blocked in {@link #accept}.
 */
public final class QuicEndpoint implements AutoCloseable
{
    private static final int MAX_PENDING = 1024;

    private final QuicConfig config;
    private final boolean server;
    private final Backend backend;
    private final Tls.Identity identity;
    private final InetSocketAddress localAddress;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final ArrayDeque<QuicConnection> pending = new ArrayDeque<>();
    private final java.util.Set<QuicConnection> connections = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile Consumer<QuicConnection> acceptListener;
    private volatile boolean closed;

    private QuicEndpoint(final QuicConfig config, final boolean server) throws IOException
    {
        this.config = config.copy();
        this.server = server;
        if (server)
        {
            identity = config.certificateChainPem() != null ?
                Tls.fromPem(config.certificateChainPem(), config.privateKeyPem()) : Tls.selfSigned(config.selfSignedNames());
        }
        else
        {
            if (config.trustedCaPem() == null && !config.trustAnyCertificate())
            {
                throw new IllegalArgumentException("a client needs trustedCaPem(...) or, for development, " +
                    "insecureTrustAnyCertificateForDevelopment()");
            }
            identity = null;
        }
        backend = createBackend(this.config, this);
        try
        {
            localAddress = server ? backend.listen() : null;
        }
        catch (final IOException | RuntimeException ex)
        {
            backend.close();
            throw ex;
        }
    }

    /**
     * Binds a server at {@link QuicConfig#bindAddress()} with the configured certificate, or a
     * generated self-signed one.
     *
     * @param config server configuration.
     * @return the bound server.
     * @throws IOException if the address cannot be bound or the certificate cannot be read.
     */
    public static QuicEndpoint server(final QuicConfig config) throws IOException
    {
        return new QuicEndpoint(config, true);
    }

    /**
     * Creates a client.
     *
     * @param config client configuration: a CA bundle, or the development-only permissive verifier.
     * @return the client.
     * @throws IOException if the backend cannot start.
     */
    public static QuicEndpoint client(final QuicConfig config) throws IOException
    {
        return new QuicEndpoint(config, false);
    }

    /**
     * @param config configuration.
     * @return the backend name {@link QuicConfig.Backend#AUTO} resolves to on this platform.
     */
    public static QuicConfig.Backend resolve(final QuicConfig config)
    {
        if (config.backend() != QuicConfig.Backend.AUTO)
        {
            return config.backend();
        }
        return NettyBackend.available() ? QuicConfig.Backend.NETTY : QuicConfig.Backend.KWIK;
    }

    private static Backend createBackend(final QuicConfig config, final QuicEndpoint endpoint)
    {
        switch (resolve(config))
        {
            case NETTY:
                if (!NettyBackend.available())
                {
                    throw new IllegalStateException("Netty's native QUIC codec is not available here: " +
                        NettyBackend.unavailabilityReason());
                }
                return new NettyBackend(config, endpoint);
            case KWIK:
            default:
                return new KwikBackend(config, endpoint);
        }
    }

    /**
     * Connects to a server.
     *
     * @param address    the server's UDP address.
     * @param serverName name sent in SNI and checked against the server certificate (DNS name or IP).
     * @return the established connection.
     * @throws QuicException with {@link QuicException.Kind#HANDSHAKE} if the handshake failed or timed out.
     */
    public QuicConnection connect(final InetSocketAddress address, final String serverName) throws QuicException
    {
        return connect(address, serverName, config.connectTimeout());
    }

    /**
     * @param address    the server's UDP address.
     * @param serverName name sent in SNI and checked against the server certificate.
     * @param timeout    longest handshake.
     * @return the established connection.
     * @throws QuicException with {@link QuicException.Kind#HANDSHAKE} if the handshake failed or timed out.
     */
    public QuicConnection connect(final InetSocketAddress address, final String serverName, final Duration timeout)
        throws QuicException
    {
        if (server)
        {
            throw new IllegalStateException("a server endpoint does not connect");
        }
        if (closed)
        {
            throw new QuicException(QuicException.Kind.LOCALLY_CLOSED, "endpoint closed");
        }
        final QuicConnection connection;
        try
        {
            connection = backend.connect(address, serverName, timeout.toNanos());
        }
        catch (final QuicException ex)
        {
            throw ex;
        }
        catch (final IOException | RuntimeException ex)
        {
            throw new QuicException(QuicException.Kind.HANDSHAKE, QuicException.NO_CODE,
                "connect to " + address + " (" + serverName + ") failed: " + ex.getMessage(), ex);
        }
        track(connection);
        return connection;
    }

    /**
     * Waits for a connection whose handshake completed.
     *
     * @param timeout longest wait, {@code null} for none.
     * @return the connection, or null if the deadline expired.
     * @throws QuicException if the endpoint is closed.
     */
    public QuicConnection accept(final Duration timeout) throws QuicException
    {
        if (!server)
        {
            throw new IllegalStateException("a client endpoint does not accept");
        }
        final long deadline = timeout == null ? 0 : System.nanoTime() + timeout.toNanos();
        lock.lock();
        try
        {
            while (pending.isEmpty())
            {
                if (closed)
                {
                    throw new QuicException(QuicException.Kind.LOCALLY_CLOSED, "endpoint closed");
                }
                if (timeout == null)
                {
                    arrived.awaitUninterruptibly();
                }
                else
                {
                    final long remaining = deadline - System.nanoTime();
                    if (remaining <= 0)
                    {
                        return null;
                    }
                    arrived.awaitNanos(remaining);
                }
            }
            return pending.pollFirst();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return null;
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * @return the bound address of a server (with the real port when bound to 0), null for a client.
     */
    public InetSocketAddress localAddress()
    {
        return localAddress;
    }

    /**
     * @return the server's certificate chain in PEM, leaf first (a client trusting a self-signed server
     *         uses it as its CA bundle); null for a client.
     */
    public String certificateChainPem()
    {
        return identity == null ? null : identity.chainPem();
    }

    /**
     * @return the name of the backend in use: {@code "netty-quic"} or {@code "kwik"}.
     */
    public String backendName()
    {
        return backend.name();
    }

    /**
     * Closes every connection and releases the socket. Idempotent.
     */
    @Override
    public void close()
    {
        lock.lock();
        try
        {
            if (closed)
            {
                return;
            }
            closed = true;
            arrived.signalAll();
        }
        finally
        {
            lock.unlock();
        }
        for (final QuicConnection connection : connections)
        {
            connection.disconnect(0, "endpoint closed");
        }
        backend.close();
    }

    /**
     * @return true once closed.
     */
    public boolean isClosed()
    {
        return closed;
    }

    @Override
    public String toString()
    {
        return "QuicEndpoint[" + (server ? "server " + localAddress : "client") + ", " + backend.name() + "]";
    }

    // ---- for backends and the transport adapter ----

    QuicConfig config()
    {
        return config;
    }

    Tls.Identity identity()
    {
        return identity;
    }

    void acceptListener(final Consumer<QuicConnection> listener)
    {
        acceptListener = listener;
    }

    /**
     * A connection whose handshake completed. Called on a backend thread; never blocks.
     */
    void onAccepted(final QuicConnection connection)
    {
        if (closed)
        {
            connection.disconnect(0, "endpoint closed");
            return;
        }
        track(connection);
        final Consumer<QuicConnection> listener = acceptListener;
        if (listener != null)
        {
            listener.accept(connection);
            return;
        }
        lock.lock();
        try
        {
            if (pending.size() >= MAX_PENDING)
            {
                connection.disconnect(0x100, "server busy: too many connections waiting to be accepted");
                return;
            }
            pending.addLast(connection);
            arrived.signalAll();
        }
        finally
        {
            lock.unlock();
        }
    }

    private void track(final QuicConnection connection)
    {
        connections.add(connection);
        connection.closeListener(connections::remove);
    }

    /**
     * @return how many times, in this JVM, the kwik backend's watchdog kicked a stream to work around
     *         kwik's lost wake-up (see {@link QuicConfig#kwikStallCheckInterval}); for tests and benchmarks.
     */
    public static long kwikStallKicks()
    {
        return KwikBackend.KICKS.get();
    }

    static long millis(final long nanos)
    {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
