package dev.hayate.core.loop;

import java.io.IOException;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import dev.hayate.core.transport.IoPoller;
import org.agrona.DeadlineTimerWheel;
import org.agrona.ErrorHandler;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NanoClock;

/**
 * The one duty cycle under the async runtime's I/O threads and {@code PollHandler}: a readiness
 * {@link IoPoller}, a queue of tasks from other threads, members asking for a turn, and timers on a
 * {@link DeadlineTimerWheel} driven by an injected {@link NanoClock}.
 *
 * <pre>
 *   doWork():  tasks (bounded) ─▶ scheduled members (bounded) ─▶ readiness (no wait) ─▶ due timers (bounded)
 *   park(max): wait in the kernel until readiness, a wake-up, the next timer or max; then as above
 * </pre>
 * The {@code doWork()} right after a {@code park} skips its readiness poll: the park has just polled, and on a
 * virtual machine each such system call costs a few hundred nanoseconds of a round trip.
 *
 * <p>It is an agrona {@link Agent}: run it under an {@code AgentRunner} with {@link #idleStrategy} (which
 * parks in the kernel, so other threads' work wakes it) or any other idle strategy, or drive it from your own
 * thread with an {@code AgentInvoker}. Producers wake the loop only while it is parked: the flag is set before
 * the loop checks its queues one last time and cleared as soon as the wait returns, so neither a busy loop nor
 * a member queueing work while the loop dispatches readiness pays a wake-up system call.
 *
 * <p>Failure is contained at two levels. A member's callback (readiness, its turn, one of its timers) that
 * throws an {@link Exception} ends only that member ({@link Member#onFailure}); the loop carries on. Anything
 * else that escapes a duty cycle (an {@link Error}, a bug of the loop) kills the loop: every member is told at
 * once ({@link Member#onLoopClosed} with the cause), and from then on {@link #execute}, {@link #schedule} and
 * {@link #join} refuse, so nothing waits on a loop that will never run again.
 *
 * <p>Thread-safety: {@link #execute}, {@link #schedule(Member)}, {@link #join}, {@link #leave},
 * {@link #wakeup()}, {@link #isRunning()} and {@link #deathCause()} from any thread; everything else only on
 * the thread running the duty cycle (one at a time).
 */
public final class DutyLoop implements Agent
{
    /** Tick of the timer wheel: a power of two of nanoseconds, about one millisecond. */
    public static final long TICK_NANOS = 1L << 20;

    private static final int TICKS_PER_WHEEL = 512;
    private static final int TASKS_PER_CYCLE = 1024;
    private static final int TIMERS_PER_CYCLE = 1024;
    private static final int RUNNING = 0;
    private static final int CLOSED = 1;
    private static final int DEAD = 2;

    /**
     * Something the loop drives. Every callback runs on the loop's thread.
     */
    public interface Member
    {
        /**
         * Its turn, asked for with {@link DutyLoop#schedule(Member)}.
         */
        void onWork();

        /**
         * @param readyOps readiness of its registration with the loop's poller.
         */
        void onReady(int readyOps);

        /**
         * One of its callbacks threw: close it and report through its error channel. Must not throw.
         *
         * @param cause what was thrown.
         */
        void onFailure(Throwable cause);

        /**
         * The loop is closing ({@code cause} null) or died: fail everything outstanding. Must not throw.
         *
         * @param cause why the loop died, or {@code null} for an orderly close.
         */
        void onLoopClosed(Throwable cause);
    }

    /**
     * A timer of a member, re-armed as often as needed without allocating: it is on the wheel at most once.
     */
    public abstract static class Timer
    {
        private final Member owner;
        private long id = DeadlineTimerWheel.NULL_DEADLINE;

        /**
         * @param owner whose failure handling applies if {@link #onExpiry} throws.
         */
        protected Timer(final Member owner)
        {
            this.owner = owner;
        }

