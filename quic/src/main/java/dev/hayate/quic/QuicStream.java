package dev.hayate.quic;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import dev.hayate.core.transport.IoPoller;

/**
 * One bidirectional QUIC stream. Bytes sent are queued (bounded) and moved to the QUIC stack by the
 * backend; bytes received are queued (bounded) until {@link #recv} takes them, and reading from the QUIC
 * stack pauses while that queue is full, so flow control pushes back on the peer.
 *
 * <pre>{@code
 * QuicStream stream = connection.openStream();
 * if (!stream.send(ByteBuffer.wrap(request), Duration.ofSeconds(1))) { ... timed out, stream still usable }
 * stream.finish();                                    // FIN after everything sent
 * int n = stream.recv(buffer, Duration.ofSeconds(1)); // > 0 bytes, 0 timed out, -1 end of stream
 * }</pre>
 *
 * <p>A deadline that expires is a normal, non-fatal outcome ({@code false} or {@code 0}); failures (the
 * peer reset or stopped the stream, the connection closed) throw {@link QuicException} with a reason
 * and, where known, the peer's error code. A {@code null} timeout means no deadline.
 *
 * <p>Thread-safety: safe for concurrent use. Typically one thread sends while another receives;
 * {@link #finish()}, {@link #stop(long)}, {@link #close()} and {@link #observe()} may be called from any
 * thread and wake blocked callers.
 */
public final class QuicStream implements AutoCloseable
{
    private static final int MAX_CHUNK = 64 * 1024;

    private final QuicConnection connection;
    private final long id;
    private final boolean locallyInitiated;
    private final int sendLimit;
    private final int receiveLimit;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition sendChanged = lock.newCondition();
    private final Condition receiveChanged = lock.newCondition();
    private volatile BackendStream backend;
    private volatile Runnable readinessListener;
    private Runnable peerDoneListener;
    private boolean peerDone;

    // Guarded by lock.
    private final ArrayDeque<byte[]> sendQueue = new ArrayDeque<>();
    private long sendQueued;
    private boolean finRequested;
    private boolean finSent;
    private QuicException sendError;
    private final ArrayDeque<byte[]> receiveQueue = new ArrayDeque<>();
    private int receiveHead;
    private long receiveQueued;
    private boolean finReceived;
    private QuicException receiveError;
    private boolean discardIncoming;
    private long bytesSent;
    private long bytesReceived;
    private QuicException lastError;
    private boolean closeReported;

    QuicStream(final QuicConnection connection, final long id, final boolean locallyInitiated, final QuicConfig config)
    {
        this.connection = connection;
        this.id = id;
        this.locallyInitiated = locallyInitiated;
        this.sendLimit = config.streamSendBufferBytes();
        this.receiveLimit = config.streamReceiveBufferBytes();
    }

    void attach(final BackendStream backend)
    {
        this.backend = backend;
    }

    /**
     * @return the QUIC stream id.
     */
    public long id()
    {
        return id;
    }

    /**
     * @return true if this side opened the stream.
     */
    public boolean isLocallyInitiated()
    {
        return locallyInitiated;
    }

    /**
     * @return the connection carrying this stream.
     */
    public QuicConnection connection()
    {
        return connection;
    }

    /**
     * Sends all of {@code bytes}, waiting for queue space without a deadline.
     *
     * @param bytes to send.
     * @throws QuicException if the stream or connection failed or the send side is closed.
     */
    public void send(final byte[] bytes) throws QuicException
    {
        send(ByteBuffer.wrap(bytes), null);
    }

    /**
     * Sends all of {@code bytes}, waiting for queue space up to the deadline.
     *
     * @param bytes   to send.
     * @param timeout longest wait, {@code null} for none.
     * @return true when everything was queued; false when the deadline expired first (a prefix may have
     *         been queued; the stream stays usable).
     * @throws QuicException if the stream or connection failed or the send side is closed.
     */
    public boolean send(final byte[] bytes, final Duration timeout) throws QuicException
    {
        return send(ByteBuffer.wrap(bytes), timeout);
    }

