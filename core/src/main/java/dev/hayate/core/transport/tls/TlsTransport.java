package dev.hayate.core.transport.tls;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

import dev.hayate.core.transport.IoPoller;
import dev.hayate.core.transport.Transport;

/**
 * A {@link Transport} that runs TLS (an {@link SSLEngine}: the JDK's, or BoringSSL's through Netty's tcnative, as
 * {@link TlsConfig#engine} says) over another transport, normally TCP.
 * Nothing blocks and no thread is added: the handshake advances inside {@link #read}, {@link #write} and the
 * waits (or in {@link #awaitHandshake}), then records are sealed and opened in three direct buffers made once
 * per connection. While it lasts, {@code write} takes nothing (the caller sees back pressure).
 *
 * <pre>
 *   write(src) --wrap--> netOut --> transport         transport --> netIn --unwrap--> appIn --> read(dst)
 *                 (sealed records, flushed before       (whole records)       (or straight into dst when
 *                  any new plaintext is taken)                                   it has room for a record)
 * </pre>
 *
 * <ul>
 *   <li>Readiness: decrypted bytes in {@code appIn} and whole records in {@code netIn} are invisible to a
 *       selector, so {@link #register} adds a probe that reports them, {@link #awaitReadable} returns at once
 *       for them, and the poller never sleeps on data already here.</li>
 *   <li>Writes: plaintext is reported written only once its sealed records have left {@code netOut}. When the
 *       transport takes only part of them, {@code write} returns 0 and the sealed bytes wait; the caller retries
 *       with the same bytes (as every writer in Hayate does: unsent bytes stay unsent), and the retry sends the
 *       waiting records and then reports their plaintext. So no sealed byte is stranded after the caller's
 *       last write.</li>
 *   <li>TLS 1.3 key updates: a peer's KeyUpdate is answered from the reading thread (under the write lock, so
 *       records never interleave); {@link #requestKeyUpdate()} starts one. There is no renegotiation.</li>
 *   <li>Closing sends close_notify (one attempt, never blocking); a received close_notify reads as end of
 *       stream. A peer that does not speak TLS fails the handshake with an exception naming that.</li>
 * </ul>
 *
 * <p>Steady state allocates nothing in this class (buffers and the engine calls' arrays are made once). The JDK's
 * engine itself allocates about 3 KB per record on JDK 17 and 25 (its result object and its AES-GCM work), which
 * {@code TlsAllocationTest} measures against bare engine calls (BENCHMARKS.md). With the OpenSSL engine, records of
 * direct buffers bypass the engine once the handshake is done ({@link DirectRecords}: tcnative's calls on the same
 * native session), so nothing is allocated per record at all; the engine's {@code wrap} and {@code unwrap} would
 * make a 40-byte result object each time.
 *
 * <p>On an event loop, a write made before the handshake has finished returns 0 and asks for write readiness,
 * which the socket has: the loop spins on that connection until the handshake is done (a few round trips).
 * Bytes held here are reported by a probe that the loop polls each cycle, one per registered TLS transport.
 *
 * <p>Thread-safety: as {@link Transport}: one reading thread, one writing thread, close from any.
 */
public final class TlsTransport implements Transport
{
    private static final int RECORD_HEADER = 5;
    private final Transport transport;
    private final SSLEngine engine;
    private final String peer;
    private final Object readLock = new Object();
    private final Object writeLock = new Object();
    private final ByteBuffer netIn;
    private final ByteBuffer appIn;
    private final ByteBuffer netOut;
    private final ByteBuffer[] appInTarget;
    private final ByteBuffer[] dstTarget = new ByteBuffer[1];
    private final ByteBuffer[] srcSource = new ByteBuffer[1];
    private final ByteBuffer[] emptySource = {ByteBuffer.allocate(0)};
    private final long handshakeDeadlineNanos;
    private final TlsConfig.Engine kind;
    // Set once the handshake has finished, with the OpenSSL engine: records sealed and opened without result objects.
    private DirectRecords directRecords;
    private volatile boolean handshaking = true;
    private volatile boolean closed;
    private volatile IOException failure;
    private volatile boolean peerLeftInHandshake;
    private volatile IoPoller poller;
    // Handshake (both locks): the engine has taken or given bytes since it last saw the input run dry.
    private boolean engineMoved;
    // Read side (read lock, or the loop thread for the probe).
    private boolean underflow;
    private boolean endOfStream;
    // Write side (write lock): plaintext behind the sealed records still in netOut, not yet reported written.
    private int pendingPlaintext;

