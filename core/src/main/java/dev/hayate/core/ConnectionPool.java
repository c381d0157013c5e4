package dev.hayate.core;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import dev.hayate.core.transport.IoPoller;
import org.agrona.concurrent.NanoClock;

/**
 * A round-robin pool of connections: sends go to the next live member, receives come from whichever member
 * has a message. A member that closes leaves the pool and is reported once to the listener; an empty pool
 * answers {@link Status#NOT_CONNECTED} at once instead of waiting for members that may never come.
 *
 * <pre>
 *   trySend:  m0 → m1 → m2 → m0 ...   (skips members that are closed or back-pressured)
 *   tryRecv:  scans from after the member that delivered last, so no member starves the others
 * </pre>
 *
 * <p>Thread-safety: {@link #add} from any thread; everything else from one thread, the pool's owner. The
 * members' own halves must not be used by other threads meanwhile.
 *
 * @param <T> the message type.
 */
public final class ConnectionPool<T> implements AutoCloseable
{
    private static final long BACK_PRESSURE_PARK_NANOS = 50_000;
    private static final long MAX_WAIT_NANOS = 100_000_000;

    private final List<Connection<T>> members = new ArrayList<>();
    private final Queue<Connection<T>> joining = new ConcurrentLinkedQueue<>();
    private final Consumer<Connection<T>> onMemberLeft;
    private final NanoClock clock;
    private final WaitStrategy wait;
    // Every member is full, which is rare: a short park instead of one selector per member.
    private final Readiness writable = (forWrite, timeoutNanos) ->
        LockSupport.parkNanos(Math.min(timeoutNanos, BACK_PRESSURE_PARK_NANOS));
    private final Readiness readable = (forWrite, timeoutNanos) -> awaitReadable(timeoutNanos);
    private boolean pollerFailed;
    private volatile IoPoller poller;
    private int nextSend;
    private int nextRecv;
    private Connection<T> lastReceivedFrom;

    /**
     * @param onMemberLeft told once about each member that closed and left, on the owner's thread.
     * @param context      concluded configuration: the clock.
     * @param wait         how timed sends and receives wait; a stateful policy serves this pool only.
     */
    public ConnectionPool(final Consumer<Connection<T>> onMemberLeft, final Context context, final WaitStrategy wait)
    {
        this.onMemberLeft = onMemberLeft;
        this.clock = context.nanoClock();
        this.wait = wait;
    }

    /**
     * Adds a member; it takes part from the owner's next call.
     *
     * @param connection to add.
     */
    public void add(final Connection<T> connection)
    {
        joining.offer(connection);
        wakeup();
    }

    private void admitJoining()
    {
        Connection<T> connection;
        while ((connection = joining.poll()) != null)
        {
            members.add(connection);
            if (poller != null)
            {
                register(connection);
            }
        }
    }

    private void removeAt(final int index)
    {
        final Connection<T> member = members.remove(index);
        if (nextSend > index)
        {
            nextSend--;
        }
        if (nextRecv > index)
        {
            nextRecv--;
        }
        if (member == lastReceivedFrom)
        {
            lastReceivedFrom = null;
        }
        onMemberLeft.accept(member);
    }

    /**
     * Sends to the next live member that has room.
     *
     * @param message to send.
     * @return {@link Status#OK}, {@link Status#BACK_PRESSURED} if every member is full,
     * {@link Status#NOT_CONNECTED} if the pool is empty.
     */
    public Status trySend(final T message)
    {
        admitJoining();
        int tried = 0;
        while (!members.isEmpty() && tried < members.size())
        {
            if (nextSend >= members.size())
            {
                nextSend = 0;
            }
            final int index = nextSend;
            final Status status = members.get(index).trySend(message);
            if (status == Status.CLOSED)
            {
                removeAt(index);
                continue;
            }
            nextSend = index + 1;
            if (status == Status.OK)
            {
                return Status.OK;
            }
            tried++;
        }
        return members.isEmpty() ? Status.NOT_CONNECTED : Status.BACK_PRESSURED;
    }

    /**
     * One pass over the members for a message.
     *
     * @return the message ({@link #lastReceivedFrom()} says whose), or {@code null} when none had one.
     */
    public T tryRecv()
    {
        admitJoining();
        int scanned = 0;
        while (!members.isEmpty() && scanned < members.size())
        {
            if (nextRecv >= members.size())
            {
                nextRecv = 0;
            }
            final int index = nextRecv;
            final Connection<T> member = members.get(index);
            final T message = member.tryRecv();
            if (message != null)
            {
                nextRecv = index + 1;
                lastReceivedFrom = member;
                return message;
            }
            if (member.isClosed())
            {
                removeAt(index);
                continue;
            }
            nextRecv = index + 1;
            scanned++;
        }
        return null;
    }

