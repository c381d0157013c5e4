package dev.hayate.async;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.hayate.core.Context;
import dev.hayate.core.loop.DutyLoop;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;

/**
 * The threads of the async flavour: a few I/O loops, each serving many connections, and the executor
 * that runs what may block.
 *
 * <pre>
 *   caller ──send/recv request──▶ I/O loop (a {@link DutyLoop}: poller, task queue, timer wheel)
 *                                   │ reads/writes/decodes, decides each future's outcome
 *                                   ├──▶ completes it here (default): light continuations run on the I/O thread
 *                                   └──▶ or hands it to the completion executor ({@code completeOnIoThread(false)})
 * </pre>
 *
 * <p><b>Which thread completes a future.</b> By default the I/O thread completes send and receive futures
 * itself, as Netty's event loop does: a thread blocked in {@code get()}/{@code join()} is simply woken, and
 * continuations attached with the non-{@code Async} methods ({@code thenApply}, {@code thenAccept},
 * {@code thenCompose}, {@code whenComplete}) run there, at once, with no hand-off. The rule that comes with it:
 * <b>such continuations must be light and must never block</b> (no {@code join()} of another future of this
 * runtime, no I/O, no locks held long) — they would stall every connection of that loop. Run anything else
 * with the {@code Async} variants and an executor of yours ({@code thenApplyAsync(fn, executor)}), or build
 * the runtime with {@link Builder#completeOnIoThread(boolean) completeOnIoThread(false)}: then every
 * completion goes through the completion executor (a growing pool of daemon threads by default), one
 * thread hop more per future, and continuations may block. {@link Svc#onAccept} handlers and
 * {@link Clt#connect} futures always run on the completion executor: a session's handler may block.
 *
 * <p><b>Waiting.</b> An idle I/O loop parks in the kernel; producers wake it only while it is parked.
 * {@link Builder#spinBeforePark} lets it spin a little first (a reply that comes back within the spin costs
 * no wake-up; it burns a core meanwhile), {@link Builder#busySpin} never parks. {@link Builder#useInvoker}
 * runs no threads at all: the caller drives the loops with {@link #drive(long)} (waits in the kernel when idle,
 * like an event loop: the lowest-latency way to use this face, no thread hand-off at all) or {@link #invoker()}
 * (an agrona {@link AgentInvoker}, never waits; for example under virtual time in tests).
 *
 * <p><b>Failure.</b> A protocol hook or callback that throws on a loop closes only its connection
 * ({@link dev.hayate.core.CloseReason#PROTOCOL_ERROR}), reported to that connection's
 * {@link Context#errorHandler()}. A loop that dies (an {@link Error}, a bug) fails every future of its
 * connections at once with {@link ConnectionClosedException}, is reported to the runtime's error handler,
 * and is never given a new connection; when every loop is dead, new connections fail at once.
 *
 * <p>Timers (receive timeouts, heartbeats, liveness, linger) run on each loop's timer wheel on the runtime's
 * {@link Builder#nanoClock clock}; give the endpoints' {@link Context#nanoClock} the same clock.
 *
 * <p>Thread-safety: safe for concurrent use.
 */
public final class AsyncRuntime implements AutoCloseable
{
    private static volatile AsyncRuntime shared;

    private final String name;
    private final DutyLoop[] loops;
    private final AgentRunner[] runners;
    private final AgentInvoker invoker;
    private final Loops driven;
    private final NanoClock clock;
    private final Executor completionExecutor;
    private final ExecutorService ownedExecutor;
    private final boolean completeOnIoThread;
    private final int maxOutstandingSends;
    private final int maxOutstandingRecvs;
    private final AtomicInteger nextLoop = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();

