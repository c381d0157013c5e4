package dev.hayate.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import dev.hayate.codec.orderentry.OrderEntryMessage;
import dev.hayate.codec.orderentry.OrderEntryMessage.ExecutionReport;
import dev.hayate.codec.orderentry.OrderEntryMessage.LoginAccepted;
import dev.hayate.codec.orderentry.OrderEntryMessage.LoginRejected;
import dev.hayate.codec.orderentry.OrderEntryMessage.OrderAccepted;
import dev.hayate.codec.orderentry.OrderEntryMessage.Reject;
import dev.hayate.codec.orderentry.OrderEntryMessage.Sequenced;
import dev.hayate.codec.orderentry.sbe.ExecType;
import dev.hayate.codec.orderentry.sbe.LoginRejectReason;
import dev.hayate.codec.orderentry.sbe.RejectReason;
import dev.hayate.codec.orderentry.sbe.TimeInForce;
import dev.hayate.core.transport.InMemoryTransportProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static dev.hayate.examples.GatewayFixture.ALICE;
import static dev.hayate.examples.GatewayFixture.BOB;
import static dev.hayate.examples.GatewayFixture.CAROL;
import static dev.hayate.examples.GatewayFixture.PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Session recovery: replay of the gateway's missed range, resending of the trader's unprocessed orders, duplicate
 * and gap rules, and the journal's bounds.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RecoveryTest
{
    private GatewayFixture fixture;

    @AfterEach
    void tearDown()
    {
        if (fixture != null)
        {
            fixture.close();
        }
    }

    private void start(final Consumer<Gateway.Config> tuning) throws Exception
    {
        fixture = GatewayFixture.create(tuning, true);
    }

    private static long seqNo(final OrderEntryMessage message)
    {
        return ((Sequenced)message).seqNo();
    }

    @Test
    void shouldReplayTheMissedRangeWithTheSameSeqNosAndBytes() throws Exception
    {
        start(config -> { });
        final List<OrderEntryMessage> original;
        try (RecordClient client = new RecordClient(fixture.address()))
        {
            client.send(RecordClient.login(ALICE, PASSWORD, 0));
            client.expect(LoginAccepted.class);
            for (int i = 1; i <= 5; i++)
            {
                client.send(RecordClient.order(i, 100 + i, i == 3 ? 150 : 10));
            }
            original = client.take(11);
        }
        for (int i = 0; i < original.size(); i++)
        {
            assertEquals(i + 1, seqNo(original.get(i)));
        }
        fixture.awaitEvent(line -> line.startsWith("disconnected alice"), 5_000);

        try (RecordClient client = new RecordClient(fixture.address()))
        {
            client.send(RecordClient.login(ALICE, PASSWORD, 6));
            assertEquals(6, client.expect(LoginAccepted.class).nextSeqNo(), "the five orders were processed");
            assertEquals(original.subList(6, 11), client.take(5), "seqNo 7..11 again, every field the same");
            assertNull(client.recv(200), "nothing else");
        }
        fixture.awaitEvent(line -> line.equals("replayed 5 message(s) to alice, session 1: seqNo 7..11"), 5_000);
        // the gateway refuses a login while the session still has a connection: wait until it has seen this one go
        fixture.awaitEvent(line -> line.startsWith("disconnected alice"), 2, 5_000);

        try (RecordClient client = new RecordClient(fixture.address()))
        {
            client.send(RecordClient.login(ALICE, PASSWORD, 0));
            client.expect(LoginAccepted.class);
            assertEquals(original, client.take(11), "lastSeqNoSeen 0 on an open session replays it all");
        }
    }

    @Test
    void shouldReplayWhatTheTraderMissedWhenItsConnectionDropsWithAnswersInFlight() throws Exception
    {
        start(config -> { });
        try (TestTrader trader = new TestTrader(fixture.trader(ALICE)))
        {
            for (int i = 1; i <= 10; i++)
            {
                trader.limit(i, 10, TimeInForce.DAY);
            }
            trader.await(20);
            for (int i = 11; i <= 15; i++)
            {
                trader.limit(i, 10, TimeInForce.DAY);
            }
            GatewayFixture.awaitTrue(() -> fixture.gateway.sessionStats(ALICE).nextOutboundSeqNo() == 31, 5_000,
                "the gateway to answer all 15 orders");
            trader.session.dropConnection();

            final List<OrderEntryMessage> all = trader.await(30);
            for (int i = 0; i < 30; i++)
            {
                assertEquals(i + 1, seqNo(all.get(i)), "every message once, in order");
            }
            assertEquals(1, trader.session.reconnects());
            assertEquals(0, trader.session.resent(), "the gateway had every order");
            assertEquals(0, trader.session.duplicatesDropped());
            trader.expectNothingMore(100, 30);
        }
        fixture.awaitEvent(line -> line.startsWith("replayed 10 message(s) to alice") && line.endsWith("seqNo 21..30"),
            5_000);
    }

    @Test
    void shouldResendTheOrdersTheGatewayNeverReadAfterItDropsTheConnection() throws Exception
    {
        fixture = GatewayFixture.create(config -> { }, false);
        final AtomicBoolean paused = new AtomicBoolean();
        final AtomicBoolean parked = new AtomicBoolean();
        final AtomicBoolean stop = new AtomicBoolean();
        final Thread driver = new Thread(() ->
        {
            while (!stop.get())
            {
                if (paused.get())
                {
                    parked.set(true);
                    Thread.onSpinWait();
                    continue;
                }
                parked.set(false);
                fixture.gateway.doWork(TimeUnit.MILLISECONDS.toNanos(1));
            }
        }, "gateway-driver");
        driver.setDaemon(true);
        driver.start();
        try (TestTrader trader = new TestTrader(fixture.trader(ALICE)))
        {
            for (int i = 1; i <= 3; i++)
            {
                trader.limit(i, 10, TimeInForce.DAY);
            }
            trader.await(6);

            paused.set(true);
            GatewayFixture.awaitTrue(parked::get, 5_000, "the gateway thread to pause");
            for (int i = 4; i <= 7; i++)
            {
                trader.limit(i, 10, TimeInForce.DAY);
            }
            assertTrue(fixture.gateway.kick(ALICE, "test"), "orders 4..7 die unread with the connection");
            paused.set(false);

            final List<OrderEntryMessage> all = trader.await(14);
            final List<Long> accepted = new ArrayList<>();
            for (int i = 0; i < 14; i++)
            {
                assertEquals(i + 1, seqNo(all.get(i)));
                if (all.get(i) instanceof OrderAccepted order)
                {
                    accepted.add(order.clOrdId());
                }
            }
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L), accepted, "each order once, in order");
            assertEquals(4, trader.session.resent(), "resent from LoginAccepted.nextSeqNo = 4");
            assertEquals(0, fixture.gateway.sessionStats(ALICE).duplicatesIgnored());
            trader.expectNothingMore(100, 14);
        }
        finally
        {
            stop.set(true);
            driver.join(5_000);
        }
    }

    @Test
    void shouldIgnoreADuplicateOrderResentAfterAReconnect() throws Exception
    {
        start(config -> { });
        try (RecordClient client = new RecordClient(fixture.address()))
        {
            client.send(RecordClient.login(BOB, PASSWORD, 0));
            client.expect(LoginAccepted.class);
            client.send(RecordClient.order(1, 1, 10));
            client.send(RecordClient.order(2, 2, 10));
            client.take(4);
        }
        fixture.awaitEvent(line -> line.startsWith("disconnected bob"), 5_000);
        try (RecordClient client = new RecordClient(fixture.address()))
        {
            client.send(RecordClient.login(BOB, PASSWORD, 4));
            assertEquals(3, client.expect(LoginAccepted.class).nextSeqNo());
            client.send(RecordClient.order(2, 2, 10));
            client.send(RecordClient.order(3, 3, 10));
            final List<OrderEntryMessage> answers = client.take(2);
            assertEquals(3, ((OrderAccepted)answers.get(0)).clOrdId(), "only the new order is answered");
            assertEquals(5, seqNo(answers.get(0)));
            assertEquals(ExecType.FILL, ((ExecutionReport)answers.get(1)).execType());
            assertNull(client.recv(200));
        }
        assertEquals(1, fixture.gateway.sessionStats(BOB).duplicatesIgnored());
    }

    @Test
    void shouldRejectASequenceGapCloseAndLetTheTraderResumeFromTheExpectedSeqNo() throws Exception
    {
        start(config -> { });
        try (RecordClient client = new RecordClient(fixture.address()))
        {
            client.send(RecordClient.login(BOB, PASSWORD, 0));
            client.expect(LoginAccepted.class);
            client.send(RecordClient.order(1, 1, 10));
            client.take(2);
            client.send(RecordClient.order(5, 2, 10));
            final Reject reject = client.expect(Reject.class);
            assertEquals(RejectReason.SEQUENCE_GAP, reject.reason());
            assertEquals(5, reject.refSeqNo());
            assertEquals(3, reject.seqNo());
            assertEquals("sequence gap: expected seqNo 2, got 5", reject.text());
            assertTrue(client.awaitClosedByGateway());
        }
        assertTrue(fixture.awaitEvent(line -> line.startsWith("disconnected bob"), 5_000)
            .contains("PROTOCOL_ERROR (sequence gap: expected seqNo 2, got 5)"));
        try (RecordClient client = new RecordClient(fixture.address()))
        {
            client.send(RecordClient.login(BOB, PASSWORD, 3));
            assertEquals(2, client.expect(LoginAccepted.class).nextSeqNo(), "the session stayed open");
        }
    }

    @Test
    void shouldRefuseAResumeOlderThanTheJournalKeeps() throws Exception
    {
        start(config -> config.journalMessages(8));
        try (RecordClient client = new RecordClient(fixture.address()))
        {
            client.send(RecordClient.login(CAROL, PASSWORD, 0));
            client.expect(LoginAccepted.class);
            for (int i = 1; i <= 10; i++)
            {
                client.send(RecordClient.order(i, i, 10));
            }
            client.take(20);
        }
        fixture.awaitEvent(line -> line.startsWith("disconnected carol"), 5_000);
        assertEquals(8, fixture.gateway.sessionStats(CAROL).journalMessages(), "bounded");
        try (RecordClient client = new RecordClient(fixture.address()))
        {
            client.send(RecordClient.login(CAROL, PASSWORD, 5));
            final LoginRejected rejected = client.expect(LoginRejected.class);
            assertEquals(LoginRejectReason.NOT_AVAILABLE, rejected.reason());
            assertTrue(rejected.text().contains("cannot replay session 1 from seqNo 6: the journal keeps only seqNo " +
                "13..20 (at most 8 messages"), rejected.text());
        }
        try (RecordClient client = new RecordClient(fixture.address()))
        {
            client.send(RecordClient.login(CAROL, PASSWORD, 12));
            client.expect(LoginAccepted.class);
            final List<OrderEntryMessage> replay = client.take(8);
            assertEquals(13, seqNo(replay.get(0)));
            assertEquals(20, seqNo(replay.get(7)));
        }
    }

    @Test
    void shouldKeepEachJournalWithinItsByteBound() throws Exception
    {
        start(config -> config.journalBytes(4_096).journalMessages(100_000));
        try (TraderSession session = TraderSession.connect(fixture.trader(ALICE)))
        {
            final Trader.Result result = new Trader(session, 500, 16, 30_000, false, null).run();
            assertTrue(result.allAnswered(), result::toString);
        }
        final Gateway.SessionStats stats = fixture.gateway.sessionStats(ALICE);
        assertTrue(stats.nextOutboundSeqNo() > 1_000, "over a thousand messages were sent");
        assertTrue(stats.journalBytes() <= 4_096, () -> stats.journalBytes() + " bytes kept");
        assertTrue(stats.journalMessages() > 10 && stats.journalMessages() < 100, () -> stats.journalMessages() + " kept");
    }

    @Test
    void shouldCatchUpABackPressuredTraderFromTheJournal() throws Exception
    {
        // The gateway's sends back up after a few messages; the journal (default size) holds the rest until the
        // trader reads again.
        final InMemoryTransportProvider memory = new InMemoryTransportProvider().pipeCapacity(512);
        start(config -> config.transportProvider(memory).bufferCapacity(1_024));
        try (RecordClient client = new RecordClient(fixture.address(), memory))
        {
            client.send(RecordClient.login(CAROL, PASSWORD, 0));
            client.expect(LoginAccepted.class);
            for (int i = 1; i <= 60; i++)
            {
                client.send(RecordClient.order(i, i, 10));
            }
            final List<OrderEntryMessage> answers = client.take(120);
            for (int i = 0; i < 120; i++)
            {
                assertEquals(i + 1, seqNo(answers.get(i)), "all of them, in order, once the trader reads");
            }
            assertNull(client.recv(100));
        }
        assertTrue(fixture.gateway.sessionStats(CAROL).open());
    }

    @Test
    void shouldLogOutATraderThatFallsFurtherBehindThanTheJournal() throws Exception
    {
        // Small pipes and buffers so the gateway's sends back up quickly; a journal of 16 messages.
        final InMemoryTransportProvider memory = new InMemoryTransportProvider().pipeCapacity(512);
        start(config -> config.transportProvider(memory).journalMessages(16).bufferCapacity(1_024));
        try (RecordClient client = new RecordClient(fixture.address(), memory))
        {
            client.send(RecordClient.login(CAROL, PASSWORD, 0));
            client.expect(LoginAccepted.class);
            // Never reads: sends until the gateway gives up on it (its sends then fail with CLOSED).
            for (int i = 1; i <= 200 && !client.clt.isClosed(); i++)
            {
                client.clt.send(RecordClient.order(i, i, 10), 5, TimeUnit.SECONDS);
            }
            assertTrue(fixture.awaitEvent(line -> line.startsWith("logged out carol"), 5_000).contains("fell behind"));
            assertTrue(client.awaitClosedByGateway());
        }
        final Gateway.SessionStats stats = fixture.gateway.sessionStats(CAROL);
        assertTrue(!stats.open() && stats.journalMessages() <= 16, stats::toString);
    }
}
