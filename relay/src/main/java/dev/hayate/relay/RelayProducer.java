package dev.hayate.relay;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import dev.hayate.core.Status;
import dev.hayate.core.internal.WaitingClt;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The producer of a relay session, on a waiting face's client connection: the nonblocking face
 * ({@link #nonblocking}: the caller's thread spins) or the blocking one ({@link #blocking}: it waits in the kernel).
 * Each broadcast is sealed straight into the connection's send buffer with the end-to-end key (derived from the
 * application's secret and this run's random epoch: the relay never holds it) and numbered from 0; the relay
 * forwards it unread to every consumer.
 *
 * <pre>{@code
 * ProducerKey key = ProducerKey.generate();               // consumers get key.sessionId() and the secret
 * try (RelayProducer producer = RelayProducer.blocking(new RelayClientConfig()
 *          .relay(address).producerKey(key).secret(secret)))
 * {
 *     producer.broadcast(bytes, 0, bytes.length);          // OK, TIMED_OUT (pushed back) or CLOSED
 * }                                                        // close() sends the sealed end of stream
 * }</pre>
 *
 * <p>Thread-safety: one thread.
 */
public final class RelayProducer implements AutoCloseable
{
    private final WaitingClt<RelayMessage> clt;
    private final RelayClientConfig config;
    private final RelayMessage data = new RelayMessage();
    private final UnsafeBuffer wrapper = new UnsafeBuffer(0, 0);
    private final byte[] relayKey;

    private RelayProducer(final WaitingClt<RelayMessage> clt, final RelayConnect connect)
    {
        this.clt = clt;
        this.config = connect.config;
        this.relayKey = connect.protocol().relayIdentity();
        connect.installSealer();
        data.type = RelayMessage.Type.DATA;
        data.kind = RelayMessage.KIND_DATA;
    }

    /**
     * Joins as the producer on the nonblocking face (the caller's thread spins while waiting).
     *
     * @param config with the producer key and secret.
     * @return the producer, joined.
     * @throws IOException if no connection, a failed handshake, or {@link RelayRefusedException}.
     */
    public static RelayProducer nonblocking(final RelayClientConfig config) throws IOException
    {
        requireProducer(config);
        final RelayConnect connect = new RelayConnect(config);
        return new RelayProducer(connect.run(protocols ->
            dev.hayate.nonblocking.Clt.connect(config.relay(), protocols, config.context())), connect);
    }

    /**
     * Joins as the producer on the blocking face (the caller's thread waits in the kernel).
     *
     * @param config with the producer key and secret.
     * @return the producer, joined.
     * @throws IOException if no connection, a failed handshake, or {@link RelayRefusedException}.
     */
    public static RelayProducer blocking(final RelayClientConfig config) throws IOException
    {
        requireProducer(config);
        final RelayConnect connect = new RelayConnect(config);
        return new RelayProducer(connect.run(protocols ->
            dev.hayate.blocking.Clt.connect(config.relay(), protocols, config.context())), connect);
    }

    static void requireProducer(final RelayClientConfig config)
    {
        if (config.producerKey() == null)
        {
            throw new IllegalArgumentException("a producer needs its ProducerKey");
        }
    }

    /**
     * Broadcasts one payload, waiting up to the configured send timeout for room.
     *
     * @param buffer holding the payload; copied into the frame during the call.
     * @param offset of the payload.
     * @param length of the payload; at most {@link RelayClientConfig#maxPayload()}.
     * @return {@link Status#OK} once taken (numbered and sealed), {@link Status#TIMED_OUT} when the relay pushed
     * back the whole time (nothing sent), {@link Status#CLOSED}.
     * @throws IllegalArgumentException if the payload is larger than a frame holds.
     */
    public Status broadcast(final DirectBuffer buffer, final int offset, final int length)
    {
        data.kind = RelayMessage.KIND_DATA;
        data.body(buffer, offset, length);
        return clt.send(data, config.sendTimeoutNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Broadcasts one payload; see {@link #broadcast(DirectBuffer, int, int)}.
     *
     * @param bytes  holding the payload.
     * @param offset of the payload.
     * @param length of the payload.
     * @return as {@link #broadcast(DirectBuffer, int, int)}.
     */
    public Status broadcast(final byte[] bytes, final int offset, final int length)
    {
        wrapper.wrap(bytes);
        return broadcast(wrapper, offset, length);
    }

    /**
     * Writes frames already taken whose bytes the relay did not accept yet (a broadcast answers OK once its frame
     * is taken; when the relay pushes back, its bytes leave on later calls).
     *
     * @param timeout longest wait.
     * @param unit    of the timeout.
     * @return {@link Status#OK} when nothing is left, {@link Status#TIMED_OUT}, {@link Status#CLOSED}.
     */
    public Status flush(final long timeout, final TimeUnit unit)
    {
        return clt.flush(timeout, unit);
    }

    /**
     * @return the relay's identity key seen in the handshake (to pin next time).
     */
    public byte[] relayKey()
    {
        return relayKey.clone();
    }

    /**
     * @return true once the connection is closed.
     */
    public boolean isClosed()
    {
        return clt.isClosed();
    }

    /**
     * Sends the sealed end of stream (so consumers know nothing was cut), then closes.
     */
    @Override
    public void close()
    {
        if (!clt.isClosed())
        {
            data.kind = RelayMessage.KIND_END;
            data.body(wrapper, 0, 0);
            clt.send(data, config.sendTimeoutNanos(), TimeUnit.NANOSECONDS);
        }
        clt.close();
    }
}
