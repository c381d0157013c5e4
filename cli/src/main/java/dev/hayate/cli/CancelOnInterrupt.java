package dev.hayate.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.hayate.core.transport.TransportProvider;
import dev.hayate.transfer.TransferException;
import dev.hayate.transfer.TransferResult;

/**
 * Runs one transfer for {@code send} or {@code receive}: Ctrl-C cancels it (the peer is told, part files stay for
 * resume) and the JVM waits a moment for that to finish before it exits; the outcome is printed and turned into
 * the exit code; the transport is closed at the end.
 *
 * <p>Thread-safety: the shutdown hook runs on the JVM's shutdown thread; the latch publishes the transfer's end.
 */
final class CancelOnInterrupt
{
    private static final long GRACE_SECONDS = 3;

    /** The blocking transfer to run. */
    interface Transfer
    {
        TransferResult run() throws TransferException;
    }

    /** What to do with a finished transfer's result before its outcome is printed (for example, print a text). */
    interface Delivery
    {
        void deliver(TransferResult result) throws java.io.IOException;
    }

    private CancelOnInterrupt()
    {
    }

    static int run(final Transfer transfer, final Runnable cancel, final TransferConsole console,
        final boolean receiving, final TransportProvider provider)
    {
        return run(transfer, cancel, console, receiving, provider, result -> { });
    }

    static int run(final Transfer transfer, final Runnable cancel, final TransferConsole console,
        final boolean receiving, final TransportProvider provider, final Delivery delivery)
    {
        final CountDownLatch finished = new CountDownLatch(1);
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
        try
        {
            final TransferResult result = transfer.run();
            console.done(result, receiving);
            delivery.deliver(result);
            return 0;
        }
        catch (final TransferException ex)
        {
            return console.failed(ex);
        }
        catch (final java.io.IOException ex)
        {
            System.err.println("hayate: writing the received content failed: " + ex.getMessage());
            return 6;
        }
        finally
        {
            finished.countDown();
            try
            {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
            catch (final IllegalStateException shuttingDown)
            {
                // Already shutting down: the hook is running and now sees the latch open.
            }
            if (provider instanceof AutoCloseable closeable)
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
    }
}
