package dev.hayate.async;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads of the async flavour: a few I/O loops, each serving many connections, and the executor
 * that completes futures.
 *
 * <pre>
 *   I/O loop thread ──reads/writes/decodes──▶ decides each future's outcome
 *                                                │
 *   completion executor ◀────────────────────────┘ completes it; continuations run here
 * </pre>
 *
 * <p>By default futures complete on a shared pool of daemon threads ({@code hayate-async-completion-N})
 * that grows when continuations block, so a slow continuation never stalls an I/O loop or another
 * connection. {@link Builder#completeOnIoThread(boolean)} completes them on the I/O thread instead: one
 * thread hop less per message, but then continuations must never block. To run continuations on your
 * own executor use {@code future.thenApplyAsync(fn, yourExecutor)}.
 *
 * <p>Thread-safety: safe for concurrent use.
 */
public final class AsyncRuntime implements AutoCloseable
{
    private static volatile AsyncRuntime shared;

    private final IoLoop[] loops;
    private final Executor completionExecutor;
    private final ExecutorService ownedExecutor;
    private final boolean completeOnIoThread;
    private final int maxOutstandingSends;
    private final int maxOutstandingRecvs;
    private final AtomicInteger nextLoop = new AtomicInteger();

    private AsyncRuntime(final Builder builder)
    {
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
        loops = new IoLoop[builder.ioThreads];
        try
        {
            for (int i = 0; i < loops.length; i++)
            {
                loops[i] = new IoLoop(builder.name + "-io-" + i, builder.busySpin);
            }
        }
        catch (final IOException ex)
        {
            close();
            throw new UncheckedIOException("cannot open an I/O loop", ex);
        }
        for (final IoLoop loop : loops)
        {
            loop.start();
        }
    }

    /**
     * The runtime endpoints use unless given another: one I/O thread, completion on the shared pool.
     * Its threads are daemons; it is never closed.
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

    IoLoop nextLoop()
    {
        return loops[Math.floorMod(nextLoop.getAndIncrement(), loops.length)];
    }

    void complete(final Runnable completion)
    {
        if (completeOnIoThread)
        {
            completion.run();
        }
        else
        {
            completionExecutor.execute(completion);
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
     * @return the number of I/O threads.
     */
    public int ioThreads()
    {
        return loops.length;
    }

    /**
     * Stops the I/O loops (their connections are closed) and the owned completion pool.
     */
    @Override
    public void close()
    {
        for (final IoLoop loop : loops)
        {
            if (loop != null)
            {
                loop.close();
            }
        }
        if (ownedExecutor != null)
        {
            ownedExecutor.shutdown();
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
        private boolean completeOnIoThread;
        private Executor completionExecutor;
        private int maxOutstandingSends = 1024;
        private int maxOutstandingRecvs = 1024;

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
         * @param direct complete futures on the I/O thread (continuations must then never block).
         * @return this.
         */
        public Builder completeOnIoThread(final boolean direct)
        {
            completeOnIoThread = direct;
            return this;
        }

        /**
         * @param executor completes futures (default: a growing pool of daemon threads owned by the runtime).
         * @return this.
         */
        public Builder completionExecutor(final Executor executor)
        {
            completionExecutor = executor;
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
