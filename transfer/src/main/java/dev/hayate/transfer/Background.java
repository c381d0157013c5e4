package dev.hayate.transfer;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/**
 * Runs a blocking transfer on a thread of its own as a {@link CompletableFuture} whose {@code cancel} cancels the
 * transfer (the peer is told), for async callers; and closes what must not hold a transfer up.
 *
 * <p>Thread-safety: stateless.
 */
final class Background
{
    private Background()
    {
    }

    static CompletableFuture<TransferResult> run(final String threadName, final Callable<TransferResult> transfer,
        final Runnable cancel)
    {
        final CompletableFuture<TransferResult> future = new CompletableFuture<>()
        {
            @Override
            public boolean cancel(final boolean mayInterruptIfRunning)
            {
                cancel.run();
                return super.cancel(mayInterruptIfRunning);
            }
        };
        final Thread thread = new Thread(() ->
        {
            try
            {
                future.complete(transfer.call());
            }
            catch (final Throwable ex)
            {
                future.completeExceptionally(ex);
            }
        }, threadName);
        thread.setDaemon(true);
        thread.start();
        return future;
    }

    /**
     * Closes {@code closeable} on a daemon thread of its own. For what is no longer needed once a pair has formed but
     * is slow to close: LAN discovery's mDNS instances take up to two seconds (their goodbyes), which held up every
     * transfer found that way twice, before the offer on the sender and before the result on the receiver. A close
     * that fails is ignored: nothing depends on it.
     *
     * @return the closing thread, to join where waiting costs nothing (after the transfer).
     */
    static Thread close(final String threadName, final AutoCloseable closeable)
    {
        final Thread thread = new Thread(() ->
        {
            try
            {
                closeable.close();
            }
            catch (final Exception ex)
            {
                // Only stops looking or announcing; the transfer goes on either way.
            }
        }, threadName);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