    /**
     * Wraps a connected transport; the handshake starts at once and advances on every call.
     *
     * @param transport              connected, non-blocking.
     * @param engine                 configured for its side.
     * @param handshakeDeadlineNanos {@link System#nanoTime()} by which the handshake must finish.
     * @param kind                   which engine {@code engine} is.
     * @throws IOException if the handshake cannot start.
     */
    TlsTransport(
        final Transport transport,
        final SSLEngine engine,
        final long handshakeDeadlineNanos,
        final TlsConfig.Engine kind) throws IOException
    {
        this.transport = transport;
        this.engine = engine;
        this.peer = String.valueOf(transport.remoteAddress());
        this.handshakeDeadlineNanos = handshakeDeadlineNanos;
        this.kind = kind;
        final int packet = engine.getSession().getPacketBufferSize();
        final int application = engine.getSession().getApplicationBufferSize();
        // Room for a few records: one socket read brings in several, opened without another system call.
        netIn = ByteBuffer.allocateDirect(packet * 4);
        // Room for a few records: a 64 KiB frame is sealed into one flush rather than four.
        netOut = ByteBuffer.allocateDirect(packet * 4);
        // Room for a whole record's plaintext as the engine counts it: Netty's OpenSSL engine asks for the record's
        // length less its header (padding and tag included, 16,401 bytes for a full one) where it reports an
        // application buffer size of 16,384, and refuses a smaller destination (BUFFER_OVERFLOW).
        appIn = ByteBuffer.allocateDirect(Math.max(application, packet - RECORD_HEADER));
        appIn.flip();
        appInTarget = new ByteBuffer[] {appIn};
        engine.beginHandshake();
    }

    @Override
    public int read(final ByteBuffer dst) throws IOException
    {
        if (handshaking)
        {
            try
            {
                if (!advanceHandshake())
                {
                    return 0;
                }
            }
            catch (final EOFException ex)
            {
                // The peer hung up before the handshake finished (refused, or gone): to the reader, end of stream.
                return -1;
            }
        }
        synchronized (readLock)
        {
            checkFailure();
            int read = drain(dst);
            while (dst.hasRemaining() && !endOfStream)
            {
                if (netIn.position() == 0 || underflow)
                {
                    if (read > 0)
                    {
                        // Return what is here rather than pay a system call that may find nothing.
                        break;
                    }
                    final int fetched = transport.read(netIn);
                    if (fetched < 0)
                    {
                        // Without close_notify: a truncation the framing layer reports if a frame is cut.
                        endOfStream = true;
                        break;
                    }
                    if (fetched == 0)
                    {
                        break;
                    }
                    underflow = false;
                }
                read += unwrap(dst);
            }
            return read == 0 && endOfStream && !appIn.hasRemaining() ? -1 : read;
        }
    }

