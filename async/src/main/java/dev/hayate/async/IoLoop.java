package dev.hayate.async;

import java.io.IOException;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.hayate.core.transport.IoPoller;

/**
 * One I/O thread: a readiness poller, a queue of tasks and of connections that have work, and timers.
 * Everything a connection does on the wire happens here, so connection state needs no locks.
 *
 * <p>The loop waits in the kernel only when it has nothing to do; producers wake it only while it waits
 * (a volatile flag checked after enqueueing, the loop checks the queues after setting it), so a busy loop
 * pays no wake-up system call per message.
 *
 * <p>Thread-safety: {@link #execute}, {@link #schedule} and {@link #close()} from any thread; the rest on
 * the loop's thread.
 */
final class IoLoop implements Runnable
{
    /**
     * Something the loop drives: scheduled work and readiness events.
     */
    interface Work
    {
        /**
         * Runs on the loop after {@link IoLoop#schedule}.
         */
        void run();

        /**
         * @param readyOps readiness reported by the poller.
         */
        void onReady(int readyOps);

        /**
         * The loop is closing: fail what is outstanding.
         */
        void onLoopClosed();
    }

    /**
     * A deadline on the loop's clock. Loop thread only.
     */
    static final class Timer implements Comparable<Timer>
    {
        final long deadlineNanos;
        final Runnable onExpiry;
        boolean cancelled;

        Timer(final long deadlineNanos, final Runnable onExpiry)
        {
            this.deadlineNanos = deadlineNanos;
            this.onExpiry = onExpiry;
        }

        @Override
        public int compareTo(final Timer other)
        {
            return Long.compare(deadlineNanos - other.deadlineNanos, 0);
        }
    }

    private final IoPoller poller;
    private final Thread thread;
    private final boolean busySpin;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final Queue<Work> scheduled = new ConcurrentLinkedQueue<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private final java.util.Set<Work> members = new java.util.HashSet<>();
    private final IoPoller.Handler handler = (attachment, readyOps) -> ((Work)attachment).onReady(readyOps);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean waiting;
    private volatile boolean running = true;

    IoLoop(final String name, final boolean busySpin) throws IOException
    {
        this.poller = new IoPoller();
        this.busySpin = busySpin;
        this.thread = new Thread(this, name);
        thread.setDaemon(true);
    }

    void start()
    {
        thread.start();
    }

    IoPoller poller()
    {
        return poller;
    }

    boolean inLoop()
    {
        return Thread.currentThread() == thread;
    }

    void execute(final Runnable task)
    {
        tasks.offer(task);
        wake();
    }

    void schedule(final Work work)
    {
        scheduled.offer(work);
        wake();
    }

    private void wake()
    {
        if (waiting)
        {
            poller.wakeup();
        }
    }

    void join(final Work work)
    {
        members.add(work);
    }

    void leave(final Work work)
    {
        members.remove(work);
    }

    Timer addTimer(final long delayNanos, final Runnable onExpiry)
    {
        final Timer timer = new Timer(System.nanoTime() + delayNanos, onExpiry);
        timers.add(timer);
        return timer;
    }

    @Override
    public void run()
    {
        try
        {
            while (running)
            {
                runTasks();
                runScheduled();
                final long untilTimer = expireTimers();
                long timeout = busySpin ? 0 : untilTimer;
                if (timeout != 0)
                {
                    waiting = true;
                    if (!tasks.isEmpty() || !scheduled.isEmpty())
                    {
                        timeout = 0;
                    }
                }
                try
                {
                    poller.poll(timeout, handler);
                }
                finally
                {
                    waiting = false;
                }
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            if (running)
            {
                System.getLogger("dev.hayate.async").log(System.Logger.Level.ERROR, "I/O loop " + thread.getName() +
                    " failed; its connections are closed", ex);
            }
        }
        finally
        {
            for (final Work work : members.toArray(new Work[0]))
            {
                work.onLoopClosed();
            }
            members.clear();
            try
            {
                poller.close();
            }
            catch (final IOException ignore)
            {
                // Closing the selector of a dead loop.
            }
            stopped.countDown();
        }
    }

    private void runTasks()
    {
        Runnable task;
        while ((task = tasks.poll()) != null)
        {
            task.run();
        }
    }

    private void runScheduled()
    {
        // Bounded: work scheduled while this runs waits for the next round, after a poll.
        for (int i = scheduled.size(); i > 0; i--)
        {
            final Work work = scheduled.poll();
            if (work == null)
            {
                break;
            }
            work.run();
        }
    }

    /**
     * @return nanoseconds until the next timer, or -1 if none.
     */
    private long expireTimers()
    {
        Timer timer;
        while ((timer = timers.peek()) != null)
        {
            if (timer.cancelled)
            {
                timers.poll();
                continue;
            }
            final long left = timer.deadlineNanos - System.nanoTime();
            if (left > 0)
            {
                return left;
            }
            timers.poll();
            timer.onExpiry.run();
        }
        return -1;
    }

    void close()
    {
        running = false;
        poller.wakeup();
        if (!inLoop())
        {
            try
            {
                stopped.await(5, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }
}