    private AsyncRuntime(final Builder builder)
    {
        name = builder.name;
        clock = builder.clock;
        completeOnIoThread = builder.completeOnIoThread;
        maxOutstandingSends = builder.maxOutstandingSends;
        maxOutstandingRecvs = builder.maxOutstandingRecvs;
        if (builder.completionExecutor != null)
        {
            completionExecutor = builder.completionExecutor;
            ownedExecutor = null;
        }
        else
        {
            final AtomicInteger counter = new AtomicInteger();
            ownedExecutor = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                task ->
                {
                    final Thread thread = new Thread(task, builder.name + "-completion-" + counter.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
            completionExecutor = ownedExecutor;
        }
        final ErrorHandler errorHandler = builder.errorHandler;
        loops = new DutyLoop[builder.ioThreads];
        try
        {
            for (int i = 0; i < loops.length; i++)
            {
                loops[i] = new DutyLoop(builder.name + "-io-" + i, clock, errorHandler);
            }
        }
        catch (final IOException ex)
        {
            for (final DutyLoop loop : loops)
            {
                if (loop != null)
                {
                    loop.onClose();
                }
            }
            if (ownedExecutor != null)
            {
                ownedExecutor.shutdown();
            }
            throw new UncheckedIOException("cannot open an I/O loop", ex);
        }
        if (builder.useInvoker)
        {
            runners = null;
            driven = new Loops(builder.name, loops);
            invoker = new AgentInvoker(errorHandler, null, driven);
            invoker.start();
        }
        else
        {
            invoker = null;
            driven = null;
            runners = new AgentRunner[loops.length];
            // The loop reports its own death; the runner would report it a second time.
            final ErrorHandler runnerErrors = ex ->
            {
                if (!(ex instanceof AgentTerminationException))
                {
                    errorHandler.onError(ex);
                }
            };
            for (int i = 0; i < loops.length; i++)
            {
                final IdleStrategy idle = builder.busySpin ? new BusySpinIdleStrategy() :
                    loops[i].idleStrategy(builder.spinNanos);
                runners[i] = new AgentRunner(idle, runnerErrors, null, loops[i]);
                AgentRunner.startOnThread(runners[i], task ->
                {
                    final Thread thread = new Thread(task);
                    thread.setDaemon(true);
                    return thread;
                });
            }
        }
    }

    /**
     * The runtime endpoints use unless given another: one I/O thread, system clock, futures completed on the
     * I/O thread. Its threads are daemons; it is never closed.
     *
     * @return the shared runtime.
     */
    public static AsyncRuntime shared()
    {
        AsyncRuntime runtime = shared;
        if (runtime == null)
        {
            synchronized (AsyncRuntime.class)
            {
                runtime = shared;
                if (runtime == null)
                {
                    runtime = new Builder().name("hayate-async").build();
                    shared = runtime;
                }
            }
        }
        return runtime;
    }

    /**
     * @return a running loop, round-robin; never a dead or closed one.
     * @throws IllegalStateException if no loop runs.
     */
    DutyLoop nextLoop()
    {
        final int start = nextLoop.getAndIncrement();
        for (int i = 0; i < loops.length; i++)
        {
            final DutyLoop loop = loops[Math.floorMod(start + i, loops.length)];
            if (loop.isRunning())
            {
                return loop;
            }
        }
        Throwable cause = null;
        for (final DutyLoop loop : loops)
        {
            cause = cause == null ? loop.deathCause() : cause;
        }
        throw new IllegalStateException("no I/O loop of the async runtime " + name + " runs: " +
            (cause == null ? "it was closed" : "they died, first of " + cause), cause);
    }

    boolean completesOnIoThread()
    {
        return completeOnIoThread;
    }

    /**
     * Completes {@code future} with {@code value}: at once on the I/O thread, or through the completion executor.
     */
    <V> void complete(final CompletableFuture<V> future, final V value)
    {
        if (completeOnIoThread)
        {
            future.complete(value);
        }
        else
        {
            completionExecutor.execute(() -> future.complete(value));
        }
    }

    /**
     * Fails {@code future}: at once on the I/O thread, or through the completion executor.
     */
    void fail(final CompletableFuture<?> future, final Throwable failure)
    {
        if (completeOnIoThread)
        {
            future.completeExceptionally(failure);
        }
        else
        {
            completionExecutor.execute(() -> future.completeExceptionally(failure));
        }
    }

    Executor completionExecutor()
    {
        return completionExecutor;
    }

    int maxOutstandingSends()
    {
        return maxOutstandingSends;
    }

    int maxOutstandingRecvs()
    {
        return maxOutstandingRecvs;
    }

    /**
     * @return timers armed on every loop: a constant few per connection, whatever the message rate (diagnostics).
     */
    long timerCount()
    {
        long count = 0;
        for (final DutyLoop loop : loops)
        {
            count += loop.timerCount();
        }
        return count;
    }

    /**
     * @return the number of I/O loops.
     */
    public int ioThreads()
    {
        return loops.length;
    }

    /**
     * @return the clock of every timer of this runtime.
     */
    public NanoClock clock()
    {
        return clock;
    }

    /**
     * @return how many loops run (neither closed nor dead).
     */
    public int runningLoops()
    {
        int running = 0;
        for (final DutyLoop loop : loops)
        {
            running += loop.isRunning() ? 1 : 0;
        }
        return running;
    }

    /**
     * The driver of a runtime built with {@link Builder#useInvoker(boolean)}: each {@code invoke()} runs one duty
     * cycle of every loop and returns the work done. Call it from one thread at a time (concurrent callers are
     * turned away: their {@code invoke()} does nothing).
     *
     * @return the invoker.
     * @throws IllegalStateException if the runtime runs threads of its own.
     */
    public AgentInvoker invoker()
    {
        if (invoker == null)
        {
            throw new IllegalStateException("the async runtime " + name + " runs its own threads");
        }
        return invoker;
    }

    /**
     * Drives a runtime built with {@link Builder#useInvoker(boolean)} from the caller's thread, as an event loop
     * would run: one duty cycle of every loop, and if none had work, a wait in the kernel (on a runtime of one
     * loop) until readiness, a wake-up from another thread, the next timer or {@code maxWaitNanos}. Futures then
     * complete on this thread, with no hand-off between threads. One thread at a time (a concurrent caller
     * returns 0 at once).
     *
     * <pre>{@code
     * CompletableFuture<Msg> reply = clt.recv();
     * clt.send(request);
     * while (!reply.isDone()) runtime.drive(TimeUnit.MILLISECONDS.toNanos(100));
     * }</pre>
     *
     * @param maxWaitNanos longest wait in the kernel when idle; 0 never waits.
     * @return work done.
     * @throws IllegalStateException if the runtime runs threads of its own.
     */
    public int drive(final long maxWaitNanos)
    {
        if (driven == null)
        {
            throw new IllegalStateException("the async runtime " + name + " runs its own threads");
        }
        return driven.drive(maxWaitNanos);
    }

    /**
     * For a caller that drives the runtime ({@link #invoker()}) and owns its time: how long until a timer of any
     * loop is due. Call it from the driving thread.
     *
     * @return nanoseconds until the earliest timer (0 if one is due), or -1 if none is armed.
     */
    public long nanosToNextTimer()
    {
        long next = -1;
        for (final DutyLoop loop : loops)
        {
            if (loop.isRunning())
            {
                final long nanos = loop.nanosToNextTimer();
                if (nanos >= 0 && (next < 0 || nanos < next))
                {
                    next = nanos;
                }
            }
        }
        return next;
    }

    /**
     * Stops the I/O loops (their connections are closed, their futures fail) and the owned completion pool.
     */
    @Override
    public void close()
    {
        if (!closed.compareAndSet(false, true))
        {
            return;
        }
        if (runners != null)
        {
            for (final DutyLoop loop : loops)
            {
                loop.stopParking();
            }
            for (final AgentRunner runner : runners)
            {
                runner.close();
            }
        }
        else
        {
            invoker.close();
        }
        if (ownedExecutor != null)
        {
            ownedExecutor.shutdown();
        }
    }

    /**
     * Every loop of an invoker-driven runtime as one agent; a loop that died is skipped, the others carry on.
     */
    private static final class Loops implements Agent
    {
        private final String name;
        private final DutyLoop[] loops;
        private final AtomicBoolean driving = new AtomicBoolean();

        Loops(final String name, final DutyLoop[] loops)
        {
            this.name = name;
            this.loops = loops;
        }

        int drive(final long maxWaitNanos)
        {
            if (!driving.compareAndSet(false, true))
            {
                return 0;
            }
            try
            {
                if (maxWaitNanos != 0 && loops.length == 1 && loops[0].isRunning())
                {
                    try
                    {
                        // One readiness system call per call: the wait itself when there is nothing else to do.
                        return loops[0].doWorkOrPark(maxWaitNanos);
                    }
                    catch (final AgentTerminationException ex)
                    {
                        // Died: already reported and its members failed.
                        return 1;
                    }
                }
                return cycle();
            }
            finally
            {
                driving.set(false);
            }
        }

        @Override
        public int doWork()
        {
            if (!driving.compareAndSet(false, true))
            {
                return 0;
            }
            try
            {
                return cycle();
            }
            finally
            {
                driving.set(false);
            }
        }

        private int cycle()
        {
            int work = 0;
            for (final DutyLoop loop : loops)
            {
                if (loop.isRunning())
                {
                    try
                    {
                        work += loop.doWork();
                    }
                    catch (final AgentTerminationException ex)
                    {
                        // Died: already reported and its members failed; the other loops carry on.
                        work++;
                    }
                }
            }
            return work;
        }

        @Override
        public void onClose()
        {
            for (final DutyLoop loop : loops)
            {
                loop.onClose();
            }
        }

        @Override
        public String roleName()
        {
            return name;
        }
    }

    /**
     * Configures a runtime.
     *
     * <p>Thread-safety: not thread-safe; configure on one thread.
     */
    public static final class Builder
    {
        private String name = "hayate-async";
        private int ioThreads = 1;
        private boolean busySpin;
        private long spinNanos;
        private boolean useInvoker;
        private boolean completeOnIoThread = true;
        private Executor completionExecutor;
        private int maxOutstandingSends = 1024;
        private int maxOutstandingRecvs = 1024;
        private NanoClock clock = SystemNanoClock.INSTANCE;
        private ErrorHandler errorHandler = new Context().errorHandler();

        /**
         * @param name prefix of thread names.
         * @return this.
         */
        public Builder name(final String name)
        {
            this.name = name;
            return this;
        }

        /**
         * @param count I/O threads (default 1); connections are spread over them round-robin.
         * @return this.
         */
        public Builder ioThreads(final int count)
        {
            if (count < 1)
            {
                throw new IllegalArgumentException("ioThreads must be >= 1: " + count);
            }
            ioThreads = count;
            return this;
        }

        /**
         * @param spin I/O threads spin instead of waiting in the kernel: lower latency, one core each.
         * @return this.
         */
        public Builder busySpin(final boolean spin)
        {
            busySpin = spin;
            return this;
        }

        /**
         * @param time real time an idle I/O thread spins before it parks in the kernel (default 0): a request or
         *             reply that arrives within it costs no wake-up, at the price of that much CPU after each burst.
         * @param unit of the time.
         * @return this.
         */
        public Builder spinBeforePark(final long time, final TimeUnit unit)
        {
            if (time < 0)
            {
                throw new IllegalArgumentException("spinBeforePark must be >= 0: " + time);
            }
            spinNanos = unit.toNanos(time);
            return this;
        }

        /**
         * @param invoker run no threads: the caller drives the loops through {@link AsyncRuntime#invoker()}.
         * @return this.
         */
        public Builder useInvoker(final boolean invoker)
        {
            useInvoker = invoker;
            return this;
        }

        /**
         * @param direct complete futures on the I/O thread (default true: continuations attached with the
         *               non-{@code Async} methods run there and must never block); false hands every completion to
         *               the completion executor.
         * @return this.
         */
        public Builder completeOnIoThread(final boolean direct)
        {
            completeOnIoThread = direct;
            return this;
        }

        /**
         * @param executor runs accept handlers, connects, and (with {@code completeOnIoThread(false)}) every
         *                 completion (default: a growing pool of daemon threads owned by the runtime).
         * @return this.
         */
        public Builder completionExecutor(final Executor executor)
        {
            completionExecutor = executor;
            return this;
        }

        /**
         * @param clock time of every timer on the loops (default the system's); give the endpoints' contexts the
         *              same clock.
         * @return this.
         */
        public Builder nanoClock(final NanoClock clock)
        {
            this.clock = java.util.Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @param handler receives what no connection owns: a loop's death (default: the {@link Context} default).
         * @return this.
         */
        public Builder errorHandler(final ErrorHandler handler)
        {
            this.errorHandler = java.util.Objects.requireNonNull(handler, "handler");
            return this;
        }

        /**
         * @param max sends per connection not yet written; one more fails with {@link BackPressureException}.
         * @return this.
         */
        public Builder maxOutstandingSends(final int max)
        {
            if (max < 1)
            {
                throw new IllegalArgumentException("maxOutstandingSends must be >= 1: " + max);
            }
            maxOutstandingSends = max;
            return this;
        }

        /**
         * @param max receive futures per connection not yet completed; one more fails with
         *            {@link BackPressureException}.
         * @return this.
         */
        public Builder maxOutstandingRecvs(final int max)
        {
            if (max < 1)
            {
                throw new IllegalArgumentException("maxOutstandingRecvs must be >= 1: " + max);
            }
            maxOutstandingRecvs = max;
            return this;
        }

        /**
         * @return a started runtime.
         */
        public AsyncRuntime build()
        {
            return new AsyncRuntime(this);
        }
    }
}
