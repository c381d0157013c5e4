package dev.hayate.examples;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.hayate.codec.orderentry.OrderEntryMessage;
import dev.hayate.codec.orderentry.OrderEntryMessage.Cancel;
import dev.hayate.codec.orderentry.OrderEntryMessage.Heartbeat;
import dev.hayate.codec.orderentry.OrderEntryMessage.Login;
import dev.hayate.codec.orderentry.OrderEntryMessage.LoginAccepted;
import dev.hayate.codec.orderentry.OrderEntryMessage.LoginRejected;
import dev.hayate.codec.orderentry.OrderEntryMessage.Logout;
import dev.hayate.codec.orderentry.OrderEntryMessage.NewOrder;
import dev.hayate.codec.orderentry.OrderEntryMessage.OrderAccepted;
import dev.hayate.codec.orderentry.OrderEntryMessage.Reject;
import dev.hayate.codec.orderentry.OrderEntryMessage.Sequenced;
import dev.hayate.codec.orderentry.sbe.OrdType;
import dev.hayate.codec.orderentry.sbe.RejectReason;
import dev.hayate.codec.orderentry.sbe.Side;
import dev.hayate.codec.orderentry.sbe.TimeInForce;
import dev.hayate.core.CloseReason;
import dev.hayate.core.Status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Jazzer target for the order-entry gateway's session layer: the input is a script of up to three connections, each
 * a sequence of client messages — logins as a real user, with a wrong password or as nobody, with any
 * {@code lastSeqNoSeen}; orders and cancels with the expected seqNo, a duplicate, a gap or any number; heartbeats,
 * logouts, and a message only a gateway may send — against a fresh gateway on loopback.
 *
 * <p>Invariants: whatever arrives decodes; only a connection whose first message (heartbeats aside) was a
 * {@code Login} gets an answer, and its first answer is {@code LoginAccepted} or {@code LoginRejected}; nothing follows
 * a rejection; after an accepted login the gateway's seqNos run without a gap or repeat from
 * {@code lastSeqNoSeen + 1}; no message makes the gateway's dispatch throw (it would close the connection with "could
 * not be processed") or reach its error handler; every journal stays within its bound; and afterwards an untouched
 * user still logs in and gets an order accepted. Every wait is bounded.
 *
 * <p>Plain {@code mvn test} replays the committed corpus in {@code GatewaySessionFuzzTestInputs}; {@code .ci/fuzz}
 * fuzzes it for a bounded time (a few hundred scripts: each starts a gateway and opens real connections).
 *
 * <p>Thread-safety: a test; one thread, beside the gateway's own.
 */
class GatewaySessionFuzzTest
{
    private static final String[] USERS = {GatewayFixture.ALICE, GatewayFixture.BOB, "mallory"};
    private static final String UNTOUCHED = GatewayFixture.CAROL;
    private static final int JOURNAL_MESSAGES = 8;
    private static final String[] SYMBOLS = {"HAYATE", "ACME", "NOPE"};
    private static final long WAIT_MS = 10_000;
    /** 2^64 - 2 as a uint64 seqNo: above anything the gateway can expect. */
    private static final long GAP_MARKER = -2L;

    /** What the script believes about one user's session. */
    private static final class Model
    {
        long lastSeen;
        long nextInbound = 1;
    }

    @FuzzTest(maxDuration = "5m")
    void shouldKeepSessionInvariantsForAnyClientScript(final FuzzedDataProvider data) throws IOException
    {
        final ConcurrentLinkedQueue<String> events = new ConcurrentLinkedQueue<>();
        try (GatewayFixture fixture = GatewayFixture.create(config -> config
            .journalMessages(JOURNAL_MESSAGES)
            .maxLiveOrders(4)
            .events(events::add), true))
        {
            final Map<String, Model> models = new HashMap<>();
            for (int connection = data.consumeInt(1, 3); connection > 0; connection--)
            {
                runConnection(fixture, data, models);
                for (final String user : USERS)
                {
                    final Gateway.SessionStats stats = fixture.gateway.sessionStats(user);
                    assertTrue(stats == null || stats.journalMessages() <= JOURNAL_MESSAGES,
                        () -> "journal of " + user + " beyond its bound: " + stats);
                }
            }
            assertStillServes(fixture);
            for (final String line : events)
            {
                assertTrue(!line.startsWith("error") && !line.contains("could not be processed"),
                    () -> "gateway event: " + line + "; all events: " + List.copyOf(events));
            }
        }
    }

