package dev.hayate.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C during a transfer: cancel it (the peer is told, part files stay for resume) and give it a moment to
 * finish before the JVM exits.
 *
 * <p>Thread-safety: the hook runs on the JVM's shutdown thread; the latch publishes the transfer's end.
 */
final class CancelOnInterrupt
{
    private static final long GRACE_SECONDS = 3;
    private static final ThreadLocal<CountDownLatch> FINISHED = new ThreadLocal<>();

    private CancelOnInterrupt()
    {
    }

    static Thread install(final Runnable cancel)
    {
        final CountDownLatch finished = new CountDownLatch(1);
        FINISHED.set(finished);
        final Thread hook = new Thread(() ->
        {
            cancel.run();
            try
            {
                finished.await(GRACE_SECONDS, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }, "hayate-cancel");
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }

    static void finished(final Thread hook)
    {
        final CountDownLatch finished = FINISHED.get();
        if (finished != null)
        {
            finished.countDown();
            FINISHED.remove();
        }
        try
        {
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        catch (final IllegalStateException shuttingDown)
        {
            // Already shutting down: the hook is running and now sees the latch open.
        }
    }

    static void closeQuietly(final AutoCloseable closeable)
    {
        try
        {
            closeable.close();
        }
        catch (final Exception ignored)
        {
            // Nothing useful to add to a finished transfer's outcome.
        }
    }
}
