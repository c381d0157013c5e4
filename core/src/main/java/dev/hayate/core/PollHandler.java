package dev.hayate.core;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import dev.hayate.core.transport.IoPoller;

/**
 * One thread serving the receive side of many connections and accepting new ones: readiness from the
 * kernel, messages to a handler. The agrona duty-cycle shape: {@link #poll} does a bounded amount of work
 * and returns how much, so the caller chooses how to idle (or {@link #run} does it with a kernel wait).
 *
 * <pre>{@code
 * PollHandler<Order> poll = new PollHandler<>(new PollHandler.Handler<>() {
 *     public void onMessage(Connection<Order> from, Order order) { from.trySend(fill(order)); }
 * });
 * poll.add(acceptor);                 // accepts and serves every connection of a service
 * while (running) poll.poll(1_000_000, 256);
 * }</pre>
 *
 * <p>Thread-safety: {@link #add} and {@link #wakeup()} from any thread; {@link #poll} and {@link #run} from
 * the one serving thread. Handlers run on that thread and may send on the connection they were given
 * (they own its send half while the handler runs; other threads must not send on it).
 *
 * @param <T> the message type.
 */
public final class PollHandler<T> implements AutoCloseable
{
    /**
     * Receives what the poll handler serves, on its thread.
     *
     * @param <T> the message type.
     */
    public interface Handler<T>
    {
        /**
         * @param from    the connection the message came on.
         * @param message for a flyweight codec valid only during the call.
         */
        void onMessage(Connection<T> from, T message);

        /**
         * @param connection joined (accepted, or added).
         */
        default void onConnected(final Connection<T> connection)
        {
        }

        /**
         * @param connection closed and left; its close reason says why.
         */
        default void onDisconnected(final Connection<T> connection)
        {
        }
    }

    private final Handler<T> handler;
    private final IoPoller poller;
    private final Queue<Object> joining = new ConcurrentLinkedQueue<>();
    private final List<Member<T>> members = new ArrayList<>();
    private final List<Acceptor<T>> acceptors = new ArrayList<>();
    private final ArrayDeque<Member<T>> ready = new ArrayDeque<>();
    private final IoPoller.Handler onReady = this::onReady;
    private boolean acceptReady;
    private volatile boolean running = true;

    /**
     * @param handler receives messages and membership changes.
     * @throws IOException if the poller cannot be opened.
     */
    public PollHandler(final Handler<T> handler) throws IOException
    {
        this.handler = handler;
        this.poller = new IoPoller();
    }

    /**
     * Serves a connection from the next poll on.
     *
     * @param connection to serve.
     */
    public void add(final Connection<T> connection)
    {
        joining.offer(connection);
        poller.wakeup();
    }

    /**
     * Accepts and serves every connection of a service from the next poll on.
     *
     * @param acceptor of the service.
     */
    public void add(final Acceptor<T> acceptor)
    {
        joining.offer(acceptor);
        acceptor.onHandshakeDone(poller::wakeup);
        poller.wakeup();
    }

    @SuppressWarnings("unchecked")
    private void admitJoining() throws IOException
    {
        Object joiner;
        while ((joiner = joining.poll()) != null)
        {
            if (joiner instanceof Acceptor)
            {
                final Acceptor<T> acceptor = (Acceptor<T>)joiner;
                acceptors.add(acceptor);
                acceptor.register(poller, acceptor);
                acceptReady = true;
            }
            else
            {
                join((Connection<T>)joiner);
            }
        }
    }

    private void join(final Connection<T> connection)
    {
        final Member<T> member = new Member<>(connection);
        members.add(member);
        try
        {
            member.registration = connection.transport().register(poller, member);
            member.registration.interestOps(IoPoller.READ);
        }
        catch (final IOException ex)
        {
            connection.closeWith(CloseReason.IO_ERROR, "cannot watch for readiness: " + ex.getMessage());
        }
        handler.onConnected(connection);
        // It may already hold bytes (a handshake read ahead): serve it once without waiting for readiness.
        enqueue(member);
    }

    private void enqueue(final Member<T> member)
    {
        if (!member.queued)
        {
            member.queued = true;
            ready.add(member);
        }
    }

