package dev.hayate.relay;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.hayate.core.Context;
import dev.hayate.core.Status;
import dev.hayate.core.stat.Counters;
import dev.hayate.transfer.crypto.ChunkIntegrityException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RelayEndToEndTest
{
    private final byte[] secret = RelayCrypto.newSecret();
    private final ProducerKey key = ProducerKey.generate();
    private final List<AutoCloseable> open = new ArrayList<>();
    private RelayServer relay;

    @AfterEach
    void closeAll() throws Exception
    {
        for (int i = open.size() - 1; i >= 0; i--)
        {
            open.get(i).close();
        }
        if (relay != null)
        {
            relay.close();
        }
    }

    static Context engine()
    {
        return new Context().counters(Counters.inMemory(4096)).handshakeTimeout(10, TimeUnit.SECONDS)
            .connectTimeout(10, TimeUnit.SECONDS);
    }

    private RelayServer startRelay(final RelayContext context) throws IOException
    {
        relay = RelayServer.bind(context.listen(new InetSocketAddress("127.0.0.1", 0)).context(engine())).start();
        return relay;
    }

    private RelayClientConfig consumerConfig()
    {
        return new RelayClientConfig().relay(relay.localAddress()).sessionId(key.sessionId()).secret(secret)
            .relayKey(relay.identityKey()).context(engine());
    }

    private RelayClientConfig producerConfig(final SlowConsumerPolicy policy)
    {
        return new RelayClientConfig().relay(relay.localAddress()).producerKey(key).secret(secret).policy(policy)
            .relayKey(relay.identityKey()).context(engine()).sendTimeout(5, TimeUnit.SECONDS);
    }

    private <T extends AutoCloseable> T keep(final T closeable)
    {
        open.add(closeable);
        return closeable;
    }

    static byte[] payload(final long i)
    {
        return ("frame " + i).getBytes(StandardCharsets.US_ASCII);
    }

    static Delivery next(final RelayConsumer consumer) throws ChunkIntegrityException
    {
        final Delivery d = consumer.recv(20, TimeUnit.SECONDS);
        assertNotNull(d, "nothing within 20 s; closed: " + consumer.isClosed());
        return d;
    }

    @Test
    void shouldDeliverEveryFrameInOrderToManyConsumersOfBothWaitingFaces() throws Exception
    {
        startRelay(new RelayContext());
        final List<RelayConsumer> consumers = new ArrayList<>();
        for (int i = 0; i < 6; i++)
        {
            consumers.add(keep(i % 2 == 0 ? RelayConsumer.blocking(consumerConfig()) :
                RelayConsumer.nonblocking(consumerConfig())));
        }
        final RelayProducer producer = keep(RelayProducer.blocking(producerConfig(SlowConsumerPolicy.DISCONNECT)));
        final int frames = 500;
        for (int i = 0; i < frames; i++)
        {
            final byte[] bytes = payload(i);
            assertEquals(Status.OK, producer.broadcast(bytes, 0, bytes.length));
        }
        producer.close();
        for (final RelayConsumer consumer : consumers)
        {
            assertFalse(consumer.joinedLate());
            assertEquals(Delivery.Kind.PRODUCER_JOINED, next(consumer).kind());
            for (int i = 0; i < frames; i++)
            {
                final Delivery d = next(consumer);
                assertEquals(Delivery.Kind.DATA, d.kind());
                assertEquals(i, d.sequence());
                assertArrayEquals(payload(i), d.payload());
            }
            assertEquals(Delivery.Kind.END, next(consumer).kind());
            final Delivery gone = next(consumer);
            assertEquals(Delivery.Kind.PRODUCER_GONE, gone.kind());
            assertEquals(frames + 1, gone.sequence());
        }
        assertEquals(frames + 1, relay.stats().get(RelayStats.Counter.FRAMES_IN));
    }

    @Test
    void shouldStartALateConsumerAtTheLiveEdgeAndSaySo() throws Exception
    {
        startRelay(new RelayContext());
        final RelayConsumer early = keep(RelayConsumer.blocking(consumerConfig()));
        final RelayProducer producer = keep(RelayProducer.blocking(producerConfig(SlowConsumerPolicy.DISCONNECT)));
        for (int i = 0; i < 10; i++)
        {
            assertEquals(Status.OK, producer.broadcast(payload(i), 0, payload(i).length));
        }
        assertEquals(Delivery.Kind.PRODUCER_JOINED, next(early).kind());
        for (int i = 0; i < 10; i++)
        {
            assertEquals(i, next(early).sequence());
        }
        final RelayConsumer late = keep(RelayConsumer.blocking(consumerConfig()));
        assertTrue(late.joinedLate());
        assertEquals(10, late.firstSequence());
        assertEquals(Status.OK, producer.broadcast(payload(10), 0, payload(10).length));
        final Delivery first = next(late);
        assertEquals(Delivery.Kind.DATA, first.kind());
        assertEquals(10, first.sequence());
        assertArrayEquals(payload(10), first.payload());
    }

    @Test
    void shouldTellConsumersWhenTheProducerIsGoneWithoutAnEnd() throws Exception
    {
        startRelay(new RelayContext());
        final RelayConsumer consumer = keep(RelayConsumer.blocking(consumerConfig()));
        final RelayConnect connect = new RelayConnect(producerConfig(SlowConsumerPolicy.DISCONNECT));
        final dev.hayate.blocking.Clt<RelayMessage> raw = connect.run(protocols ->
            dev.hayate.blocking.Clt.connect(relay.localAddress(), protocols, engine()));
        connect.installSealer();
        final RelayMessage data = new RelayMessage();
        data.type = RelayMessage.Type.DATA;
        data.kind = RelayMessage.KIND_DATA;
        data.body(new org.agrona.concurrent.UnsafeBuffer(payload(0)), 0, payload(0).length);
        assertEquals(Status.OK, raw.send(data, 5, TimeUnit.SECONDS));
        raw.close(); // no sealed end: the producer vanished

        assertEquals(Delivery.Kind.PRODUCER_JOINED, next(consumer).kind());
        assertEquals(Delivery.Kind.DATA, next(consumer).kind());
        final Delivery gone = next(consumer);
        assertEquals(Delivery.Kind.PRODUCER_GONE, gone.kind());
        assertEquals(1, gone.sequence());
    }

    @Test
    void shouldRefuseAConsumerPosingAsTheProducer() throws Exception
    {
        startRelay(new RelayContext());
        // A consumer knows the session id but not the producer's private key: its own key hashes elsewhere...
        final ProducerKey impostor = ProducerKey.generate();
        final RelayClientConfig wrongKey = new RelayClientConfig().relay(relay.localAddress()).producerKey(impostor)
            .sessionId(key.sessionId()).secret(secret).context(engine());
        assertThrows(IOException.class, () -> RelayProducer.blocking(wrongKey));
        // ...and the real public key without its private half cannot sign the handshake.
        final RelayClientConfig stolenPublic = new RelayClientConfig().relay(relay.localAddress())
            .producerKey(new PublicOnly(key, impostor).asKey()).secret(secret).context(engine());
        assertThrows(IOException.class, () -> RelayProducer.blocking(stolenPublic));
        assertEquals(2, relay.stats().get(RelayStats.Counter.REFUSED_PROOFS));
        // The real producer still joins.
        keep(RelayProducer.blocking(producerConfig(SlowConsumerPolicy.DISCONNECT)));
        assertEquals(1, relay.stats().get(RelayStats.Counter.PRODUCERS));
    }

    @Test
    void shouldRefuseASecondProducerAndConsumersBeyondTheLimit() throws Exception
    {
        startRelay(new RelayContext().maxConsumersPerSession(2));
        keep(RelayProducer.blocking(producerConfig(SlowConsumerPolicy.DISCONNECT)));
        final RelayRefusedException second = assertThrows(RelayRefusedException.class,
            () -> RelayProducer.blocking(producerConfig(SlowConsumerPolicy.DISCONNECT)));
        assertEquals(RefusalReason.PRODUCER_PRESENT, second.reason());
        keep(RelayConsumer.blocking(consumerConfig()));
        keep(RelayConsumer.blocking(consumerConfig()));
        final RelayRefusedException third = assertThrows(RelayRefusedException.class,
            () -> RelayConsumer.blocking(consumerConfig()));
        assertEquals(RefusalReason.TOO_MANY_CONSUMERS, third.reason());
        assertEquals(1, relay.stats().get(RelayStats.Counter.REFUSED_CONSUMERS));
        assertEquals(1, relay.stats().get(RelayStats.Counter.REFUSED_PRODUCERS));
    }

    @Test
    void shouldServeTwoHundredConsumersOnOneRelay() throws Exception
    {
        startRelay(new RelayContext());
        final List<RelayConsumer> consumers = new ArrayList<>();
        for (int i = 0; i < 200; i++)
        {
            consumers.add(keep(RelayConsumer.blocking(consumerConfig())));
        }
        final RelayProducer producer = keep(RelayProducer.blocking(producerConfig(SlowConsumerPolicy.DISCONNECT)));
        final int frames = 20;
        for (int i = 0; i < frames; i++)
        {
            assertEquals(Status.OK, producer.broadcast(payload(i), 0, payload(i).length));
        }
        for (final RelayConsumer consumer : consumers)
        {
            assertEquals(Delivery.Kind.PRODUCER_JOINED, next(consumer).kind());
            for (int i = 0; i < frames; i++)
            {
                final Delivery d = next(consumer);
                assertEquals(i, d.sequence());
                assertArrayEquals(payload(i), d.payload());
            }
        }
        assertEquals(200, relay.stats().get(RelayStats.Counter.CONSUMERS));
        assertEquals(200L * frames, relay.stats().get(RelayStats.Counter.FRAMES_FORWARDED));
    }

    @Test
    void shouldDeliverEveryFrameInOrderOnTheAsyncFace() throws Exception
    {
        startRelay(new RelayContext());
        try (dev.hayate.async.AsyncRuntime runtime = new dev.hayate.async.AsyncRuntime.Builder().ioThreads(1).build())
        {
            final AsyncRelayConsumer consumer = AsyncRelayConsumer.connect(consumerConfig(), runtime)
                .get(20, TimeUnit.SECONDS);
            keep(consumer);
            final AsyncRelayProducer producer = AsyncRelayProducer.connect(
                producerConfig(SlowConsumerPolicy.DISCONNECT), runtime).get(20, TimeUnit.SECONDS);
            final int frames = 50;
            for (int i = 0; i < frames; i++)
            {
                producer.broadcast(payload(i), 0, payload(i).length).get(20, TimeUnit.SECONDS);
            }
            producer.close();
            assertEquals(Delivery.Kind.PRODUCER_JOINED, consumer.recv(20, TimeUnit.SECONDS).get(30, TimeUnit.SECONDS)
                .kind());
            for (int i = 0; i < frames; i++)
            {
                final Delivery d = consumer.recv(20, TimeUnit.SECONDS).get(30, TimeUnit.SECONDS);
                assertEquals(i, d.sequence());
                assertArrayEquals(payload(i), d.payload());
            }
            assertEquals(Delivery.Kind.END, consumer.recv(20, TimeUnit.SECONDS).get(30, TimeUnit.SECONDS).kind());
            consumer.close();
        }
    }

    @Test
    void shouldRekeyConsumersWhenAProducerComesBackWithANewEpoch() throws Exception
    {
        startRelay(new RelayContext());
        final RelayConsumer consumer = keep(RelayConsumer.blocking(consumerConfig()));
        for (int run = 0; run < 2; run++)
        {
            try (RelayProducer producer = RelayProducer.blocking(producerConfig(SlowConsumerPolicy.DISCONNECT)))
            {
                assertEquals(Status.OK, producer.broadcast(payload(run), 0, payload(run).length));
            }
            assertEquals(Delivery.Kind.PRODUCER_JOINED, next(consumer).kind());
            final Delivery d = next(consumer);
            assertEquals(0, d.sequence(), "every run numbers from 0 under its own key");
            assertArrayEquals(payload(run), d.payload());
            assertEquals(Delivery.Kind.END, next(consumer).kind());
            assertEquals(Delivery.Kind.PRODUCER_GONE, next(consumer).kind());
        }
    }

    @Test
    void shouldRefuseASessionBeyondTheLimit() throws Exception
    {
        startRelay(new RelayContext().maxSessions(1));
        keep(RelayConsumer.blocking(consumerConfig()));
        final RelayClientConfig other = new RelayClientConfig().relay(relay.localAddress())
            .sessionId(ProducerKey.generate().sessionId()).secret(secret).context(engine());
        final RelayRefusedException refused = assertThrows(RelayRefusedException.class,
            () -> RelayConsumer.blocking(other));
        assertEquals(RefusalReason.TOO_MANY_SESSIONS, refused.reason());
        assertEquals(1, relay.stats().get(RelayStats.Counter.REFUSED_SESSIONS));
    }

    @Test
    void shouldRefuseARelayWhoseIdentityIsNotThePinnedOne() throws Exception
    {
        startRelay(new RelayContext());
        final RelayClientConfig pinned = consumerConfig().relayKey(ProducerKey.generate().publicKey());
        final IOException refused = assertThrows(IOException.class, () -> RelayConsumer.blocking(pinned));
        assertTrue(refused.getMessage().contains("pinned") ||
            String.valueOf(refused.getCause()).contains("pinned"), refused.toString());
    }

    @Test
    void shouldShowTheRelayCountersToAStatReader() throws Exception
    {
        final Counters counters = Counters.inMemory(4096);
        relay = RelayServer.bind(new RelayContext().listen(new InetSocketAddress("127.0.0.1", 0))
            .context(engine().counters(counters))).start();
        keep(RelayConsumer.blocking(consumerConfig()));
        final java.util.Map<String, Long> values = dev.hayate.core.stat.StatReader.values(counters.reader());
        assertEquals(1L, values.get(RelayStats.Counter.CONSUMERS.label()));
        assertEquals(1L, values.get(RelayStats.Counter.SESSIONS.label()));
    }

    /** A key whose public half is the victim's and whose private half is someone else's: it cannot sign for it. */
    private record PublicOnly(ProducerKey victim, ProducerKey own)
    {
        ProducerKey asKey()
        {
            return ProducerKey.mismatched(victim.publicKey(), own);
        }
    }
}
