package dev.hayate.quic;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Configuration of a {@link QuicEndpoint}: backend, ALPN, addresses, certificates, trust, timeouts and
 * buffer sizes. Fluent setters with defaults; {@link QuicEndpoint} validates and copies it, so later
 * changes do not affect an endpoint already made.
 *
 * <pre>{@code
 * QuicConfig server = new QuicConfig().applicationProtocol("hayate").bind(":0");          // self-signed
 * QuicConfig client = new QuicConfig().applicationProtocol("hayate").trustedCaPem(caPem);
 * }</pre>
 *
 * <p>Thread-safety: not thread-safe; configure on one thread, then hand it to an endpoint.
 */
public final class QuicConfig implements Cloneable
{
    /**
     * Which QUIC implementation runs underneath.
     */
    public enum Backend
    {
        /** Netty's native codec (quiche) where its native library loads, otherwise kwik. */
        AUTO,
        /** Netty's native QUIC codec (quiche via JNI, Apache-2.0): fast; Linux x86_64 in this build. */
        NETTY,
        /** kwik (pure Java, LGPL-3.0): every platform, slower. */
        KWIK
    }

    private Backend backend = Backend.AUTO;
    private String applicationProtocol = "hayate";
    private InetSocketAddress bindAddress = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private String certificateChainPem;
    private String privateKeyPem;
    private List<String> selfSignedNames = List.of("localhost", "127.0.0.1", "::1");
    private String trustedCaPem;
    private boolean trustAnyCertificate;
    private Duration idleTimeout = Duration.ofSeconds(30);
    private Duration connectTimeout = Duration.ofSeconds(10);
    private int streamSendBufferBytes = 1 << 20;
    private int streamReceiveBufferBytes = 1 << 20;
    private long streamWindowBytes = 8L << 20;
    private long connectionWindowBytes = 32L << 20;
    private int maxPeerStreams = 128;
    private Duration kwikStallCheckInterval = Duration.ofMillis(10);
    private boolean kwikStallWorkaround = true;
    private boolean nettyEpoll = true;

    /**
     * @param backend implementation to use; default {@link Backend#AUTO}.
     * @return this.
     */
    public QuicConfig backend(final Backend backend)
    {
        this.backend = Objects.requireNonNull(backend, "backend");
        return this;
    }

    /**
     * @param protocol ALPN protocol id both sides must agree on; default {@code "hayate"}.
     * @return this.
     */
    public QuicConfig applicationProtocol(final String protocol)
    {
        if (protocol == null || protocol.isEmpty() || protocol.length() > 255)
        {
            throw new IllegalArgumentException("application protocol must be 1..255 characters: " + protocol);
        }
        this.applicationProtocol = protocol;
        return this;
    }

    /**
     * @param address local UDP address; port 0 picks a free port. Default {@code 127.0.0.1:0}.
     * @return this.
     */
    public QuicConfig bindAddress(final InetSocketAddress address)
    {
        this.bindAddress = Objects.requireNonNull(address, "address");
        return this;
    }

    /**
     * Parses {@code host:port}, {@code [v6]:port}, {@code :port} (loopback) or {@code port}.
     *
     * @param spec address specification.
     * @return this.
     * @throws IllegalArgumentException if the host cannot be resolved or the port is out of range.
     */
    public QuicConfig bind(final String spec)
    {
        return bindAddress(parseAddress(spec));
    }

    static InetSocketAddress parseAddress(final String spec)
    {
        Objects.requireNonNull(spec, "spec");
        final int colon = spec.lastIndexOf(':');
        String host = colon < 0 ? "" : spec.substring(0, colon);
        final String portText = colon < 0 ? spec : spec.substring(colon + 1);
        if (host.startsWith("[") && host.endsWith("]"))
        {
            host = host.substring(1, host.length() - 1);
        }
        final int port;
        try
        {
            port = Integer.parseInt(portText);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("bad port in address '" + spec + "'", ex);
        }
        if (port < 0 || port > 65535)
        {
            throw new IllegalArgumentException("port out of range in address '" + spec + "'");
        }
        try
        {
            final InetAddress address = host.isEmpty() ? InetAddress.getLoopbackAddress() : InetAddress.getByName(host);
            return new InetSocketAddress(address, port);
        }
        catch (final UnknownHostException ex)
        {
            throw new IllegalArgumentException("unknown host in address '" + spec + "'", ex);
        }
    }

