package dev.hayate.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import dev.hayate.core.loop.DutyLoop;
import dev.hayate.core.transport.IoPoller;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentTerminationException;

/**
 * One thread serving the receive side of many connections and accepting new ones: readiness from the
 * kernel, messages to a handler. It runs on the same duty loop as the async runtime ({@link DutyLoop}: a
 * poller, a task queue and a timer wheel on the context's clock): {@link #poll} does a bounded amount of work
 * and returns how much, so the caller chooses how to idle (or {@link #run} does it with a kernel wait). It is
 * an agrona {@link Agent}: {@link #doWork()} is {@code poll(0, limit)}, so an {@code AgentRunner} or an
 * {@code AgentInvoker} can drive it too.
 *
 * <p>Heartbeats and liveness rules run from one timer per connection on the loop's wheel (on the clock of the
 * context given here), re-armed when it expires: nothing is done per connection on a duty cycle with nothing
 * due. A connection whose context has another clock has its duties checked on every cycle instead. A protocol hook that throws on
 * a timer or while a message is received closes only its connection ({@link CloseReason#PROTOCOL_ERROR}),
 * reported to the context's error handler; an exception thrown by the {@link Handler} itself propagates out of
 * {@link #poll}, as before.
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
public final class PollHandler<T> implements Agent, AutoCloseable
{
    private static final int DEFAULT_LIMIT = 256;

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
    private final DutyLoop loop;
    private final ErrorHandler errorHandler;
    private final Queue<Object> joining = new ConcurrentLinkedQueue<>();
    private final List<Member> members = new ArrayList<>();
    private final List<AcceptorMember> acceptors = new ArrayList<>();
    private final ArrayDeque<Member> ready = new ArrayDeque<>();
    private final List<Member> foreignClocks = new ArrayList<>();
    private boolean acceptReady;
    private volatile boolean running = true;

    /**
     * A poll handler on the system clock, reporting to the default error handler.
     *
     * @param handler receives messages and membership changes.
     * @throws IOException if the poller cannot be opened.
     */
    public PollHandler(final Handler<T> handler) throws IOException
    {
        this(handler, new Context());
    }

    /**
     * @param handler receives messages and membership changes.
     * @param context its {@link Context#nanoClock()} times heartbeats and liveness (give the connections the
     *                same clock), its {@link Context#errorHandler()} receives contained failures.
     * @throws IOException if the poller cannot be opened.
     */
    public PollHandler(final Handler<T> handler, final Context context) throws IOException
    {
        this.handler = handler;
        this.errorHandler = context.errorHandler();
        this.loop = new DutyLoop("poll-handler", context.nanoClock(), errorHandler);
    }

    /**
     * Serves a connection from the next poll on.
     *
     * @param connection to serve.
     */
    public void add(final Connection<T> connection)
    {
        joining.offer(connection);
        loop.wakeup();
    }

    /**
     * Accepts and serves every connection of a service from the next poll on.
     *
     * @param acceptor of the service.
     */
    public void add(final Acceptor<T> acceptor)
    {
        joining.offer(acceptor);
        acceptor.onHandshakeDone(loop::wakeup);
        loop.wakeup();
    }

    @SuppressWarnings("unchecked")
    private void admitJoining() throws IOException
    {
        Object joiner;
        while ((joiner = joining.poll()) != null)
        {
            if (joiner instanceof Acceptor)
            {
                final AcceptorMember member = new AcceptorMember((Acceptor<T>)joiner);
                acceptors.add(member);
                member.acceptor.register(loop.poller(), member);
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
        final Member member = new Member(connection);
        members.add(member);
        loop.join(member);
        try
        {
            member.registration = connection.transport().register(loop.poller(), member);
            member.registration.interestOps(IoPoller.READ);
        }
        catch (final IOException ex)
        {
            connection.closeWith(CloseReason.IO_ERROR, "cannot watch for readiness: " + ex.getMessage());
        }
        // Closed by another thread (or by the handler): leave on the next cycle, without a scan of every member.
        connection.onClose(closed -> loop.schedule(member));
        handler.onConnected(connection);
        if (connection.isTimed())
        {
            if (connection.clock() == loop.clock())
            {
                loop.arm(member.duties, loop.clock().nanoTime());
            }
            else
            {
                // Its time is not the wheel's (a context with another clock): its duties are checked every cycle.
                foreignClocks.add(member);
            }
        }
        // It may already hold bytes (a handshake read ahead): serve it once without waiting for readiness.
        enqueue(member);
    }

    private void enqueue(final Member member)
    {
        if (!member.queued)
        {
            member.queued = true;
            ready.add(member);
        }
    }

    /**
     * One duty cycle: admits new members, accepts pending connections, runs the duty loop (readiness, due
     * heartbeats and liveness checks), waits up to {@code timeoutNanos} in the kernel when there was nothing to
     * do, then delivers up to {@code limit} messages, at most one per connection in turn so no connection
     * starves the others.
     *
     * @param timeoutNanos longest wait when there is nothing to do; 0 never waits.
     * @param limit        most messages delivered by this call.
     * @return work done: messages delivered, connections accepted or lost, readiness events and timers.
     * @throws IOException if the poller failed.
     */
    public int poll(final long timeoutNanos, final int limit) throws IOException
    {
        try
        {
            admitJoining();
            int work = acceptAll();
            work += loop.doWork();
            work += foreignClockDuties();
            work += acceptAll();
            if (work == 0 && ready.isEmpty() && timeoutNanos != 0)
            {
                work += loop.park(timeoutNanos);
                work += acceptAll();
            }
            return work + deliver(limit);
        }
        catch (final AgentTerminationException ex)
        {
            if (ex.getCause() instanceof IOException)
            {
                throw (IOException)ex.getCause();
            }
            if (ex.getCause() instanceof java.nio.channels.ClosedSelectorException)
            {
                throw new IOException("poll handler closed", ex.getCause());
            }
            throw ex;
        }
    }

    private int foreignClockDuties()
    {
        int work = 0;
        for (int i = foreignClocks.size() - 1; i >= 0; i--)
        {
            final Member member = foreignClocks.get(i);
            final Connection<T> connection = member.connection;
            connection.doWork(connection.clock().nanoTime());
            if (connection.isClosed() && !member.queued && !member.left)
            {
                work += leave(member);
            }
        }
        return work;
    }

    private int deliver(final int limit)
    {
        int work = 0;
        int delivered = 0;
        for (int i = ready.size(); i > 0 && delivered < limit; i--)
        {
            final Member member = ready.poll();
            member.queued = false;
            final Connection<T> connection = member.connection;
            T message;
            try
            {
                message = connection.tryRecv();
            }
            catch (final RuntimeException ex)
            {
                // A receive-side protocol hook threw: this connection only is closed and reported.
                member.onFailure(ex);
                message = null;
            }
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
        return work + delivered;
    }

    private int leave(final Member member)
    {
        member.left = true;
        members.remove(member);
        foreignClocks.remove(member);
        loop.leave(member);
        loop.disarm(member.duties);
        if (member.registration != null)
        {
            member.registration.cancel();
        }
        handler.onDisconnected(member.connection);
        return 1;
    }

    /**
     * Per-connection state of the poll handler; its callbacks run on the serving thread.
     */
    private final class Member implements DutyLoop.Member
    {
        final Connection<T> connection;
        final DutyLoop.Timer duties = new DutyLoop.Timer(this)
        {
            @Override
            protected void onExpiry(final long nowNanos)
            {
                runDuties(nowNanos);
            }
        };
        IoPoller.Registration registration;
        boolean queued;
        boolean left;

        Member(final Connection<T> connection)
        {
            this.connection = connection;
        }

        private void runDuties(final long nowNanos)
        {
            final long next = connection.doWork(connection.clock().nanoTime());
            if (connection.isClosed())
            {
                leaveIfClosed();
            }
            else if (next != Long.MAX_VALUE)
            {
                loop.arm(duties, nowNanos + Math.max(1, next));
            }
        }

        private void leaveIfClosed()
        {
            if (connection.isClosed() && !left && !queued)
            {
                leave(this);
            }
        }

        @Override
        public void onWork()
        {
            leaveIfClosed();
        }

        @Override
        public void onReady(final int readyOps)
        {
            enqueue(this);
        }

        @Override
        public void onFailure(final Throwable cause)
        {
            connection.closeWith(CloseReason.PROTOCOL_ERROR, "a protocol hook failed on the poll thread: " + cause);
            errorHandler.onError(cause);
            if (!left)
            {
                leave(this);
            }
        }

        @Override
        public void onLoopClosed(final Throwable cause)
        {
            connection.closeWith(CloseReason.LOCAL, cause == null ? "the poll handler was closed" :
                "the poll handler died: " + cause);
        }
    }

    /**
     * An acceptor served by the poll handler.
     */
    private final class AcceptorMember implements DutyLoop.Member
    {
        final Acceptor<T> acceptor;

        AcceptorMember(final Acceptor<T> acceptor)
        {
            this.acceptor = acceptor;
        }

        @Override
        public void onWork()
        {
            acceptReady = true;
        }

        @Override
        public void onReady(final int readyOps)
        {
            acceptReady = true;
        }

        @Override
        public void onFailure(final Throwable cause)
        {
            errorHandler.onError(cause);
        }

        @Override
        public void onLoopClosed(final Throwable cause)
        {
            // The service belongs to its owner, who closes it.
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
            final Acceptor<T> acceptor = acceptors.get(i).acceptor;
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
     * Serves until {@link #close()}, waiting in the kernel when idle (until readiness, a wake-up or the next
     * heartbeat or liveness timer).
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
                // Wake at least every 100 ms to see close() even if its wake-up was lost.
                poll(100_000_000L, limit);
            }
            catch (final IOException | java.nio.channels.ClosedSelectorException | AgentTerminationException ex)
            {
                if (running)
                {
                    throw ex;
                }
            }
        }
    }

    /**
     * {@code poll(0, 256)}: one duty cycle for an {@code AgentRunner} or {@code AgentInvoker}.
     *
     * @return work done.
     */
    @Override
    public int doWork()
    {
        try
        {
            return poll(0, DEFAULT_LIMIT);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    @Override
    public String roleName()
    {
        return "poll-handler";
    }

    /**
     * Closes as {@link #close()} when an agent runner or invoker closes it.
     */
    @Override
    public void onClose()
    {
        close();
    }

    /**
     * @return connections served now.
     */
    public int connectionCount()
    {
        return members.size();
    }

    /**
     * @return timers armed on its wheel: at most one per timed connection (diagnostics).
     */
    long timerCount()
    {
        return loop.timerCount();
    }

    /**
     * Makes a waiting poll return; any thread.
     */
    public void wakeup()
    {
        loop.wakeup();
    }

    /**
     * Stops {@link #run} and closes the poller and every connection served.
     */
    @Override
    public void close()
    {
        if (!running)
        {
            return;
        }
        running = false;
        loop.stopParking();
        for (final Member member : List.copyOf(members))
        {
            member.connection.close();
        }
        loop.onClose();
    }
}
