package dev.hayate.conformance;

import java.io.IOException;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;

import dev.hayate.core.CloseReason;
import dev.hayate.core.Context;
import dev.hayate.core.ProtocolFactory;
import dev.hayate.core.Status;

/**
 * One face (nonblocking, blocking, async) seen through the same small interface, so every scenario is
 * written once. Adapters translate each face's own idiom (spinning, blocking, futures) into "wait up to a
 * timeout".
 */
interface Flavour
{
    String name();

    /**
     * @return true if the face waits through the transport and the context clock, so the in-memory
     * harness can make its time virtual.
     */
    boolean supportsVirtualTime();

    <T> Server<T> bind(SocketAddress local, ProtocolFactory<T> protocols, Context context) throws IOException;

    <T> Client<T> connect(SocketAddress remote, ProtocolFactory<T> protocols, Context context) throws IOException;

    interface Sender<T>
    {
        Status send(T message, long timeout, TimeUnit unit);
    }

    interface Receiver<T>
    {
        /**
         * @return the message, or null on timeout or close.
         */
        T recv(long timeout, TimeUnit unit);
    }

    interface Client<T> extends Sender<T>, Receiver<T>, AutoCloseable
    {
        boolean isClosed();

        CloseReason closeReason();

        String closeDetail();

        /**
         * @return halves for two threads: [0] is the sender, [1] the receiver.
         */
        Object[] split();

        @Override
        void close();
    }

    interface Server<T> extends AutoCloseable
    {
        SocketAddress address();

        /**
         * @return the next admitted connection, or null on timeout.
         */
        Client<T> accept(long timeout, TimeUnit unit) throws IOException;

        long refused();

        long handshakeFailures();

        int connectionCount();

        @Override
        void close();
    }
}