    @SuppressWarnings("unchecked")
    private void onReady(final Object attachment, final int readyOps)
    {
        if (attachment instanceof Member)
        {
            enqueue((Member<T>)attachment);
        }
        else if (attachment instanceof Acceptor)
        {
            acceptReady = true;
        }
    }

    /**
     * One duty cycle: admits new members, accepts pending connections, waits up to {@code timeoutNanos} for
     * readiness, then delivers up to {@code limit} messages, at most one per connection in turn so no
     * connection starves the others.
     *
     * @param timeoutNanos longest wait when there is nothing to do; 0 never waits.
     * @param limit        most messages delivered by this call.
     * @return work done: messages delivered plus connections accepted or lost.
     * @throws IOException if the poller failed.
     */
    public int poll(final long timeoutNanos, final int limit) throws IOException
    {
        admitJoining();
        int work = acceptAll();
        poller.poll(ready.isEmpty() && work == 0 ? timeoutNanos : 0, onReady);
        work += acceptAll();
        int delivered = 0;
        for (int i = ready.size(); i > 0 && delivered < limit; i--)
        {
            final Member<T> member = ready.poll();
            member.queued = false;
            final Connection<T> connection = member.connection;
            final T message = connection.tryRecv();
            if (message != null)
            {
                delivered++;
                handler.onMessage(connection, message);
                if (!connection.isClosed())
                {
                    // More frames may already be buffered: come back to it after the others.
                    enqueue(member);
                }
            }
            if (connection.isClosed() && !member.left)
            {
                work += leave(member);
            }
        }
        work += dutyCycle();
        return work + delivered;
    }

    private int leave(final Member<T> member)
    {
        member.left = true;
        members.remove(member);
        if (member.registration != null)
        {
            member.registration.cancel();
        }
        handler.onDisconnected(member.connection);
        return 1;
    }

    private int dutyCycle()
    {
        int work = 0;
        for (int i = members.size() - 1; i >= 0; i--)
        {
            final Member<T> member = members.get(i);
            final Connection<T> connection = member.connection;
            if (connection.isTimed())
            {
                connection.doWork(connection.clock().nanoTime());
            }
            if (connection.isClosed() && !member.queued)
            {
                work += leave(member);
            }
        }
        return work;
    }

    /**
     * Per-connection state of the poll handler.
     */
    private static final class Member<T>
    {
        final Connection<T> connection;
        IoPoller.Registration registration;
        boolean queued;
        boolean left;

        Member(final Connection<T> connection)
        {
            this.connection = connection;
        }
    }

    private int acceptAll() throws IOException
    {
        // Only when the kernel said a connection is pending, or a handshake may have finished: an accept that finds
        // nothing still allocates inside the JDK, and this runs every duty cycle.
        final boolean pending = acceptReady;
        acceptReady = false;
        int accepted = 0;
        for (int i = 0; i < acceptors.size(); i++)
        {
            final Acceptor<T> acceptor = acceptors.get(i);
            if (acceptor.isClosed() || !pending && !acceptor.hasAdmissionsInProgress())
            {
                continue;
            }
            Connection<T> connection;
            while ((connection = acceptor.tryAccept()) != null)
            {
                join(connection);
                accepted++;
            }
        }
        return accepted;
    }

    /**
     * Serves until {@link #close()}, waiting in the kernel when idle.
     *
     * @param limit most messages per duty cycle.
     * @throws IOException if the poller failed.
     */
    public void run(final int limit) throws IOException
    {
        while (running)
        {
            try
            {
                // Wake at least every 100 ms for heartbeats and liveness, and to see close().
                poll(100_000_000L, limit);
            }
            catch (final IOException | java.nio.channels.ClosedSelectorException ex)
            {
                if (running)
                {
                    throw ex;
                }
            }
        }
    }

    /**
     * @return connections served now.
     */
    public int connectionCount()
    {
        return members.size();
    }

    /**
     * Makes a waiting poll return; any thread.
     */
    public void wakeup()
    {
        poller.wakeup();
    }

    /**
     * Stops {@link #run} and closes the poller and every connection served.
     */
    @Override
    public void close()
    {
        running = false;
        poller.wakeup();
        for (final Member<T> member : List.copyOf(members))
        {
            member.connection.close();
        }
        try
        {
            poller.close();
        }
        catch (final IOException ignore)
        {
            // Closing.
        }
    }
}
