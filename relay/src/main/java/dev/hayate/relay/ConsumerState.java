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

    ConsumerState(final RelayClientConfig config, final ClientProtocol protocol) throws ChunkIntegrityException
    {
        this.config = config;
        this.protocol = protocol;
        this.plain = ByteBuffer.allocateDirect(config.context().maxFrameLength());
        this.plainView = new UnsafeBuffer(plain);
        final Control joined = protocol.joined();
        this.late = (joined.flags() & Control.FLAG_LATE) != 0;
        this.firstSequence = joined.a();
        if ((joined.flags() & Control.FLAG_PRODUCER_PRESENT) != 0)
        {
            startEpoch(joined.epoch(), joined.a());
        }
    }

    private void startEpoch(final byte[] epoch, final long from) throws ChunkIntegrityException
    {
        if (!epochs.add(ByteBuffer.wrap(epoch.clone())))
        {
            throw new ChunkIntegrityException(Violation.REPLAYED, 0, 0, -1, "a producer stream epoch seen before");
        }
        if (epochs.size() > MAX_EPOCHS_REMEMBERED)
        {
            epochs.clear();
            epochs.add(ByteBuffer.wrap(epoch.clone()));
        }
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
