package dev.hayate.relay;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.hayate.core.CloseReason;
import dev.hayate.core.Status;
import dev.hayate.nonblocking.Clt;
import dev.hayate.nonblocking.Svc;
import dev.hayate.transfer.crypto.ChunkIntegrityException;
import dev.hayate.transfer.crypto.ChunkIntegrityException.Violation;
import dev.hayate.transfer.crypto.CipherSuite;
import dev.hayate.transfer.crypto.Role;
import dev.hayate.transfer.crypto.SessionKeys;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A hostile relay, written here: it runs the real handshake (so consumers accept it) and then feeds consumers
 * genuine sealed frames of a producer, tampered with, replayed, reordered, dropped, or frames it made up. Every
 * consumer must name what was done.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostileRelayTest
{
    private static final int CONSUMERS = 3;

    private final byte[] secret = RelayCrypto.newSecret();
    private final ProducerKey key = ProducerKey.generate();
    private final byte[] epoch = RelayCrypto.newEpoch();
    private final List<AutoCloseable> open = new ArrayList<>();
    private Svc<RelayMessage> svc;

    @AfterEach
    void closeAll() throws Exception
    {
        for (int i = open.size() - 1; i >= 0; i--)
        {
            open.get(i).close();
        }
        if (svc != null)
        {
            svc.close();
        }
    }

    /** Genuine frames of the producer: what a relay could record and play with. */
    private List<byte[]> genuineFrames(final int count, final byte[] withSecret)
    {
        final SessionKeys keys = RelayCrypto.dataKeys(withSecret, key.sessionId(), epoch, Role.SENDER);
        final RelayCodec codec = new RelayCodec();
        codec.dataSealer(keys.sealer(CipherSuite.AES_256_GCM));
        final List<byte[]> frames = new ArrayList<>();
        final UnsafeBuffer scratch = new UnsafeBuffer(new byte[4096]);
        for (int i = 0; i < count; i++)
        {
            final RelayMessage m = new RelayMessage();
            m.type = RelayMessage.Type.DATA;
            m.kind = RelayMessage.KIND_DATA;
            m.body(new UnsafeBuffer(RelayEndToEndTest.payload(i)), 0, RelayEndToEndTest.payload(i).length);
            final int length = codec.encode(m, scratch, 0, scratch.capacity());
            final byte[] body = new byte[length];
            scratch.getBytes(0, body);
            frames.add(body);
        }
        return frames;
    }

    /** Consumers joined to the hostile relay, with the relay's side of each connection. */
    private List<Clt<RelayMessage>> join(final List<RelayConsumer> consumers) throws Exception
    {
        final ProducerKey identity = ProducerKey.generate();
        final dev.hayate.core.stat.Counters counters = dev.hayate.core.stat.Counters.inMemory(1024);
        final RelayStats stats = new RelayStats(counters);
        open.add(stats);
        svc = Svc.bind(new InetSocketAddress("127.0.0.1", 0), id -> new ServerProtocol(identity, stats),
            RelayEndToEndTest.engine());
        final List<Clt<RelayMessage>> sides = new ArrayList<>();
        for (int i = 0; i < CONSUMERS; i++)
        {
            final RelayClientConfig config = new RelayClientConfig().relay(svc.localAddress())
                .sessionId(key.sessionId()).secret(secret).context(RelayEndToEndTest.engine());
            final CompletableFuture<RelayConsumer> joining = CompletableFuture.supplyAsync(() ->
            {
                try
                {
                    return RelayConsumer.blocking(config);
                }
                catch (final IOException ex)
                {
                    throw new IllegalStateException(ex);
                }
            });
            final Clt<RelayMessage> side = svc.accept(10, TimeUnit.SECONDS);
            final ServerProtocol protocol = (ServerProtocol)side.connection().protocol();
            assertEquals(Status.OK, side.send(protocol.controls.seal(new Control(Control.JOINED,
                Control.FLAG_PRODUCER_PRESENT, 0, 0, epoch)), 5, TimeUnit.SECONDS));
            consumers.add(joining.get(20, TimeUnit.SECONDS));
            open.add(consumers.get(i));
            sides.add(side);
        }
        return sides;
    }

    private static void forward(final Clt<RelayMessage> side, final byte[] body)
    {
        final RelayMessage m = new RelayMessage();
        m.type = RelayMessage.Type.FORWARD;
        m.body(new UnsafeBuffer(body), 0, body.length);
        assertEquals(Status.OK, side.send(m, 5, TimeUnit.SECONDS));
    }

    private void expect(final Violation violation, final int goodFrames, final List<byte[]> stream) throws Exception
    {
        final List<RelayConsumer> consumers = new ArrayList<>();
        final List<Clt<RelayMessage>> sides = join(consumers);
        for (final Clt<RelayMessage> side : sides)
        {
            for (final byte[] body : stream)
            {
                forward(side, body);
            }
        }
        for (final RelayConsumer consumer : consumers)
        {
            for (int i = 0; i < goodFrames; i++)
            {
                assertEquals(i, RelayEndToEndTest.next(consumer).sequence());
            }
            final ChunkIntegrityException named = assertThrows(ChunkIntegrityException.class,
                () -> consumer.recv(20, TimeUnit.SECONDS));
            assertEquals(violation, named.violation(), named.getMessage());
        }
    }

    @Test
    void shouldNameAFrameTamperedWith() throws Exception
    {
        final List<byte[]> frames = genuineFrames(3, secret);
        frames.get(1)[frames.get(1).length - 1] ^= 1;
        expect(Violation.TAMPERED, 1, frames);
    }

    @Test
    void shouldNameAFrameTheRelayMadeUp() throws Exception
    {
        final List<byte[]> forged = genuineFrames(1, RelayCrypto.newSecret());
        final List<byte[]> frames = genuineFrames(1, secret);
        frames.add(forged.get(0));
        expect(Violation.TAMPERED, 1, frames);
    }

    @Test
    void shouldNameAReplayedFrame() throws Exception
    {
        final List<byte[]> frames = genuineFrames(2, secret);
        frames.add(frames.get(1));
        expect(Violation.REPLAYED, 2, frames);
    }

    @Test
    void shouldNameReorderedFrames() throws Exception
    {
        final List<byte[]> frames = genuineFrames(3, secret);
        expect(Violation.REORDERED, 1, List.of(frames.get(0), frames.get(2), frames.get(1)));
    }

    @Test
    void shouldNameADroppedFrame() throws Exception
    {
        final List<byte[]> frames = genuineFrames(4, secret);
        expect(Violation.DROPPED, 1, List.of(frames.get(0), frames.get(2), frames.get(3)));
    }

    @Test
    void shouldRefuseMoreStreamsThanItRemembersRatherThanForgetAndAcceptAReplay() throws Exception
    {
        final List<RelayConsumer> consumers = new ArrayList<>();
        final List<Clt<RelayMessage>> sides = join(consumers);
        final Clt<RelayMessage> side = sides.get(0);
        final ServerProtocol protocol = (ServerProtocol)side.connection().protocol();
        final RelayConsumer consumer = consumers.get(0);
        // The joined stream's epoch is the first remembered; fresh ones fill the memory, then the old one again.
        final int fresh = 4096;
        final CompletableFuture<Void> sending = CompletableFuture.runAsync(() ->
        {
            for (int i = 0; i < fresh; i++)
            {
                send(side, protocol.controls.seal(new Control(Control.PRODUCER_JOINED, 0, 0, 0,
                    RelayCrypto.newEpoch())));
            }
            send(side, protocol.controls.seal(new Control(Control.PRODUCER_JOINED, 0, 0, 0, epoch)));
        });
        for (int i = 0; i < fresh - 1; i++)
        {
            assertEquals(Delivery.Kind.PRODUCER_JOINED, RelayEndToEndTest.next(consumer).kind());
        }
        final ChunkIntegrityException named = assertThrows(ChunkIntegrityException.class,
            () -> consumer.recv(20, TimeUnit.SECONDS));
        assertEquals(Violation.REPLAYED, named.violation(), named.getMessage());
        sending.get(30, TimeUnit.SECONDS);
    }

    @Test
    void shouldNameAGapNoticeInASessionThatDoesNotDropFrames() throws Exception
    {
        // join() announces policy 0, DISCONNECT: the relay has no business dropping frames.
        final List<RelayConsumer> consumers = new ArrayList<>();
        final List<Clt<RelayMessage>> sides = join(consumers);
        for (int i = 0; i < sides.size(); i++)
        {
            final ServerProtocol protocol = (ServerProtocol)sides.get(i).connection().protocol();
            send(sides.get(i), protocol.controls.seal(Control.of(Control.GAP, 0, 0, 1)));
            final RelayConsumer consumer = consumers.get(i);
            final ChunkIntegrityException named = assertThrows(ChunkIntegrityException.class,
                () -> consumer.recv(20, TimeUnit.SECONDS));
            assertEquals(Violation.TAMPERED, named.violation(), named.getMessage());
        }
    }

    private static void send(final Clt<RelayMessage> side, final RelayMessage m)
    {
        assertEquals(Status.OK, side.send(m, 5, TimeUnit.SECONDS));
    }

    @Test
    void shouldNotLetARelayAnnouncingAFourGibibyteFrameMakeAConsumerAllocateIt() throws Exception
    {
        final List<RelayConsumer> consumers = new ArrayList<>();
        final List<Clt<RelayMessage>> sides = join(consumers);
        // One consumer gets a SOFH header announcing 4 GiB - 1; the others a normal frame whose data length
        // field claims 4 GiB - 1.
        final ByteBuffer header = ByteBuffer.allocate(6).putInt(0xFFFF_FFFF).putShort((short)0x5BE0).flip();
        while (header.hasRemaining())
        {
            sides.get(0).connection().transport().write(header);
        }
        final byte[] lying = genuineFrames(1, secret).get(0);
        ByteBuffer.wrap(lying).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(8 + 9, 0xFFFF_FFFF);
        for (int i = 1; i < sides.size(); i++)
        {
            forward(sides.get(i), lying);
        }
        for (final RelayConsumer consumer : consumers)
        {
            assertNull(consumer.recv(20, TimeUnit.SECONDS));
            assertTrue(consumer.isClosed());
            assertEquals(CloseReason.PROTOCOL_ERROR, consumer.closeReason());
        }
    }
}
