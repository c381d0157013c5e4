package dev.hayate.examples;

import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;

import dev.hayate.codec.SbeBounds;
import dev.hayate.codec.SbeMessage;
import dev.hayate.codec.orderentry.OrderEntryCodecs;
import dev.hayate.codec.orderentry.sbe.HeartbeatDecoder;
import dev.hayate.codec.orderentry.sbe.LoginDecoder;
import dev.hayate.codec.orderentry.sbe.LoginRejectReason;
import dev.hayate.codec.orderentry.sbe.LogoutDecoder;
import dev.hayate.core.Codec;
import dev.hayate.core.Connection;
import dev.hayate.core.Protocol;
import dev.hayate.core.Session;
import dev.hayate.core.Status;

/**
 * The gateway's side of one connection: the login handshake, heartbeats and liveness. One instance per
 * connection; what must outlive the connection lives in the user's {@link GatewaySession}.
 *
 * <pre>
 *   trader                                   gateway (handshake thread)
 *     Login(user, password, lastSeqNoSeen, hb) ──▶  credentials? session free? lastSeqNoSeen replayable?
 *            ◀── LoginAccepted(sessionId, nextSeqNo, hb)        then the gateway thread replays
 *                                                              lastSeqNoSeen+1..last before anything new
 *            ◀── LoginRejected(reason, text), then close     on any "no"
 * </pre>
 *
 * <p>Rules:
 * <ul>
 *   <li>The first frame must be a {@code Login} within the login timeout ({@code Context.handshakeTimeout});
 *   anything else — silence, half a frame, garbage, a frame over the maximum, another message — closes the
 *   connection, and the gateway prints why.</li>
 *   <li>Wrong user or password: {@code LoginRejected(BAD_CREDENTIALS)}. The session checks are in
 *   {@link GatewaySession#login}.</li>
 *   <li>Heartbeats: the gateway sends a {@code Heartbeat} after its interval of silence (its interval is the one
 *   {@code LoginAccepted} announces). It declares the trader dead after three times the larger of its own
 *   interval and the one the trader asked for without hearing anything, so a trader that heartbeats at its own
 *   pace is never cut off. Received heartbeats are consumed here and never reach the gateway's handler.</li>
 *   <li>A trader's {@code Logout} is answered with a {@code Logout} automatically ({@link #autoReply}); the
 *   gateway thread then ends the session and closes.</li>
 *   <li>Sequence numbers of outbound messages are not stamped here: the journal assigns them (see
 *   {@link GatewaySession}), so a replay is the same bytes.</li>
 * </ul>
 *
 * <p>Thread-safety: {@link #onConnect} runs on a handshake thread; every other hook on the gateway thread once
 * the connection is handed over (the acceptor's queue orders the two). {@link #isConnected} and
 * {@link #heartbeat} also run during the handshake, and read only volatile state.
 */
final class GatewayProtocol implements Protocol<SbeMessage>
{
    private static final long LIVENESS_INTERVALS = 3;
    private static final long MIN_HEARTBEAT_MS = 10;
    private static final long MAX_HEARTBEAT_MS = 60_000;

    private final Gateway gateway;
    private final Codec<SbeMessage> codec = OrderEntryCodecs.flyweights();
    private final SbeMessage heartbeat = OrderEntry.heartbeat();
    private final SbeMessage logoutReply = OrderEntry.logout("logout acknowledged");
    private final LoginDecoder loginDecoder = new LoginDecoder();
    private final long heartbeatIntervalNanos;
    private volatile boolean loggedIn;
    private volatile long livenessNanos;
    private GatewaySession session;
    private long replayFrom;

    GatewayProtocol(final Gateway gateway)
    {
        this.gateway = gateway;
        this.heartbeatIntervalNanos = TimeUnit.MILLISECONDS.toNanos(gateway.config().heartbeatIntervalMs());
    }

    @Override
    public Codec<SbeMessage> codec()
    {
        return codec;
    }