        /**
         * @return true while armed.
         */
        public final boolean isArmed()
        {
            return id != DeadlineTimerWheel.NULL_DEADLINE;
        }

        /**
         * Runs on the loop's thread when the deadline has passed.
         *
         * @param nowNanos the loop's clock.
         */
        protected abstract void onExpiry(long nowNanos);
    }

    private final String name;
    private final NanoClock clock;
    private final ErrorHandler errorHandler;
    private final IoPoller poller;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final Queue<Member> scheduled = new ConcurrentLinkedQueue<>();
    private final Set<Member> members = ConcurrentHashMap.newKeySet();
    private final DeadlineTimerWheel wheel;
    private final Long2ObjectHashMap<Timer> timers = new Long2ObjectHashMap<>();
    private final DeadlineTimerWheel.TimerHandler onTimer = this::onTimerExpiry;
    private final DeadlineTimerWheel.TimerConsumer earliestFinder = this::considerDeadline;
    private final IoPoller.Handler onReady = this::onReady;
    private long earliestDeadline = Long.MAX_VALUE;
    private volatile boolean parked;
    private volatile boolean neverPark;
    /** A park polled readiness and no cycle has run since: the next cycle need not poll again without waiting. */
    private boolean readinessFresh;
    private volatile int state = RUNNING;
    private volatile Throwable deathCause;

    /**
     * @param name         role name, for threads and messages.
     * @param clock        time of every timer.
     * @param errorHandler receives failures that no member owns (the loop's own death, a member's
     *                     failure handler that threw).
     * @throws IOException if the poller cannot be opened.
     */
    public DutyLoop(final String name, final NanoClock clock, final ErrorHandler errorHandler) throws IOException
    {
        this.name = name;
        this.clock = clock;
        this.errorHandler = errorHandler;
        this.poller = new IoPoller();
        this.wheel = new DeadlineTimerWheel(TimeUnit.NANOSECONDS, clock.nanoTime(), TICK_NANOS, TICKS_PER_WHEEL);
    }

    @Override
    public String roleName()
    {
        return name;
    }

    /**
     * @return the poller members register their transports with.
     */
    public IoPoller poller()
    {
        return poller;
    }

    /**
     * @return the clock of the loop's timers.
     */
    public NanoClock clock()
    {
        return clock;
    }

    /**
     * Runs {@code task} on the loop. Any thread.
     *
     * @param task to run; an exception it throws kills the loop, so tasks catch their own.
     * @return false if the loop is closed or dead (the task will never run).
     */
    public boolean execute(final Runnable task)
    {
        if (state != RUNNING)
        {
            return false;
        }
        tasks.offer(task);
        wakeIfParked();
        return true;
    }

    /**
     * Gives {@code member} a turn ({@link Member#onWork}) on the loop. Any thread; the caller avoids asking
     * twice for one turn (a flag of its own).
     *
     * @param member to run.
     * @return false if the loop is closed or dead.
     */
    public boolean schedule(final Member member)
    {
        if (state != RUNNING)
        {
            return false;
        }
        scheduled.offer(member);
        wakeIfParked();
        return true;
    }

    /**
     * Makes {@code member} one the loop fails when it closes or dies. Any thread.
     *
     * @param member joining.
     * @return false if the loop is closed or dead: the member must fail on its own.
     */
    public boolean join(final Member member)
    {
        members.add(member);
        if (state != RUNNING)
        {
            members.remove(member);
            return false;
        }
        return true;
    }

    /**
     * @param member that finished. Any thread.
     */
    public void leave(final Member member)
    {
        members.remove(member);
    }

    /**
     * @return members joined now (diagnostics).
     */
    public int memberCount()
    {
        return members.size();
    }

    /**
     * Makes a parked loop return now, or the next park return at once. Any thread.
     */
    public void wakeup()
    {
        poller.wakeup();
    }

    /**
     * From now on {@link #park} never waits, so whoever runs the loop sees its own stop request at once (an
     * {@code AgentRunner} being closed). Any thread.
     */
    public void stopParking()
    {
        neverPark = true;
        poller.wakeup();
    }

