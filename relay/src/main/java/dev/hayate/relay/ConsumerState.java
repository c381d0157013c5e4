package dev.hayate.relay;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;

import dev.hayate.transfer.crypto.ChunkIntegrityException;
import dev.hayate.transfer.crypto.ChunkIntegrityException.Violation;
import dev.hayate.transfer.crypto.ChunkOpener;
import dev.hayate.transfer.crypto.CipherSuite;
import dev.hayate.transfer.crypto.Role;
import dev.hayate.transfer.crypto.SessionKeys;
import dev.hayate.transfer.wire.ByteBufferViews;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The one implementation of a consumer, whatever the face: turns each message from the relay into a
 * {@link Delivery}, opening data frames with the end-to-end key and checking the stream with transfer's
 * {@link ChunkOpener} (tag, then sequence: a frame that was tampered with, injected, replayed, reordered or dropped
 * is named by a {@link ChunkIntegrityException}, after which the consumer is dead).
 *
 * <p>Replay of a whole stream: every producer stream has a fresh random epoch, and the epochs seen on this
 * connection are remembered so a relay cannot start a recorded stream again. At most
 * {@value #MAX_EPOCHS_REMEMBERED} are remembered: a relay announcing more streams than that on one connection is
 * refused ({@link Violation#REPLAYED}: replay could no longer be told apart), never forgotten, so it cannot flush the
 * memory with fresh epochs and then replay an old one. A consumer that meets the limit reconnects.
 *
 * <p>Gap notices (frames the relay dropped) are accepted only in a session whose policy, as the relay announced it
 * in JOINED or PRODUCER_JOINED, is {@link SlowConsumerPolicy#DROP_OLDEST}; under any other policy a gap notice is a
 * protocol violation ({@link Violation#TAMPERED}).
 *
 * <p>The plaintext buffer is allocated once, sized from this side's own maximum frame length, never from a length
 * the relay sends; the engine rejects a longer frame before reading it and the codec rejects a length field that
 * overruns its frame.
 *
 * <p>Thread-safety: one thread at a time (the receiving thread, or one outstanding async receive).
 */
final class ConsumerState
{
    private static final int MAX_EPOCHS_REMEMBERED = 4096;

    private final RelayClientConfig config;
    private final ClientProtocol protocol;
    private final ByteBuffer plain;
    private final UnsafeBuffer plainView;
    private final ByteBufferViews views = new ByteBufferViews();
    private final Delivery delivery = new Delivery();
    private final Set<ByteBuffer> epochs = new HashSet<>();
    private final boolean late;
    private final long firstSequence;
    private ChunkOpener opener;
    private boolean ended;
    private SlowConsumerPolicy policy;

    ConsumerState(final RelayClientConfig config, final ClientProtocol protocol) throws ChunkIntegrityException
    {
        this.config = config;
        this.protocol = protocol;
        this.plain = ByteBuffer.allocateDirect(config.context().maxFrameLength());
        this.plainView = new UnsafeBuffer(plain);
        final Control joined = protocol.joined();
        this.late = (joined.flags() & Control.FLAG_LATE) != 0;
        this.firstSequence = joined.a();
        this.policy = policyOf(joined.b());
        if ((joined.flags() & Control.FLAG_PRODUCER_PRESENT) != 0)
        {
            startEpoch(joined.epoch(), joined.a());
        }
    }

    private void startEpoch(final byte[] epoch, final long from) throws ChunkIntegrityException
    {
        final ByteBuffer key = ByteBuffer.wrap(epoch.clone());
        if (epochs.contains(key))
        {
            throw new ChunkIntegrityException(Violation.REPLAYED, 0, 0, -1, "a producer stream epoch seen before");
        }
        if (epochs.size() >= MAX_EPOCHS_REMEMBERED)
        {
            // Forgetting would let a relay flush the memory with fresh epochs and then replay an old stream.
            throw new ChunkIntegrityException(Violation.REPLAYED, 0, 0, -1, "more than " + MAX_EPOCHS_REMEMBERED +
                " producer streams on one connection: a replayed one could no longer be told apart; reconnect");
        }
        epochs.add(key);
        closeOpener();
        final SessionKeys keys = RelayCrypto.dataKeys(config.secret(), config.sessionId(), epoch, Role.RECEIVER);
        opener = keys.opener(CipherSuite.AES_256_GCM);
        keys.destroy();
        opener.skipTo(from);
        ended = false;
    }

    private void closeOpener()
    {
        if (opener != null)
        {
            opener.destroy();
            opener = null;
        }
    }

    /**
     * @param m a message from the relay.
     * @return the delivery, or {@code null} when the message yields none yet (an authentic frame ahead of its turn:
     * the next one decides between reordered and dropped).
     * @throws ChunkIntegrityException naming what the relay (or the network) did to the stream.
     */
    Delivery onMessage(final RelayMessage m) throws ChunkIntegrityException
    {
        if (m.type == RelayMessage.Type.CONTROL)
        {
            final Control control = protocol.openControl(m);
            return control == null ? null : onControl(control);
        }
        if (m.type != RelayMessage.Type.DATA)
        {
            throw new ChunkIntegrityException(Violation.TAMPERED, 0, 0, -1, "unexpected " + m.type + " from the relay");
        }
        if (opener == null)
        {
            throw new ChunkIntegrityException(Violation.TAMPERED, 0, 0, m.sequence,
                "a data frame while no producer stream is open");
        }
        final ByteBuffer sealed = views.window(m.body, m.bodyOffset, m.bodyLength);
        plain.clear();
        final int length = opener.open(m.sequence, m.kind, 0, 0, (byte)0, sealed, plain);
        if (length == ChunkOpener.GAP)
        {
            return null;
        }
        if (m.kind == RelayMessage.KIND_END)
        {
            opener.finish();
            ended = true;
            return delivery.event(Delivery.Kind.END, m.sequence, 0);
        }
        if (m.kind != RelayMessage.KIND_DATA)
        {
            throw new ChunkIntegrityException(Violation.TAMPERED, 0, 0, m.sequence, "unknown authentic kind " + m.kind);
        }
        return delivery.data(plainView, length, m.sequence);
    }

    private Delivery onControl(final Control control) throws ChunkIntegrityException
    {
        switch (control.type())
        {
            case Control.PRODUCER_JOINED ->
            {
                policy = policyOf(control.b());
                startEpoch(control.epoch(), 0);
                return delivery.event(Delivery.Kind.PRODUCER_JOINED, 0, 0);
            }
            case Control.PRODUCER_GONE ->
            {
                if (opener != null)
                {
                    opener.finish();
                    final long expected = opener.expectedSequence();
                    if (!ended && control.a() > expected)
                    {
                        throw new ChunkIntegrityException(Violation.DROPPED, 0, 0, expected, "frames " + expected +
                            " to " + (control.a() - 1) + " never arrived before the producer left");
                    }
                }
                closeOpener();
                return delivery.event(Delivery.Kind.PRODUCER_GONE, control.a(), 0);
            }
            case Control.GAP ->
            {
                if (opener == null)
                {
                    throw new ChunkIntegrityException(Violation.TAMPERED, 0, 0, control.a(), "a gap notice outside a stream");
                }
                if (policy != SlowConsumerPolicy.DROP_OLDEST)
                {
                    throw new ChunkIntegrityException(Violation.TAMPERED, 0, 0, control.a(), "a gap notice in a " +
                        policy + " session: only DROP_OLDEST drops frames");
                }
                final long expected = opener.expectedSequence();
                if (control.a() != expected)
                {
                    throw new ChunkIntegrityException(control.a() > expected ? Violation.DROPPED : Violation.REPLAYED,
                        0, 0, control.a(), "gap notice from " + control.a() + " while " + expected + " is next");
                }
                opener.skipTo(control.a() + control.b());
                return delivery.event(Delivery.Kind.GAP, control.a(), control.b());
            }
            default -> throw new ChunkIntegrityException(Violation.TAMPERED, 0, 0, -1,
                "unexpected control type " + control.type());
        }
    }

    private static SlowConsumerPolicy policyOf(final long code) throws ChunkIntegrityException
    {
        if (code < 0 || code >= SlowConsumerPolicy.values().length)
        {
            throw new ChunkIntegrityException(Violation.TAMPERED, 0, 0, -1, "unknown slow-consumer policy " + code);
        }
        return SlowConsumerPolicy.of((int)code);
    }

    boolean joinedLate()
    {
        return late;
    }

    long firstSequence()
    {
        return firstSequence;
    }

    void destroy()
    {
        closeOpener();
    }
}