    private static void runConnection(final GatewayFixture fixture, final FuzzedDataProvider data,
        final Map<String, Model> models) throws IOException
    {
        try (RecordClient client = new RecordClient(fixture.address()))
        {
            final List<OrderEntryMessage> sent = new ArrayList<>();
            Model model = null;
            long loginLastSeen = -1;
            boolean open = true;
            for (int action = data.consumeInt(0, 8); action > 0 && open; action--)
            {
                final OrderEntryMessage message;
                switch (data.consumeInt(0, 6))
                {
                    case 0:
                    {
                        final String user = data.pickValue(USERS);
                        final Model known = models.computeIfAbsent(user, u -> new Model());
                        final long lastSeen = pick(data, known.lastSeen);
                        message = new Login(lastSeen, 1_000, user,
                            data.consumeBoolean() ? GatewayFixture.PASSWORD : "wrong");
                        if (deciding(sent) < 0)
                        {
                            model = known;
                            loginLastSeen = lastSeen;
                        }
                        break;
                    }
                    case 1:
                        message = new NewOrder(pick(data, null == model ? 1 : model.nextInbound), data.consumeLong(),
                            data.pickValue(SYMBOLS), data.pickValue(Side.values()), data.pickValue(OrdType.values()),
                            data.consumeLong(), data.consumeLong(), data.pickValue(TimeInForce.values()), 0);
                        break;
                    case 2:
                        message = new Cancel(pick(data, null == model ? 1 : model.nextInbound), data.consumeLong(),
                            data.consumeLong(), data.pickValue(SYMBOLS), data.pickValue(Side.values()));
                        break;
                    case 3:
                        message = new Heartbeat();
                        break;
                    case 4:
                        message = new Logout("bye");
                        break;
                    case 5:
                        message = new LoginAccepted(1, 1, 1_000);
                        break;
                    default:
                        message = new Reject(1, 1, RejectReason.OTHER, "a client may not send this");
                        break;
                }
                open = client.clt.send(message, 1, TimeUnit.SECONDS) == Status.OK;
                if (open)
                {
                    sent.add(message);
                    if (null != model && message instanceof Sequenced s && s.seqNo() == model.nextInbound &&
                        deciding(sent) < sent.size() - 1)
                    {
                        model.nextInbound++;
                    }
                }
            }
            // A seqNo beyond any the gateway expects is a gap: answered with a Reject, then the connection closes. It
            // goes last, so once the close arrives every earlier answer has.
            if (open && !sent.isEmpty())
            {
                client.clt.send(new Cancel(GAP_MARKER, -7, -7, "HAYATE", Side.BUY), 1, TimeUnit.SECONDS);
            }
            final List<OrderEntryMessage> received = sent.isEmpty() ? List.of() : receiveUntilClosed(client);
            check(sent, received, model, loginLastSeen);
        }
    }

    private static List<OrderEntryMessage> receiveUntilClosed(final RecordClient client)
    {
        final List<OrderEntryMessage> received = new ArrayList<>();
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
        while (System.nanoTime() - deadline < 0)
        {
            final OrderEntryMessage message = client.recv(50);
            if (null != message)
            {
                received.add(message);
            }
            else if (client.clt.isClosed())
            {
                assertTrue(client.clt.closeReason() != CloseReason.PROTOCOL_ERROR,
                    () -> "the gateway sent something the client could not read: " + client.clt.closeDetail());
                return received;
            }
        }
        return fail("the gateway did not close the connection within " + WAIT_MS + " ms of a sequence gap; received " +
            received);
    }

    private static void check(final List<OrderEntryMessage> sent, final List<OrderEntryMessage> received,
        final Model model, final long loginLastSeen)
    {
        if (received.isEmpty())
        {
            return;
        }
        final OrderEntryMessage first = received.get(0);
        final int login = deciding(sent);
        assertTrue(login >= 0 && sent.get(login) instanceof Login,
            () -> "the gateway answered a connection that did not log in first: sent " + sent + ", received " +
                received);
        assertTrue(first instanceof LoginAccepted || first instanceof LoginRejected,
            () -> "the first answer must decide the login: " + received);
        if (first instanceof LoginRejected)
        {
            assertEquals(1, received.size(), () -> "messages after a rejected login: " + received);
            return;
        }
        assertNotNull(model, "a login was accepted");
        final LoginAccepted accepted = (LoginAccepted)first;
        assertTrue(accepted.nextSeqNo() >= 1, () -> "nextSeqNo " + accepted.nextSeqNo());
        long expected = loginLastSeen + 1;
        for (final OrderEntryMessage message : received.subList(1, received.size()))
        {
            if (message instanceof Sequenced s)
            {
                final long seqNo = s.seqNo();
                final long want = expected;
                assertEquals(want, seqNo, () -> "gateway seqNo out of order after login(lastSeqNoSeen=" +
                    loginLastSeen + "): " + received);
                expected++;
            }
            else
            {
                assertTrue(message instanceof Heartbeat || message instanceof Logout,
                    () -> "unexpected " + message + " in " + received);
            }
        }
        model.lastSeen = Math.max(model.lastSeen, expected - 1);
        // The gateway's next inbound number is what it said at login plus what it took since; resync on it.
        model.nextInbound = accepted.nextSeqNo();
        for (final OrderEntryMessage message : sent.subList(login + 1, sent.size()))
        {
            if (message instanceof Sequenced s && s.seqNo() == model.nextInbound)
            {
                model.nextInbound++;
            }
        }
    }

    // The message that decides the login: the first one the gateway's session layer does not consume (a heartbeat
    // before the login is taken like any other heartbeat), or -1.
    private static int deciding(final List<OrderEntryMessage> sent)
    {
        for (int i = 0; i < sent.size(); i++)
        {
            if (!(sent.get(i) instanceof Heartbeat))
            {
                return i;
            }
        }
        return -1;
    }

    // The value the protocol expects, one either side of it, or anything at all.
    private static long pick(final FuzzedDataProvider data, final long expected)
    {
        switch (data.consumeInt(0, 4))
        {
            case 0:
                return expected - 1;
            case 1:
                return expected + 1;
            case 2:
                return data.consumeLong();
            case 3:
                return 0;
            default:
                return expected;
        }
    }

    private static void assertStillServes(final GatewayFixture fixture) throws IOException
    {
        try (RecordClient client = new RecordClient(fixture.address()))
        {
            client.send(RecordClient.login(UNTOUCHED, GatewayFixture.PASSWORD, 0));
            assertEquals(LoginAccepted.class, received(client).getClass(), "an untouched user can still log in");
            client.send(RecordClient.order(1, 1, 10));
            assertEquals(OrderAccepted.class, received(client).getClass(), "and trade");
        }
    }

    private static OrderEntryMessage received(final RecordClient client)
    {
        final OrderEntryMessage message = client.recv(WAIT_MS);
        assertNotNull(message, () -> "no answer within " + WAIT_MS + " ms: " + client.clt.closeDetail());
        return message;
    }
}
