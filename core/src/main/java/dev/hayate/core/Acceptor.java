package dev.hayate.core;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.hayate.core.stat.Stat;
import dev.hayate.core.transport.IoPoller;
import dev.hayate.core.transport.Transport;
import dev.hayate.core.transport.TransportServer;

/**
 * The accepting side shared by every flavour's {@code Svc}: a bound transport server, the
 * maximum-connections gate, and the set of live accepted connections.
 *
 * <p>A connection beyond the gate is accepted at the transport level and closed at once (the peer sees
 * end of stream), and counted in {@link #refused()}; so is one for which the buffer pool has no buffers.
 * A connection leaves the live set when it closes, for any reason, which reopens the gate.
 *
 * <p>The gate, in the order it is checked, each refusal counted in {@code Stat.REFUSED} and the specific ones
 * also on their own:
 * <ol>
 *   <li>live connections (handshakes included) below {@link Context#maxConnections()};</li>
 *   <li>handshakes in progress below {@link Context#maxHandshakes()} ({@code Stat.REFUSED_HANDSHAKES});</li>
 *   <li>per remote IP address ({@link PeerLimits}, only when a per-address limit is set and the transport
 *   has an IP address): connections below {@link Context#maxConnectionsPerAddress()}
 *   ({@code Stat.REFUSED_PER_ADDRESS}), handshakes below {@link Context#maxHandshakesPerAddress()}
 *   ({@code Stat.REFUSED_HANDSHAKES}), a token of {@link Context#connectionRatePerAddress}
 *   ({@code Stat.REFUSED_RATE});</li>
 *   <li>a receive and a send buffer from the pool.</li>
 * </ol>
 * Every check happens before the connection is built, so a refusal leases nothing and allocates nothing beyond
 * what the transport's accept did.
 *
 * <p>When the protocol has a handshake ({@link Protocol#onConnect}), it runs on a handshake thread (one per
 * connection in handshake, bounded by {@link Context#maxHandshakes()}) and the connection is handed out only once
 * it succeeds: a peer that never completes it is closed after the handshake timeout without holding up anyone
 * else.
 *
 * <p>Thread-safety: {@link #tryAccept()} from one thread at a time; the live set, counters and
 * {@link #close()} are safe from any thread.
 *
 * @param <T> the message type.
 */
public final class Acceptor<T> implements AutoCloseable
{
    private final TransportServer server;
    private final ProtocolFactory<T> protocols;
    private final Callback<T> callback;
    private final Context context;
    private final CopyOnWriteArrayList<Connection<T>> live = new CopyOnWriteArrayList<>();
    private final AtomicInteger liveCount = new AtomicInteger();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong handshakeFailures = new AtomicLong();
    private final AtomicInteger handshaking = new AtomicInteger();
    private final java.util.Queue<Connection<T>> established = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final java.util.concurrent.ExecutorService handshakeThreads;
    private final PeerLimits peers;
    private volatile Runnable onEstablished = () -> { };
    private volatile boolean closed;