    private void wakeIfParked()
    {
        if (parked)
        {
            poller.wakeup();
        }
    }

    /**
     * @return true until the loop is closed or dies. Any thread.
     */
    public boolean isRunning()
    {
        return state == RUNNING;
    }

    /**
     * @return what killed the loop, or {@code null} while it runs or after an orderly close. Any thread.
     */
    public Throwable deathCause()
    {
        return deathCause;
    }

    /**
     * Arms {@code timer} for {@code deadlineNanos} on the loop's clock, moving it if it was armed.
     *
     * @param timer         to arm.
     * @param deadlineNanos when it expires.
     */
    public void arm(final Timer timer, final long deadlineNanos)
    {
        if (timer.id != DeadlineTimerWheel.NULL_DEADLINE)
        {
            disarm(timer);
        }
        final long id = wheel.scheduleTimer(deadlineNanos);
        timer.id = id;
        timers.put(id, timer);
        if (deadlineNanos < earliestDeadline)
        {
            earliestDeadline = deadlineNanos;
        }
    }

    /**
     * @param timer to disarm; nothing happens if it is not armed.
     */
    public void disarm(final Timer timer)
    {
        final long id = timer.id;
        if (id != DeadlineTimerWheel.NULL_DEADLINE)
        {
            timer.id = DeadlineTimerWheel.NULL_DEADLINE;
            wheel.cancelTimer(id);
            timers.remove(id);
        }
    }

    /**
     * @return timers armed now: bounded by what the members hold, never by the message rate (diagnostics).
     */
    public long timerCount()
    {
        return wheel.timerCount();
    }

    /**
     * For a caller that drives the loop itself (and perhaps owns virtual time): how long it may wait before
     * the next timer. Loop thread.
     *
     * @return nanoseconds until the earliest armed timer (0 if one is due), or -1 if none is armed.
     */
    public long nanosToNextTimer()
    {
        if (wheel.timerCount() == 0)
        {
            return -1;
        }
        final long now = clock.nanoTime();
        if (earliestDeadline <= now)
        {
            findEarliestDeadline();
        }
        return Math.max(0, earliestDeadline - now);
    }

    /**
     * One duty cycle without waiting.
     *
     * @return work done: tasks, turns, readiness events and timers.
     * @throws AgentTerminationException if the loop died during the cycle, or had died or closed before.
     */
    @Override
    public int doWork()
    {
        ensureRunning();
        try
        {
            return runTasks() + runScheduled() + pollAndExpire();
        }
        catch (final Throwable ex)
        {
            throw die(ex);
        }
    }

    private int pollAndExpire()
    {
        try
        {
            int work = 0;
            if (readinessFresh)
            {
                // The park just before polled the kernel: a second poll now would find what arrived in the
                // few hundred nanoseconds since, at the cost of a system call per cycle; the next cycle or
                // park sees it instead.
                readinessFresh = false;
            }
            else
            {
                work += poller.poll(0, onReady);
            }
            return work + expireTimers(clock.nanoTime());
        }
        catch (final Throwable ex)
        {
            throw die(ex);
        }
    }

    /**
     * One duty cycle that waits only when it has nothing else to do: tasks and member turns, then, if they found
     * none, {@link #park(long) park(maxNanos)} (whose one poll both waits and serves readiness), otherwise the
     * rest of {@link #doWork()}. The same outcome as {@code doWork()} followed by {@code park} when it found no
     * work, without the non-waiting readiness poll before the wait. Loop thread.
     *
     * @param maxNanos longest wait; negative waits until woken or the next timer; 0 never waits.
     * @return work done.
     * @throws AgentTerminationException if the loop died, or had died or closed before.
     */
    public int doWorkOrPark(final long maxNanos)
    {
        ensureRunning();
        final int turns;
        try
        {
            turns = runTasks() + runScheduled();
        }
        catch (final Throwable ex)
        {
            throw die(ex);
        }
        if (turns == 0 && maxNanos != 0)
        {
            return park(maxNanos);
        }
        return turns + pollAndExpire();
    }

