package dev.hayate.core.transport;

import java.io.Closeable;
import java.io.IOException;
import java.net.SocketAddress;

/**
 * A listening endpoint that produces one {@link Transport} per connecting peer.
 *
 * <p>Thread-safety: {@link #accept()} and {@link #awaitAcceptable} from one thread at a time;
 * {@link #close()} from any thread, and it wakes a waiting caller.
 */
public interface TransportServer extends Closeable
{
    /**
     * Accepts one pending connection without blocking.
     *
     * @return the new transport, or {@code null} when none is pending.
     * @throws IOException if the server failed or is closed.
     */
    Transport accept() throws IOException;

    /**
     * Blocks until a connection is pending, the timeout expires, or the server is closed.
     *
     * @param timeoutNanos longest wait; 0 or negative means check once.
     * @return true if {@link #accept()} would return a transport.
     * @throws IOException if the server is closed or failed.
     */
    boolean awaitAcceptable(long timeoutNanos) throws IOException;

    /**
     * Registers for accept readiness with an event loop's poller.
     *
     * @param poller     of the event loop.
     * @param attachment handed back with every readiness event.
     * @return the registration.
     * @throws IOException if the server cannot be registered.
     */
    IoPoller.Registration register(IoPoller poller, Object attachment) throws IOException;

    /**
     * @return the bound address, with the actual port when bound to port 0.
     */
    SocketAddress localAddress();

    /**
     * @return false once closed.
     */
    boolean isOpen();
}