    /**
     * Sends the remaining bytes of {@code src}, waiting for queue space up to the deadline. The buffer's
     * position advances over what was queued.
     *
     * @param src     bytes to send.
     * @param timeout longest wait, {@code null} for none.
     * @return true when everything was queued; false when the deadline expired first.
     * @throws QuicException if the stream or connection failed or the send side is closed.
     */
    public boolean send(final ByteBuffer src, final Duration timeout) throws QuicException
    {
        final long deadline = deadline(timeout);
        while (true)
        {
            trySend(src);
            if (!src.hasRemaining())
            {
                return true;
            }
            lock.lock();
            try
            {
                while (sendQueued >= sendLimit && sendError == null && !finRequested)
                {
                    if (!await(sendChanged, deadline))
                    {
                        return false;
                    }
                }
            }
            finally
            {
                lock.unlock();
            }
        }
    }

    /**
     * Queues what fits of {@code src} without waiting.
     *
     * @return bytes queued, 0 when the queue is full.
     * @throws QuicException if the send side is closed or failed.
     */
    int trySend(final ByteBuffer src) throws QuicException
    {
        int taken = 0;
        lock.lock();
        try
        {
            checkSendable();
            while (src.hasRemaining() && sendQueued < sendLimit)
            {
                final int n = (int)Math.min(Math.min(src.remaining(), MAX_CHUNK), sendLimit - sendQueued);
                final byte[] chunk = new byte[n];
                src.get(chunk);
                sendQueue.addLast(chunk);
                sendQueued += n;
                taken += n;
            }
            if (taken > 0)
            {
                bytesSent += taken;
                connection.countSent(taken);
                sendChanged.signalAll();
            }
        }
        finally
        {
            lock.unlock();
        }
        if (taken > 0)
        {
            final BackendStream b = backend;
            if (b != null)
            {
                b.sendReady();
            }
        }
        return taken;
    }

    private void checkSendable() throws QuicException
    {
        if (sendError != null)
        {
            throw sendError;
        }
        if (finRequested)
        {
            throw new QuicException(QuicException.Kind.LOCALLY_CLOSED, "stream " + id + ": send side already finished");
        }
    }

    /**
     * Receives into {@code dst}, waiting up to the deadline for data.
     *
     * @param dst     buffer with room.
     * @param timeout longest wait, {@code null} for none.
     * @return bytes received (at least 1), 0 if the deadline expired first, or -1 at end of stream (the
     *         peer finished and everything it sent has been received).
     * @throws QuicException if the peer reset the stream, the stream was stopped, or the connection closed.
     */
    public int recv(final ByteBuffer dst, final Duration timeout) throws QuicException
    {
        if (!dst.hasRemaining())
        {
            throw new IllegalArgumentException("dst has no room");
        }
        final long deadline = deadline(timeout);
        while (true)
        {
            final int n = tryRecv(dst);
            if (n != 0)
            {
                return n;
            }
            lock.lock();
            try
            {
                while (receiveQueued == 0 && !finReceived && receiveError == null)
                {
                    if (!await(receiveChanged, deadline))
                    {
                        return 0;
                    }
                }
            }
            finally
            {
                lock.unlock();
            }
        }
    }

    /**
     * @param dst     array to fill.
     * @param timeout longest wait, {@code null} for none.
     * @return as {@link #recv(ByteBuffer, Duration)}.
     * @throws QuicException as {@link #recv(ByteBuffer, Duration)}.
     */
    public int recv(final byte[] dst, final Duration timeout) throws QuicException
    {
        return recv(ByteBuffer.wrap(dst), timeout);
    }

    /**
     * Takes what has arrived without waiting.
     *
     * @return bytes copied, 0 when nothing is buffered, -1 at end of stream.
     * @throws QuicException if the receive side failed.
     */
    int tryRecv(final ByteBuffer dst) throws QuicException
    {
        int copied = 0;
        final boolean resume;
        lock.lock();
        try
        {
            if (receiveError != null)
            {
                throw receiveError;
            }
            while (dst.hasRemaining() && !receiveQueue.isEmpty())
            {
                final byte[] head = receiveQueue.peekFirst();
                final int n = Math.min(dst.remaining(), head.length - receiveHead);
                dst.put(head, receiveHead, n);
                receiveHead += n;
                copied += n;
                if (receiveHead == head.length)
                {
                    receiveQueue.pollFirst();
                    receiveHead = 0;
                }
            }
            receiveQueued -= copied;
            if (copied == 0 && finReceived)
            {
                return -1;
            }
            resume = copied > 0 && receiveQueued < receiveLimit;
            if (copied > 0)
            {
                receiveChanged.signalAll();
            }
        }
        finally
        {
            lock.unlock();
        }
        if (resume)
        {
            final BackendStream b = backend;
            if (b != null)
            {
                b.receiveReady();
            }
        }
        return copied;
    }

