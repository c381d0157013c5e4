package dev.hayate.relay;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import dev.hayate.core.CloseReason;
import dev.hayate.core.Deadline;
import dev.hayate.core.internal.WaitingClt;
import dev.hayate.transfer.crypto.ChunkIntegrityException;

/**
 * A consumer of a relay session, on a waiting face's client connection: nonblocking ({@link #nonblocking}: the
 * caller's thread spins) or blocking ({@link #blocking}: it waits in the kernel). It may join before the producer.
 * Every frame is opened with the end-to-end key and checked in order; anything the relay did to the stream is named
 * ({@link ChunkIntegrityException#violation()}: TAMPERED covers forged and injected frames, then REPLAYED,
 * REORDERED, DROPPED), and the consumer is dead afterwards.
 *
 * <pre>{@code
 * try (RelayConsumer consumer = RelayConsumer.blocking(new RelayClientConfig()
 *          .relay(address).sessionId(sessionId).secret(secret)))
 * {
 *     Delivery d = consumer.recv(1, TimeUnit.SECONDS);     // null: timed out, or closed if isClosed()
 *     if (d != null && d.kind() == Delivery.Kind.DATA) use(d.buffer(), d.length());
 * }
 * }</pre>
 *
 * <p>Thread-safety: one thread.
 */
public final class RelayConsumer implements AutoCloseable
{
    private final WaitingClt<RelayMessage> clt;
    private final ConsumerState state;
    private final byte[] relayKey;

    private RelayConsumer(final WaitingClt<RelayMessage> clt, final RelayConnect connect) throws IOException
    {
        this.clt = clt;
        this.relayKey = connect.protocol().relayIdentity();
        try
        {
            this.state = new ConsumerState(connect.config, connect.protocol());
        }
        catch (final ChunkIntegrityException ex)
        {
            clt.close();
            throw new IOException("the relay's JOINED notice is not acceptable: " + ex.getMessage(), ex);
        }
    }

    /**
     * Joins as a consumer on the nonblocking face.
     *
     * @param config with the session id and secret.
     * @return the consumer, joined.
     * @throws IOException if no connection, a failed handshake, or {@link RelayRefusedException}.
     */
    public static RelayConsumer nonblocking(final RelayClientConfig config) throws IOException
    {
        final RelayConnect connect = new RelayConnect(requireConsumer(config));
        return new RelayConsumer(connect.run(protocols ->
            dev.hayate.nonblocking.Clt.connect(config.relay(), protocols, config.context())), connect);
    }

    /**
     * Joins as a consumer on the blocking face.
     *
     * @param config with the session id and secret.
     * @return the consumer, joined.
     * @throws IOException if no connection, a failed handshake, or {@link RelayRefusedException}.
     */
    public static RelayConsumer blocking(final RelayClientConfig config) throws IOException
    {
        final RelayConnect connect = new RelayConnect(requireConsumer(config));
        return new RelayConsumer(connect.run(protocols ->
            dev.hayate.blocking.Clt.connect(config.relay(), protocols, config.context())), connect);
    }

    static RelayClientConfig requireConsumer(final RelayClientConfig config)
    {
        if (config.producerKey() != null)
        {
            throw new IllegalArgumentException("a consumer holds no ProducerKey");
        }
        return config;
    }

    /**
     * Receives the next delivery, waiting up to the timeout.
     *
     * @param timeout longest wait.
     * @param unit    of the timeout.
     * @return the delivery (reused: valid until the next receive), or {@code null} on timeout or close
     * ({@link #isClosed()} tells which).
     * @throws ChunkIntegrityException naming tampering, injection, replay, reordering or dropping; the consumer is
     *                                 dead afterwards (close it).
     */
    public Delivery recv(final long timeout, final TimeUnit unit) throws ChunkIntegrityException
    {
        final Deadline deadline = Deadline.after(timeout, unit, clt.connection().clock());
        while (true)
        {
            final RelayMessage m = clt.recv(deadline);
            if (m == null)
            {
                return null;
            }
            final Delivery delivery = state.onMessage(m);
            if (delivery != null)
            {
                return delivery;
            }
        }
    }

    /**
     * @return true if this consumer joined a stream already running: it starts at the live edge,
     * {@link #firstSequence()}, and never sees what came before.
     */
    public boolean joinedLate()
    {
        return state.joinedLate();
    }

    /**
     * @return the sequence number of the first frame this consumer will see (0 unless it joined late).
     */
    public long firstSequence()
    {
        return state.firstSequence();
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
     * @return why the connection closed, {@link CloseReason#NONE} while open.
     */
    public CloseReason closeReason()
    {
        return clt.closeReason();
    }

    @Override
    public void close()
    {
        state.destroy();
        clt.close();
    }
}
