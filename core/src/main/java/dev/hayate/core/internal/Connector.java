package dev.hayate.core.internal;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.hayate.core.Callback;
import dev.hayate.core.ConId;
import dev.hayate.core.Connection;
import dev.hayate.core.Context;
import dev.hayate.core.Handshakes;
import dev.hayate.core.ProtocolFactory;
import dev.hayate.core.stat.Stat;
import dev.hayate.core.transport.Transport;
import org.agrona.concurrent.NanoClock;

/**
 * Establishes client connections: keeps trying while the peer refuses (it may not be listening yet),
 * pausing the context's retry interval between attempts, until the context's connect timeout.
 *
 * <p>Thread-safety: stateless.
 */
public final class Connector
{
    private Connector()
    {
    }

    /**
     * Connects and builds the connection engine.
     *
     * @param remote    address of the service.
     * @param protocols makes the connection's protocol.
     * @param callback  observes messages.
     * @param context   configuration: transport, timeouts, buffers.
     * @param <T>       the message type.
     * @return the connection.
     * @throws IOException if no connection could be made within the connect timeout (the message says how
     *                     many attempts were made and why the last failed), or {@link HandshakeException} if
     *                     the protocol's handshake failed.
     */
    public static <T> Connection<T> connect(final SocketAddress remote, final ProtocolFactory<T> protocols,
        final Callback<T> callback, final Context context) throws IOException
    {
        context.conclude();
        final Transport transport = connectTransport(remote, context);
        final Connection<T> connection = new Connection<>(ConId.Role.INITIATOR, transport, protocols, callback, context);
        if (Handshakes.needed(connection))
        {
            Handshakes.run(connection, context, () -> context.counters().increment(Stat.HANDSHAKE_FAILURES));
        }
        return connection;
    }

    /**
     * Connects a transport, retrying refused attempts until the connect timeout.
     *
     * @param remote  address of the service.
     * @param context configuration.
     * @return the connected transport.
     * @throws IOException if every attempt failed.
     */
    public static Transport connectTransport(final SocketAddress remote, final Context context) throws IOException
    {
        final NanoClock clock = context.nanoClock();
        final long timeout = context.connectTimeoutNanos();
        final long deadline = clock.nanoTime() + timeout;
        int attempts = 0;
        IOException last = null;
        while (true)
        {
            attempts++;
            final long remaining = deadline - clock.nanoTime();
            try
            {
                return context.transportProvider().connect(remote, Math.max(1, remaining));
            }
            catch (final ConnectException | SocketTimeoutException ex)
            {
                // An attempt squeezed into the deadline's last moments times out at once, which says nothing about
                // the service: keep the earlier reason (usually a refusal: nobody listening yet).
                if (last == null || !(ex instanceof SocketTimeoutException) ||
                    remaining >= context.connectRetryIntervalNanos())
                {
                    last = ex;
                }
            }
            final long left = deadline - clock.nanoTime();
            if (left <= 0)
            {
                break;
            }
            LockSupport.parkNanos(Math.min(left, context.connectRetryIntervalNanos()));
            if (Thread.interrupted())
            {
                throw new java.io.InterruptedIOException("interrupted while connecting to " + remote);
            }
        }
        final IOException failure = new ConnectException("could not connect to " + remote + " over " +
            context.transportProvider().name() + " within " + TimeUnit.NANOSECONDS.toMillis(timeout) + " ms (" +
            attempts + " attempts): " + last.getMessage());
        failure.initCause(last);
        throw failure;
    }
}
