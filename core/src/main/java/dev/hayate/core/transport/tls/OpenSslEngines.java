package dev.hayate.core.transport.tls;

import java.util.Arrays;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslSessionContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

/**
 * The {@link TlsConfig.Engine#OPENSSL} engines: BoringSSL through Netty's tcnative, built from the same key and
 * trust managers as the JDK's context, so PEM files, key stores, pins and client authentication behave alike.
 * Every reference to a Netty class in core is here: {@link TlsConfig} loads this class only once it has seen
 * netty-handler on the class path, so core runs without Netty when the JDK engine is used.
 *
 * <p>Engines come from {@link SslProvider#OPENSSL} (not {@code OPENSSL_REFCNT}): Netty frees each one's native
 * state when it is garbage collected, so {@link TlsTransport} needs no release call of its own.
 *
 * <p>Session tickets: none, as with the JDK engine (see {@link TlsConfig#conclude()} for why). Netty's OpenSSL
 * context sets {@code SSL_OP_NO_TICKET} unless ticket keys are installed, which this class never does, and
 * BoringSSL then sends no TLS 1.3 NewSessionTicket; {@code TlsTransportTest} checks that nothing is sealed for
 * the client once both sides have finished. The server's session cache is off too: with no tickets there is nothing
 * to resume.
 *
 * <p>Thread-safety: made once in {@link TlsConfig#conclude()}; {@link #newEngine} may then be called from any thread.
 */
final class OpenSslEngines
{
    private final SslContext client;
    private final SslContext server;

    /**
     * @param keys         the identity's key managers, or null for none.
     * @param trust        the trust managers (the JDK's, wrapped for pins).
     * @param clientAuth   whether a server asks for client certificates.
     * @param protocols    enabled protocol versions.
     * @param cipherSuites enabled cipher suites (Java names), or null for the defaults.
     * @throws SSLException if BoringSSL refuses the material or the settings.
     */
    OpenSslEngines(
        final KeyManager[] keys,
        final TrustManager[] trust,
        final TlsConfig.ClientAuth clientAuth,
        final String[] protocols,
        final String[] cipherSuites) throws SSLException
    {
        final X509KeyManager keyManager = first(keys, X509KeyManager.class);
        final X509TrustManager trustManager = first(trust, X509TrustManager.class);
        // TlsConfig.newEngine sets each engine's endpoint identification itself, as it does for the JDK's.
        final SslContextBuilder clientBuilder = SslContextBuilder.forClient().endpointIdentificationAlgorithm(null);
        if (keyManager != null)
        {
            clientBuilder.keyManager(keyManager);
        }
        client = configure(clientBuilder, trustManager, protocols, cipherSuites).build();
        if (keyManager != null)
        {
            final SslContextBuilder serverBuilder = SslContextBuilder.forServer(keyManager).clientAuth(
                clientAuth == TlsConfig.ClientAuth.REQUIRED ? ClientAuth.REQUIRE :
                clientAuth == TlsConfig.ClientAuth.OPTIONAL ? ClientAuth.OPTIONAL : ClientAuth.NONE);
            server = configure(serverBuilder, trustManager, protocols, cipherSuites).build();
            final SSLSessionContext sessions = server.sessionContext();
            if (sessions instanceof OpenSslSessionContext)
            {
                ((OpenSslSessionContext)sessions).setSessionCacheEnabled(false);
            }
        }
        else
        {
            server = null;
        }
    }

    /**
     * @return null when BoringSSL loads here, otherwise why not (with the artifacts to add).
     */
    static String unavailableReason()
    {
        if (OpenSsl.isAvailable())
        {
            return null;
        }
        final Throwable cause = OpenSsl.unavailabilityCause();
        return "the OpenSSL engine needs BoringSSL's native library, which did not load (" +
            (cause == null ? "no reason given" : cause) + "): add " + TlsConfig.OPENSSL_ARTIFACTS;
    }

    /**
     * @param client true for the dialling side.
     * @param host   the host dialled, or the name expected (client); the peer's address (server, for logs only).
     * @param port   the peer's port.
     * @return an engine that {@link TlsTransport} drives like the JDK's.
     */
    SSLEngine newEngine(final boolean client, final String host, final int port)
    {
        final SslContext context = client ? this.client : server;
        if (context == null)
        {
            throw new IllegalStateException("a TLS server needs a certificate and key");
        }
        // The allocator only serves the engine's copies of heap buffers; TlsTransport hands it direct ones.
        return context.newEngine(ByteBufAllocator.DEFAULT, host, port);
    }

    private static SslContextBuilder configure(
        final SslContextBuilder builder,
        final X509TrustManager trust,
        final String[] protocols,
        final String[] cipherSuites)
    {
        builder.sslProvider(SslProvider.OPENSSL).trustManager(trust).protocols(protocols);
        if (cipherSuites != null)
        {
            builder.ciphers(Arrays.asList(cipherSuites));
        }
        return builder;
    }

    private static <T> T first(final Object[] managers, final Class<T> type)
    {
        if (managers != null)
        {
            for (final Object manager : managers)
            {
                if (type.isInstance(manager))
                {
                    return type.cast(manager);
                }
            }
        }
        return null;
    }
}