    /**
     * Opens one record from {@code netIn}, straight into {@code dst} when a whole record fits there (and, for
     * {@link DirectRecords}, it is direct), else into {@code appIn} (empty here: {@link #read} drains it first).
     *
     * @return plaintext bytes added to {@code dst}.
     */
    private int unwrap(final ByteBuffer dst) throws IOException
    {
        final DirectRecords records = directRecords;
        final boolean direct = dst.remaining() >= appIn.capacity() && !appIn.hasRemaining() &&
            (records == null || dst.isDirect());
        final int before = dst.position();
        SSLEngineResult result = null;
        int opened = 0;
        netIn.flip();
        if (!direct)
        {
            appIn.compact();
        }
        try
        {
            if (records != null)
            {
                opened = records.open(netIn, direct ? dst : appIn);
            }
            else
            {
                dstTarget[0] = dst;
                result = engine.unwrap(netIn, direct ? dstTarget : appInTarget, 0, 1);
            }
        }
        catch (final SSLException ex)
        {
            throw fail(ex);
        }
        finally
        {
            if (!direct)
            {
                appIn.flip();
            }
            dstTarget[0] = null;
            netIn.compact();
        }
        if (records != null)
        {
            if (opened == 0)
            {
                underflow = true;
            }
            else if (opened < 0)
            {
                // close_notify: the peer sends no more.
                endOfStream = true;
            }
            if (records.controlPending())
            {
                sendControl(records);
            }
            return direct ? dst.position() - before : drain(dst);
        }
        switch (result.getStatus())
        {
            case BUFFER_UNDERFLOW:
                underflow = true;
                break;
            case BUFFER_OVERFLOW:
                throw fail(new SSLException("a TLS record larger than the receive buffer of " + appIn.capacity()));
            case CLOSED:
                // close_notify: the peer sends no more.
                endOfStream = true;
                break;
            default:
                break;
        }
        afterEngineCall(result.getHandshakeStatus());
        return direct ? dst.position() - before : drain(dst);
    }

    private int drain(final ByteBuffer dst)
    {
        final int count = Math.min(appIn.remaining(), dst.remaining());
        if (count == 0)
        {
            return 0;
        }
        final int limit = appIn.limit();
        appIn.limit(appIn.position() + count);
        dst.put(appIn);
        appIn.limit(limit);
        return count;
    }

    /**
     * After the handshake the engine may still want to speak: a KeyUpdate answer, or a delegated task.
     */
    private void afterEngineCall(final SSLEngineResult.HandshakeStatus status) throws IOException
    {
        if (status == SSLEngineResult.HandshakeStatus.NEED_TASK)
        {
            runTasks();
        }
        if (!handshaking && engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_WRAP)
        {
            sendControl(null);
        }
    }

    /**
     * Sends, from the reading side, what the session wants to say on its own after the handshake (a KeyUpdate
     * answer, a close_notify reply): under the write lock, so it never lands inside a record being written.
     *
     * @param records the session's {@link DirectRecords}, or null to have the engine wrap it.
     */
    private void sendControl(final DirectRecords records) throws IOException
    {
        synchronized (writeLock)
        {
            if (records != null)
            {
                records.flushControl(netOut);
            }
            else
            {
                wrapControl();
            }
            try
            {
                flushNetOut();
            }
            catch (final IOException ex)
            {
                // A KeyUpdate answer or a close_notify reply to a peer already gone: the writer sees the error.
            }
        }
    }

    @Override
    public int write(final ByteBuffer src) throws IOException
    {
        if (handshaking && !advanceHandshake())
        {
            return 0;
        }
        synchronized (writeLock)
        {
            checkFailure();
            if (!flushNetOut())
            {
                return 0;
            }
            int reported = 0;
            if (pendingPlaintext > 0)
            {
                reported = Math.min(pendingPlaintext, src.remaining());
                src.position(src.position() + reported);
                pendingPlaintext = 0;
            }
            while (src.hasRemaining())
            {
                final int sealed = seal(src);
                if (!flushNetOut())
                {
                    // Not reported until the records are out: the caller comes back with the same bytes.
                    src.position(src.position() - sealed);
                    pendingPlaintext = sealed;
                    return reported;
                }
                reported += sealed;
                if (sealed == 0)
                {
                    break;
                }
            }
            return reported;
        }
    }

