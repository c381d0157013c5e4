package dev.hayate.quic;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import tech.kwik.core.ConnectionListener;
import tech.kwik.core.ConnectionTerminatedEvent;
import tech.kwik.core.QuicClientConnection;
import tech.kwik.core.common.EncryptionLevel;
import tech.kwik.core.frame.QuicFrame;
import tech.kwik.core.impl.QuicConnectionImpl;
import tech.kwik.core.log.NullLogger;
import tech.kwik.core.server.ApplicationProtocolConnection;
import tech.kwik.core.server.ApplicationProtocolConnectionFactory;
import tech.kwik.core.server.ServerConnectionConfig;
import tech.kwik.core.server.ServerConnector;
import tech.kwik.core.server.impl.ServerConnectionImpl;
import tech.kwik.core.stream.FlowControlUpdateListener;

/**
 * The backend over kwik (pure Java). kwik's streams are blocking {@code InputStream}/{@code OutputStream}s,
 * so every stream gets a reader thread and a writer thread that move bytes between them and the
 * {@link QuicStream} queues; peer-initiated streams, which kwik announces on its receiver thread, are
 * handed off the same way.
 *
 * <h2>The lost wake-up in kwik 0.10.x, and how it is worked around here</h2>
 * kwik's stream output schedules a "send stream frame" request only when its counter of queued requests
 * reads zero, and increments that counter after enqueueing, while the sender thread decrements it when a
 * request runs. When the decrement lands between the read and the increment, the sender skips
 * re-scheduling and the counter ends at zero with buffered data and no request: the data sits there
 * until the next write, and a writer blocked on a full buffer waits until the idle timeout. (Diagnosed
 * on this project from measurements; the upstream code is unchanged in 0.10.9.)
 *
 * <p>kwik's stream output also listens for flow-control updates through the public
 * {@code FlowControlUpdateListener} interface, and its {@code streamNotBlocked} schedules a new request
 * without adding anything to the buffer. So a watchdog ({@link QuicConfig#kwikStallCheckInterval})
 * "kicks" a stream that way, and then asks the connection to flush (an empty send request with flush
 * set, through {@code QuicConnectionImpl}'s public {@code send}), so the sender thread wakes and serves
 * it. It kicks when the stream's writer thread has been blocked inside kwik for longer than the interval
 * (backing off to 500 ms while the block lasts, as a legitimate block on flow control also looks like
 * this), and a few times after a write and after the close that queues the FIN (kwik's {@code close()} schedules
 * its request through the same counter, so it can strand the FIN and the bytes before it), in case the last bytes
 * of a burst were stranded. A kick is
 * harmless when no stall exists: the request finds nothing to send. (A zero-length write would also
 * schedule a request, but it leaves an empty buffer in kwik's queue that holds back a later FIN.)
 *
 * <h2>kwik's own assertions, and connections it drops without a word</h2>
 * kwik 0.10.9's {@code LossDetector.detectLostPackets} asserts {@code lossDelay > 0}, where the loss delay is
 * 9/8 of the RTT in whole milliseconds. On loopback the first RTT sample can be under a millisecond, and then
 * the smoothed RTT stays at 0 while later samples are 3 ms or less, so with assertions enabled ({@code -ea}, which
 * surefire sets) the first ACK that acknowledges something throws {@code AssertionError} on the thread handling
 * it. On a server that thread is the connection's receiver, which treats any {@code Throwable} as fatal:
 * {@code ServerConnectionImpl.abortConnection} removes the connection from the connector and stops its receiver,
 * but tells neither the application nor the peer. The client then waits for credit or ACKs that never come, until
 * its idle timeout. The connection's sender thread lives on; when it fails too (here, once the endpoint closed its
 * socket) it aborts the connection a second time, and {@code ServerConnectorImpl.closed}, finding nothing left to
 * remove, throws {@code NullPointerException} in that sender thread. (kwik fixed the assertion after 0.10.9,
 * "fixed loss detection on fast machines", by clamping the delay to 1 ms.) So this class turns kwik's assertions
 * off before any kwik class that holds one is initialized: they are development checks, off in production anyway;
 * with them off, a zero delay makes kwik declare packets lost early, as it does in production. And because any
 * other internal error would drop a
 * connection the same silent way, kwik's error log is watched: when kwik aborts a connection, the connection is
 * closed here with {@link QuicException.Kind#INTERNAL}, its streams fail at once, and a CONNECTION_CLOSE tells
 * the peer.
 *
 * <p>Limits of kwik seen through this backend: the error code of a peer's {@code RESET_STREAM} or
 * {@code STOP_SENDING} is not reported by kwik, so {@link QuicException#errorCode()} is
 * {@link QuicException#NO_CODE} for those.
 *
 * <p>Thread-safety: safe for concurrent use.
 */