    /**
     * Serves with the given certificate instead of a generated self-signed one.
     *
     * @param chainPem PEM text, leaf certificate first.
     * @param keyPem   PEM text of the unencrypted PKCS#8 (or PKCS#1 / SEC1) private key of the leaf.
     * @return this.
     */
    public QuicConfig certificate(final String chainPem, final String keyPem)
    {
        this.certificateChainPem = Objects.requireNonNull(chainPem, "chainPem");
        this.privateKeyPem = Objects.requireNonNull(keyPem, "keyPem");
        return this;
    }

    /**
     * @param chainPem file with the PEM certificate chain, leaf first.
     * @param keyPem   file with the PEM private key.
     * @return this.
     * @throws IOException if a file cannot be read.
     */
    public QuicConfig certificate(final Path chainPem, final Path keyPem) throws IOException
    {
        return certificate(Files.readString(chainPem, StandardCharsets.US_ASCII),
            Files.readString(keyPem, StandardCharsets.US_ASCII));
    }

    /**
     * @param names DNS names and IP addresses put in a generated self-signed certificate's subject
     *              alternative names; default {@code localhost, 127.0.0.1, ::1}.
     * @return this.
     */
    public QuicConfig selfSignedNames(final String... names)
    {
        if (names.length == 0)
        {
            throw new IllegalArgumentException("at least one name is needed");
        }
        this.selfSignedNames = List.of(names);
        return this;
    }

    /**
     * Trusts servers whose chain ends at a certificate in this PEM bundle. A self-signed server
     * certificate is its own CA.
     *
     * @param caPem PEM text with one or more CA certificates.
     * @return this.
     */
    public QuicConfig trustedCaPem(final String caPem)
    {
        this.trustedCaPem = Objects.requireNonNull(caPem, "caPem");
        this.trustAnyCertificate = false;
        return this;
    }

    /**
     * @param caPem file with the PEM CA bundle.
     * @return this.
     * @throws IOException if the file cannot be read.
     */
    public QuicConfig trustedCaPem(final Path caPem) throws IOException
    {
        return trustedCaPem(Files.readString(caPem, StandardCharsets.US_ASCII));
    }

    /**
     * Accepts any server certificate. For development only: it gives no protection against a man in
     * the middle, which is why it has to be asked for by this name.
     *
     * @return this.
     */
    public QuicConfig insecureTrustAnyCertificateForDevelopment()
    {
        this.trustAnyCertificate = true;
        this.trustedCaPem = null;
        return this;
    }

    /**
     * @param timeout a connection with no traffic for this long closes; default 30 s.
     * @return this.
     */
    public QuicConfig idleTimeout(final Duration timeout)
    {
        this.idleTimeout = positive(timeout, "idleTimeout");
        return this;
    }

    /**
     * @param timeout longest handshake for {@link QuicEndpoint#connect}; default 10 s.
     * @return this.
     */
    public QuicConfig connectTimeout(final Duration timeout)
    {
        this.connectTimeout = positive(timeout, "connectTimeout");
        return this;
    }

    /**
     * @param bytes per-stream send queue between the application and the QUIC stack; {@code send}
     *              waits (up to its deadline) while it is full. Default 1 MiB.
     * @return this.
     */
    public QuicConfig streamSendBufferBytes(final int bytes)
    {
        this.streamSendBufferBytes = atLeast(bytes, 1024, "streamSendBufferBytes");
        return this;
    }

    /**
     * @param bytes per-stream receive queue; reading from the QUIC stack pauses while it is full, so
     *              flow control pushes back on the peer. Default 1 MiB.
     * @return this.
     */
    public QuicConfig streamReceiveBufferBytes(final int bytes)
    {
        this.streamReceiveBufferBytes = atLeast(bytes, 1024, "streamReceiveBufferBytes");
        return this;
    }

    /**
     * @param bytes QUIC flow-control window per stream; default 8 MiB.
     * @return this.
     */
    public QuicConfig streamWindowBytes(final long bytes)
    {
        this.streamWindowBytes = atLeast(bytes, 16 * 1024, "streamWindowBytes");
        return this;
    }

    /**
     * @param bytes QUIC flow-control window per connection; default 32 MiB.
     * @return this.
     */
    public QuicConfig connectionWindowBytes(final long bytes)
    {
        this.connectionWindowBytes = atLeast(bytes, 16 * 1024, "connectionWindowBytes");
        return this;
    }

    /**
     * @param streams bidirectional streams the peer may have open at once; default 128.
     * @return this.
     */
    public QuicConfig maxPeerStreams(final int streams)
    {
        this.maxPeerStreams = atLeast(streams, 1, "maxPeerStreams");
        return this;
    }