    /**
     * Sends to the next member with room, waiting for room until the deadline with the pool's strategy.
     *
     * @param message       to send.
     * @param deadlineNanos on the pool's clock, or {@link WaitStrategy#FOREVER}.
     * @return {@link Status#OK}, {@link Status#TIMED_OUT} (nothing sent), or {@link Status#NOT_CONNECTED}
     * at once when the pool is empty.
     */
    public Status sendUntil(final T message, final long deadlineNanos)
    {
        wait.reset();
        while (true)
        {
            final Status status = trySend(message);
            if (status != Status.BACK_PRESSURED)
            {
                return status;
            }
            flushAll();
            if (!wait.await(writable, true, clock, deadlineNanos, BACK_PRESSURE_PARK_NANOS))
            {
                return Status.TIMED_OUT;
            }
        }
    }

    /**
     * Receives from whichever member has a message, waiting until the deadline with the pool's strategy.
     *
     * @param deadlineNanos on the pool's clock, or {@link WaitStrategy#FOREVER}.
     * @return the message, or {@code null} at the deadline, or at once when the pool is empty or its poller
     * failed.
     */
    public T recvUntil(final long deadlineNanos)
    {
        wait.reset();
        while (true)
        {
            final T message = tryRecv();
            if (message != null || members.isEmpty() && joining.isEmpty() || pollerFailed)
            {
                return message;
            }
            if (!wait.await(readable, false, clock, deadlineNanos, MAX_WAIT_NANOS))
            {
                return null;
            }
        }
    }

    /**
     * @param timeout from now.
     * @param unit    of the timeout.
     * @return the deadline on the pool's clock.
     */
    public long deadlineAfter(final long timeout, final TimeUnit unit)
    {
        return clock.nanoTime() + unit.toNanos(timeout);
    }

    /**
     * Pushes out pending send bytes of every member (for owners that send and receive on one thread).
     */
    public void flushAll()
    {
        for (int i = 0; i < members.size(); i++)
        {
            final Connection<T> member = members.get(i);
            if (member.hasPendingSend())
            {
                member.flush();
            }
        }
    }

    /**
     * Waits in the kernel until some member may have a message, a member joins, or the timeout.
     *
     * @param timeoutNanos longest wait.
     * @throws IOException if the poller failed.
     */
    public void awaitReadable(final long timeoutNanos) throws IOException
    {
        admitJoining();
        if (poller == null)
        {
            poller = new IoPoller();
            for (final Connection<T> member : members)
            {
                register(member);
            }
        }
        if (!joining.isEmpty())
        {
            return;
        }
        try
        {
            poller.poll(Math.max(1, timeoutNanos), (attachment, readyOps) -> { });
        }
        catch (final IOException ex)
        {
            pollerFailed = true;
            throw ex;
        }
    }

    /**
     * Wakes an owner waiting in {@link #awaitReadable}; any thread.
     */
    public void wakeup()
    {
        final IoPoller current = poller;
        if (current != null)
        {
            current.wakeup();
        }
    }

    private void register(final Connection<T> connection)
    {
        try
        {
            connection.transport().register(poller, connection).interestOps(IoPoller.READ);
        }
        catch (final IOException ex)
        {
            connection.closeWith(CloseReason.IO_ERROR, "cannot watch for readiness: " + ex.getMessage());
        }
    }

    /**
     * @return the member that delivered the last message received, or {@code null}.
     */
    public Connection<T> lastReceivedFrom()
    {
        return lastReceivedFrom;
    }

    /**
     * @return the identity of the member that delivered the last message received, or {@code null}.
     */
    public ConId lastReceivedFromId()
    {
        final Connection<T> from = lastReceivedFrom;
        return from == null ? null : from.id();
    }

    /**
     * @return live members (after admitting any that joined).
     */
    public int size()
    {
        admitJoining();
        return members.size();
    }

    /**
     * @return the live members, a snapshot.
     */
    public List<Connection<T>> members()
    {
        admitJoining();
        return List.copyOf(members);
    }

    /**
     * Closes every member.
     */
    @Override
    public void close()
    {
        admitJoining();
        for (final Connection<T> member : members)
        {
            member.close();
        }
        members.clear();
        if (poller != null)
        {
            try
            {
                poller.close();
            }
            catch (final IOException ignore)
            {
                // The selector of a closed pool.
            }
        }
    }
}