    /**
     * Waits in the kernel until readiness, a wake-up, the next timer or {@code maxNanos}, whichever comes first,
     * then serves what is due. Loop thread.
     *
     * @param maxNanos longest wait; negative waits until woken or the next timer.
     * @return work done.
     * @throws AgentTerminationException if the loop died, or had died or closed before.
     */
    public int park(final long maxNanos)
    {
        ensureRunning();
        try
        {
            // 0 when a timer fell due since the last cycle (stale estimates were refreshed): then do not wait.
            long timeout = nanosToNextTimer();
            if (maxNanos >= 0)
            {
                timeout = timeout < 0 ? maxNanos : Math.min(timeout, maxNanos);
            }
            int work;
            parked = true;
            try
            {
                if (neverPark || !tasks.isEmpty() || !scheduled.isEmpty())
                {
                    timeout = 0;
                }
                work = poller.poll(timeout, onReady);
            }
            finally
            {
                parked = false;
            }
            readinessFresh = true;
            return work + expireTimers(clock.nanoTime());
        }
        catch (final Throwable ex)
        {
            throw die(ex);
        }
    }

    /**
     * An idle strategy for a thread of its own: spins up to {@code spinNanos} of real time (to catch a reply
     * without the cost of a wake-up), then parks in the kernel until work arrives or a timer is due.
     *
     * @param spinNanos real time to spin before parking; 0 parks at once, and after busy cycles too (the park
     *                  does not wait while work is queued or a timer is due).
     * @return a strategy for an {@code AgentRunner} of this loop.
     */
    public IdleStrategy idleStrategy(final long spinNanos)
    {
        return new ParkingIdleStrategy(this, spinNanos);
    }

    private int runTasks()
    {
        int done = 0;
        Runnable task;
        while (done < TASKS_PER_CYCLE && (task = tasks.poll()) != null)
        {
            done++;
            task.run();
        }
        return done;
    }

    private int runScheduled()
    {
        int done = 0;
        Member member;
        while (done < TASKS_PER_CYCLE && (member = scheduled.poll()) != null)
        {
            done++;
            try
            {
                member.onWork();
            }
            catch (final Exception ex)
            {
                contain(member, ex);
            }
        }
        return done;
    }

    private void onReady(final Object attachment, final int readyOps)
    {
        if (parked)
        {
            // Awake and dispatching: what a member queues from here on is run by the next cycle, so it must not
            // cost a wake-up system call (and a read of the wake-up on the next poll).
            parked = false;
        }
        final Member member = (Member)attachment;
        try
        {
            member.onReady(readyOps);
        }
        catch (final Exception ex)
        {
            contain(member, ex);
        }
    }

    private boolean onTimerExpiry(final TimeUnit unit, final long now, final long timerId)
    {
        final Timer timer = timers.remove(timerId);
        if (timer != null)
        {
            timer.id = DeadlineTimerWheel.NULL_DEADLINE;
            try
            {
                timer.onExpiry(now);
            }
            catch (final Exception ex)
            {
                contain(timer.owner, ex);
            }
        }
        return true;
    }

    private void contain(final Member member, final Exception cause)
    {
        try
        {
            member.onFailure(cause);
        }
        catch (final Exception second)
        {
            second.addSuppressed(cause);
            errorHandler.onError(second);
        }
    }

    private int expireTimers(final long now)
    {
        int expired = 0;
        // The wheel advances one tick per poll; jump over ticks that hold nothing (nothing lives before the
        // earliest deadline), so a loop that slept, or virtual time that leapt an hour, does not walk every tick.
        for (int round = 0; round < 8 && expired < TIMERS_PER_CYCLE; round++)
        {
            if (wheel.timerCount() == 0)
            {
                wheel.currentTickTime(now);
                earliestDeadline = Long.MAX_VALUE;
                break;
            }
            if (earliestDeadline > now)
            {
                wheel.currentTickTime(now);
                break;
            }
            wheel.currentTickTime(earliestDeadline);
            final int count = wheel.poll(now, onTimer, TIMERS_PER_CYCLE - expired);
            expired += count;
            if (count == 0)
            {
                findEarliestDeadline();
            }
        }
        return expired;
    }

