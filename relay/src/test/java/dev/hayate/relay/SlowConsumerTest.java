package dev.hayate.relay;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

import dev.hayate.core.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A consumer that stops reading never grows the relay's memory past its bound, whatever the session's policy. The
 * socket buffers absorb some megabytes first, so the producer sends well past them.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SlowConsumerTest
{
    private static final long MAX_QUEUE = 512 << 10;
    private static final int FRAMES = 600;
    private static final int PAYLOAD = 60_000;

    private final byte[] secret = RelayCrypto.newSecret();
    private final ProducerKey key = ProducerKey.generate();
    private RelayServer relay;
    private RelayConsumer consumer;
    private RelayProducer producer;

    @AfterEach
    void closeAll()
    {
        if (producer != null)
        {
            producer.close();
        }
        if (consumer != null)
        {
            consumer.close();
        }
        if (relay != null)
        {
            relay.close();
        }
    }

    private void start(final SlowConsumerPolicy policy) throws Exception
    {
        relay = RelayServer.bind(new RelayContext().listen(new InetSocketAddress("127.0.0.1", 0))
            .maxQueueBytes(MAX_QUEUE).context(RelayEndToEndTest.engine())).start();
        consumer = RelayConsumer.blocking(new RelayClientConfig().relay(relay.localAddress())
            .sessionId(key.sessionId()).secret(secret).context(RelayEndToEndTest.engine()));
        producer = RelayProducer.blocking(new RelayClientConfig().relay(relay.localAddress()).producerKey(key)
            .secret(secret).policy(policy).context(RelayEndToEndTest.engine()).sendTimeout(2, TimeUnit.SECONDS));
    }

    /** Broadcasts until done or pushed back; returns how many were taken. */
    private int flood()
    {
        final byte[] payload = new byte[PAYLOAD];
        for (int i = 0; i < FRAMES; i++)
        {
            payload[0] = (byte)i;
            final Status status = producer.broadcast(payload, 0, payload.length);
            if (status != Status.OK)
            {
                return i;
            }
        }
        return FRAMES;
    }

    private void assertBounded()
    {
        final RelayStats stats = relay.stats();
        assertTrue(stats.get(RelayStats.Counter.QUEUE_HIGH_WATER) <= MAX_QUEUE,
            "high water " + stats.get(RelayStats.Counter.QUEUE_HIGH_WATER) + " above " + MAX_QUEUE);
        assertTrue(stats.get(RelayStats.Counter.FRAME_BYTES) <= MAX_QUEUE + (64 << 10), stats.toString());
    }

    @Test
    void shouldDisconnectAStalledConsumerByDefaultWithinItsBound() throws Exception
    {
        start(SlowConsumerPolicy.DISCONNECT);
        assertEquals(FRAMES, flood());
        assertBounded();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (relay.stats().get(RelayStats.Counter.SLOW_DISCONNECTS) == 0 && System.nanoTime() - deadline < 0)
        {
            Thread.sleep(10);
        }
        assertEquals(1, relay.stats().get(RelayStats.Counter.SLOW_DISCONNECTS));
        // The consumer reads what reached it, then finds the connection closed: told, not hung.
        Delivery d;
        do
        {
            d = consumer.recv(20, TimeUnit.SECONDS);
        }
        while (d != null);
        assertTrue(consumer.isClosed());
    }

    @Test
    void shouldDropTheOldestFramesOfAStalledConsumerAndTellItWhichWithinItsBound() throws Exception
    {
        start(SlowConsumerPolicy.DROP_OLDEST);
        assertEquals(FRAMES, flood());
        assertBounded();
        assertTrue(relay.stats().get(RelayStats.Counter.FRAMES_DROPPED) > 0);
        assertEquals(Delivery.Kind.PRODUCER_JOINED, RelayEndToEndTest.next(consumer).kind());
        long expected = 0;
        long missed = 0;
        while (expected < FRAMES)
        {
            final Delivery d = RelayEndToEndTest.next(consumer);
            if (d.kind() == Delivery.Kind.GAP)
            {
                assertEquals(expected, d.sequence());
                missed += d.missed();
                expected += d.missed();
            }
            else
            {
                assertEquals(Delivery.Kind.DATA, d.kind());
                assertEquals(expected, d.sequence());
                expected++;
            }
        }
        assertEquals(relay.stats().get(RelayStats.Counter.FRAMES_DROPPED), missed);
    }

    @Test
    void shouldPushBackOnTheProducerWhileAConsumerIsStalledWithinItsBound() throws Exception
    {
        start(SlowConsumerPolicy.BACK_PRESSURE);
        final int taken = flood();
        assertTrue(taken < FRAMES, "the producer was never pushed back");
        assertBounded();
        assertTrue(relay.stats().get(RelayStats.Counter.PRODUCER_STALLS) > 0);
        assertEquals(0, relay.stats().get(RelayStats.Counter.FRAMES_DROPPED));
        // Nothing was lost: the consumer, reading again, gets every frame taken, in order; frames the producer took
        // but could not write yet leave while it flushes.
        final java.util.concurrent.CompletableFuture<Status> flushed =
            java.util.concurrent.CompletableFuture.supplyAsync(() -> producer.flush(30, TimeUnit.SECONDS));
        assertEquals(Delivery.Kind.PRODUCER_JOINED, RelayEndToEndTest.next(consumer).kind());
        for (int i = 0; i < taken; i++)
        {
            final Delivery d = RelayEndToEndTest.next(consumer);
            assertEquals(i, d.sequence());
            assertEquals((byte)i, d.buffer().getByte(0));
        }
        assertEquals(Status.OK, flushed.get(30, TimeUnit.SECONDS));
    }

}