    @Override
    public void onConnect(final Session<SbeMessage> handshake) throws Exception
    {
        final Connection<SbeMessage> connection = gateway.findConnection(handshake.id());
        final SocketAddress remote = handshake.id().remote();
        final SbeMessage first = handshake.recv();
        if (first == null)
        {
            final String why;
            if (connection != null && connection.isClosed())
            {
                why = connection.closeReason() + ": " + connection.closeDetail();
            }
            else if (handshake.deadline().hasExpired())
            {
                why = "no Login within the login timeout of " +
                    TimeUnit.NANOSECONDS.toMillis(gateway.context().handshakeTimeoutNanos()) + " ms" +
                    (connection != null && connection.hasBufferedInput() ? " (an unfinished frame was pending)" : "");
            }
            else
            {
                why = "closed before logging in";
            }
            throw dropped(remote, why);
        }
        if (first.templateId() != LoginDecoder.TEMPLATE_ID)
        {
            throw dropped(remote, "the first message must be Login, not template " + first.templateId());
        }
        final long lastSeqNoSeen;
        final long askedHeartbeatMs;
        final String username;
        final byte[] password;
        try
        {
            final LoginDecoder login = first.wrap(loginDecoder);
            lastSeqNoSeen = login.lastSeqNoSeen();
            askedHeartbeatMs = login.heartbeatIntervalMs();
            final int userLength = SbeBounds.checkVarData(login, "username", LoginDecoder.usernameHeaderLength(),
                login.usernameLength());
            final byte[] user = new byte[userLength];
            login.getUsername(user, 0, userLength);
            username = new String(user, java.nio.charset.StandardCharsets.US_ASCII);
            final int passwordLength = SbeBounds.checkVarData(login, "password", LoginDecoder.passwordHeaderLength(),
                login.passwordLength());
            password = new byte[passwordLength];
            login.getPassword(password, 0, passwordLength);
        }
        catch (final RuntimeException ex)
        {
            throw dropped(remote, "malformed Login: " + ex.getMessage());
        }
        final GatewaySession candidate = gateway.sessionOf(username);
        if (candidate == null || !candidate.passwordMatches(password))
        {
            throw rejected(handshake, remote, printable(username), LoginRejectReason.BAD_CREDENTIALS,
                "unknown user or wrong password");
        }
        final GatewaySession.Decision decision = candidate.login(this, lastSeqNoSeen);
        if (!decision.accepted())
        {
            throw rejected(handshake, remote, username, decision.reason(), decision.text());
        }
        // The session is ours now: whatever happens to this connection from here on must give it back.
        if (connection == null)
        {
            candidate.release(this, gateway.clock().nanoTime());
            throw dropped(remote, "closed while logging in");
        }
        connection.onClose(closed -> candidate.release(this, gateway.clock().nanoTime()));
        final long traderHeartbeatMs = Math.max(MIN_HEARTBEAT_MS, Math.min(MAX_HEARTBEAT_MS,
            askedHeartbeatMs == 0 ? gateway.config().heartbeatIntervalMs() : askedHeartbeatMs));
        livenessNanos = LIVENESS_INTERVALS * Math.max(heartbeatIntervalNanos,
            TimeUnit.MILLISECONDS.toNanos(traderHeartbeatMs));
        session = candidate;
        replayFrom = decision.replayFrom();
        final Status sent = handshake.send(OrderEntry.loginAccepted(decision.sessionId(), decision.nextInbound(),
            gateway.config().heartbeatIntervalMs()));
        if (sent != Status.OK)
        {
            throw dropped(remote, "could not send LoginAccepted: " + sent);
        }
        loggedIn = true;
        gateway.event("login accepted: " + username + " from " + remote + ", session " + decision.sessionId() +
            (decision.newSession() ? " (new)" : " (resumed after seqNo " + Long.toUnsignedString(lastSeqNoSeen) +
            ")") + ", next inbound seqNo " + decision.nextInbound());
    }

    private HandshakeRefusal dropped(final SocketAddress remote, final String why)
    {
        gateway.event("dropped " + remote + " before login: " + why);
        return new HandshakeRefusal(why);
    }

    private HandshakeRefusal rejected(final Session<SbeMessage> handshake, final SocketAddress remote,
        final String username, final LoginRejectReason reason, final String text)
    {
        final Status sent = handshake.send(OrderEntry.loginRejected(reason, text));
        gateway.event("login rejected: " + username + " from " + remote + ": " + reason + " (" + text + ")" +
            (sent == Status.OK ? "" : ", and LoginRejected could not be sent: " + sent));
        return new HandshakeRefusal("login rejected: " + reason + ": " + text);
    }

    private static String printable(final String username)
    {
        final StringBuilder clean = new StringBuilder(Math.min(username.length(), 32) + 2).append('\'');
        for (int i = 0; i < username.length() && i < 32; i++)
        {
            final char c = username.charAt(i);
            clean.append(c >= ' ' && c <= '~' ? c : '?');
        }
        return clean.append(username.length() > 32 ? "...'" : "'").toString();
    }

    /**
     * @return the user's session, once logged in.
     */
    GatewaySession session()
    {
        return session;
    }

    /**
     * @return the first gateway seqNo the trader has not seen, from its Login.
     */
    long replayFrom()
    {
        return replayFrom;
    }

    @Override
    public long heartbeatIntervalNanos()
    {
        return heartbeatIntervalNanos;
    }

    @Override
    public SbeMessage heartbeat()
    {
        // Nothing for a peer that has not logged in: it gets no traffic before LoginAccepted.
        return loggedIn ? heartbeat : null;
    }

    @Override
    public boolean isConnected(final long nanosSinceLastReceive)
    {
        // Before the login, the handshake timeout is the rule.
        return !loggedIn || nanosSinceLastReceive < livenessNanos;
    }

    @Override
    public boolean consumes(final SbeMessage received)
    {
        return received.templateId() == HeartbeatDecoder.TEMPLATE_ID;
    }

    @Override
    public SbeMessage autoReply(final SbeMessage received)
    {
        // Only to a logged-in trader: a Logout in place of the Login is dropped with the connection, unanswered.
        return loggedIn && received.templateId() == LogoutDecoder.TEMPLATE_ID ? logoutReply : null;
    }

    /**
     * Ends a handshake: the connection closes as {@code HANDSHAKE_FAILED} with this message. The stack trace says
     * nothing a log line does not, so none is taken.
     */
    static final class HandshakeRefusal extends Exception
    {
        private static final long serialVersionUID = 1L;

        HandshakeRefusal(final String message)
        {
            super(message, null, false, false);
        }
    }
}
