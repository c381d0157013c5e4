package dev.hayate.examples;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.hayate.codec.SbeMessage;
import dev.hayate.codec.orderentry.OrderEntryMessage.Login;
import dev.hayate.codec.orderentry.OrderEntryMessage.LoginRejected;
import dev.hayate.codec.orderentry.sbe.LoginRejectReason;
import dev.hayate.core.frame.Sofh;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static dev.hayate.examples.GatewayFixture.ALICE;
import static dev.hayate.examples.GatewayFixture.BOB;
import static dev.hayate.examples.GatewayFixture.CAROL;
import static dev.hayate.examples.GatewayFixture.PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each kind of hostile client, while a legitimate trader ({@link BackgroundTrader}, user bob) keeps trading on the
 * same gateway thread: the hostile connection is closed with its reason printed, the trader is not disturbed (no
 * reconnect, every order answered once and in order, and it fills orders after the attack too), and the gateway
 * holds no more memory afterwards than before (its bounded buffer pool is back to the trader's two buffers).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class HostileClientsTest
{
    private static final long LOGIN_TIMEOUT_MS = 500;

    private GatewayFixture fixture;

    @AfterEach
    void tearDown()
    {
        if (fixture != null)
        {
            fixture.close();
        }
    }

    @FunctionalInterface
    private interface Attack
    {
        void run() throws Exception;
    }

    private void underAttack(final Consumer<Gateway.Config> tuning, final Attack attack) throws Exception
    {
        fixture = GatewayFixture.create(config -> tuning.accept(config.loginTimeoutMs(LOGIN_TIMEOUT_MS)
            .heartbeatIntervalMs(200)), true);
        try (BackgroundTrader legit = BackgroundTrader.start(fixture.trader(BOB)))
        {
            legit.awaitFilled(20);
            assertEquals(2, fixture.gateway.bufferPool().leased(), "the trader's receive and send buffers");
            attack.run();
            final long afterAttack = legit.filled();
            legit.awaitFilled(afterAttack + 20);
            GatewayFixture.awaitTrue(() -> fixture.gateway.connectionCount() == 1, 10_000,
                "only the legitimate trader's connection to remain");
            assertEquals(2, fixture.gateway.bufferPool().leased(), "memory back to the trader's two buffers");
            assertTrue(legit.finish() > afterAttack);
        }
    }

    private String awaitDropped(final RawClient client)
    {
        final String port = ":" + client.localPort() + " ";
        return fixture.awaitEvent(line -> line.startsWith("dropped") && line.contains(port), 5_000);
    }

    private static byte[] frame(final SbeMessage message)
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(RawClient.sofh(Sofh.HEADER_LENGTH + message.length(), Sofh.SBE_1_0_LITTLE_ENDIAN));
        final byte[] body = new byte[message.length()];
        message.buffer().getBytes(message.offset(), body);
        bytes.writeBytes(body);
        return bytes.toByteArray();
    }

    @Test
    void shouldCloseAClientSendingGarbage() throws Exception
    {
        final long seed = System.nanoTime();
        underAttack(config -> { }, () ->
        {
            final byte[] garbage = new byte[4096];
            new Random(seed).nextBytes(garbage);
            try (RawClient hostile = new RawClient(fixture.address()))
            {
                hostile.write(garbage);
                assertTrue(hostile.awaitClosed(5_000), "closed at once, seed " + seed);
                final String event = awaitDropped(hostile);
                assertTrue(event.contains("PROTOCOL_ERROR"), () -> event + ", seed " + seed);
            }
        });
    }

    @Test
    void shouldCloseAClientSendingAnUndecodableBodyInAValidFrame() throws Exception
    {
        underAttack(config -> { }, () ->
        {
            // A well-formed SOFH frame whose SBE header names another schema (9999) and template 10.
            final byte[] body = {2, 0, 10, 0, 0x0F, 0x27, 1, 0, 0, 0};
            try (RawClient hostile = new RawClient(fixture.address()))
            {
                hostile.write(RawClient.sofh(Sofh.HEADER_LENGTH + body.length, Sofh.SBE_1_0_LITTLE_ENDIAN));
                hostile.write(body);
                assertTrue(hostile.awaitClosed(5_000));
                final String event = awaitDropped(hostile);
                assertTrue(event.contains("PROTOCOL_ERROR") && event.contains("undecodable") &&
                    event.contains("schema id 9999"), event);
            }
        });
    }

    @Test
    void shouldCloseAClientAnnouncingAFrameLongerThanTheMaximumWithoutBufferingIt() throws Exception
    {
        underAttack(config -> { }, () ->
        {
            try (RawClient hostile = new RawClient(fixture.address()))
            {
                hostile.write(RawClient.sofh(1L << 30, Sofh.SBE_1_0_LITTLE_ENDIAN));
                hostile.write(new byte[1000]);
                assertTrue(hostile.awaitClosed(5_000));
                final String event = awaitDropped(hostile);
                assertTrue(event.contains("PROTOCOL_ERROR") && event.contains("1073741824"), event);
            }
        });
    }

    @Test
    void shouldDropAClientThatSendsHalfAFrameAndStallsAtTheLoginTimeout() throws Exception
    {
        underAttack(config -> { }, () ->
        {
            try (RawClient hostile = new RawClient(fixture.address()))
            {
                final long start = System.nanoTime();
                hostile.write(RawClient.sofh(60, Sofh.SBE_1_0_LITTLE_ENDIAN));
                hostile.write(new byte[20]);
                assertTrue(hostile.awaitClosed(10_000));
                assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(LOGIN_TIMEOUT_MS / 2),
                    "not before the login timeout");
                final String event = awaitDropped(hostile);
                assertTrue(event.contains("no Login within the login timeout of 500 ms (an unfinished frame was " +
                    "pending)"), event);
            }
        });
    }

    @Test
    void shouldDisconnectALoggedInClientThatSendsHalfAFrameAndStalls() throws Exception
    {
        underAttack(config -> { }, () ->
        {
            try (RawClient hostile = new RawClient(fixture.address()))
            {
                // Logs in properly (asking for 100 ms heartbeats), then half a frame, then nothing at all.
                hostile.write(frame(OrderEntry.login(0, 100, CAROL, PASSWORD)));
                fixture.awaitEvent(line -> line.startsWith("login accepted: carol"), 5_000);
                hostile.write(RawClient.sofh(60, Sofh.SBE_1_0_LITTLE_ENDIAN));
                hostile.write(new byte[20]);
                assertTrue(hostile.awaitClosed(10_000));
                final String event = fixture.awaitEvent(line -> line.startsWith("disconnected carol"), 5_000);
                assertTrue(event.contains("HEARTBEAT_TIMEOUT"), event);
            }
        });
    }

    @Test
    void shouldDropAClientThatNeverLogsInAtTheLoginTimeout() throws Exception
    {
        underAttack(config -> { }, () ->
        {
            try (RawClient hostile = new RawClient(fixture.address()))
            {
                assertTrue(hostile.awaitClosed(10_000));
                final String event = awaitDropped(hostile);
                assertTrue(event.endsWith("no Login within the login timeout of 500 ms"), event);
            }
        });
    }

    @Test
    void shouldRefuseAFloodOfConnectionsBeyondTheGate() throws Exception
    {
        final int gate = 6;
        final int flood = 20;
        underAttack(config -> config.maxConnections(gate).loginTimeoutMs(2_000), () ->
        {
            final List<RawClient> hostile = new ArrayList<>();
            try
            {
                for (int i = 0; i < flood; i++)
                {
                    hostile.add(new RawClient(fixture.address()));
                }
                for (final RawClient client : hostile)
                {
                    assertTrue(client.awaitClosed(10_000), "every flooding connection is closed in the end");
                }
                assertEquals(flood - (gate - 1), fixture.gateway.refusedConnections(),
                    "beyond the gate: the legitimate trader holds one place, five were let in to log in");
                fixture.awaitEvent(line -> line.startsWith("refused") && line.contains("beyond the gate of 6"), 5_000);
                assertEquals(gate - 1, fixture.events.stream().filter(line -> line.startsWith("dropped") &&
                    line.endsWith("no Login within the login timeout of 2000 ms")).count());
            }
            finally
            {
                for (final RawClient client : hostile)
                {
                    client.close();
                }
            }
            // The gate is open again once the flood is gone.
            try (TestTrader late = new TestTrader(fixture.trader(ALICE)))
            {
                late.limit(1, 10, dev.hayate.codec.orderentry.sbe.TimeInForce.DAY);
                late.await(2);
            }
        });
    }

    @Test
    void shouldRejectWrongCredentialsWithLoginRejected() throws Exception
    {
        underAttack(config -> { }, () ->
        {
            for (int i = 0; i < 5; i++)
            {
                try (RecordClient guesser = new RecordClient(fixture.address()))
                {
                    guesser.send(new Login(0, 1_000, ALICE, "guess-" + i));
                    final LoginRejected rejected = guesser.expect(LoginRejected.class);
                    assertEquals(LoginRejectReason.BAD_CREDENTIALS, rejected.reason());
                    assertTrue(guesser.awaitClosedByGateway());
                }
            }
            assertEquals(5, fixture.events.stream().filter(line -> line.startsWith("login rejected: 'alice'")).count());
        });
    }
}
