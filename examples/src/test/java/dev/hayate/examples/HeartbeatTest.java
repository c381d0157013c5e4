package dev.hayate.examples;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.hayate.codec.orderentry.OrderEntryMessage.ExecutionReport;
import dev.hayate.codec.orderentry.OrderEntryMessage.Heartbeat;
import dev.hayate.codec.orderentry.OrderEntryMessage.LoginAccepted;
import dev.hayate.codec.orderentry.OrderEntryMessage.OrderAccepted;
import dev.hayate.core.ReconnectPolicy;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static dev.hayate.examples.GatewayFixture.ALICE;
import static dev.hayate.examples.GatewayFixture.PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Heartbeats and liveness of the example's session layer under injected clocks: time moves only when the test
 * says so, so "three intervals of silence" is exact and the test takes milliseconds. The sockets are real
 * (loopback); only the clocks are fake.
 *
 * <p>Why not {@code InMemoryTransportProvider.virtualTime}: there, every wait that would time out advances the
 * shared clock by its whole timeout at once, and the login runs on a handshake thread while the other side is on
 * another thread, so the login timeout would pass before the gateway could answer. A clock moved by the test
 * gives the same determinism with the login unaffected.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HeartbeatTest
{
    private static final long INTERVAL_MS = 1_000;

    private final ExecutorService threads = Executors.newCachedThreadPool(task ->
    {
        final Thread thread = new Thread(task, "heartbeat-test");
        thread.setDaemon(true);
        return thread;
    });
    private GatewayFixture fixture;

    @AfterEach
    void tearDown()
    {
        if (fixture != null)
        {
            fixture.close();
        }
        threads.shutdownNow();
    }

    /**
     * Logs in a bare client while the test drives the gateway (accept, handshake hand-over, join).
     */
    private RecordClient logInDriving(final Gateway gateway) throws Exception
    {
        final Future<RecordClient> login = threads.submit(() ->
        {
            final RecordClient client = new RecordClient(fixture.address());
            client.send(RecordClient.login(ALICE, PASSWORD, 0));
            client.expect(LoginAccepted.class);
            return client;
        });
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!login.isDone() || !gateway.sessionStats(ALICE).connected())
        {
            gateway.doWork(TimeUnit.MILLISECONDS.toNanos(1));
            assertTrue(System.nanoTime() - deadline < 0, "login did not complete");
        }
        return login.get();
    }

    private static void drive(final Gateway gateway, final int cycles)
    {
        for (int i = 0; i < cycles; i++)
        {
            gateway.doWork(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    @Test
    void shouldHeartbeatAnIdleTraderAndDisconnectItAfterThreeSilentIntervals() throws Exception
    {
        final CachedNanoClock clock = new CachedNanoClock();
        fixture = GatewayFixture.create(config -> config.clock(clock).heartbeatIntervalMs(INTERVAL_MS), false);
        final Gateway gateway = fixture.gateway;
        try (RecordClient client = logInDriving(gateway))
        {
            clock.advance(TimeUnit.MILLISECONDS.toNanos(INTERVAL_MS - 1));
            drive(gateway, 3);
            assertNull(client.recv(50), "no heartbeat before a whole interval of silence");

            clock.advance(TimeUnit.MILLISECONDS.toNanos(1));
            drive(gateway, 3);
            assertInstanceOf(Heartbeat.class, client.recv(), "a heartbeat after one interval");

            clock.advance(TimeUnit.MILLISECONDS.toNanos(2 * INTERVAL_MS - 1));
            drive(gateway, 3);
            assertInstanceOf(Heartbeat.class, client.recv());
            assertTrue(gateway.sessionStats(ALICE).connected(), "alive 1 ms before three intervals of silence");

            clock.advance(TimeUnit.MILLISECONDS.toNanos(1));
            drive(gateway, 3);
            final String event = fixture.awaitEvent(line -> line.startsWith("disconnected alice"), 5_000);
            assertTrue(event.contains("HEARTBEAT_TIMEOUT") && event.contains("3000 ms"), event);
            assertTrue(client.awaitClosedByGateway(), "the trader's connection is closed");
            assertFalse(gateway.sessionStats(ALICE).connected());
            assertTrue(gateway.sessionStats(ALICE).open(), "the session stays open for a resume");
        }
    }

    @Test
    void shouldCountAnyMessageFromTheTraderAsSignOfLife() throws Exception
    {
        final CachedNanoClock clock = new CachedNanoClock();
        fixture = GatewayFixture.create(config -> config.clock(clock).heartbeatIntervalMs(INTERVAL_MS), false);
        final Gateway gateway = fixture.gateway;
        try (RecordClient client = logInDriving(gateway))
        {
            clock.advance(TimeUnit.MILLISECONDS.toNanos(2_500));
            client.send(new Heartbeat());
            client.send(RecordClient.order(1, 1, 10));
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            final List<Class<?>> answers = new java.util.ArrayList<>();
            while (answers.size() < 2 && System.nanoTime() - deadline < 0)
            {
                drive(gateway, 1);
                final Object message = client.recv(1);
                if (message != null && !(message instanceof Heartbeat))
                {
                    answers.add(message.getClass());
                }
            }
            assertEquals(List.of(OrderAccepted.class, ExecutionReport.class), answers, "the order went through");

            clock.advance(TimeUnit.MILLISECONDS.toNanos(3 * INTERVAL_MS - 1));
            drive(gateway, 3);
            assertTrue(gateway.sessionStats(ALICE).connected(), "silence is counted from the last message");
            clock.advance(TimeUnit.MILLISECONDS.toNanos(1));
            drive(gateway, 3);
            assertTrue(fixture.awaitEvent(line -> line.startsWith("disconnected alice"), 5_000)
                .contains("HEARTBEAT_TIMEOUT"));
        }
    }

    @Test
    void shouldLetTheTraderDetectASilentGatewayAndTryToReconnect() throws Exception
    {
        // The gateway's clock never moves: it never heartbeats and never times anyone out.
        fixture = GatewayFixture.create(config -> config.clock(new CachedNanoClock()).heartbeatIntervalMs(INTERVAL_MS),
            true);
        final CachedNanoClock clock = new CachedNanoClock();
        final ConcurrentLinkedQueue<String> events = new ConcurrentLinkedQueue<>();
        try (TraderSession session = TraderSession.connect(fixture.trader(ALICE)
            .clock(clock)
            .heartbeatIntervalMs(INTERVAL_MS)
            .reconnectPolicy(ReconnectPolicy.backoff(30, 30, TimeUnit.SECONDS).maxAttempts(1))
            .events(events::add)))
        {
            clock.advance(TimeUnit.MILLISECONDS.toNanos(3 * INTERVAL_MS - 1));
            session.poll(message -> { });
            assertTrue(session.isConnected(), "alive 1 ms before three intervals of silence");

            clock.advance(TimeUnit.MILLISECONDS.toNanos(1));
            session.poll(message -> { });
            assertFalse(session.isConnected());
            assertFalse(session.isFinished(), "reconnecting, not finished");
            final String lost = events.stream().filter(line -> line.startsWith("connection lost")).findFirst()
                .orElseThrow(() -> new AssertionError("no connection lost event: " + events));
            assertTrue(lost.contains("HEARTBEAT_TIMEOUT") && lost.contains("3000 ms"), lost);
        }
    }
}
