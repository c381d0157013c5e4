package dev.hayate.examples;

import java.util.concurrent.TimeUnit;

import dev.hayate.codec.orderentry.OrderEntryMessage;
import dev.hayate.codec.orderentry.OrderEntryMessage.LoginAccepted;
import dev.hayate.codec.orderentry.OrderEntryMessage.LoginRejected;
import dev.hayate.codec.orderentry.OrderEntryMessage.Logout;
import dev.hayate.codec.orderentry.sbe.LoginRejectReason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static dev.hayate.examples.GatewayFixture.ALICE;
import static dev.hayate.examples.GatewayFixture.BOB;
import static dev.hayate.examples.GatewayFixture.PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The login handshake and the session rules it enforces: credentials, one connection per session, what may be
 * resumed.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LoginTest
{
    private GatewayFixture fixture;

    @BeforeEach
    void startGateway() throws Exception
    {
        fixture = GatewayFixture.started();
    }

    @AfterEach
    void stopGateway()
    {
        fixture.close();
    }

    @Test
    void shouldRejectAWrongPasswordWithLoginRejectedThenClose() throws Exception
    {
        try (RecordClient client = new RecordClient(fixture.address()))
        {
            client.send(RecordClient.login(ALICE, "guess", 0));
            final LoginRejected rejected = client.expect(LoginRejected.class);
            assertEquals(LoginRejectReason.BAD_CREDENTIALS, rejected.reason());
            assertEquals("unknown user or wrong password", rejected.text());
            assertTrue(client.awaitClosedByGateway(), "the gateway closes after LoginRejected");
        }
        final String event = fixture.awaitEvent(line -> line.startsWith("login rejected"), 5_000);
        assertTrue(event.contains("'alice'") && event.contains("BAD_CREDENTIALS"), event);
        // Counted by the acceptor as the handshake thread unwinds, just after the connection closed.
        GatewayFixture.awaitTrue(() -> fixture.gateway.failedLogins() == 1, 5_000, "one failed login counted");
    }

    @Test
    void shouldRejectAnUnknownUserTheSameWayAsAWrongPassword() throws Exception
    {
        try (RecordClient client = new RecordClient(fixture.address()))
        {
            client.send(RecordClient.login("mallory", PASSWORD, 0));
            final LoginRejected rejected = client.expect(LoginRejected.class);
            assertEquals(LoginRejectReason.BAD_CREDENTIALS, rejected.reason());
            assertEquals("unknown user or wrong password", rejected.text(), "no hint whether the user exists");
            assertTrue(client.awaitClosedByGateway());
        }
    }

    // Found by GatewaySessionFuzzTest: the automatic Logout reply went out before any login.
    @Test
    void shouldDropALogoutSentInPlaceOfTheLoginWithoutAnswering() throws Exception
    {
        try (RecordClient client = new RecordClient(fixture.address()))
        {
            client.send(new Logout("bye"));
            final OrderEntryMessage answer = client.recv(5_000);
            assertNull(answer, () -> "answered before any login: " + answer);
            assertTrue(client.awaitClosedByGateway(), "the gateway closes a connection that does not log in first");
        }
        final String event = fixture.awaitEvent(line -> line.startsWith("dropped"), 5_000);
        assertTrue(event.contains("the first message must be Login"), event);
    }

    @Test
    void shouldFailTheTradersConnectWithTheGatewaysReason()
    {
        final LoginRejectedException rejected = assertThrows(LoginRejectedException.class,
            () -> TraderSession.connect(fixture.trader(ALICE).password("guess")));
        assertEquals(LoginRejectReason.BAD_CREDENTIALS, rejected.reason());
        assertEquals("unknown user or wrong password", rejected.text());
    }

    @Test
    void shouldRejectASecondLoginWhileTheSessionHasAConnection() throws Exception
    {
        try (TraderSession first = TraderSession.connect(fixture.trader(ALICE));
             RecordClient second = new RecordClient(fixture.address()))
        {
            second.send(RecordClient.login(ALICE, PASSWORD, 0));
            final LoginRejected rejected = second.expect(LoginRejected.class);
            assertEquals(LoginRejectReason.ALREADY_LOGGED_IN, rejected.reason());
            assertTrue(second.awaitClosedByGateway());
            assertTrue(first.isConnected(), "the first connection is untouched");
        }
    }

    @Test
    void shouldRejectAResumeAheadOfWhatTheGatewaySent() throws Exception
    {
        try (RecordClient client = new RecordClient(fixture.address()))
        {
            client.send(RecordClient.login(BOB, PASSWORD, 0));
            client.expect(LoginAccepted.class);
            client.send(RecordClient.order(1, 1, 10));
            client.take(2);
        }
        fixture.awaitEvent(line -> line.startsWith("disconnected bob"), 5_000);
        try (RecordClient client = new RecordClient(fixture.address()))
        {
            client.send(RecordClient.login(BOB, PASSWORD, 99));
            final LoginRejected rejected = client.expect(LoginRejected.class);
            assertEquals(LoginRejectReason.SEQUENCE_TOO_HIGH, rejected.reason());
            assertTrue(rejected.text().contains("ahead of the last seqNo session 1 sent (2)"), rejected.text());
        }
    }

    @Test
    void shouldEndTheSessionOnLogoutSoTheNextLoginStartsANewOne() throws Exception
    {
        final long firstSession;
        try (RecordClient client = new RecordClient(fixture.address()))
        {
            client.send(RecordClient.login(BOB, PASSWORD, 0));
            firstSession = client.expect(LoginAccepted.class).sessionId();
            client.send(RecordClient.order(1, 1, 10));
            client.take(2);
            client.send(new Logout("done for today"));
            assertEquals("logout acknowledged", client.expect(Logout.class).text(), "answered automatically");
            assertTrue(client.awaitClosedByGateway());
        }
        fixture.awaitEvent(line -> line.startsWith("logout: bob") && line.contains("done for today"), 5_000);
        fixture.awaitEvent(line -> line.startsWith("disconnected bob"), 5_000); // or the next login is a second one
        try (RecordClient client = new RecordClient(fixture.address()))
        {
            client.send(RecordClient.login(BOB, PASSWORD, 2));
            assertEquals(LoginRejectReason.SEQUENCE_TOO_HIGH, client.expect(LoginRejected.class).reason(),
                "an ended session cannot be resumed");
        }
        try (RecordClient client = new RecordClient(fixture.address()))
        {
            client.send(RecordClient.login(BOB, PASSWORD, 0));
            final LoginAccepted accepted = client.expect(LoginAccepted.class);
            assertNotEquals(firstSession, accepted.sessionId());
            assertEquals(1, accepted.nextSeqNo(), "both directions start again at 1");
            client.send(RecordClient.order(1, 7, 10));
            final OrderEntryMessage first = client.recv();
            assertEquals(1, ((OrderEntryMessage.Sequenced)first).seqNo());
        }
    }
}
