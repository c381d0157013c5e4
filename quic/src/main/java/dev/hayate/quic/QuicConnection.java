package dev.hayate.quic;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * One QUIC connection: opens and accepts bidirectional streams, reports events in order, and closes
 * gracefully with an application error code.
 *
 * <pre>{@code
 * try (QuicConnection connection = client.connect(serverAddress, "localhost")) {
 *     QuicStream stream = connection.openStream();
 *     ...
 *     connection.disconnect(0, "done");
 * }
 * }</pre>
 *
 * <p>Events ({@link #pollEvent}) are kept in a bounded queue of {@value #MAX_EVENTS}; when it is full the
 * oldest stream events are dropped (counted in {@link #droppedEvents()}), never {@code CONNECTED} or
 * {@code DISCONNECTED}.
 *
 * <p>Thread-safety: safe for concurrent use from any thread.
 */
public final class QuicConnection implements AutoCloseable
{
    static final int MAX_EVENTS = 4096;

    private final QuicConfig config;
    private final boolean client;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition eventArrived = lock.newCondition();
    private final Condition streamArrived = lock.newCondition();
    private final ArrayDeque<QuicEvent> events = new ArrayDeque<>();
    private final ArrayDeque<QuicStream> acceptQueue = new ArrayDeque<>();
    private final ConcurrentHashMap<Long, QuicStream> streams = new ConcurrentHashMap<>();
    private final AtomicLong bytesSent = new AtomicLong();
    private final AtomicLong bytesReceived = new AtomicLong();
    private volatile BackendConnection backend;
    private volatile QuicException closedBy;
    private volatile QuicException lastError;
    private volatile Consumer<QuicStream> peerStreamListener;
    private final java.util.concurrent.CopyOnWriteArrayList<Consumer<QuicConnection>> closeListeners =
        new java.util.concurrent.CopyOnWriteArrayList<>();
    private long streamsOpened;
    private long streamsAccepted;
    private long droppedEvents;
    private boolean disconnectReported;

    QuicConnection(final QuicConfig config, final boolean client)
    {
        this.config = config;
        this.client = client;
    }

    void attach(final BackendConnection backend)
    {
        this.backend = backend;
        addEvent(new QuicEvent(QuicEvent.Type.CONNECTED, -1, QuicException.NO_CODE,
            (client ? "connected to " : "accepted from ") + backend.remoteAddress()));
    }

    QuicConfig config()
    {
        return config;
    }

    /**
     * @return true on the side that connected, false on the side that accepted.
     */
    public boolean isClient()
    {
        return client;
    }

    /**
     * Opens a bidirectional stream, waiting up to the connect timeout for the peer's stream limit. The
     * peer learns of the stream when the first byte (or FIN) arrives.
     *
     * @return the stream.
     * @throws QuicException if the connection is closed or the peer allows no more streams in time.
     */
    public QuicStream openStream() throws QuicException
    {
        return openStream(config.connectTimeout());
    }

    /**
     * @param timeout longest wait for the peer's stream limit.
     * @return the stream.
     * @throws QuicException if the connection is closed or the wait timed out.
     */
    public QuicStream openStream(final Duration timeout) throws QuicException
    {
        checkOpen();
        final QuicStream stream;
        try
        {
            stream = backend.openStream(this, QuicStream.nanos(timeout));
        }
        catch (final QuicException ex)
        {
            throw ex;
        }
        catch (final IOException ex)
        {
            throw new QuicException(QuicException.Kind.INTERNAL, QuicException.NO_CODE,
                "cannot open a stream: " + ex.getMessage(), ex);
        }
        lock.lock();
        try
        {
            streamsOpened++;
        }
        finally
        {
            lock.unlock();
        }
        return stream;
    }

    /**
     * Waits for a stream opened by the peer.
     *
     * @param timeout longest wait, {@code null} for none.
     * @return the stream, or null if the deadline expired.
     * @throws QuicException if the connection closed.
     */
    public QuicStream acceptStream(final Duration timeout) throws QuicException
    {
        final long deadline = timeout == null ? 0 : System.nanoTime() + timeout.toNanos();
        lock.lock();
        try
        {
            while (acceptQueue.isEmpty())
            {
                final QuicException closed = closedBy;
                if (closed != null)
                {
                    throw closed;
                }
                if (timeout == null)
                {
                    streamArrived.awaitUninterruptibly();
                }
                else
                {
                    final long remaining = deadline - System.nanoTime();
                    if (remaining <= 0)
                    {
                        return null;
                    }
                    streamArrived.awaitNanos(remaining);
                }
            }
            return acceptQueue.pollFirst();
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
     * Waits for the next event.
     *
     * @param timeout longest wait, {@code null} for none.
     * @return the event, or null if the deadline expired.
     */
    public QuicEvent pollEvent(final Duration timeout)
    {
        final long deadline = timeout == null ? 0 : System.nanoTime() + timeout.toNanos();
        lock.lock();
        try
        {
            while (events.isEmpty())
            {
                if (timeout == null)
                {
                    eventArrived.awaitUninterruptibly();
                }
                else
                {
                    final long remaining = deadline - System.nanoTime();
                    if (remaining <= 0)
                    {
                        return null;
                    }
                    eventArrived.awaitNanos(remaining);
                }
            }
            return events.pollFirst();
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
     * Closes the connection gracefully: the peer sees {@code errorCode} and {@code reason}. Streams fail
     * with {@link QuicException.Kind#CONNECTION_CLOSED}; data still queued locally is not sent. Does not
     * block; closing again does nothing.
     *
     * @param errorCode application error code (0 for no error).
     * @param reason    readable reason for the peer.
     */
    public void disconnect(final long errorCode, final String reason)
    {
        final QuicException cause = new QuicException(QuicException.Kind.CONNECTION_CLOSED, errorCode,
            "connection closed locally with code " + errorCode + ": " + reason, null);
        if (onClosed(cause))
        {
            final BackendConnection b = backend;
            if (b != null)
            {
                b.close(errorCode, reason);
            }
        }
    }

    /**
     * Same as {@code disconnect(0, "closed")}.
     */
    @Override
    public void close()
    {
        disconnect(0, "closed");
    }

    /**
     * @return true once the connection closed, for whatever reason.
     */
    public boolean isClosed()
    {
        return closedBy != null;
    }

    /**
     * @return a snapshot of addresses, counters and state.
     */
    public QuicConnectionStats observe()
    {
        final BackendConnection b = backend;
        lock.lock();
        try
        {
            return new QuicConnectionStats(b == null ? null : b.localAddress(), b == null ? null : b.remoteAddress(),
                streamsOpened, streamsAccepted, b == null ? 0 : b.smoothedRttNanos(), bytesSent.get(),
                bytesReceived.get(), closedBy != null, lastError);
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * @return the local UDP address, without the cost of a full {@link #observe()}.
     */
    public InetSocketAddress localAddress()
    {
        final BackendConnection b = backend;
        return b == null ? null : b.localAddress();
    }

    /**
     * @return the peer's UDP address, without the cost of a full {@link #observe()}.
     */
    public InetSocketAddress peerAddress()
    {
        final BackendConnection b = backend;
        return b == null ? null : b.remoteAddress();
    }

    /**
     * @return events dropped because the queue was full.
     */
    public long droppedEvents()
    {
        lock.lock();
        try
        {
            return droppedEvents;
        }
        finally
        {
            lock.unlock();
        }
    }

    @Override
    public String toString()
    {
        final BackendConnection b = backend;
        return "QuicConnection[" + (b == null ? "?" : b.localAddress() + " -> " + b.remoteAddress()) + "]";
    }

    // ---- hooks for the transport adapter ----

    void peerStreamListener(final Consumer<QuicStream> listener)
    {
        peerStreamListener = listener;
    }

    void closeListener(final Consumer<QuicConnection> listener)
    {
        closeListeners.add(listener);
        if (closedBy != null && closeListeners.remove(listener))
        {
            listener.accept(this);
        }
    }

    int openStreamCount()
    {
        return streams.size();
    }

    // ---- for backends and streams ----

    private void checkOpen() throws QuicException
    {
        final QuicException closed = closedBy;
        if (closed != null)
        {
            throw closed;
        }
    }

    void onLocalStream(final QuicStream stream)
    {
        streams.put(stream.id(), stream);
        addEvent(new QuicEvent(QuicEvent.Type.STREAM_OPENED, stream.id(), QuicException.NO_CODE, "opened locally"));
        if (closedBy != null)
        {
            stream.onConnectionClosed(closedBy);
        }
    }

    /**
     * A stream opened by the peer. Called on a backend thread; hands the stream off without blocking.
     */
    void onPeerStream(final QuicStream stream)
    {
        streams.put(stream.id(), stream);
        addEvent(new QuicEvent(QuicEvent.Type.STREAM_OPENED, stream.id(), QuicException.NO_CODE, "opened by peer"));
        final Consumer<QuicStream> listener = peerStreamListener;
        lock.lock();
        try
        {
            streamsAccepted++;
            if (listener == null)
            {
                acceptQueue.addLast(stream);
                streamArrived.signalAll();
            }
        }
        finally
        {
            lock.unlock();
        }
        if (listener != null)
        {
            listener.accept(stream);
        }
        if (closedBy != null)
        {
            stream.onConnectionClosed(closedBy);
        }
    }

    void onStreamClosed(final QuicStream stream)
    {
        // Removal and event under the connection's lock, the one onClosed takes to report what is left: a stream
        // that ends while the connection closes is reported once, and before DISCONNECTED. (Lock order: the
        // connection's, then a stream's inside observe(); a stream never calls in here holding its own.)
        lock.lock();
        try
        {
            if (streams.remove(stream.id(), stream))
            {
                final QuicException error = stream.observe().lastError();
                addEvent(new QuicEvent(QuicEvent.Type.STREAM_CLOSED, stream.id(),
                    error == null ? QuicException.NO_CODE : error.errorCode(),
                    error == null ? "finished in both directions" : error.getMessage()));
            }
        }
        finally
        {
            lock.unlock();
        }
    }

    void onStreamError(final QuicStream stream, final QuicException error)
    {
        lastError = error;
        addEvent(new QuicEvent(QuicEvent.Type.ERROR, stream.id(), error.errorCode(), error.getMessage()));
    }

    /**
     * The backend saw the connection end.
     *
     * @return true if this call closed it (false if it was closed already).
     */
    boolean onClosed(final QuicException cause)
    {
        final List<QuicStream> open;
        lock.lock();
        try
        {
            if (closedBy != null)
            {
                return false;
            }
            closedBy = cause;
            lastError = cause;
            streamArrived.signalAll();
            open = new ArrayList<>(streams.values());
        }
        finally
        {
            lock.unlock();
        }
        for (final QuicStream stream : open)
        {
            stream.onConnectionClosed(cause);
        }
        lock.lock();
        try
        {
            // A stream whose own report is still on its way (another thread marked it closed an instant before) is
            // reported here, so every opened stream's STREAM_CLOSED precedes DISCONNECTED, which ends the events.
            for (final QuicStream stream : open)
            {
                onStreamClosed(stream);
            }
            addEvent(new QuicEvent(QuicEvent.Type.DISCONNECTED, -1, cause.errorCode(), cause.getMessage()));
        }
        finally
        {
            lock.unlock();
        }
        for (final Consumer<QuicConnection> listener : closeListeners)
        {
            if (closeListeners.remove(listener))
            {
                listener.accept(this);
            }
        }
        return true;
    }

    void countSent(final long bytes)
    {
        bytesSent.addAndGet(bytes);
    }

    void countReceived(final long bytes)
    {
        bytesReceived.addAndGet(bytes);
    }

    private void addEvent(final QuicEvent event)
    {
        lock.lock();
        try
        {
            if (events.size() >= MAX_EVENTS)
            {
                dropOldestStreamEvent();
            }
            // After DISCONNECTED nothing else is reported, so it stays the last event.
            if (disconnectReported)
            {
                return;
            }
            disconnectReported = event.type() == QuicEvent.Type.DISCONNECTED;
            events.addLast(event);
            eventArrived.signalAll();
        }
        finally
        {
            lock.unlock();
        }
    }

    private void dropOldestStreamEvent()
    {
        for (final var it = events.iterator(); it.hasNext(); )
        {
            final QuicEvent event = it.next();
            if (event.type() != QuicEvent.Type.CONNECTED && event.type() != QuicEvent.Type.DISCONNECTED)
            {
                it.remove();
                droppedEvents++;
                return;
            }
        }
    }
}