    /**
     * @param interval how often the kwik backend checks for a writer stuck with buffered data and no
     *                 send request (the lost wake-up of kwik 0.10.x); default 10 ms.
     * @return this.
     */
    public QuicConfig kwikStallCheckInterval(final Duration interval)
    {
        this.kwikStallCheckInterval = positive(interval, "kwikStallCheckInterval");
        return this;
    }

    /**
     * @param on whether the kwik backend runs its stall watchdog (default true). Off only to reproduce
     *           kwik's lost wake-up in benchmarks; without it bulk transfers over kwik stall.
     * @return this.
     */
    public QuicConfig kwikStallWorkaround(final boolean on)
    {
        this.kwikStallWorkaround = on;
        return this;
    }

    /**
     * @param on whether the Netty backend uses Linux epoll, with batched receives and segmentation
     *           offload (GSO), where its native library loads (default true); NIO otherwise.
     * @return this.
     */
    public QuicConfig nettyEpoll(final boolean on)
    {
        this.nettyEpoll = on;
        return this;
    }

    private static Duration positive(final Duration value, final String name)
    {
        if (value == null || value.isNegative() || value.isZero())
        {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
        return value;
    }

    private static int atLeast(final int value, final int min, final String name)
    {
        if (value < min)
        {
            throw new IllegalArgumentException(name + " must be >= " + min + ": " + value);
        }
        return value;
    }

    private static long atLeast(final long value, final long min, final String name)
    {
        if (value < min)
        {
            throw new IllegalArgumentException(name + " must be >= " + min + ": " + value);
        }
        return value;
    }

    /** @return the backend asked for. */
    public Backend backend()
    {
        return backend;
    }

    /** @return the ALPN protocol id. */
    public String applicationProtocol()
    {
        return applicationProtocol;
    }

    /** @return the local address to bind. */
    public InetSocketAddress bindAddress()
    {
        return bindAddress;
    }

    /**
     * The local address a client binds to reach {@code remote}: the remote itself when it is a loopback address,
     * the configured bind address otherwise, except that a loopback bind address (the default) becomes the
     * wildcard of the remote's family, since a socket bound to loopback can never reach another address.
     *
     * @param remote the peer a client dials.
     * @return the local IP to bind (port 0).
     */
    InetAddress clientBindFor(final InetSocketAddress remote)
    {
        if (remote.getAddress().isLoopbackAddress())
        {
            return remote.getAddress();
        }
        final InetAddress configured = bindAddress.getAddress();
        if (!configured.isLoopbackAddress())
        {
            return configured;
        }
        return new InetSocketAddress(remote.getAddress() instanceof java.net.Inet6Address ? "::" : "0.0.0.0", 0)
            .getAddress();
    }

    String certificateChainPem()
    {
        return certificateChainPem;
    }

    String privateKeyPem()
    {
        return privateKeyPem;
    }

    List<String> selfSignedNames()
    {
        return selfSignedNames;
    }

    String trustedCaPem()
    {
        return trustedCaPem;
    }

    boolean trustAnyCertificate()
    {
        return trustAnyCertificate;
    }

    /** @return the idle timeout. */
    public Duration idleTimeout()
    {
        return idleTimeout;
    }

    /** @return the handshake timeout. */
    public Duration connectTimeout()
    {
        return connectTimeout;
    }

    int streamSendBufferBytes()
    {
        return streamSendBufferBytes;
    }

    int streamReceiveBufferBytes()
    {
        return streamReceiveBufferBytes;
    }

    long streamWindowBytes()
    {
        return streamWindowBytes;
    }

    long connectionWindowBytes()
    {
        return connectionWindowBytes;
    }

    int maxPeerStreams()
    {
        return maxPeerStreams;
    }

    Duration kwikStallCheckInterval()
    {
        return kwikStallCheckInterval;
    }

    boolean kwikStallWorkaround()
    {
        return kwikStallWorkaround;
    }

    boolean nettyEpoll()
    {
        return nettyEpoll;
    }

    /**
     * @return an independent copy.
     */
    public QuicConfig copy()
    {
        try
        {
            return (QuicConfig)super.clone();
        }
        catch (final CloneNotSupportedException ex)
        {
            throw new AssertionError(ex);
        }
    }

    @Override
    protected Object clone() throws CloneNotSupportedException
    {
        return super.clone();
    }
}