final class KwikBackend implements Backend
{
    /** Kicks made so far by all kwik backends in this JVM, for tests and benchmarks. */
    static final AtomicLong KICKS = new AtomicLong();

    private static final long MAX_KICK_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final int IDLE_KICKS = 3;
    private static final long IDLE_GRACE_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final long CLOSE_REASON_WAIT_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final java.util.function.Function<Integer, QuicFrame> NO_FRAME = maxSize -> null;
    private static final java.util.function.Consumer<QuicFrame> IGNORE_LOST = frame -> { };
    private static final AtomicInteger THREAD_IDS = new AtomicInteger();
    /** QUIC transport error INTERNAL_ERROR (RFC 9000, section 20.1), sent when kwik dropped a connection. */
    private static final long INTERNAL_ERROR = 0x1;
    /** What kwik's server and client log, with the cause, when they abort a connection after an internal error. */
    private static final String SERVER_ABORT = " aborted due to internal error";
    private static final String CLIENT_ABORT = "Aborting connection because of error";

    static
    {
        // Before any kwik class is initialized: a class fixes its assertion status when it is initialized.
        final ClassLoader kwikLoader = QuicFrame.class.getClassLoader();
        if (kwikLoader != null)
        {
            kwikLoader.setPackageAssertionStatus("tech.kwik", false);
        }
    }

    private final QuicConfig config;
    private final QuicEndpoint endpoint;
    private final Set<KwikStream> streams = ConcurrentHashMap.newKeySet();
    private final Set<KwikConnection> connections = ConcurrentHashMap.newKeySet();
    private final Thread watchdog;
    private final ExecutorService closer = Executors.newCachedThreadPool(r -> daemon(r, "hayate-kwik-close"));
    private volatile ServerConnector server;
    private volatile DatagramSocket serverSocket;
    private volatile boolean closed;

    KwikBackend(final QuicConfig config, final QuicEndpoint endpoint)
    {
        this.config = config;
        this.endpoint = endpoint;
        watchdog = daemon(this::watch, "hayate-kwik-watchdog");
        if (config.kwikStallWorkaround())
        {
            watchdog.start();
        }
    }

