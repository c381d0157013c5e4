package dev.hayate.relay;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import dev.hayate.async.AsyncRuntime;
import dev.hayate.async.Clt;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The producer of a relay session on the async face: the same handshake and sealing codec as
 * {@link RelayProducer}, over an async {@link Clt}. Each broadcast copies its payload (the frame is encoded later on
 * the I/O thread), so the caller may reuse its buffer at once; for the lowest latency use {@link RelayProducer}.
 *
 * <p>Thread-safety: any thread; frames are numbered in the order the I/O thread encodes them.
 */
public final class AsyncRelayProducer implements AutoCloseable
{
    private final Clt<RelayMessage> clt;

    private AsyncRelayProducer(final Clt<RelayMessage> clt)
    {
        this.clt = clt;
    }

    /**
     * Joins as the producer.
     *
     * @param config  with the producer key and secret.
     * @param runtime the I/O threads to run on.
     * @return a future of the joined producer, failing with the connect error or {@link RelayRefusedException}.
     */
    public static CompletableFuture<AsyncRelayProducer> connect(final RelayClientConfig config,
        final AsyncRuntime runtime)
    {
        RelayProducer.requireProducer(config);
        final RelayConnect connect = new RelayConnect(config);
        return Clt.connect(config.relay(), connect.protocols(), config.context(), runtime)
            .handle((clt, failure) ->
            {
                if (failure != null)
                {
                    throw new CompletionException(RelayConnect.unwrap(Clt.cause(failure)));
                }
                connect.installSealer();
                return new AsyncRelayProducer(clt);
            });
    }

    /**
     * Broadcasts one payload.
     *
     * @param buffer holding the payload; copied during the call.
     * @param offset of the payload.
     * @param length of the payload.
     * @return completes when written; fails as the async {@link Clt#send} does (back pressure, closed, too large).
     */
    public CompletableFuture<Void> broadcast(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] copy = new byte[length];
        buffer.getBytes(offset, copy, 0, length);
        return send(RelayMessage.KIND_DATA, copy);
    }

    /**
     * Broadcasts one payload.
     *
     * @param bytes  holding the payload; copied during the call.
     * @param offset of the payload.
     * @param length of the payload.
     * @return as {@link #broadcast(DirectBuffer, int, int)}.
     */
    public CompletableFuture<Void> broadcast(final byte[] bytes, final int offset, final int length)
    {
        final byte[] copy = new byte[length];
        System.arraycopy(bytes, offset, copy, 0, length);
        return send(RelayMessage.KIND_DATA, copy);
    }

    private CompletableFuture<Void> send(final byte kind, final byte[] payload)
    {
        final RelayMessage m = new RelayMessage();
        m.type = RelayMessage.Type.DATA;
        m.kind = kind;
        m.body(new UnsafeBuffer(payload), 0, payload.length);
        return clt.send(m);
    }

    /**
     * Sends the sealed end of stream, then closes once it is written (or failed).
     */
    @Override
    public void close()
    {
        if (!clt.isClosed())
        {
            send(RelayMessage.KIND_END, new byte[0]).handle((ok, failure) ->
            {
                clt.close();
                return null;
            });
        }
    }
}
