package dev.hayate.transfer;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/**
 * Runs a blocking transfer on a thread of its own as a {@link CompletableFuture} whose {@code cancel} cancels the
 * transfer (the peer is told), for async callers.
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
}