    private static Thread daemon(final Runnable task, final String name)
    {
        final Thread thread = new Thread(task, name + "-" + THREAD_IDS.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    }

    @Override
    public String name()
    {
        return "kwik";
    }

    @Override
    public InetSocketAddress listen() throws IOException
    {
        final Tls.Identity identity = endpoint.identity();
        final char[] password = "hayate".toCharArray();
        final KeyStore keyStore = identity.keyStore("hayate", password);
        // kwik's builder only binds the wildcard address and refuses port 0: bind our own socket.
        final DatagramSocket socket = new DatagramSocket(config.bindAddress());
        try
        {
            final ServerConnectionConfig connectionConfig = ServerConnectionConfig.builder()
                .maxIdleTimeout((int)Math.min(Integer.MAX_VALUE, config.idleTimeout().toMillis()))
                .maxOpenPeerInitiatedBidirectionalStreams(config.maxPeerStreams())
                .maxOpenPeerInitiatedUnidirectionalStreams(0)
                .maxConnectionBufferSize(config.connectionWindowBytes())
                .maxBidirectionalStreamBufferSize(config.streamWindowBytes())
                .build();
            final ServerConnector connector = ServerConnector.builder()
                .withSocket(socket)
                .withKeyStore(keyStore, "hayate", password, identity.ecCurve())
                .withConfiguration(connectionConfig)
                .withLogger(new AbortWatch(false))
                .build();
            connector.registerApplicationProtocol(config.applicationProtocol(), new Factory());
            connector.start();
            server = connector;
            serverSocket = socket;
            return (InetSocketAddress)socket.getLocalSocketAddress();
        }
        catch (final IOException | RuntimeException ex)
        {
            socket.close();
            throw ex;
        }
        catch (final Exception ex)
        {
            socket.close();
            throw new IOException("cannot start the kwik server: " + ex.getMessage(), ex);
        }
    }

    @Override
    public QuicConnection connect(final InetSocketAddress remote, final String serverName, final long timeoutNanos)
        throws IOException
    {
        final QuicConnection owner = new QuicConnection(config, true);
        final InetAddress localIp = config.clientBindFor(remote);
        final QuicClientConnection.Builder builder = QuicClientConnection.newBuilder()
            .host(serverName)
            .port(remote.getPort())
            // "proxy" is the address datagrams go to; host stays the name for SNI and the certificate.
            .proxy(remote.getAddress().getHostAddress())
            .applicationProtocol(config.applicationProtocol())
            .connectTimeout(Duration.ofNanos(Math.max(1_000_000, timeoutNanos)))
            .maxIdleTimeout(config.idleTimeout())
            .defaultStreamReceiveBufferSize(config.streamWindowBytes())
            .maxOpenPeerInitiatedBidirectionalStreams(config.maxPeerStreams())
            .maxOpenPeerInitiatedUnidirectionalStreams(0)
            .socketFactory(address -> new DatagramSocket(new InetSocketAddress(localIp, 0)));
        final AbortWatch abortWatch = new AbortWatch(true);
        builder.logger(abortWatch);
        Tls.NameChecking trust = null;
        if (config.trustAnyCertificate())
        {
            builder.noServerCertificateCheck();
        }
        else
        {
            trust = Tls.trustingCa(config.trustedCaPem(), serverName);
            builder.customTrustManager(trust);
        }
        final QuicClientConnection client = builder.build();
        final KwikConnection connection = new KwikConnection(client, owner, remote);
        abortWatch.connection = connection;
        client.setPeerInitiatedStreamCallback(connection::onPeerStream);
        client.setConnectionListener(connection);
        try
        {
            client.connect();
        }
        catch (final IOException ex)
        {
            client.close();
            final java.security.cert.CertificateException rejection = trust == null ? null : trust.rejection();
            throw new QuicException(QuicException.Kind.HANDSHAKE, QuicException.NO_CODE,
                "handshake with " + remote + " (" + serverName + ") failed: " +
                (rejection != null ? rejection.getMessage() + " (" + QuicException.describe(ex) + ")" :
                    QuicException.describe(ex)), ex);
        }
        connection.established();
        return owner;
    }

    @Override
    public void close()
    {
        closed = true;
        for (final KwikConnection connection : connections)
        {
            connection.owner.disconnect(0, "endpoint closed");
        }
        final ServerConnector connector = server;
        if (connector != null)
        {
            connector.close();
        }
        final DatagramSocket socket = serverSocket;
        if (socket != null)
        {
            socket.close();
        }
        watchdog.interrupt();
        closer.shutdown();
    }

    private void watch()
    {
        final long interval = config.kwikStallCheckInterval().toNanos();
        while (!closed)
        {
            try
            {
                TimeUnit.NANOSECONDS.sleep(interval);
            }
            catch (final InterruptedException ex)
            {
                return;
            }
            final long now = System.nanoTime();
            for (final KwikStream stream : streams)
            {
                stream.check(now, interval);
            }
            for (final KwikConnection connection : connections)
            {
                connection.checkIdle(now);
            }
        }
    }

    private final class Factory implements ApplicationProtocolConnectionFactory
    {
        @Override
        public ApplicationProtocolConnection createConnection(final String protocol,
            final tech.kwik.core.QuicConnection quicConnection)
        {
            final QuicConnection owner = new QuicConnection(config, false);
            final KwikConnection connection = new KwikConnection(quicConnection, owner, null);
            quicConnection.setConnectionListener(connection);
            connection.established();
            endpoint.onAccepted(owner);
            return connection;
        }

        @Override
        public int maxConcurrentPeerInitiatedBidirectionalStreams()
        {
            return config.maxPeerStreams();
        }

        @Override
        public int maxConcurrentPeerInitiatedUnidirectionalStreams()
        {
            return 0;
        }
    }

    private final class KwikConnection implements BackendConnection, ApplicationProtocolConnection, ConnectionListener
    {
        final tech.kwik.core.QuicConnection connection;
        final QuicConnection owner;
        // kwik reports the server name resolved, not the address datagrams go to: keep the latter.
        private final InetSocketAddress serverAddress;

        // Last stream bytes read or written (System.nanoTime), for the idle backstop in checkIdle.
        volatile long lastActivityNanos = System.nanoTime();

        KwikConnection(final tech.kwik.core.QuicConnection connection, final QuicConnection owner,
            final InetSocketAddress serverAddress)
        {
            this.connection = connection;
            this.owner = owner;
            this.serverAddress = serverAddress;
        }

        /**
         * The backstop for a close kwik never reports: without keep-alive pings (none are configured), a connection
         * whose streams moved no byte either way for the idle timeout has sent no packet a peer must answer, so by
         * QUIC's rules it is closed by now. kwik sometimes never says so (its server connector can fail in its
         * close callback, and the peer's CONNECTION_CLOSE may be lost): the service then held a dead connection for
         * good. Runs on the watchdog thread; the grace covers kwik's own timer.
         */
        void checkIdle(final long now)
        {
            if (now - lastActivityNanos - config.idleTimeout().toNanos() - IDLE_GRACE_NANOS > 0 && owner.onClosed(
                new QuicException(QuicException.Kind.CONNECTION_CLOSED, QuicException.NO_CODE,
                    "connection closed: idle timeout of " + config.idleTimeout().toMillis() + " ms expired", null)))
            {
                close(0, "idle");
            }
        }

        void established()
        {
            connections.add(this);
            owner.attach(this);
            owner.closeListener(c -> connections.remove(this));
        }

        @Override
        public void acceptPeerInitiatedStream(final tech.kwik.core.QuicStream stream)
        {
            onPeerStream(stream);
        }

        /**
         * Called on kwik's receiver thread: only creates objects and starts threads.
         */
        void onPeerStream(final tech.kwik.core.QuicStream kwikStream)
        {
            final QuicStream stream = new QuicStream(owner, kwikStream.getStreamId(), false, config);
            new KwikStream(this, kwikStream, stream).start();
            owner.onPeerStream(stream);
        }

        @Override
        public QuicStream openStream(final QuicConnection owner, final long timeoutNanos) throws IOException
        {
            // kwik blocks in createStream while the peer's stream limit is reached; bound it from outside.
            final Future<tech.kwik.core.QuicStream> future = closer.submit(() -> connection.createStream(true));
            final tech.kwik.core.QuicStream kwikStream;
            try
            {
                kwikStream = future.get(Math.min(timeoutNanos, TimeUnit.DAYS.toNanos(1)), TimeUnit.NANOSECONDS);
            }
            catch (final java.util.concurrent.TimeoutException ex)
            {
                future.cancel(true);
                throw new QuicException(QuicException.Kind.INTERNAL, QuicException.NO_CODE,
                    "no stream within " + QuicEndpoint.millis(timeoutNanos) + " ms: the peer's stream limit is reached", ex);
            }
            catch (final java.util.concurrent.ExecutionException ex)
            {
                throw new QuicException(QuicException.Kind.CONNECTION_CLOSED, QuicException.NO_CODE,
                    "cannot open a stream: " + QuicException.describe(ex.getCause()), ex.getCause());
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new QuicException(QuicException.Kind.INTERNAL, "interrupted while opening a stream");
            }
            final QuicStream stream = new QuicStream(owner, kwikStream.getStreamId(), true, config);
            new KwikStream(this, kwikStream, stream).start();
            owner.onLocalStream(stream);
            return stream;
        }

        @Override
        public void close(final long errorCode, final String reason)
        {
            // kwik's close may wait on its sender; never block the caller (which may be a kwik thread).
            try
            {
                closer.execute(() -> connection.close(errorCode, reason));
            }
            catch (final java.util.concurrent.RejectedExecutionException ex)
            {
                connection.close(errorCode, reason);
            }
        }

        /**
         * kwik dropped this connection after an internal error without telling the application: fail it here.
         * A server connection is still able to send (kwik only stopped its receiver), so it is also closed, which
         * tells the peer; a client connection kwik has already terminated. Called on the kwik thread that logged
         * the abort; does not block.
         */
        void aborted(final Throwable error, final boolean tellPeer)
        {
            final QuicException cause = new QuicException(QuicException.Kind.INTERNAL, QuicException.NO_CODE,
                "connection dropped by kwik after an internal error: " + QuicException.describe(error), error);
            if (owner.onClosed(cause) && tellPeer)
            {
                close(INTERNAL_ERROR, "internal error");
            }
        }

        @Override
        public void disconnected(final ConnectionTerminatedEvent event)
        {
            final QuicException cause;
            final ConnectionTerminatedEvent.CloseReason reason = event.closeReason();
            if (reason == ConnectionTerminatedEvent.CloseReason.IdleTimeout)
            {
                cause = new QuicException(QuicException.Kind.CONNECTION_CLOSED, QuicException.NO_CODE,
                    "connection closed: idle timeout of " + config.idleTimeout().toMillis() + " ms expired", null);
            }
            else if (event.closedByPeer())
            {
                final Long code = event.hasApplicationError() ? event.applicationErrorCode() : event.transportErrorCode();
                cause = new QuicException(QuicException.Kind.CONNECTION_CLOSED, code == null ? 0 : code,
                    "connection closed by peer with " + (event.hasApplicationError() ? "application" : "transport") +
                    " code " + (code == null ? 0 : code) + ": " +
                    (event.errorDescription() == null ? "" : event.errorDescription()), null);
            }
            else
            {
                cause = new QuicException(QuicException.Kind.CONNECTION_CLOSED, QuicException.NO_CODE,
                    "connection closed (" + reason + ")" +
                    (event.errorDescription() == null ? "" : ": " + event.errorDescription()), null);
            }
            owner.onClosed(cause);
        }

        @Override
        public long smoothedRttNanos()
        {
            try
            {
                return TimeUnit.MILLISECONDS.toNanos(connection.getStats().smoothedRtt());
            }
            catch (final RuntimeException ex)
            {
                return 0;
            }
        }

        @Override
        public InetSocketAddress localAddress()
        {
            if (connection instanceof QuicClientConnection)
            {
                return ((QuicClientConnection)connection).getLocalAddress();
            }
            final DatagramSocket socket = serverSocket;
            return socket == null ? null : (InetSocketAddress)socket.getLocalSocketAddress();
        }

        @Override
        public InetSocketAddress remoteAddress()
        {
            if (serverAddress != null)
            {
                return serverAddress;
            }
            if (connection instanceof ServerConnectionImpl)
            {
                return ((ServerConnectionImpl)connection).getInitialRemoteAddress();
            }
            return null;
        }
    }

    /**
     * kwik's logger, silent but for the one message that says a connection was aborted: kwik tells nobody else.
     * A client has one per connection; the server's is shared by all its connections and finds the one aborted
     * by the name kwik puts at the start of the message. Called on kwik's threads; safe for concurrent use.
     */
    private final class AbortWatch extends NullLogger
    {
        private final boolean client;
        volatile KwikConnection connection;

        AbortWatch(final boolean client)
        {
            this.client = client;
        }

        @Override
        public void error(final String message, final Throwable error)
        {
            if (message == null)
            {
                return;
            }
            if (client)
            {
                final KwikConnection c = connection;
                if (c != null && message.startsWith(CLIENT_ABORT))
                {
                    c.aborted(error, false);
                }
                return;
            }
            if (message.endsWith(SERVER_ABORT))
            {
                for (final KwikConnection c : connections)
                {
                    if (message.equals(c.connection + SERVER_ABORT))
                    {
                        c.aborted(error, true);
                    }
                }
            }
        }
    }

    /**
     * Two threads per stream: kwik's streams only block.
     */
    private final class KwikStream implements BackendStream
    {
        private final tech.kwik.core.QuicStream kwikStream;
        private final KwikConnection owner;
        private final tech.kwik.core.QuicConnection connection;
        private final QuicStream stream;
        private final OutputStream out;
        private final InputStream in;
        private final Object kickLock = new Object();
        private final CountDownLatch done = new CountDownLatch(2);
        private volatile boolean aborted;
        // Watchdog state: written by the writer thread, read by the watchdog.
        private volatile long writeStartedNanos;
        private volatile long lastWriteEndedNanos;
        private volatile int idleKicks = IDLE_KICKS;
        private long blockedKickDelay;
        private long lastBlockedKick;

        KwikStream(final KwikConnection owner, final tech.kwik.core.QuicStream kwikStream, final QuicStream stream)
        {
            this.owner = owner;
            this.connection = owner.connection;
            this.kwikStream = kwikStream;
            this.stream = stream;
            this.out = kwikStream.getOutputStream();
            this.in = kwikStream.getInputStream();
            stream.attach(this);
        }

        void start()
        {
            streams.add(this);
            final String suffix = "-s" + kwikStream.getStreamId();
            daemon(this::writeLoop, "hayate-kwik-writer" + suffix).start();
            daemon(this::readLoop, "hayate-kwik-reader" + suffix).start();
        }

        private void finished()
        {
            done.countDown();
            if (isSpent())
            {
                streams.remove(this);
            }
        }

        /**
         * @return both loops ended and no kick is owed: its idle kicks after the last write or the close ran, it was
         *         aborted, or no watchdog runs to give them. Until then the watchdog keeps it (a FIN stranded by the
         *         close needs those kicks even when the reader ended first).
         */
        private boolean isSpent()
        {
            return done.getCount() == 0 && (aborted || idleKicks >= IDLE_KICKS || !config.kwikStallWorkaround());
        }

        private void writeLoop()
        {
            try
            {
                while (!aborted)
                {
                    final byte[] chunk = stream.takeSendChunk(TimeUnit.MILLISECONDS.toNanos(200));
                    if (chunk != null)
                    {
                        writeStartedNanos = System.nanoTime();
                        out.write(chunk);
                        lastWriteEndedNanos = System.nanoTime();
                        owner.lastActivityNanos = lastWriteEndedNanos;
                        writeStartedNanos = 0;
                        idleKicks = 0;
                        continue;
                    }
                    if (stream.sendFailed())
                    {
                        return;
                    }
                    if (stream.finPending())
                    {
                        synchronized (kickLock)
                        {
                            out.close();
                        }
                        // close() queues the FIN through the same racy request counter as a write, so it can strand
                        // the FIN and the last bytes before it: the idle kicks follow the close as they follow a write.
                        lastWriteEndedNanos = System.nanoTime();
                        idleKicks = 0;
                        stream.finSent();
                        return;
                    }
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
            catch (final IOException ex)
            {
                if (!aborted && !stream.sendFailed() && !connectionClosing())
                {
                    // kwik reports a peer's STOP_SENDING as a reset output stream, without its code.
                    stream.onPeerStopSending(QuicException.NO_CODE);
                }
            }
            finally
            {
                writeStartedNanos = 0;
                finished();
            }
        }

        private QuicConnection owner()
        {
            return stream.connection();
        }

        /**
         * kwik fails a stream's blocked reads and writes when its connection ends, sometimes before it tells
         * the connection listener why. Waits briefly for that reason, so the stream reports it rather
         * than a bare "Connection closed".
         *
         * @return true if the connection closed (its own close then fails this stream with the reason).
         */
        private boolean connectionClosing()
        {
            final long deadline = System.nanoTime() + CLOSE_REASON_WAIT_NANOS;
            while (!owner().isClosed() && System.nanoTime() - deadline < 0)
            {
                try
                {
                    Thread.sleep(2);
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            return owner().isClosed();
        }

        private void readLoop()
        {
            final byte[] buffer = new byte[64 * 1024];
            try
            {
                while (!aborted)
                {
                    if (!stream.awaitReceiveRoom(TimeUnit.MILLISECONDS.toNanos(200)))
                    {
                        continue;
                    }
                    final int n = in.read(buffer);
                    owner.lastActivityNanos = System.nanoTime();
                    if (n < 0)
                    {
                        stream.deliverFin();
                        return;
                    }
                    if (n > 0)
                    {
                        stream.deliver(Arrays.copyOf(buffer, n));
                    }
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
            catch (final IOException ex)
            {
                if (aborted || connectionClosing())
                {
                    return;
                }
                final String message = String.valueOf(ex.getMessage());
                if (message.contains("reset"))
                {
                    stream.onPeerReset(QuicException.NO_CODE);
                }
                else
                {
                    stream.onConnectionClosed(new QuicException(QuicException.Kind.CONNECTION_CLOSED,
                        QuicException.NO_CODE, "stream " + stream.id() + " failed: " + QuicException.describe(ex), ex));
                }
            }
            finally
            {
                finished();
            }
        }

        /**
         * Runs on the watchdog thread.
         */
        void check(final long now, final long interval)
        {
            if (isSpent())
            {
                streams.remove(this);
                return;
            }
            final long started = writeStartedNanos;
            if (started != 0)
            {
                if (blockedKickDelay == 0 || lastBlockedKick - started < 0)
                {
                    blockedKickDelay = interval;
                    lastBlockedKick = started;
                }
                if (now - lastBlockedKick >= blockedKickDelay)
                {
                    kick();
                    lastBlockedKick = now;
                    blockedKickDelay = Math.min(MAX_KICK_BACKOFF_NANOS, blockedKickDelay * 2);
                }
                return;
            }
            final int kicks = idleKicks;
            if (kicks < IDLE_KICKS && now - lastWriteEndedNanos >= interval << kicks)
            {
                idleKicks = kicks + 1;
                kick();
            }
        }

        private void kick()
        {
            synchronized (kickLock)
            {
                // After the output is closed a kick is still wanted (stranded bytes and FIN, see writeLoop); after an
                // abort nothing is left to send.
                if (aborted)
                {
                    return;
                }
                if (!(out instanceof FlowControlUpdateListener))
                {
                    return;
                }
                try
                {
                    ((FlowControlUpdateListener)out).streamNotBlocked(kwikStream.getStreamId());
                    if (connection instanceof QuicConnectionImpl)
                    {
                        ((QuicConnectionImpl)connection).send(NO_FRAME, 1, EncryptionLevel.App, IGNORE_LOST, true);
                    }
                    KICKS.incrementAndGet();
                }
                catch (final RuntimeException ex)
                {
                    // The stream or connection closed meanwhile: nothing to kick.
                }
            }
        }

        @Override
        public void sendReady()
        {
            // The writer thread waits on the stream's own condition, which trySend signals.
        }

        @Override
        public void receiveReady()
        {
            // The reader thread waits on the stream's own condition, which tryRecv signals.
        }

        @Override
        public void abort(final long errorCode)
        {
            synchronized (kickLock)
            {
                aborted = true;
            }
            try
            {
                kwikStream.resetStream(errorCode);
            }
            catch (final RuntimeException ex)
            {
                // Already closed.
            }
            try
            {
                kwikStream.abortReading(errorCode);
            }
            catch (final RuntimeException ex)
            {
                // Already closed.
            }
        }
    }
}
