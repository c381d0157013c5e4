package dev.hayate.relay;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import dev.hayate.core.Status;
import dev.hayate.core.buffer.BufferPool;
import dev.hayate.core.transport.Transport;
import dev.hayate.core.transport.TransportServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a relay does when clients leave at the wrong time, stop reading, or hold its shared resources: slots and
 * memory come back, the relay's thread does not spin, and an operator can tell what happened from the counters.
 * Where the relay's own thread would hide a spin, the test drives the relay ({@link RelayServer#doWork()} and the
 * poller wait) and counts readiness reports of cycles in which nothing happens.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RelayHardeningTest
{
    private static final long BOUND_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final int PAYLOAD = 60_000;

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

    private RelayServer bind(final RelayContext context) throws IOException
    {
        relay = RelayServer.bind(context.listen(new InetSocketAddress("127.0.0.1", 0))
            .context(RelayEndToEndTest.engine()));
        return relay;
    }

    private <T extends AutoCloseable> T keep(final T closeable)
    {
        open.add(closeable);
        return closeable;
    }

    private RelayTransportProvider pipe(final byte[] sessionId)
    {
        return new RelayTransportProvider(relay.localAddress(), sessionId, RelayEndToEndTest.engine(), null);
    }

    private RelayClientConfig producerConfig(final SlowConsumerPolicy policy)
    {
        return new RelayClientConfig().relay(relay.localAddress()).producerKey(key).secret(secret).policy(policy)
            .context(RelayEndToEndTest.engine()).sendTimeout(2, TimeUnit.SECONDS);
    }

    private RelayClientConfig consumerConfig(final byte[] sessionId)
    {
        return new RelayClientConfig().relay(relay.localAddress()).sessionId(sessionId).secret(secret)
            .context(RelayEndToEndTest.engine());
    }

    /** Drives a relay that was not started until the condition holds; fails after the bound. */
    private void driveUntil(final BooleanSupplier done, final String what) throws IOException
    {
        final long deadline = System.nanoTime() + BOUND_NANOS;
        while (!done.getAsBoolean())
        {
            assertTrue(System.nanoTime() - deadline < 0, "not within the bound: " + what + "; " + relay.stats());
            if (relay.doWork() == 0)
            {
                relay.awaitReadiness(TimeUnit.MILLISECONDS.toNanos(1));
            }
        }
    }

    /** Idle cycles of a driven relay: how many of them a readiness report woke at once. */
    private int wakeupsOver(final int cycles) throws IOException
    {
        int wakeups = 0;
        for (int i = 0; i < cycles; i++)
        {
            relay.doWork();
            if (relay.awaitReadiness(TimeUnit.MILLISECONDS.toNanos(2)) > 0)
            {
                wakeups++;
            }
        }
        return wakeups;
    }

    private static void waitFor(final BooleanSupplier done, final String what) throws InterruptedException
    {
        final long deadline = System.nanoTime() + BOUND_NANOS;
        while (!done.getAsBoolean())
        {
            assertTrue(System.nanoTime() - deadline < 0, "not within the bound: " + what);
            Thread.sleep(10);
        }
    }

    private static byte[] randomId()
    {
        return ProducerKey.generate().sessionId();
    }

    private <T> T joinWhileDriving(final CompletableFuture<T> joining) throws Exception
    {
        driveUntil(joining::isDone, "a client to join");
        return joining.get();
    }

    private CompletableFuture<TransportServer> bindEnd(final byte[] sessionId)
    {
        return CompletableFuture.supplyAsync(() ->
        {
            try
            {
                return pipe(sessionId).bind(null);
            }
            catch (final IOException ex)
            {
                throw new IllegalStateException(ex);
            }
        });
    }

    @Test
    void shouldFreeTheSlotsOfPipeEndsThatLeaveBeforeTheirPeerAndThenSitIdle() throws Exception
    {
        bind(new RelayContext().maxSessions(20));
        for (int i = 0; i < 20; i++)
        {
            joinWhileDriving(bindEnd(randomId())).close();
        }
        driveUntil(() -> relay.stats().get(RelayStats.Counter.SESSIONS) == 0 &&
            relay.stats().get(RelayStats.Counter.PIPE_ENDS) == 0, "the pipe ends' sessions to be freed");
        // Nothing happens now: no connection may keep waking the relay (a closed socket left with READ interest
        // would, at once, every cycle).
        assertTrue(wakeupsOver(200) < 20, "an idle relay kept being woken");
        final CompletableFuture<RelayProducer> producing = CompletableFuture.supplyAsync(() ->
        {
            try
            {
                return RelayProducer.blocking(producerConfig(SlowConsumerPolicy.DISCONNECT));
            }
            catch (final IOException ex)
            {
                throw new IllegalStateException(ex);
            }
        });
        keep(joinWhileDriving(producing));
        assertEquals(1, relay.stats().get(RelayStats.Counter.PRODUCERS));
        assertEquals(0, relay.stats().get(RelayStats.Counter.REFUSED_SESSIONS));
    }

    @Test
    void shouldPairANewPipeEndWithALiveOneNotWithOneThatLeft() throws Exception
    {
        bind(new RelayContext()).start();
        final byte[] id = randomId();
        pipe(id).bind(null).close();
        final TransportServer server = keep(pipe(id).bind(null));
        final Transport client = keep(pipe(id).connect(null, TimeUnit.SECONDS.toNanos(20)));
        assertTrue(server.awaitAcceptable(TimeUnit.SECONDS.toNanos(20)));
        final Transport accepted = keep(server.accept());
        assertNotNull(accepted);
        final ByteBuffer hello = ByteBuffer.wrap(new byte[] {1, 2, 3});
        final long deadline = System.nanoTime() + BOUND_NANOS;
        while (hello.hasRemaining())
        {
            assertTrue(System.nanoTime() - deadline < 0);
            client.write(hello);
            client.awaitWritable(TimeUnit.MILLISECONDS.toNanos(10));
        }
        final ByteBuffer got = ByteBuffer.allocate(3);
        while (got.hasRemaining())
        {
            assertTrue(System.nanoTime() - deadline < 0, "the bytes never crossed the pipe");
            if (accepted.read(got) == 0)
            {
                accepted.awaitReadable(TimeUnit.MILLISECONDS.toNanos(10));
            }
        }
        assertEquals(3, got.get(2));
    }

    @Test
    void shouldNotWaitOnAStalledBackPressureProducer() throws Exception
    {
        bind(new RelayContext().maxQueueBytes(512 << 10));
        final byte[] id = key.sessionId();
        final RelayConsumer consumer = keep(joinWhileDriving(CompletableFuture.supplyAsync(() ->
        {
            try
            {
                return RelayConsumer.blocking(consumerConfig(id));
            }
            catch (final IOException ex)
            {
                throw new IllegalStateException(ex);
            }
        })));
        assertNotNull(consumer);
        final RelayProducer producer = keep(joinWhileDriving(CompletableFuture.supplyAsync(() ->
        {
            try
            {
                return RelayProducer.blocking(producerConfig(SlowConsumerPolicy.BACK_PRESSURE));
            }
            catch (final IOException ex)
            {
                throw new IllegalStateException(ex);
            }
        })));
        // The consumer never reads: the producer floods until pushed back, then keeps bytes in its socket.
        final CompletableFuture<Integer> flooding = CompletableFuture.supplyAsync(() ->
        {
            final byte[] payload = new byte[PAYLOAD];
            for (int i = 0; i < 2000; i++)
            {
                if (producer.broadcast(payload, 0, payload.length) != Status.OK)
                {
                    return i;
                }
            }
            return 2000;
        });
        driveUntil(flooding::isDone, "the producer to be pushed back");
        assertTrue(flooding.get() < 2000, "the producer was never pushed back");
        assertTrue(relay.stats().get(RelayStats.Counter.PRODUCER_STALLS) > 0);
        assertTrue(wakeupsOver(200) < 20, "a stalled producer kept waking the relay");
    }

    @Test
    void shouldCutAConsumerThatBlocksABackPressureSessionPastTheStallTimeout() throws Exception
    {
        bind(new RelayContext().maxQueueBytes(512 << 10).stallTimeout(1, TimeUnit.SECONDS)).start();
        final RelayConsumer stalled = keep(RelayConsumer.blocking(consumerConfig(key.sessionId())));
        final RelayProducer producer = keep(RelayProducer.blocking(producerConfig(SlowConsumerPolicy.BACK_PRESSURE)));
        final byte[] payload = new byte[PAYLOAD];
        int sent = 0;
        final long deadline = System.nanoTime() + BOUND_NANOS;
        // Pushed back while the consumer stalls, then free again once the relay cut it.
        while (relay.stats().get(RelayStats.Counter.STALL_DISCONNECTS) == 0)
        {
            assertTrue(System.nanoTime() - deadline < 0, "the stalled consumer was never cut: " + relay.stats());
            if (producer.broadcast(payload, 0, payload.length) == Status.OK)
            {
                sent++;
            }
        }
        assertTrue(sent > 0);
        assertEquals(1, relay.stats().get(RelayStats.Counter.STALL_DISCONNECTS));
        for (int i = 0; i < 10; i++)
        {
            assertEquals(Status.OK, producer.broadcast(payload, 0, payload.length));
        }
        assertFalse(producer.isClosed());
        waitFor(() -> relay.stats().get(RelayStats.Counter.CONSUMERS) == 0, "the cut consumer to be gone");
        assertNotNull(stalled);
    }

    @Test
    void shouldShedAConsumerHoldingTheFramePoolRatherThanCloseAProducer() throws Exception
    {
        final int frames = 16;
        // Room for one full queue and a half: two stalled sessions cannot both keep theirs full.
        final BufferPool pool = new BufferPool.Context().sizeClass(64 << 10, frames + frames / 2).build();
        bind(new RelayContext().framePool(pool).maxQueueBytes((long)frames << 16)).start();
        final ProducerKey otherKey = ProducerKey.generate();
        // Two sessions, each with a consumer that never reads; DROP_OLDEST never pushes a producer back, so both
        // queues are kept full and every frame needs a buffer of the pool.
        final RelayConsumer stalledA = keep(RelayConsumer.blocking(consumerConfig(key.sessionId())));
        final RelayConsumer stalledB = keep(RelayConsumer.blocking(consumerConfig(otherKey.sessionId())));
        final RelayProducer producerA = keep(RelayProducer.blocking(producerConfig(SlowConsumerPolicy.DROP_OLDEST)));
        final RelayProducer producerB = keep(RelayProducer.blocking(new RelayClientConfig()
            .relay(relay.localAddress()).producerKey(otherKey).secret(secret).policy(SlowConsumerPolicy.DROP_OLDEST)
            .context(RelayEndToEndTest.engine()).sendTimeout(2, TimeUnit.SECONDS)));
        final java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        // A thread each: the common pool may run both on one thread (one CPU's worth on a 2-core machine), and
        // the second flood would then never start.
        final java.util.concurrent.ExecutorService floods = java.util.concurrent.Executors.newFixedThreadPool(2);
        final CompletableFuture<Status> floodA = CompletableFuture.supplyAsync(() -> flood(producerA, stop), floods);
        final CompletableFuture<Status> floodB = CompletableFuture.supplyAsync(() -> flood(producerB, stop), floods);
        floods.shutdown();
        try
        {
            waitFor(() -> relay.stats().get(RelayStats.Counter.SLOW_DISCONNECTS) > 0 ||
                relay.stats().get(RelayStats.Counter.POOL_EXHAUSTED) > 0 || floodA.isDone() || floodB.isDone(),
                "the pool to run dry");
            // Both producers go on after the shedding.
            final long more = relay.stats().get(RelayStats.Counter.FRAMES_IN) + 2 * frames;
            waitFor(() -> relay.stats().get(RelayStats.Counter.FRAMES_IN) > more || floodA.isDone() ||
                floodB.isDone(), "more frames after the shedding");
        }
        finally
        {
            stop.set(true);
        }
        assertEquals(Status.OK, floodA.get(30, TimeUnit.SECONDS));
        assertEquals(Status.OK, floodB.get(30, TimeUnit.SECONDS));
        assertEquals(0, relay.stats().get(RelayStats.Counter.POOL_EXHAUSTED), relay.stats().toString());
        assertEquals(1, relay.stats().get(RelayStats.Counter.SLOW_DISCONNECTS), relay.stats().toString());
        assertFalse(producerA.isClosed());
        assertFalse(producerB.isClosed());
        // The shed consumer reads what reached its socket, then finds the end; the other is untouched.
        final RelayConsumer shed = relay.stats().get(RelayStats.Counter.CONSUMERS) == 1 && isShed(stalledA) ?
            stalledA : stalledB;
        Delivery d;
        do
        {
            d = shed.recv(20, TimeUnit.SECONDS);
        }
        while (d != null);
        assertTrue(shed.isClosed());
        assertFalse((shed == stalledA ? stalledB : stalledA).isClosed());
    }

    private static Status flood(final RelayProducer producer, final java.util.concurrent.atomic.AtomicBoolean stop)
    {
        final byte[] payload = new byte[PAYLOAD];
        while (!stop.get())
        {
            final Status status = producer.broadcast(payload, 0, payload.length);
            if (status != Status.OK)
            {
                return status;
            }
        }
        return Status.OK;
    }

    // The relay closed this consumer's connection (its socket may still hold frames for it).
    private static boolean isShed(final RelayConsumer consumer)
    {
        try
        {
            Delivery d;
            final long deadline = System.nanoTime() + BOUND_NANOS;
            do
            {
                d = consumer.recv(1, TimeUnit.SECONDS);
            }
            while (d != null && System.nanoTime() - deadline < 0);
            return consumer.isClosed();
        }
        catch (final dev.hayate.transfer.crypto.ChunkIntegrityException ex)
        {
            throw new AssertionError(ex);
        }
    }

    @Test
    void shouldKeepPipeSessionsAndProducerSessionsApart() throws Exception
    {
        bind(new RelayContext()).start();
        // A pipe end claims the producer's session id first: the producer still gets its session.
        keep(pipe(key.sessionId()).bind(null));
        keep(RelayProducer.blocking(producerConfig(SlowConsumerPolicy.DISCONNECT)));
        assertEquals(1, relay.stats().get(RelayStats.Counter.PRODUCERS));
        assertEquals(1, relay.stats().get(RelayStats.Counter.PIPE_ENDS));
        assertEquals(2, relay.stats().get(RelayStats.Counter.SESSIONS));
    }

    @Test
    void shouldCloseASessionWithoutAProducerAfterTheIdleTimeout() throws Exception
    {
        bind(new RelayContext().idleSessionTimeout(1, TimeUnit.SECONDS)).start();
        // A consumer with a made-up id, waiting for a producer that never comes (the pipe case: the next test).
        final RelayConsumer squatter = keep(RelayConsumer.blocking(consumerConfig(randomId())));
        assertNull(squatter.recv(20, TimeUnit.SECONDS));
        assertTrue(squatter.isClosed());
        waitFor(() -> relay.stats().get(RelayStats.Counter.SESSIONS) == 0, "the idle session to be freed");
        assertEquals(1, relay.stats().get(RelayStats.Counter.IDLE_SESSIONS_CLOSED));
        assertEquals(0, relay.stats().get(RelayStats.Counter.CONSUMERS));
    }

    @Test
    void shouldLetAPipeEndWaitForItsPeerLongerThanTheIdleTimeout() throws Exception
    {
        bind(new RelayContext().idleSessionTimeout(1, TimeUnit.SECONDS)).start();
        final byte[] id = randomId();
        final TransportServer server = keep(pipe(id).bind(null));
        // The relay closes the lone end; the waiting server joins again.
        final long deadline = System.nanoTime() + BOUND_NANOS;
        while (relay.stats().get(RelayStats.Counter.IDLE_SESSIONS_CLOSED) == 0 ||
            relay.stats().get(RelayStats.Counter.PIPE_ENDS) == 0)
        {
            assertTrue(System.nanoTime() - deadline < 0, "never closed and joined again: " + relay.stats());
            assertFalse(server.awaitAcceptable(TimeUnit.MILLISECONDS.toNanos(50)));
        }
        keep(pipe(id).connect(null, TimeUnit.SECONDS.toNanos(20)));
        assertTrue(server.awaitAcceptable(TimeUnit.SECONDS.toNanos(20)));
        assertNotNull(keep(server.accept()));
    }

    @Test
    void shouldCountHandshakeTimeoutsAndMalformedHandshakesApartFromRefusedCredentials() throws Exception
    {
        relay = RelayServer.bind(new RelayContext().listen(new InetSocketAddress("127.0.0.1", 0))
            .context(RelayEndToEndTest.engine().handshakeTimeout(2, TimeUnit.SECONDS))).start();
        final InetSocketAddress at = (InetSocketAddress)relay.localAddress();
        try (Socket silent = new Socket(at.getAddress(), at.getPort());
            Socket garbage = new Socket(at.getAddress(), at.getPort()))
        {
            final OutputStream out = garbage.getOutputStream();
            // A valid SOFH header around a body that is no relay message; the timeout leaves a busy machine ample
            // time to read it before it could count as a timeout instead.
            out.write(new byte[] {0, 0, 0, 12, 0x5B, (byte)0xE0, 9, 9, 9, 9, 9, 9});
            out.flush();
            waitFor(() -> relay.stats().get(RelayStats.Counter.HANDSHAKE_TIMEOUTS) == 1 &&
                relay.stats().get(RelayStats.Counter.HANDSHAKES_MALFORMED) == 1, "both handshakes to fail");
            assertTrue(silent.isConnected());
        }
        assertEquals(0, relay.stats().get(RelayStats.Counter.REFUSED_PROOFS));
    }

    @Test
    void shouldCountAPipeEndThatSendsBeforeItIsPairedAsAProtocolError() throws Exception
    {
        bind(new RelayContext()).start();
        final RelayConnect connect = new RelayConnect(consumerConfig(randomId()).pipe(true));
        final dev.hayate.blocking.Clt<RelayMessage> end = keep(connect.run(protocols ->
            dev.hayate.blocking.Clt.connect(relay.localAddress(), protocols, RelayEndToEndTest.engine())));
        final ByteBuffer lie = ByteBuffer.allocate(6).putInt(0xFFFF_FFFF).putShort((short)0x5BE0).flip();
        while (lie.hasRemaining())
        {
            end.connection().transport().write(lie);
        }
        waitFor(() -> relay.stats().get(RelayStats.Counter.PROTOCOL_ERRORS) == 1, "the protocol error to be counted");
        waitFor(() -> relay.stats().get(RelayStats.Counter.SESSIONS) == 0, "its session to be freed");
    }

    @Test
    void shouldTellWhenTheRelayThreadDiedAndRefuseNewClients() throws Exception
    {
        final RuntimeException boom = new IllegalStateException("boom");
        final dev.hayate.core.WaitStrategy failing = (readiness, forWrite, clock, deadline, maxWait) ->
        {
            throw boom;
        };
        bind(new RelayContext().waitStrategy(failing));
        final InetSocketAddress at = (InetSocketAddress)relay.localAddress();
        relay.start();
        waitFor(() -> !relay.isRunning(), "the relay thread to die");
        assertTrue(relay.failure() == boom);
        assertThrows(IOException.class, () ->
        {
            try (Socket refused = new Socket())
            {
                refused.connect(at, 5_000);
            }
        });
    }
}
