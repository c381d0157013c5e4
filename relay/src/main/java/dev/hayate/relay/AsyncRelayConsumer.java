package dev.hayate.relay;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import dev.hayate.async.AsyncRuntime;
import dev.hayate.async.Clt;
import dev.hayate.transfer.crypto.ChunkIntegrityException;
import org.agrona.concurrent.NanoClock;

/**
 * A consumer of a relay session on the async face: the same {@link ConsumerState} as {@link RelayConsumer}, over an
 * async {@link Clt}. Futures complete on the runtime's I/O thread (by default), where the frame is opened.
 *
 * <p>Thread-safety: any thread may call, but keep one receive outstanding at a time (order is the point); the
 * {@link Delivery} is reused and valid until the next receive is asked for.
 */
public final class AsyncRelayConsumer implements AutoCloseable
{
    private final Clt<RelayMessage> clt;
    private final ConsumerState state;
    private final NanoClock clock;

    private AsyncRelayConsumer(final Clt<RelayMessage> clt, final ConsumerState state, final NanoClock clock)
    {
        this.clt = clt;
        this.state = state;
        this.clock = clock;
    }

    /**
     * Joins as a consumer.
     *
     * @param config  with the session id and secret.
     * @param runtime the I/O threads to run on.
     * @return a future of the joined consumer, failing with the connect error or {@link RelayRefusedException}.
     */
    public static CompletableFuture<AsyncRelayConsumer> connect(final RelayClientConfig config,
        final AsyncRuntime runtime)
    {
        final RelayConnect connect = new RelayConnect(RelayConsumer.requireConsumer(config));
        return Clt.connect(config.relay(), connect.protocols(), config.context(), runtime)
            .handle((clt, failure) ->
            {
                if (failure != null)
                {
                    throw new CompletionException(RelayConnect.unwrap(Clt.cause(failure)));
                }
                try
                {
                    return new AsyncRelayConsumer(clt, new ConsumerState(connect.config, connect.protocol()),
                        connect.config.context().nanoClock());
                }
                catch (final ChunkIntegrityException ex)
                {
                    clt.close();
                    throw new CompletionException(new IOException("the relay's JOINED notice is not acceptable", ex));
                }
            });
    }

    /**
     * Receives the next delivery.
     *
     * @param timeout longest wait.
     * @param unit    of the timeout.
     * @return a future of the delivery, or of {@code null} on timeout or close ({@link #isClosed()} tells which);
     * it fails with a {@link ChunkIntegrityException} (inside a {@link CompletionException}) naming what the relay
     * did to the stream.
     */
    public CompletableFuture<Delivery> recv(final long timeout, final TimeUnit unit)
    {
        final long deadline = clock.nanoTime() + unit.toNanos(timeout);
        return recvUntil(deadline);
    }

    private CompletableFuture<Delivery> recvUntil(final long deadline)
    {
        final long left = Math.max(1, deadline - clock.nanoTime());
        return clt.recv(left, TimeUnit.NANOSECONDS).thenCompose(m ->
        {
            if (m == null)
            {
                return CompletableFuture.completedFuture(null);
            }
            final Delivery delivery;
            try
            {
                delivery = state.onMessage(m);
            }
            catch (final ChunkIntegrityException ex)
            {
                return CompletableFuture.failedFuture(ex);
            }
            return delivery != null ? CompletableFuture.completedFuture(delivery) : recvUntil(deadline);
        });
    }

    /**
     * @return true if this consumer joined a running stream at its live edge.
     */
    public boolean joinedLate()
    {
        return state.joinedLate();
    }

    /**
     * @return true once the connection is closed.
     */
    public boolean isClosed()
    {
        return clt.isClosed();
    }

    @Override
    public void close()
    {
        clt.close();
        state.destroy();
    }
}