    /**
     * Binds.
     *
     * @param local     address to bind; port 0 picks a free port.
     * @param protocols makes each connection's protocol.
     * @param callback  observes messages of every connection.
     * @param context   configuration.
     * @throws IOException if the address cannot be bound.
     */
    public Acceptor(final SocketAddress local, final ProtocolFactory<T> protocols, final Callback<T> callback,
        final Context context) throws IOException
    {
        this.context = context.conclude();
        this.protocols = protocols;
        this.callback = callback;
        this.server = context.transportProvider().bind(local);
        final AtomicInteger threadNumber = new AtomicInteger();
        this.peers = PeerLimits.needed(this.context) ? new PeerLimits(this.context) : null;
        this.handshakeThreads = new java.util.concurrent.ThreadPoolExecutor(0, context.maxHandshakes(), 10,
            java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.SynchronousQueue<>(), task ->
            {
                final Thread thread = new Thread(task, context.name() + "-handshake-" + threadNumber.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
    }

    /**
     * Accepts one pending connection without blocking, and hands out one connection whose handshake is done.
     *
     * @return an established connection, or {@code null} when none is ready (nothing pending, refused, or
     * still in its handshake).
     * @throws IOException if the server failed or is closed.
     */
    public Connection<T> tryAccept() throws IOException
    {
        // The JDK's accept allocates even when nothing is pending; the readiness check does not, and services
        // call this in every duty cycle.
        final Transport transport = server.awaitAcceptable(0) ? server.accept() : null;
        if (transport != null)
        {
            admit(transport);
        }
        return established.poll();
    }

    private void handshake(final Connection<T> connection, final PeerLimits.Peer peer)
    {
        try
        {
            Handshakes.run(connection, context, this::handshakeFailed);
            endHandshake(peer);
            establish(connection);
        }
        catch (final HandshakeException ex)
        {
            // Counted and closed by the handshake runner; nothing to hand out.
            endHandshake(peer);
        }
        catch (final RuntimeException | Error ex)
        {
            endHandshake(peer);
            connection.close();
            throw ex;
        }
        onEstablished.run();
    }

    private void endHandshake(final PeerLimits.Peer peer)
    {
        if (peer != null)
        {
            peers.handshakeDone(peer);
        }
        handshaking.decrementAndGet();
    }

    private void establish(final Connection<T> connection)
    {
        accepted.incrementAndGet();
        established.offer(connection);
    }

    /**
     * @param listener runs (on a handshake thread) whenever a handshake ends, so an event loop can call
     *                 {@link #tryAccept()} again.
     */
    public void onHandshakeDone(final Runnable listener)
    {
        onEstablished = listener;
    }

    /**
     * @return true if a connection is ready to be handed out or a handshake is under way.
     */
    public boolean hasAdmissionsInProgress()
    {
        return !established.isEmpty() || handshaking.get() > 0;
    }

    /**
     * @return connections whose handshake failed or timed out.
     */
    public long handshakeFailures()
    {
        return handshakeFailures.get();
    }

    /**
     * Admits a transport through the gate, builds its connection, and starts its handshake or queues it to be
     * handed out.
     *
     * @param transport accepted by the server; closed if refused.
     */
    private void admit(final Transport transport)
    {
        if (closed || liveCount.incrementAndGet() > context.maxConnections())
        {
            liveCount.decrementAndGet();
            refuse(transport, null);
            return;
        }
        // Counted before the protocol is known; a service whose protocol has no handshake never has one running.
        if (handshaking.get() >= context.maxHandshakes())
        {
            liveCount.decrementAndGet();
            refuse(transport, Stat.REFUSED_HANDSHAKES);
            return;
        }
        PeerLimits.Peer peer = null;
        if (peers != null)
        {
            final InetAddress address = addressOf(transport);
            if (address != null)
            {
                peer = peers.tryAdmit(address, context.nanoClock().nanoTime());
                if (peer == null)
                {
                    liveCount.decrementAndGet();
                    refuse(transport, peers.lastRefusal());
                    return;
                }
            }
        }
        final Connection<T> connection;
        try
        {
            connection = new Connection<>(ConId.Role.ACCEPTOR, transport, protocols, callback, context);
        }
        catch (final RuntimeException | Error ex)
        {
            // No buffers, or the protocol factory failed: the connection was never made (its constructor closed
            // the transport and returned its buffers), so its gate slot goes back and the service goes on.
            release(peer);
            refused.incrementAndGet();
            context.counters().increment(Stat.REFUSED);
            context.errorHandler().onError(ex);
            if (ex instanceof Error && !(ex instanceof OutOfMemoryError))
            {
                throw (Error)ex;
            }
            return;
        }
        live.add(connection);
        final PeerLimits.Peer admitted = peer;
        connection.onClose(closedConnection -> onConnectionClosed(closedConnection, admitted));
        if (!Handshakes.needed(connection))
        {
            establish(connection);
            return;
        }
        handshaking.incrementAndGet();
        if (admitted != null)
        {
            peers.handshakeStarted(admitted);
        }
        try
        {
            handshakeThreads.execute(() -> handshake(connection, admitted));
        }
        catch (final java.util.concurrent.RejectedExecutionException ex)
        {
            // Every handshake thread is still busy winding up; refusing is what the gate would have done.
            endHandshake(admitted);
            refused.incrementAndGet();
            context.counters().increment(Stat.REFUSED);
            context.counters().increment(Stat.REFUSED_HANDSHAKES);
            connection.close();
        }
    }

    private static InetAddress addressOf(final Transport transport)
    {
        final SocketAddress remote = transport.remoteAddress();
        return remote instanceof InetSocketAddress ? ((InetSocketAddress)remote).getAddress() : null;
    }

    private void release(final PeerLimits.Peer peer)
    {
        liveCount.decrementAndGet();
        if (peer != null)
        {
            peers.connectionClosed(peer);
        }
    }

    private void handshakeFailed()
    {
        handshakeFailures.incrementAndGet();
        context.counters().increment(Stat.HANDSHAKE_FAILURES);
    }

    private void refuse(final Transport transport, final Stat reason)
    {
        refused.incrementAndGet();
        context.counters().increment(Stat.REFUSED);
        if (reason != null)
        {
            context.counters().increment(reason);
        }
        try
        {
            transport.close();
        }
        catch (final IOException ignore)
        {
            // Refusing is closing; a failure to close a refused transport changes nothing.
        }
    }

    private void onConnectionClosed(final Connection<T> connection, final PeerLimits.Peer peer)
    {
        if (live.remove(connection))
        {
            release(peer);
        }
    }

    /**
     * @param address a remote IP address.
     * @return its live connections as the per-address limits count them; 0 when no per-address limit is set.
     */
    public int connectionsFrom(final InetAddress address)
    {
        return peers == null ? 0 : peers.connectionsFrom(address);
    }

    /**
     * Waits in the kernel until a connection is pending or the timeout expires.
     *
     * @param timeoutNanos longest wait.
     * @return true if {@link #tryAccept()} would find a pending connection.
     * @throws IOException if the server is closed.
     */
    public boolean awaitAcceptable(final long timeoutNanos) throws IOException
    {
        return server.awaitAcceptable(timeoutNanos);
    }

    /**
     * Registers the server with an event loop for accept readiness.
     *
     * @param poller     of the loop.
     * @param attachment handed back with events.
     * @return the registration.
     * @throws IOException if it cannot register.
     */
    public IoPoller.Registration register(final IoPoller poller, final Object attachment) throws IOException
    {
        return server.register(poller, attachment);
    }

    /**
     * @return the bound address, with the real port.
     */
    public SocketAddress localAddress()
    {
        return server.localAddress();
    }

    /**
     * @return live accepted connections, a snapshot safe to iterate.
     */
    public List<Connection<T>> connections()
    {
        return List.copyOf(live);
    }

    /**
     * @return live accepted connections now.
     */
    public int connectionCount()
    {
        return liveCount.get();
    }

    /**
     * @return connections accepted and established (handshake done) so far.
     */
    public long accepted()
    {
        return accepted.get();
    }

    /**
     * @return connections refused by the gate or for lack of buffers.
     */
    public long refused()
    {
        return refused.get();
    }

    /**
     * @return the context the acceptor was built with.
     */
    public Context context()
    {
        return context;
    }

    /**
     * @return true once closed.
     */
    public boolean isClosed()
    {
        return closed;
    }

    /**
     * Stops listening and closes every live connection.
     */
    @Override
    public void close()
    {
        closed = true;
        try
        {
            server.close();
        }
        catch (final IOException ignore)
        {
            // The listener is gone either way.
        }
        for (final Connection<T> connection : live)
        {
            connection.close();
        }
        handshakeThreads.shutdown();
    }
}
