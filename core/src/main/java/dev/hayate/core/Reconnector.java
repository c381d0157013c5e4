package dev.hayate.core;

import java.io.IOException;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import dev.hayate.core.internal.Connector;

/**
 * Keeps a client connected: when its connection closes for any reason but a local close, a background
 * thread reconnects (handshake included) following a {@link ReconnectPolicy}, and tells a listener. The
 * faces read {@link #current()} on every call, so they pick the new connection up without locks.
 *
 * <pre>
 *   connected ──(peer gone, error, heartbeat timeout)──▶ onDisconnected ─▶ wait delay(0) ─▶ attempt
 *       ▲                                                                     │ fails: delay(n+1)
 *       └──────────────────── onConnected ◀────── succeeds ◀──────────────────┘ gives up: onGaveUp
 * </pre>
 *
 * <p>Thread-safety: safe for concurrent use. Listener methods run on the reconnect thread (the first
 * {@code onConnected} on the thread that called {@link #start()}).
 *
 * @param <T> the message type.
 */
public final class Reconnector<T> implements AutoCloseable
{
    /**
     * Learns of connection changes.
     *
     * @param <T> the message type.
     */
    public interface Listener<T>
    {
        /**
         * @param connection established (after its handshake).
         */
        default void onConnected(final Connection<T> connection)
        {
        }

        /**
         * @param connection that closed; its close reason says why. Reconnecting follows.
         */
        default void onDisconnected(final Connection<T> connection)
        {
        }

        /**
         * @param lastFailure why the last attempt failed.
         */
        default void onGaveUp(final IOException lastFailure)
        {
        }
    }

    private final SocketAddress remote;
    private final ProtocolFactory<T> protocols;
    private final Callback<T> callback;
    private final Context context;
    private final ReconnectPolicy policy;
    private final Listener<T> listener;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private volatile Connection<T> current;
    private volatile boolean closed;
    private volatile boolean gaveUp;
    private volatile IOException lastFailure;
    private Thread thread;

    /**
     * @param remote    address of the service.
     * @param protocols makes each connection's protocol (keep session state outside the protocol instance
     *                  if it must survive a reconnect, such as the last sequence number seen).
     * @param callback  observes messages.
     * @param context   configuration.
     * @param policy    when to retry.
     * @param listener  learns of changes.
     */
    public Reconnector(final SocketAddress remote, final ProtocolFactory<T> protocols, final Callback<T> callback,
        final Context context, final ReconnectPolicy policy, final Listener<T> listener)
    {
        this.remote = remote;
        this.protocols = protocols;
        this.callback = callback;
        this.context = context.conclude();
        this.policy = policy;
        this.listener = listener;
    }

    /**
     * Connects the first time on the calling thread (so a wrong address fails fast), then watches.
     *
     * @return the first connection.
     * @throws IOException if the first connection could not be made within the connect timeout.
     */
    public Connection<T> start() throws IOException
    {
        final Connection<T> first = Connector.connect(remote, protocols, callback, context);
        install(first);
        return first;
    }

    private void install(final Connection<T> connection)
    {
        lock.lock();
        try
        {
            if (closed)
            {
                connection.close();
                return;
            }
            current = connection;
            changed.signalAll();
        }
        finally
        {
            lock.unlock();
        }
        listener.onConnected(connection);
        connection.onClose(this::onLost);
    }

    private void onLost(final Connection<T> connection)
    {
        if (closed || connection.closeReason() == CloseReason.LOCAL)
        {
            return;
        }
        lock.lock();
        try
        {
            if (current != connection)
            {
                return;
            }
            current = null;
            thread = new Thread(this::reconnect, context.name() + "-reconnect");
            thread.setDaemon(true);
            thread.start();
        }
        finally
        {
            lock.unlock();
        }
        listener.onDisconnected(connection);
    }

    private void reconnect()
    {
        int failures = 0;
        while (!closed)
        {
            try
            {
                Thread.sleep(TimeUnit.NANOSECONDS.toMillis(policy.delayNanos(failures)));
            }
            catch (final InterruptedException ex)
            {
                return;
            }
            if (closed)
            {
                return;
            }
            try
            {
                install(Connector.connect(remote, protocols, callback, context));
                return;
            }
            catch (final IOException | RuntimeException ex)
            {
                // A RuntimeException too (the buffer pool briefly exhausted, a protocol factory failing): one failed
                // attempt under the policy, never the end of this thread with the client stuck unconnected.
                lastFailure = ex instanceof IOException io ? io : new IOException(ex.getMessage(), ex);
                failures++;
                if (policy.givesUpAfter(failures))
                {
                    lock.lock();
                    try
                    {
                        gaveUp = true;
                        changed.signalAll();
                    }
                    finally
                    {
                        lock.unlock();
                    }
                    listener.onGaveUp(lastFailure);
                    return;
                }
            }
        }
    }

    /**
     * @return the live connection, or {@code null} while reconnecting (or after giving up or closing).
     */
    public Connection<T> current()
    {
        return current;
    }

    /**
     * Waits until a connection is live, the reconnector gives up or closes, or the timeout.
     *
     * @param timeoutNanos longest wait.
     * @return the live connection, or {@code null}.
     */
    public Connection<T> awaitConnected(final long timeoutNanos)
    {
        long left = timeoutNanos;
        lock.lock();
        try
        {
            while (current == null && !closed && !gaveUp && left > 0)
            {
                left = changed.awaitNanos(left);
            }
            return current;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return current;
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * @return true once it stopped trying (its policy's attempt limit), or was closed.
     */
    public boolean isFinished()
    {
        return gaveUp || closed;
    }

    /**
     * @return why the last attempt failed, or {@code null}.
     */
    public IOException lastFailure()
    {
        return lastFailure;
    }

    /**
     * Stops reconnecting and closes the live connection (a local close: no reconnect follows).
     */
    @Override
    public void close()
    {
        final Connection<T> live;
        final Thread reconnecting;
        lock.lock();
        try
        {
            closed = true;
            live = current;
            current = null;
            reconnecting = thread;
            changed.signalAll();
        }
        finally
        {
            lock.unlock();
        }
        if (reconnecting != null)
        {
            reconnecting.interrupt();
        }
        if (live != null)
        {
            live.close();
        }
    }
}