    private void findEarliestDeadline()
    {
        earliestDeadline = Long.MAX_VALUE;
        wheel.forEach(earliestFinder);
    }

    private void considerDeadline(final long deadline, final long timerId)
    {
        if (deadline < earliestDeadline)
        {
            earliestDeadline = deadline;
        }
    }

    private void ensureRunning()
    {
        if (state != RUNNING)
        {
            throw new AgentTerminationException("duty loop " + name + " is " + (state == DEAD ? "dead" : "closed"),
                deathCause);
        }
    }

    private AgentTerminationException die(final Throwable cause)
    {
        if (cause instanceof AgentTerminationException)
        {
            return (AgentTerminationException)cause;
        }
        if (state == RUNNING)
        {
            deathCause = cause;
            state = DEAD;
            errorHandler.onError(new IllegalStateException("duty loop " + name + " died; its members are failed", cause));
            failMembers(cause);
        }
        return new AgentTerminationException("duty loop " + name + " died", cause);
    }

    /**
     * Closes the loop: members are failed ({@link Member#onLoopClosed} with a null cause) and the poller is
     * closed. Runs on the loop's thread ({@code AgentRunner} and {@code AgentInvoker} call it there).
     */
    @Override
    public void onClose()
    {
        if (state == RUNNING)
        {
            state = CLOSED;
            failMembers(null);
        }
        try
        {
            poller.close();
        }
        catch (final IOException ex)
        {
            errorHandler.onError(ex);
        }
    }

    private void failMembers(final Throwable cause)
    {
        tasks.clear();
        scheduled.clear();
        for (final Member member : members.toArray(new Member[0]))
        {
            try
            {
                member.onLoopClosed(cause);
            }
            catch (final Throwable ex)
            {
                errorHandler.onError(ex);
            }
        }
        members.clear();
        timers.clear();
        wheel.clear();
    }

    @Override
    public String toString()
    {
        return "DutyLoop[" + name + (state == RUNNING ? "" : state == DEAD ? ", dead" : ", closed") + "]";
    }

    /**
     * Spin (optionally), then park in the kernel.
     */
    private static final class ParkingIdleStrategy implements IdleStrategy
    {
        private final DutyLoop loop;
        private final long spinNanos;
        private long spinStart;
        private boolean spinning;

        ParkingIdleStrategy(final DutyLoop loop, final long spinNanos)
        {
            this.loop = loop;
            this.spinNanos = spinNanos;
        }

        @Override
        public void idle(final int workCount)
        {
            if (workCount > 0)
            {
                spinning = false;
                if (spinNanos == 0)
                {
                    // As a Netty event loop does: after a busy cycle go straight to the kernel's wait, which
                    // returns at once if anything is ready or queued (park never waits then), instead of a
                    // cycle whose non-waiting poll finds nothing and a park after it: one system call, not two.
                    loop.park(-1);
                }
                return;
            }
            idle();
        }

        @Override
        public void idle()
        {
            if (spinNanos > 0)
            {
                // Real time, not the loop's clock: this bounds the CPU burnt, whatever time the timers see.
                final long now = System.nanoTime();
                if (!spinning)
                {
                    spinning = true;
                    spinStart = now;
                }
                if (now - spinStart < spinNanos)
                {
                    Thread.onSpinWait();
                    return;
                }
            }
            spinning = false;
            loop.park(-1);
        }

        @Override
        public void reset()
        {
            spinning = false;
        }

        @Override
        public String alias()
        {
            return "park";
        }
    }
}