    /**
     * Ends the send side: the peer sees end of stream after everything sent so far. Does not wait.
     * Finishing twice, or after a failure, does nothing.
     */
    public void finish()
    {
        lock.lock();
        try
        {
            if (finRequested || sendError != null)
            {
                return;
            }
            finRequested = true;
            sendChanged.signalAll();
        }
        finally
        {
            lock.unlock();
        }
        final BackendStream b = backend;
        if (b != null)
        {
            b.sendReady();
        }
        notifyReadiness();
    }

    /**
     * Abandons the stream in both directions: queued data is dropped, the peer's receive side sees a
     * reset and its send side a stop request, both with {@code errorCode}. Local callers blocked on
     * the stream wake with a {@link QuicException.Kind#LOCALLY_CLOSED} failure.
     *
     * <p>The peer's {@code recv} fails with {@link QuicException.Kind#STREAM_RESET} and, over the Netty
     * backend, this code (kwik does not report reset codes). The peer's {@code send} fails with
     * {@link QuicException.Kind#STREAM_STOPPED} once its next write reaches the QUIC stack; a write already
     * waiting for flow-control credit in quiche may instead wait until its deadline.
     *
     * @param errorCode application error code the peer sees (0 .. 2^62-1).
     */
    public void stop(final long errorCode)
    {
        if (errorCode < 0)
        {
            throw new IllegalArgumentException("error code must be >= 0: " + errorCode);
        }
        final QuicException stopped = new QuicException(QuicException.Kind.LOCALLY_CLOSED, errorCode,
            "stream " + id + " stopped locally with code " + errorCode, null);
        final boolean abort = fail(stopped, stopped, false);
        final BackendStream b = backend;
        if (abort && b != null)
        {
            b.abort(errorCode);
        }
    }

    /**
     * Finishes the send side (queued data still goes out, then FIN) and stops delivering received data:
     * whatever arrives later is read and dropped so the peer is never blocked by this side.
     */
    @Override
    public void close()
    {
        finish();
        final BackendStream b;
        lock.lock();
        try
        {
            discardIncoming = true;
            receiveQueue.clear();
            receiveHead = 0;
            receiveQueued = 0;
            if (receiveError == null && !finReceived)
            {
                receiveError = new QuicException(QuicException.Kind.LOCALLY_CLOSED, "stream " + id + " closed locally");
            }
            receiveChanged.signalAll();
            b = backend;
        }
        finally
        {
            lock.unlock();
        }
        if (b != null)
        {
            b.receiveReady();
        }
        reportIfClosed();
        notifyReadiness();
    }

    /**
     * @return a snapshot of counters and state.
     */
    public QuicStreamStats observe()
    {
        lock.lock();
        try
        {
            return new QuicStreamStats(id, bytesSent, bytesReceived, finRequested || sendError != null,
                finReceived || receiveError != null, lastError);
        }
        finally
        {
            lock.unlock();
        }
    }

    @Override
    public String toString()
    {
        return "QuicStream[" + id + (locallyInitiated ? ", local" : ", peer") + "]";
    }

    // ---- for the transport adapter ----

    void readinessListener(final Runnable listener)
    {
        readinessListener = listener;
    }

    /**
     * Runs {@code listener} once the peer finished its side (FIN), reset it, or the connection closed;
     * at once if that already happened.
     */
    void peerDoneListener(final Runnable listener)
    {
        final boolean now;
        lock.lock();
        try
        {
            now = peerDone;
            if (!now)
            {
                peerDoneListener = listener;
            }
        }
        finally
        {
            lock.unlock();
        }
        if (now)
        {
            listener.run();
        }
    }

    private void markPeerDone()
    {
        final Runnable listener;
        lock.lock();
        try
        {
            if (peerDone)
            {
                return;
            }
            peerDone = true;
            listener = peerDoneListener;
            peerDoneListener = null;
        }
        finally
        {
            lock.unlock();
        }
        if (listener != null)
        {
            listener.run();
        }
    }

    int readyOps()
    {
        int ops = 0;
        lock.lock();
        try
        {
            if (receiveQueued > 0 || finReceived || receiveError != null)
            {
                ops |= IoPoller.READ;
            }
            if (sendQueued < sendLimit || sendError != null)
            {
                ops |= IoPoller.WRITE;
            }
        }
        finally
        {
            lock.unlock();
        }
        return ops;
    }