    /**
     * Seals records from {@code src} into {@code netOut} until it is full or {@code src} is empty.
     *
     * @return plaintext bytes sealed.
     */
    private int seal(final ByteBuffer src) throws IOException
    {
        int sealed = 0;
        final DirectRecords records = directRecords;
        if (records != null && src.isDirect())
        {
            try
            {
                int taken;
                while (src.hasRemaining() && (taken = records.seal(src, netOut)) > 0)
                {
                    sealed += taken;
                }
                return sealed;
            }
            catch (final SSLException ex)
            {
                throw fail(ex);
            }
        }
        srcSource[0] = src;
        try
        {
            while (src.hasRemaining())
            {
                final SSLEngineResult result = engine.wrap(srcSource, 0, 1, netOut);
                if (result.getStatus() == SSLEngineResult.Status.CLOSED)
                {
                    throw new ClosedChannelException();
                }
                sealed += result.bytesConsumed();
                if (result.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK)
                {
                    runTasks();
                }
                if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW ||
                    result.bytesConsumed() == 0 && result.bytesProduced() == 0)
                {
                    break;
                }
            }
            return sealed;
        }
        catch (final SSLException ex)
        {
            throw fail(ex);
        }
        finally
        {
            srcSource[0] = null;
        }
    }

    /**
     * Wraps what the engine wants to send on its own (handshake, KeyUpdate, alert). Write lock held.
     */
    private void wrapControl() throws IOException
    {
        try
        {
            while (engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_WRAP)
            {
                final SSLEngineResult result = engine.wrap(emptySource, 0, 1, netOut);
                if (result.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK)
                {
                    runTasks();
                }
                if (result.getStatus() != SSLEngineResult.Status.OK || result.bytesProduced() == 0)
                {
                    break;
                }
            }
        }
        catch (final SSLException ex)
        {
            throw fail(ex);
        }
    }

    /**
     * @return true when {@code netOut} is empty after writing what the transport takes.
     */
    private boolean flushNetOut() throws IOException
    {
        if (netOut.position() == 0)
        {
            return true;
        }
        netOut.flip();
        try
        {
            transport.write(netOut);
        }
        finally
        {
            netOut.compact();
        }
        return netOut.position() == 0;
    }

    private void runTasks()
    {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null)
        {
            task.run();
        }
    }

    /**
     * Advances the handshake as far as it goes without waiting.
     *
     * @return true once it has finished.
     * @throws IOException if it failed, timed out, or the peer left.
     */
    boolean advanceHandshake() throws IOException
    {
        synchronized (readLock)
        {
            synchronized (writeLock)
            {
                checkFailure();
                if (!handshaking)
                {
                    return true;
                }
                if (peerLeftInHandshake)
                {
                    throw new EOFException(peerLeft());
                }
                try
                {
                    return stepHandshake();
                }
                catch (final SSLException ex)
                {
                    // Described already when it came from a wrap or unwrap below.
                    throw ex == failure ? ex : fail(ex);
                }
                catch (final EOFException ex)
                {
                    throw ex;
                }
                catch (final IOException ex)
                {
                    if (failure == null && isReset(ex))
                    {
                        // The peer closed while our flight was in flight to it, so its kernel answered with a
                        // reset: it left, as a peer that hangs up cleanly does, and reads as the end of the stream.
                        peerLeftInHandshake = true;
                        throw new EOFException(peerLeft());
                    }
                    // The driver may have failed it and closed the socket under this call: its reason wins.
                    final IOException reason = failureOr(ex);
                    if (failure == null)
                    {
                        failure = reason;
                    }
                    throw reason;
                }
            }
        }
    }

    private boolean stepHandshake() throws IOException
    {
        while (true)
        {
            if (!flushNetOut())
            {
                return false;
            }
            switch (engine.getHandshakeStatus())
            {
                case NEED_TASK:
                    runTasks();
                    break;
                case NEED_WRAP:
                    wrapControl();
                    engineMoved = true;
                    break;
                case NEED_UNWRAP:
                case NEED_UNWRAP_AGAIN:
                    if (engineMoved)
                    {
                        // One more unwrap before asking the socket: Netty's OpenSSL engine finishes a server's
                        // handshake, or throws a failure whose alert it has just had wrapped, only when called
                        // again; with nothing new it reports an underflow (the JDK's too) and the socket is read.
                        engineMoved = false;
                    }
                    else if (netIn.position() == 0 || underflow)
                    {
                        final int fetched = readRecord();
                        if (fetched < 0)
                        {
                            peerLeftInHandshake = true;
                            throw new EOFException(peerLeft());
                        }
                        if (fetched == 0)
                        {
                            if (System.nanoTime() - handshakeDeadlineNanos > 0)
                            {
                                throw new SocketTimeoutException("TLS handshake with " + peer + " not finished in time");
                            }
                            return false;
                        }
                        underflow = false;
                    }
                    netIn.flip();
                    final SSLEngineResult result;
                    appIn.compact();
                    try
                    {
                        result = engine.unwrap(netIn, appInTarget, 0, 1);
                    }
                    finally
                    {
                        appIn.flip();
                        netIn.compact();
                    }
                    if (result.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW)
                    {
                        underflow = true;
                    }
                    else if (result.getStatus() == SSLEngineResult.Status.CLOSED)
                    {
                        throw new SSLHandshakeException("the peer closed the TLS session during the handshake");
                    }
                    engineMoved = result.bytesConsumed() > 0 || result.bytesProduced() > 0;
                    break;
                default:
                    if (kind == TlsConfig.Engine.OPENSSL)
                    {
                        // Written before the volatile below, so whoever sees the handshake done sees this too.
                        directRecords = OpenSslEngines.directRecords(engine);
                    }
                    handshaking = false;
                    flushNetOut();
                    return true;
            }
        }
    }

    /**
     * @return true for the JDK's report of a connection the peer reset (a read) or had closed (a write).
     */
    private static boolean isReset(final IOException ex)
    {
        final String message = ex.getMessage();
        return ex instanceof java.net.SocketException && message != null &&
            (message.startsWith("Connection reset") || message.startsWith("Broken pipe"));
    }

    private String peerLeft()
    {
        return "TLS handshake with " + peer + " failed: the peer closed the connection (it may not speak TLS, or " +
            "it refused this side)";
    }

    /**
     * Reads no further than the end of the record in progress: the handshake never pulls application bytes
     * out of the socket, so whoever waits for them on a selector after the handshake sees them arrive, whichever
     * thread finished the handshake.
     */
    private int readRecord() throws IOException
    {
        final int have = netIn.position();
        int want = RECORD_HEADER;
        if (have >= RECORD_HEADER)
        {
            want = RECORD_HEADER + ((netIn.get(3) & 0xFF) << 8 | netIn.get(4) & 0xFF);
        }
        if (want <= have || want > netIn.capacity())
        {
            // A whole record already (the engine reads it next), or a length no TLS record has: let it judge.
            want = Math.min(netIn.capacity(), have + RECORD_HEADER);
        }
        netIn.limit(want);
        try
        {
            return transport.read(netIn);
        }
        finally
        {
            netIn.limit(netIn.capacity());
        }
    }

    /**
     * Blocks until the handshake finishes: connection setup, not the hot path. Call it from the thread that
     * reads, or before the connection is handed to one.
     *
     * @param timeoutNanos longest wait.
     * @throws IOException if it failed (the message says why: an untrusted or misnamed certificate, a pin
     *                     mismatch, a peer that does not speak TLS) or did not finish in time.
     */
    public void awaitHandshake(final long timeoutNanos) throws IOException
    {
        final long deadlineNanos = System.nanoTime() + timeoutNanos;
        while (!advanceHandshake())
        {
            final long remaining = deadlineNanos - System.nanoTime();
            if (remaining <= 0)
            {
                throw new SocketTimeoutException("TLS handshake with " + peer + " not finished within the timeout");
            }
            awaitHandshakeProgress(remaining);
        }
    }

    private void awaitHandshakeProgress(final long timeoutNanos) throws IOException
    {
        final long bounded = Math.max(1, Math.min(timeoutNanos, handshakeDeadlineNanos - System.nanoTime()));
        try
        {
            if (netOut.position() > 0)
            {
                transport.awaitWritable(bounded);
            }
            else if (bufferedReadyOps() == 0)
            {
                transport.awaitReadable(bounded);
            }
        }
        catch (final IOException ex)
        {
            throw failureOr(ex);
        }
    }

    /**
     * @return the recorded failure (the socket closed because of it), or {@code ex} if there is none.
     */
    private IOException failureOr(final IOException ex)
    {
        final IOException failed = failure;
        return failed == null || failed == ex ? ex : new IOException(failed.getMessage(), failed);
    }

    /**
     * For the server's handshake driver: registers the socket underneath with its poller.
     */
    IoPoller.Registration registerForHandshake(final IoPoller driverPoller) throws IOException
    {
        return transport.register(driverPoller, this);
    }

    /**
     * @return the interest the handshake needs now: write while sealed bytes wait, read otherwise.
     */
    int handshakeInterest()
    {
        return netOut.position() > 0 ? IoPoller.WRITE : IoPoller.READ;
    }

    /**
     * @return true once the server's handshake bound has passed.
     */
    boolean handshakeExpired(final long nowNanos)
    {
        return handshaking && nowNanos - handshakeDeadlineNanos > 0;
    }

    /**
     * Ends a handshake the driver gave up on: the failure is kept for the owner's next call, the socket closes
     * (which wakes a thread waiting on it) and an event loop it is registered with is woken to see it.
     */
    void abortHandshake(final IOException cause)
    {
        if (failure == null && !peerLeftInHandshake)
        {
            failure = cause;
        }
        try
        {
            transport.close();
        }
        catch (final IOException ex)
        {
            // Closing anyway.
        }
        final IoPoller registered = poller;
        if (registered != null)
        {
            registered.wakeup();
        }
    }

    /**
     * Starts a TLS 1.3 key update: the next record is sealed under a fresh key and the peer is asked to update
     * its own. Call from the writing thread (or when nobody writes). The JDK engine only: Netty's OpenSSL engine
     * offers no way to start one (it answers the peer's, so a JDK peer may still start them).
     *
     * @throws IOException                   if the session is closed or failed.
     * @throws UnsupportedOperationException on the OpenSSL engine (the session is left as it was).
     */
    public void requestKeyUpdate() throws IOException
    {
        if (kind != TlsConfig.Engine.JDK)
        {
            throw new UnsupportedOperationException("the OpenSSL engine cannot start a TLS key update (the peer can)");
        }
        synchronized (writeLock)
        {
            checkFailure();
            if (handshaking)
            {
                throw new IllegalStateException("the handshake has not finished");
            }
            try
            {
                // On an established TLS 1.3 session the JDK answers beginHandshake with a KeyUpdate.
                engine.beginHandshake();
            }
            catch (final SSLException ex)
            {
                throw fail(ex);
            }
            wrapControl();
            flushNetOut();
        }
    }

    /**
     * @return the negotiated protocol, such as {@code TLSv1.3}, once the handshake has finished.
     */
    public String protocol()
    {
        return engine.getSession().getProtocol();
    }

    /**
     * @return the negotiated cipher suite, once the handshake has finished.
     */
    public String cipherSuite()
    {
        return engine.getSession().getCipherSuite();
    }

    /**
     * @return the peer's certificates, leaf first, once the handshake has finished; empty if it sent none.
     */
    public java.security.cert.Certificate[] peerCertificates()
    {
        try
        {
            return engine.getSession().getPeerCertificates();
        }
        catch (final javax.net.ssl.SSLPeerUnverifiedException ex)
        {
            return new java.security.cert.Certificate[0];
        }
    }

    /**
     * @return true once records go through {@link DirectRecords} rather than the engine's {@code wrap}/{@code unwrap}.
     */
    boolean usesDirectRecords()
    {
        return directRecords != null;
    }

    /**
     * @return true while the handshake has not finished.
     */
    public boolean isHandshaking()
    {
        return handshaking;
    }

    /**
     * What the selector cannot see: plaintext already opened, or whole records already read.
     */
    private int bufferedReadyOps()
    {
        return appIn.hasRemaining() || netIn.position() > 0 && !underflow || endOfStream || failure != null ||
            peerLeftInHandshake ?
            IoPoller.READ : 0;
    }

    @Override
    public boolean awaitReadable(final long timeoutNanos) throws IOException
    {
        if (bufferedReadyOps() != 0)
        {
            return true;
        }
        checkFailure();
        if (handshaking)
        {
            awaitHandshakeProgress(timeoutNanos);
            return true;
        }
        try
        {
            return transport.awaitReadable(timeoutNanos);
        }
        catch (final IOException ex)
        {
            throw failureOr(ex);
        }
    }

    @Override
    public boolean awaitWritable(final long timeoutNanos) throws IOException
    {
        checkFailure();
        if (handshaking)
        {
            awaitHandshakeProgress(timeoutNanos);
            return true;
        }
        try
        {
            return transport.awaitWritable(timeoutNanos);
        }
        catch (final IOException ex)
        {
            throw failureOr(ex);
        }
    }

    @Override
    public IoPoller.Registration register(final IoPoller poller, final Object attachment) throws IOException
    {
        this.poller = poller;
        final IoPoller.Registration channel;
        try
        {
            channel = transport.register(poller, attachment);
        }
        catch (final IOException ex)
        {
            // The server's handshake driver may have failed the handshake, or seen the peer leave, and closed the
            // socket already: that, not "closed", is what the owner reports.
            if (peerLeftInHandshake && failure == null)
            {
                throw new EOFException(peerLeft());
            }
            throw failureOr(ex);
        }
        final IoPoller.Registration buffered = poller.registerProbe(this::bufferedReadyOps, 0, attachment);
        return new IoPoller.Registration(attachment)
        {
            @Override
            public void interestOps(final int ops)
            {
                channel.interestOps(ops);
                buffered.interestOps(ops & IoPoller.READ);
            }

            @Override
            public int interestOps()
            {
                return channel.interestOps();
            }

            @Override
            public void cancel()
            {
                channel.cancel();
                buffered.cancel();
            }
        };
    }

    @Override
    public SocketAddress localAddress()
    {
        return transport.localAddress();
    }

    @Override
    public SocketAddress remoteAddress()
    {
        return transport.remoteAddress();
    }

    @Override
    public boolean isOpen()
    {
        return !closed && failure == null && transport.isOpen();
    }

    @Override
    public void close() throws IOException
    {
        if (closed)
        {
            return;
        }
        closed = true;
        try
        {
            discardUnread();
            if (!handshaking && failure == null)
            {
                synchronized (writeLock)
                {
                    // close_notify, one attempt: a close never waits on the peer.
                    engine.closeOutbound();
                    wrapControl();
                    flushNetOut();
                }
            }
        }
        catch (final IOException ex)
        {
            // Closing anyway.
        }
        finally
        {
            transport.close();
        }
    }

    /**
     * Reads and drops what the peer sent that nobody will read (a session ticket to a client that only wrote):
     * a socket closed with unread bytes sends a reset, which can destroy data still in flight to the peer.
     */
    private void discardUnread()
    {
        synchronized (readLock)
        {
            try
            {
                for (int i = 0; i < 16; i++)
                {
                    netIn.clear();
                    if (transport.read(netIn) <= 0)
                    {
                        break;
                    }
                }
            }
            catch (final IOException ex)
            {
                // Closing anyway.
            }
            finally
            {
                netIn.clear();
            }
        }
    }

    private void checkFailure() throws IOException
    {
        final IOException failed = failure;
        if (failed != null)
        {
            throw new IOException(failed.getMessage(), failed);
        }
        if (closed)
        {
            throw new ClosedChannelException();
        }
    }

    /**
     * Records a TLS failure, sends the engine's alert if it has one (one attempt), and names the cause.
     */
    private IOException fail(final SSLException ex)
    {
        final IOException described = describe(ex);
        failure = described;
        try
        {
            synchronized (writeLock)
            {
                engine.closeOutbound();
                wrapControl();
                flushNetOut();
            }
        }
        catch (final IOException | RuntimeException alertFailed)
        {
            // The alert is a courtesy; the failure stands.
        }
        return described;
    }

    private IOException describe(final SSLException ex)
    {
        final String stage = handshaking ? "TLS handshake with " + peer + " failed: " : "TLS session with " + peer +
            " failed: ";
        final StringBuilder messages = new StringBuilder();
        for (Throwable cause = ex; cause != null; cause = cause.getCause())
        {
            messages.append(cause.getMessage()).append(" | ");
        }
        final String all = messages.toString();
        // The JDK names alerts in lower case (bad_certificate), BoringSSL in upper (SSLV3_ALERT_BAD_CERTIFICATE).
        final String lower = all.toLowerCase(java.util.Locale.ROOT);
        final String why;
        if (all.contains("certificate pin mismatch"))
        {
            why = all.substring(all.indexOf("certificate pin mismatch"), all.indexOf(" | ", all.indexOf("certificate pin")));
        }
        else if (all.contains("Unsupported or unrecognized SSL message") || all.contains("plaintext") ||
            all.contains("not an SSL/TLS record") || all.contains("WRONG_VERSION_NUMBER"))
        {
            why = "the peer does not speak TLS (a plaintext client or server?)";
        }
        else if (all.contains("PKIX path") || all.contains("unable to find valid certification path"))
        {
            why = "the peer's certificate is not trusted (no chain to a trusted CA)";
        }
        else if (all.contains("No subject alternative") || all.contains("No name matching"))
        {
            why = "the peer's certificate does not name the host dialled (" + ex.getMessage() + ")";
        }
        else if (lower.contains("certificate_required") || all.contains("Empty client certificate chain") ||
            all.contains("Empty server certificate chain") && !engine.getUseClientMode() ||
            all.contains("PEER_DID_NOT_RETURN_A_CERTIFICATE"))
        {
            why = "a client certificate is required (" + ex.getMessage() + ")";
        }
        else if (lower.contains("certificate_unknown") || lower.contains("bad_certificate"))
        {
            why = "the peer refused this side's certificate, or wants one it was not sent (" + ex.getMessage() + ")";
        }
        else if (lower.contains("protocol_version") || all.contains("No appropriate protocol") ||
            all.contains("UNSUPPORTED_PROTOCOL"))
        {
            why = "no TLS version in common (" + ex.getMessage() + ")";
        }
        else if (all.contains("BAD_DECRYPT") || all.contains("BAD_RECORD_MAC") || lower.contains("bad_record_mac") ||
            lower.contains("tag mismatch"))
        {
            why = "a record failed its integrity check: altered or corrupted on the way (" + ex.getMessage() + ")";
        }
        else
        {
            why = ex.getMessage();
        }
        final SSLException described = handshaking ? new SSLHandshakeException(stage + why) : new SSLException(stage + why);
        described.initCause(ex);
        return described;
    }

    @Override
    public String toString()
    {
        return "tls " + transport.localAddress() + "<->" + peer;
    }
}
