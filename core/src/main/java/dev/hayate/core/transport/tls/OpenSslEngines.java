package dev.hayate.core.transport.tls;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
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
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.internal.tcnative.SSL;
import org.agrona.BufferUtil;

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
 * <p>Once a handshake has finished, {@link TlsTransport} seals and opens application records through {@link
 * #directRecords}: tcnative's own calls on the engine's native session, which allocate nothing, where the engine's
 * {@code wrap} and {@code unwrap} make a 40-byte result object per record.
 *
 * <p>Thread-safety: made once in {@link TlsConfig#conclude()}; {@link #newEngine} may then be called from any thread.
 */
final class OpenSslEngines
{
    /**
     * The engine's byte-buffer BIO, the one channel between its native session and Java memory: private in Netty,
     * so read by reflection once. If a Netty release renames it, {@link #directRecords} answers null and every record
     * goes through the engine as before ({@code TlsTransportTest} fails on the shipped version if that happens).
     */
    private static final Field NETWORK_BIO = networkBioField();
    private static final int MAX_PLAINTEXT = 16_384;

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

    /**
     * @param engine an engine from {@link #newEngine} whose handshake has finished.
     * @return its records sealed and opened without result objects, or null if this Netty hides what that needs.
     */
    static DirectRecords directRecords(final SSLEngine engine)
    {
        if (NETWORK_BIO == null || !(engine instanceof ReferenceCountedOpenSslEngine))
        {
            return null;
        }
        final ReferenceCountedOpenSslEngine openSsl = (ReferenceCountedOpenSslEngine)engine;
        synchronized (openSsl)
        {
            final long ssl = openSsl.sslPointer();
            if (ssl == 0)
            {
                return null;
            }
            try
            {
                return new Records(openSsl, NETWORK_BIO.getLong(openSsl), SSL.getMaxWrapOverhead(ssl));
            }
            catch (final IllegalAccessException ex)
            {
                return null;
            }
        }
    }

    private static Field networkBioField()
    {
        try
        {
            final Field field = ReferenceCountedOpenSslEngine.class.getDeclaredField("networkBIO");
            field.setAccessible(true);
            return field.getType() == long.class ? field : null;
        }
        catch (final ReflectiveOperationException | RuntimeException ex)
        {
            return null;
        }
    }

    /**
     * Records through tcnative: the BIO is pointed at the caller's direct buffer for one call and cleared after it,
     * as Netty's engine does, under the engine's lock, so the engine's own calls (close, alerts) and ours never
     * interleave and none runs on a session the engine has freed (its pointer reads 0 then).
     */
    private static final class Records implements DirectRecords
    {
        private final ReferenceCountedOpenSslEngine engine;
        private final long networkBio;
        private final int maxOverhead;
        // Noted by open() under the engine's lock, read by the same reading thread: no second lock per record.
        private boolean controlQueued;

        Records(final ReferenceCountedOpenSslEngine engine, final long networkBio, final int maxOverhead)
        {
            this.engine = engine;
            this.networkBio = networkBio;
            this.maxOverhead = maxOverhead;
        }

        @Override
        public int seal(final ByteBuffer src, final ByteBuffer netOut) throws IOException
        {
            synchronized (engine)
            {
                final long ssl = session();
                final int wrote = produce(ssl, netOut, src);
                if (wrote > 0)
                {
                    src.position(src.position() + wrote);
                    return wrote;
                }
                if (wrote < 0)
                {
                    final int error = SSL.getError(ssl, wrote);
                    if (error == SSL.SSL_ERROR_ZERO_RETURN)
                    {
                        SSL.clearError();
                        throw new ClosedChannelException();
                    }
                    if (error != SSL.SSL_ERROR_WANT_WRITE && error != SSL.SSL_ERROR_WANT_READ)
                    {
                        throw failure("sealing a record", error);
                    }
                    SSL.clearError();
                }
                return 0;
            }
        }

        @Override
        public int open(final ByteBuffer netIn, final ByteBuffer dst) throws IOException
        {
            synchronized (engine)
            {
                final long ssl = session();
                final int start = netIn.position();
                final int length = netIn.remaining();
                SSL.bioSetByteBuffer(networkBio, BufferUtil.address(netIn) + start, length, false);
                final int read;
                int consumed = 0;
                try
                {
                    read = SSL.readFromSSL(ssl, BufferUtil.address(dst) + dst.position(), dst.remaining());
                    consumed = length - SSL.bioLengthByteBuffer(networkBio);
                }
                finally
                {
                    SSL.bioClearByteBuffer(networkBio);
                    netIn.position(start + consumed);
                }
                controlQueued = SSL.bioLengthNonApplication(networkBio) > 0;
                if (read > 0)
                {
                    dst.position(dst.position() + read);
                    return read;
                }
                final int error = SSL.getError(ssl, read);
                if (error == SSL.SSL_ERROR_WANT_READ || error == SSL.SSL_ERROR_WANT_WRITE)
                {
                    // All of netIn is inside the session now (a partial record, or a KeyUpdate whose answer waits
                    // for controlPending): more bytes are needed.
                    return 0;
                }
                if (error == SSL.SSL_ERROR_ZERO_RETURN)
                {
                    return -1;
                }
                throw failure("opening a record", error);
            }
        }

        @Override
        public boolean controlPending()
        {
            return controlQueued;
        }

        @Override
        public void flushControl(final ByteBuffer netOut)
        {
            synchronized (engine)
            {
                final long ssl = engine.sslPointer();
                if (ssl != 0)
                {
                    produce(ssl, netOut, null);
                }
            }
        }

        /**
         * Points the BIO at {@code netOut}'s free space for one call: first the control records the session has
         * queued (a KeyUpdate answer goes out before data sealed under the key it announced), then, if {@code src}
         * is given and nothing is left queued, one record of it. Engine lock held.
         *
         * @return what {@code SSL_write} returned: plaintext bytes sealed, 0 if not called, negative on failure.
         */
        private int produce(final long ssl, final ByteBuffer netOut, final ByteBuffer src)
        {
            final int start = netOut.position();
            final int room = netOut.remaining();
            SSL.bioSetByteBuffer(networkBio, BufferUtil.address(netOut) + start, room, true);
            int produced = 0;
            int wrote = 0;
            try
            {
                SSL.bioFlushByteBuffer(networkBio);
                if (src != null && SSL.bioLengthNonApplication(networkBio) == 0)
                {
                    final int length = Math.min(Math.min(src.remaining(), MAX_PLAINTEXT),
                        SSL.bioLengthByteBuffer(networkBio) - maxOverhead);
                    if (length > 0)
                    {
                        wrote = SSL.writeToSSL(ssl, BufferUtil.address(src) + src.position(), length);
                    }
                }
                produced = room - SSL.bioLengthByteBuffer(networkBio);
            }
            finally
            {
                SSL.bioClearByteBuffer(networkBio);
                netOut.position(start + produced);
            }
            return wrote;
        }

        /**
         * @return the native session, which the engine frees when it shuts down (after a close or a failure).
         */
        private long session() throws ClosedChannelException
        {
            final long ssl = engine.sslPointer();
            if (ssl == 0)
            {
                throw new ClosedChannelException();
            }
            return ssl;
        }

        /**
         * @return BoringSSL's reason, its per-thread error queue cleared so the next call starts clean.
         */
        private static SSLException failure(final String doing, final int error)
        {
            final int number = SSL.getLastErrorNumber();
            final String reason = number != 0 ? SSL.getErrorString(number) : "SSL error " + error;
            SSL.clearError();
            return new SSLException(reason + " (" + doing + ")");
        }
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