    boolean awaitReadable(final long timeoutNanos) throws InterruptedException
    {
        final long deadline = System.nanoTime() + Math.max(0, timeoutNanos);
        lock.lock();
        try
        {
            while (receiveQueued == 0 && !finReceived && receiveError == null)
            {
                final long remaining = deadline - System.nanoTime();
                if (remaining <= 0)
                {
                    return false;
                }
                receiveChanged.awaitNanos(remaining);
            }
            return true;
        }
        finally
        {
            lock.unlock();
        }
    }

    boolean awaitWritable(final long timeoutNanos) throws InterruptedException
    {
        final long deadline = System.nanoTime() + Math.max(0, timeoutNanos);
        lock.lock();
        try
        {
            while (sendQueued >= sendLimit && sendError == null && !finRequested)
            {
                final long remaining = deadline - System.nanoTime();
                if (remaining <= 0)
                {
                    return false;
                }
                sendChanged.awaitNanos(remaining);
            }
            return true;
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Wakes every thread waiting on this stream, so a waiter re-checks state the caller changed
     * elsewhere (the transport's closed flag).
     */
    void wakeAll()
    {
        lock.lock();
        try
        {
            sendChanged.signalAll();
            receiveChanged.signalAll();
        }
        finally
        {
            lock.unlock();
        }
        notifyReadiness();
    }

    // ---- for backends ----

    /**
     * @return the next queued chunk, or null when none. Never blocks.
     */
    byte[] pollSendChunk()
    {
        final byte[] chunk;
        final boolean wake;
        lock.lock();
        try
        {
            chunk = sendQueue.pollFirst();
            if (chunk == null)
            {
                return null;
            }
            final long before = sendQueued;
            sendQueued -= chunk.length;
            // Writers wake once the queue is half empty, not per chunk: a writer woken for every 64 KiB
            // costs a context switch each time on a machine whose cores the QUIC stack needs.
            wake = before > sendLimit / 2 && sendQueued <= sendLimit / 2 || sendQueue.isEmpty();
            if (wake)
            {
                sendChanged.signalAll();
            }
        }
        finally
        {
            lock.unlock();
        }
        if (wake)
        {
            notifyReadiness();
        }
        return chunk;
    }

    /**
     * Waits for a chunk, a pending FIN or a failure.
     *
     * @return the next chunk, or null on timeout, pending FIN or failure (see {@link #finPending()} and
     *         {@link #sendFailed()}).
     */
    byte[] takeSendChunk(final long timeoutNanos) throws InterruptedException
    {
        lock.lock();
        try
        {
            long remaining = timeoutNanos;
            while (sendQueue.isEmpty() && !finRequested && sendError == null && remaining > 0)
            {
                remaining = sendChanged.awaitNanos(remaining);
            }
        }
        finally
        {
            lock.unlock();
        }
        return pollSendChunk();
    }

    boolean hasSendData()
    {
        lock.lock();
        try
        {
            return !sendQueue.isEmpty();
        }
        finally
        {
            lock.unlock();
        }
    }

    boolean finPending()
    {
        lock.lock();
        try
        {
            return finRequested && !finSent && sendQueue.isEmpty() && sendError == null;
        }
        finally
        {
            lock.unlock();
        }
    }

    boolean sendFailed()
    {
        lock.lock();
        try
        {
            return sendError != null;
        }
        finally
        {
            lock.unlock();
        }
    }

    void finSent()
    {
        lock.lock();
        try
        {
            finSent = true;
        }
        finally
        {
            lock.unlock();
        }
        reportIfClosed();
    }

    /**
     * Takes ownership of {@code chunk}, received from the peer.
     */
    void deliver(final byte[] chunk)
    {
        if (chunk.length == 0)
        {
            return;
        }
        lock.lock();
        try
        {
            bytesReceived += chunk.length;
            // Counted before the data is visible, so a reader that got it also sees it counted.
            connection.countReceived(chunk.length);
            if (discardIncoming || receiveError != null)
            {
                return;
            }
            receiveQueue.addLast(chunk);
            receiveQueued += chunk.length;
            receiveChanged.signalAll();
        }
        finally
        {
            lock.unlock();
        }
        notifyReadiness();
    }

    void deliverFin()
    {
        lock.lock();
        try
        {
            if (finReceived)
            {
                return;
            }
            finReceived = true;
            receiveChanged.signalAll();
        }
        finally
        {
            lock.unlock();
        }
        reportIfClosed();
        notifyReadiness();
        markPeerDone();
    }

    boolean hasReceiveRoom()
    {
        lock.lock();
        try
        {
            return receiveQueued < receiveLimit;
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Blocks a backend reader thread until the receive queue has room or the stream is done.
     *
     * @return true if there is room; false if nothing more will be accepted.
     */
    boolean awaitReceiveRoom(final long timeoutNanos) throws InterruptedException
    {
        lock.lock();
        try
        {
            long remaining = timeoutNanos;
            while (receiveQueued >= receiveLimit && receiveError == null && remaining > 0)
            {
                remaining = receiveChanged.awaitNanos(remaining);
            }
            return receiveQueued < receiveLimit;
        }
        finally
        {
            lock.unlock();
        }
    }

    void onPeerReset(final long errorCode)
    {
        final QuicException reset = new QuicException(QuicException.Kind.STREAM_RESET, errorCode,
            "stream " + id + " reset by peer" + (errorCode >= 0 ? " with code " + errorCode : ""), null);
        if (failReceive(reset))
        {
            connection.onStreamError(this, reset);
        }
        markPeerDone();
    }

    void onPeerStopSending(final long errorCode)
    {
        final QuicException stopped = new QuicException(QuicException.Kind.STREAM_STOPPED, errorCode,
            "stream " + id + ": peer stopped reading" + (errorCode >= 0 ? " with code " + errorCode : ""), null);
        boolean changed = false;
        lock.lock();
        try
        {
            if (sendError == null && !finSent)
            {
                sendError = stopped;
                lastError = stopped;
                sendQueue.clear();
                sendQueued = 0;
                sendChanged.signalAll();
                changed = true;
            }
        }
        finally
        {
            lock.unlock();
        }
        if (changed)
        {
            connection.onStreamError(this, stopped);
            reportIfClosed();
            notifyReadiness();
        }
    }

    void onConnectionClosed(final QuicException cause)
    {
        fail(cause, cause, true);
        markPeerDone();
    }

    private boolean failReceive(final QuicException error)
    {
        lock.lock();
        try
        {
            if (receiveError != null || finReceived)
            {
                return false;
            }
            receiveError = error;
            lastError = error;
            receiveQueue.clear();
            receiveHead = 0;
            receiveQueued = 0;
            receiveChanged.signalAll();
        }
        finally
        {
            lock.unlock();
        }
        reportIfClosed();
        notifyReadiness();
        return true;
    }

    /**
     * @return true if the send side was still open (so the peer should be told).
     */
    private boolean fail(final QuicException sendFailure, final QuicException receiveFailure, final boolean keepFin)
    {
        boolean sendWasOpen;
        lock.lock();
        try
        {
            sendWasOpen = sendError == null && !finSent;
            if (sendError == null && !(keepFin && finSent))
            {
                sendError = sendFailure;
                lastError = sendFailure;
            }
            sendQueue.clear();
            sendQueued = 0;
            if (receiveError == null && !(keepFin && finReceived))
            {
                receiveError = receiveFailure;
                lastError = receiveFailure;
                receiveQueue.clear();
                receiveHead = 0;
                receiveQueued = 0;
            }
            sendChanged.signalAll();
            receiveChanged.signalAll();
        }
        finally
        {
            lock.unlock();
        }
        reportIfClosed();
        notifyReadiness();
        return sendWasOpen || !keepFin;
    }

    private void reportIfClosed()
    {
        lock.lock();
        try
        {
            final boolean sendDone = finSent || sendError != null;
            final boolean receiveDone = finReceived || receiveError != null;
            if (closeReported || !sendDone || !receiveDone)
            {
                return;
            }
            closeReported = true;
        }
        finally
        {
            lock.unlock();
        }
        connection.onStreamClosed(this);
    }

    private void notifyReadiness()
    {
        final Runnable listener = readinessListener;
        if (listener != null)
        {
            listener.run();
        }
    }

    private static long deadline(final Duration timeout)
    {
        if (timeout == null)
        {
            return Long.MIN_VALUE;
        }
        return System.nanoTime() + Math.max(0, timeout.toNanos());
    }

    /**
     * @return false if the deadline has passed.
     */
    private static boolean await(final Condition condition, final long deadline)
    {
        try
        {
            if (deadline == Long.MIN_VALUE)
            {
                condition.await();
                return true;
            }
            final long remaining = deadline - System.nanoTime();
            if (remaining <= 0)
            {
                return false;
            }
            condition.awaitNanos(remaining);
            return true;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static long nanos(final Duration timeout)
    {
        return timeout == null ? Long.MAX_VALUE : TimeUnit.NANOSECONDS.convert(timeout);
    }
}
