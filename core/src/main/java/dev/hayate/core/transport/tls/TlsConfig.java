package dev.hayate.core.transport.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * What a TLS endpoint presents and whom it trusts. One configuration serves both sides of a
 * {@link TlsTransportProvider}: its identity is the server's certificate (and the client's, for mutual TLS),
 * its trust checks the peer.
 *
 * <pre>{@code
 * TlsConfig server = new TlsConfig().certificateChain(Path.of("cert.pem")).privateKey(Path.of("key.pem"));
 * TlsConfig client = new TlsConfig().trustCertificates(Path.of("ca.pem")).pinSha256("q0...base64...=");
 * }</pre>
 *
 * <ul>
 *   <li>Identity: a PEM chain (leaf first) and an unencrypted PKCS#8 PEM key, or a PKCS#12/JKS key store.</li>
 *   <li>Trust: a PEM CA bundle, or a trust store; with neither, the JDK's default CAs.</li>
 *   <li>Pins: SHA-256 of the peer's SubjectPublicKeyInfo, checked after the chain (any one must match).</li>
 *   <li>Client certificates: {@link #clientAuth(ClientAuth)}; the server checks them against its trust.</li>
 *   <li>TLS 1.3 only unless {@link #protocols} says otherwise; the client checks the server's name
 *       (as HTTPS does) against {@link #serverName} or the host it dialled.</li>
 *   <li>The engine: the JDK's {@code SSLEngine} (default), or BoringSSL through Netty's tcnative
 *       ({@link #engine(Engine)}), which needs two optional artifacts on the class path
 *       ({@value #OPENSSL_ARTIFACTS}). Both use the same key and trust managers, so every setting above means the
 *       same with either.</li>
 * </ul>
 *
 * <p>Thread-safety: configure on one thread, then {@link #conclude()}; after that it is immutable and safe
 * to share.
 */
public final class TlsConfig
{
    /**
     * Whether a server asks for the client's certificate.
     */
    public enum ClientAuth
    {
        /** Never asked for. */
        NONE,
        /** Asked for and checked if sent; a client without one is let in. */
        OPTIONAL,
        /** Required: a client without a trusted certificate is refused. */
        REQUIRED
    }

    /**
     * Which implementation of TLS seals and opens the records.
     */
    public enum Engine
    {
        /** The JDK's {@code SSLEngine}: nothing to add; allocates about 3 KB per record. */
        JDK,
        /**
         * BoringSSL through Netty's tcnative ({@value TlsConfig#OPENSSL_ARTIFACTS} on the class path): records are
         * sealed and opened in native code straight between the transport's direct buffers.
         */
        OPENSSL
    }

    /**
     * What {@link Engine#OPENSSL} needs on the class path, named in the error when it is missing.
     */
    public static final String OPENSSL_ARTIFACTS = "io.netty:netty-handler and " +
        "io.netty:netty-tcnative-boringssl-static (with the classifier of the platform, such as linux-x86_64)";

    private static final int NO_TICKETS_SESSION_TIMEOUT_SECONDS = 7 * 24 * 3600 + 1;

    private Path certificateChainFile;
    private Path privateKeyFile;
    private Path keyStoreFile;
    private char[] keyStorePassword;
    private Path trustCertificatesFile;
    private Path trustStoreFile;
    private char[] trustStorePassword;
    private final Set<String> pins = new LinkedHashSet<>();
    private ClientAuth clientAuth = ClientAuth.NONE;
    private String serverName;
    private boolean verifyHostname = true;
    private String[] protocols = {"TLSv1.3"};
    private String[] cipherSuites;
    private long handshakeTimeoutNanos = TimeUnit.SECONDS.toNanos(10);
    private boolean handshakeOnConnect;
    private Engine engineKind = Engine.JDK;
    private SSLContext sslContext;
    private OpenSslEngines openSsl;

    /**
     * @param pemFile the certificate chain, leaf first, in PEM.
     * @return this.
     */
    public TlsConfig certificateChain(final Path pemFile)
    {
        certificateChainFile = pemFile;
        return this;
    }

    /**
     * @param pemFile the private key of the chain's leaf: an unencrypted PKCS#8 {@code PRIVATE KEY} block.
     * @return this.
     */
    public TlsConfig privateKey(final Path pemFile)
    {
        privateKeyFile = pemFile;
        return this;
    }

    /**
     * @param file     a PKCS#12 or JKS key store with one key entry (instead of PEM files).
     * @param password of the store and its key.
     * @return this.
     */
    public TlsConfig keyStore(final Path file, final char[] password)
    {
        keyStoreFile = file;
        keyStorePassword = password == null ? null : password.clone();
        return this;
    }

    /**
     * @param pemFile CA certificates (a bundle) that the peer's chain must lead to.
     * @return this.
     */
    public TlsConfig trustCertificates(final Path pemFile)
    {
        trustCertificatesFile = pemFile;
        return this;
    }

    /**
     * @param file     a PKCS#12 or JKS trust store (instead of a PEM bundle).
     * @param password of the store, or null.
     * @return this.
     */
    public TlsConfig trustStore(final Path file, final char[] password)
    {
        trustStoreFile = file;
        trustStorePassword = password == null ? null : password.clone();
        return this;
    }

    /**
     * Adds a pin: the peer's leaf key must be one of the pinned keys, on top of a trusted chain.
     *
     * @param base64 SHA-256 of the peer's DER SubjectPublicKeyInfo, base64 (as {@link Pem#pinSha256} writes it;
     *               a {@code sha256/} prefix is accepted).
     * @return this.
     */
    public TlsConfig pinSha256(final String base64)
    {
        final String value = base64.startsWith("sha256/") ? base64.substring("sha256/".length()) : base64;
        final byte[] digest;
        try
        {
            digest = Base64.getDecoder().decode(value);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("pin is not base64: " + base64, ex);
        }
        if (digest.length != 32)
        {
            throw new IllegalArgumentException("pin must be 32 bytes of SHA-256, got " + digest.length + ": " + base64);
        }
        pins.add(Base64.getEncoder().encodeToString(digest));
        return this;
    }

    /**
     * @param mode whether a server asks for client certificates (default {@link ClientAuth#NONE}).
     * @return this.
     */
    public TlsConfig clientAuth(final ClientAuth mode)
    {
        clientAuth = mode;
        return this;
    }

    /**
     * @param name the name a client expects in the server's certificate and sends as SNI; by default the host
     *             it dials.
     * @return this.
     */
    public TlsConfig serverName(final String name)
    {
        serverName = name;
        return this;
    }

    /**
     * @param on whether a client checks the server's certificate names the host (default true). Turning it off
     *           is for pinned keys or private CAs whose certificates name no host.
     * @return this.
     */
    public TlsConfig verifyHostname(final boolean on)
    {
        verifyHostname = on;
        return this;
    }

    /**
     * @param names enabled protocol versions, default {@code TLSv1.3} only.
     * @return this.
     */
    public TlsConfig protocols(final String... names)
    {
        protocols = names.clone();
        return this;
    }

    /**
     * @param names enabled cipher suites, or none given for the JDK's defaults.
     * @return this.
     */
    public TlsConfig cipherSuites(final String... names)
    {
        cipherSuites = names.length == 0 ? null : names.clone();
        return this;
    }

    /**
     * @param timeout longest time a server gives a peer to finish its handshake (default 10 s); a client's
     *                handshake is bounded by its connect timeout.
     * @return this.
     */
    public TlsConfig handshakeTimeout(final Duration timeout)
    {
        handshakeTimeoutNanos = timeout.toNanos();
        return this;
    }

    /**
     * @param kind the TLS implementation (default {@link Engine#JDK}). {@link Engine#OPENSSL} needs
     *             {@value #OPENSSL_ARTIFACTS}; {@link #conclude()} fails naming them if they are missing or the
     *             native library does not load here.
     * @return this.
     */
    public TlsConfig engine(final Engine kind)
    {
        engineKind = kind;
        return this;
    }

    /**
     * @return the TLS implementation chosen.
     */
    public Engine engine()
    {
        return engineKind;
    }

    /**
     * @param on whether a client's connect waits for the whole handshake (default false: it sends its hello and
     *           returns, and the handshake finishes as the connection is first used). Waiting reports a refused
     *           certificate from connect itself, but needs the service to be reading its accepted connections.
     * @return this.
     */
    public TlsConfig handshakeOnConnect(final boolean on)
    {
        handshakeOnConnect = on;
        return this;
    }

    /**
     * @return whether a client's connect waits for the whole handshake.
     */
    public boolean handshakeOnConnect()
    {
        return handshakeOnConnect;
    }

    /**
     * @return the server-side handshake bound in nanoseconds.
     */
    public long handshakeTimeoutNanos()
    {
        return handshakeTimeoutNanos;
    }

    /**
     * @return the SHA-256 pins, base64, in the order added.
     */
    public List<String> pins()
    {
        return List.copyOf(pins);
    }

    /**
     * @return whether {@link #conclude()} has run.
     */
    public boolean isConcluded()
    {
        return sslContext != null;
    }

    /**
     * Validates the settings, reads the files and builds the JDK's {@link SSLContext} (and, for
     * {@link Engine#OPENSSL}, Netty's contexts over the same key and trust managers). Idempotent.
     *
     * @return this.
     * @throws IllegalStateException if the settings contradict each other, or {@link Engine#OPENSSL} was chosen and
     *                               {@value #OPENSSL_ARTIFACTS} are missing or BoringSSL does not load.
     * @throws UncheckedIOException  if a file cannot be read or holds the wrong thing.
     */
    public TlsConfig conclude()
    {
        if (sslContext != null)
        {
            return this;
        }
        if ((certificateChainFile == null) != (privateKeyFile == null))
        {
            throw new IllegalStateException("certificateChain and privateKey go together: set both or neither");
        }
        if (certificateChainFile != null && keyStoreFile != null)
        {
            throw new IllegalStateException("an identity from PEM files or from a key store, not both");
        }
        if (trustCertificatesFile != null && trustStoreFile != null)
        {
            throw new IllegalStateException("trust from a PEM bundle or from a trust store, not both");
        }
        if (protocols.length == 0)
        {
            throw new IllegalStateException("no protocol enabled");
        }
        if (handshakeTimeoutNanos <= 0)
        {
            throw new IllegalStateException("handshakeTimeout must be positive");
        }
        if (engineKind == null)
        {
            throw new IllegalStateException("no engine chosen");
        }
        if (engineKind == Engine.OPENSSL)
        {
            checkOpenSslAvailable();
        }
        try
        {
            final KeyManager[] keys = keyManagers();
            final TrustManager[] trust = trustManagers();
            final SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys, trust, null);
            // No TLS 1.3 session tickets (the JDK sends none when sessions outlive a ticket's 7-day maximum):
            // connections are long-lived, and a ticket nobody reads makes a client that only writes close with a
            // reset, which can destroy its last messages in flight.
            context.getServerSessionContext().setSessionTimeout(NO_TICKETS_SESSION_TIMEOUT_SECONDS);
            final List<String> supported = Arrays.asList(context.getSupportedSSLParameters().getProtocols());
            for (final String protocol : protocols)
            {
                if (!supported.contains(protocol))
                {
                    throw new IllegalStateException("protocol " + protocol + " is not supported here: " + supported);
                }
            }
            if (engineKind == Engine.OPENSSL)
            {
                // The same managers as the JDK's context: PEM or key store identity, trust, pins, client checks.
                try
                {
                    openSsl = new OpenSslEngines(keys, trust, clientAuth, protocols, cipherSuites);
                }
                catch (final javax.net.ssl.SSLException | IllegalArgumentException ex)
                {
                    throw new IllegalStateException("cannot set up the OpenSSL engine: " + ex.getMessage(), ex);
                }
            }
            sslContext = context;
            return this;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("cannot set up TLS: " + ex.getMessage(), ex);
        }
    }

    /**
     * Fails unless netty-handler is on the class path and BoringSSL loads. Looks for Netty by name first, so
     * {@link OpenSslEngines} (which refers to Netty's classes) is loaded only when they are there.
     */
    private static void checkOpenSslAvailable()
    {
        try
        {
            Class.forName("io.netty.handler.ssl.OpenSsl", false, TlsConfig.class.getClassLoader());
        }
        catch (final ClassNotFoundException | LinkageError ex)
        {
            throw new IllegalStateException("TlsConfig.engine(OPENSSL) needs Netty's tcnative on the class path: add " +
                OPENSSL_ARTIFACTS + " (netty-handler is missing: " + ex + ")", ex);
        }
        final String reason;
        try
        {
            reason = OpenSslEngines.unavailableReason();
        }
        catch (final LinkageError ex)
        {
            throw new IllegalStateException("TlsConfig.engine(OPENSSL) cannot load Netty's OpenSSL support: add " +
                OPENSSL_ARTIFACTS + " (" + ex + ")", ex);
        }
        if (reason != null)
        {
            throw new IllegalStateException("TlsConfig.engine(OPENSSL): " + reason);
        }
    }

    /**
     * @return whether this configuration has an identity to present (required on a server).
     */
    boolean hasIdentity()
    {
        return certificateChainFile != null || keyStoreFile != null;
    }

    /**
     * Makes an engine for one connection. Handshake time: may allocate.
     *
     * @param client true for the dialling side.
     * @param host   the host dialled (client), or the peer's address (server, for logs only).
     * @param port   the peer's port.
     * @return the configured engine.
     */
    SSLEngine newEngine(final boolean client, final String host, final int port)
    {
        final String peerHost = client && serverName != null ? serverName : host;
        final SSLEngine engine;
        if (openSsl != null)
        {
            // Already in its mode (a client or a server context); the JDK's is told below.
            engine = openSsl.newEngine(client, peerHost, port);
        }
        else
        {
            engine = sslContext.createSSLEngine(peerHost, port);
            engine.setUseClientMode(client);
        }
        final SSLParameters parameters = engine.getSSLParameters();
        parameters.setProtocols(protocols);
        if (cipherSuites != null)
        {
            parameters.setCipherSuites(cipherSuites);
        }
        // Said either way: Netty's engines otherwise default to checking the name.
        parameters.setEndpointIdentificationAlgorithm(client && verifyHostname ? "HTTPS" : null);
        if (!client)
        {
            parameters.setNeedClientAuth(clientAuth == ClientAuth.REQUIRED);
            if (clientAuth == ClientAuth.OPTIONAL)
            {
                parameters.setWantClientAuth(true);
            }
        }
        engine.setSSLParameters(parameters);
        return engine;
    }

    private KeyManager[] keyManagers() throws IOException, GeneralSecurityException
    {
        final KeyStore store;
        final char[] password;
        if (keyStoreFile != null)
        {
            password = keyStorePassword == null ? new char[0] : keyStorePassword;
            store = loadStore(keyStoreFile, password);
        }
        else if (certificateChainFile != null)
        {
            password = new char[0];
            final List<X509Certificate> chain = Pem.readCertificates(certificateChainFile);
            final PrivateKey key = Pem.readPrivateKey(privateKeyFile);
            store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("identity", key, password, chain.toArray(new X509Certificate[0]));
        }
        else
        {
            return null;
        }
        final KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, password);
        return factory.getKeyManagers();
    }

    private TrustManager[] trustManagers() throws IOException, GeneralSecurityException
    {
        KeyStore store = null;
        if (trustStoreFile != null)
        {
            store = loadStore(trustStoreFile, trustStorePassword);
        }
        else if (trustCertificatesFile != null)
        {
            store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            final List<X509Certificate> certificates = Pem.readCertificates(trustCertificatesFile);
            for (int i = 0; i < certificates.size(); i++)
            {
                store.setCertificateEntry("ca-" + i, certificates.get(i));
            }
        }
        final TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        final List<TrustManager> managers = new ArrayList<>();
        for (final TrustManager manager : factory.getTrustManagers())
        {
            managers.add(manager instanceof X509ExtendedTrustManager && !pins.isEmpty() ?
                new PinningTrustManager((X509ExtendedTrustManager)manager, Set.copyOf(pins)) : manager);
        }
        return managers.toArray(new TrustManager[0]);
    }

    private static KeyStore loadStore(final Path file, final char[] password) throws IOException, GeneralSecurityException
    {
        if (!Files.isReadable(file))
        {
            throw new IOException("cannot read key store " + file);
        }
        return KeyStore.getInstance(file.toFile(), password);
    }

    /**
     * Checks the chain with the JDK's trust manager (and the host name, when the engine asks), then the pins.
     */
    private static final class PinningTrustManager extends X509ExtendedTrustManager
    {
        private final X509ExtendedTrustManager delegate;
        private final Set<String> pins;

        PinningTrustManager(final X509ExtendedTrustManager delegate, final Set<String> pins)
        {
            this.delegate = delegate;
            this.pins = pins;
        }

        private void checkPin(final X509Certificate[] chain) throws CertificateException
        {
            final String pin = Pem.pinSha256(chain[0].getPublicKey());
            if (!pins.contains(pin))
            {
                throw new CertificateException("certificate pin mismatch: the peer's key sha256/" + pin +
                    " is not among the pinned keys " + pins);
            }
        }

        @Override
        public void checkClientTrusted(final X509Certificate[] chain, final String authType, final Socket socket)
            throws CertificateException
        {
            delegate.checkClientTrusted(chain, authType, socket);
            checkPin(chain);
        }

        @Override
        public void checkServerTrusted(final X509Certificate[] chain, final String authType, final Socket socket)
            throws CertificateException
        {
            delegate.checkServerTrusted(chain, authType, socket);
            checkPin(chain);
        }

        @Override
        public void checkClientTrusted(final X509Certificate[] chain, final String authType, final SSLEngine engine)
            throws CertificateException
        {
            delegate.checkClientTrusted(chain, authType, engine);
            checkPin(chain);
        }

        @Override
        public void checkServerTrusted(final X509Certificate[] chain, final String authType, final SSLEngine engine)
            throws CertificateException
        {
            delegate.checkServerTrusted(chain, authType, engine);
            checkPin(chain);
        }

        @Override
        public void checkClientTrusted(final X509Certificate[] chain, final String authType) throws CertificateException
        {
            delegate.checkClientTrusted(chain, authType);
            checkPin(chain);
        }

        @Override
        public void checkServerTrusted(final X509Certificate[] chain, final String authType) throws CertificateException
        {
            delegate.checkServerTrusted(chain, authType);
            checkPin(chain);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers()
        {
            return delegate.getAcceptedIssuers();
        }
    }
}
