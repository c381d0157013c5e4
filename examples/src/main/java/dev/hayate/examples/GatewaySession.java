package dev.hayate.examples;

import java.security.MessageDigest;

import dev.hayate.codec.orderentry.sbe.LoginRejectReason;
import dev.hayate.codec.SbeMessage;
import dev.hayate.core.Connection;

/**
 * One user's order-entry session on the gateway: everything that must outlive a connection. A session is
 * opened by a {@code Login} with {@code lastSeqNoSeen = 0}, survives any number of lost connections (each
 * new {@code Login} resumes it), and ends with a {@code Logout} from the trader, a fatal gateway decision
 * (the trader fell behind the journal), or after {@link Gateway.Config#sessionExpiry} without a connection.
 *
 * <pre>
 *            Login(0)                      connection lost                    Login(k): replay k+1..last
 *   ENDED ─────────────▶ OPEN, owned ─────────────────────────▶ OPEN, unowned ─────────────────────────▶ OPEN, owned
 *     ▲                      │  Logout                                │ expiry
 *     └──────────────────────┴────────────────────────────────────────┘
 * </pre>
 *
 * <p>What it keeps: the outbound {@link Journal} (the gateway's sequencer: a seqNo is assigned when a message
 * is journaled, so a replay sends the very same bytes), the next inbound seqNo expected, the send cursor of the
 * live connection, and the trader's resting orders.
 *
 * <p>Thread-safety: the login decision ({@link #login}, handshake threads), ownership release ({@link #release},
 * whichever thread closes the connection) and the life-cycle changes ({@link #activate}, {@link #end},
 * {@link #expireIfIdle}, gateway thread) are {@code synchronized}. Everything else — the journal's contents, the
 * cursor, the book — belongs to the gateway thread; {@link #expectedInbound()} and the journal's bounds are
 * volatile so a login decision can read them.
 */
final class GatewaySession
{
    /**
     * The outcome of a login: accepted (what to tell the trader and where its replay starts) or rejected.
     *
     * @param accepted    true if the protocol now owns the session.
     * @param reason      why not, when rejected.
     * @param text        explanation for the trader and the log, when rejected.
     * @param sessionId   when accepted.
     * @param nextInbound seqNo the gateway expects on the trader's next application message, when accepted.
     * @param replayFrom  first gateway seqNo the trader has not seen, when accepted.
     * @param newSession  true if the login opened a new session.
     */
    record Decision(boolean accepted, LoginRejectReason reason, String text, long sessionId, long nextInbound,
        long replayFrom, boolean newSession)
    {
        static Decision reject(final LoginRejectReason reason, final String text)
        {
            return new Decision(false, reason, text, 0, 0, 0, false);
        }
    }

    private final String username;
    private final byte[] password;
    private final Gateway.Config config;
    private final Gateway gateway;

    // Guarded by this (the journal reference is written under it by the gateway thread, which alone uses its contents).
    private boolean open;
    private GatewayProtocol owner;
    private long sessionId;
    private long lostAtNanos;
    private boolean resetPending;
    private Journal journal;

    private volatile long expectedInbound = 1;
    private volatile Connection<SbeMessage> connection;

    // Gateway thread only.
    final OrderBook book;
    long nextToSend;
    long replayFrom;
    long replayTo;
    boolean backlogged;
    boolean inBacklog;
    long duplicatesIgnored;

    GatewaySession(final String username, final byte[] password, final Gateway.Config config, final Gateway gateway)
    {
        this.username = username;
        this.password = password.clone();
        this.config = config;
        this.gateway = gateway;
        this.book = new OrderBook(config.maxLiveOrders());
    }

    /**
     * @return the user name.
     */
    String username()
    {
        return username;
    }

    /**
     * Compares in constant time, so response times do not tell how much of a guess was right.
     *
     * @param guess password bytes from a Login.
     * @return true if they are this user's password.
     */
    boolean passwordMatches(final byte[] guess)
    {
        return MessageDigest.isEqual(password, guess);
    }

    /**
     * Decides a login (handshake thread): opens a new session, resumes this one, or refuses.
     *
     * @param who           the connection's protocol, which owns the session if accepted.
     * @param lastSeqNoSeen from the Login.
     * @return the decision; when accepted, {@code who} owns the session until {@link #release}.
     */
    synchronized Decision login(final GatewayProtocol who, final long lastSeqNoSeen)
    {
        if (owner != null)
        {
            return Decision.reject(LoginRejectReason.ALREADY_LOGGED_IN, "user " + username +
                " is already logged in (session " + sessionId + ")");
        }
        if (!open)
        {
            if (lastSeqNoSeen != 0)
            {
                return Decision.reject(LoginRejectReason.SEQUENCE_TOO_HIGH, "no open session of " + username +
                    " to resume after seqNo " + Long.toUnsignedString(lastSeqNoSeen) +
                    " (it ended or expired): log in with lastSeqNoSeen 0 to start a new one");
            }
            open = true;
            sessionId = gateway.nextSessionId();
            resetPending = true;
            owner = who;
            return new Decision(true, null, null, sessionId, 1, 1, true);
        }
        final long first = resetPending ? 1 : journal.firstSeqNo();
        final long next = resetPending ? 1 : journal.nextSeqNo();
        final long expected = resetPending ? 1 : expectedInbound;
        if (Long.compareUnsigned(lastSeqNoSeen, next - 1) > 0)
        {
            return Decision.reject(LoginRejectReason.SEQUENCE_TOO_HIGH, "lastSeqNoSeen " +
                Long.toUnsignedString(lastSeqNoSeen) + " is ahead of the last seqNo session " + sessionId +
                " sent (" + (next - 1) + ")");
        }
        if (lastSeqNoSeen + 1 < first)
        {
            return Decision.reject(LoginRejectReason.NOT_AVAILABLE, "cannot replay session " + sessionId +
                " from seqNo " + (lastSeqNoSeen + 1) + ": the journal keeps only seqNo " + first + ".." + (next - 1) +
                " (at most " + config.journalMessages() + " messages / " + config.journalBytes() + " bytes)");
        }
        owner = who;
        return new Decision(true, null, null, sessionId, expected, lastSeqNoSeen + 1, false);
    }

    /**
     * The owner's connection closed (any thread): the session may be resumed by the next login.
     *
     * @param who    the protocol that owned it.
     * @param nowNanos when, for expiry.
     */
    synchronized void release(final GatewayProtocol who, final long nowNanos)
    {
        if (owner == who)
        {
            owner = null;
            lostAtNanos = nowNanos;
        }
    }

    /**
     * A logged-in connection joins the gateway thread: a new session starts from empty here, on the thread
     * that owns the journal, so no message of a previous connection can slip into it.
     *
     * @param live the connection.
     * @return true if it may proceed, false if its replay start is no longer kept (a race with eviction).
     */
    synchronized boolean activate(final Connection<SbeMessage> live, final long from)
    {
        if (resetPending)
        {
            if (journal == null)
            {
                journal = new Journal(config.journalMessages(), config.journalBytes(), 1);
            }
            journal.reset(1);
            expectedInbound = 1;
            book.clear();
            duplicatesIgnored = 0;
            resetPending = false;
        }
        connection = live;
        if (from < journal.firstSeqNo())
        {
            return false;
        }
        nextToSend = from;
        replayFrom = from;
        replayTo = journal.nextSeqNo() - 1;
        return true;
    }

    /**
     * Ends the session (a Logout, or a fatal decision); the next login starts a new one.
     */
    synchronized void end()
    {
        open = false;
    }

    /**
     * @param nowNanos the gateway clock.
     * @return true if the session was open without a connection for longer than the expiry and has now ended.
     */
    synchronized boolean expireIfIdle(final long nowNanos)
    {
        if (open && owner == null && nowNanos - lostAtNanos >= config.sessionExpiryNanos())
        {
            open = false;
            return true;
        }
        return false;
    }

    /**
     * @return the live connection the gateway thread serves, or {@code null}.
     */
    Connection<SbeMessage> connection()
    {
        return connection;
    }

    /**
     * @param live the connection that left, cleared only if it is still the current one.
     */
    void detach(final Connection<SbeMessage> live)
    {
        if (connection == live)
        {
            connection = null;
        }
    }

    /**
     * @return the outbound journal, {@code null} before the first connection joined; gateway thread.
     */
    Journal journal()
    {
        return journal;
    }

    /**
     * @return the next inbound seqNo expected.
     */
    long expectedInbound()
    {
        return expectedInbound;
    }

    /**
     * @param next the next inbound seqNo expected; gateway thread.
     */
    void expectedInbound(final long next)
    {
        expectedInbound = next;
    }

    /**
     * @return the current session id (0 before the first login).
     */
    synchronized long sessionId()
    {
        return sessionId;
    }

    /**
     * @return true while the session is open.
     */
    synchronized boolean isOpen()
    {
        return open;
    }

    @Override
    public String toString()
    {
        return "session of " + username;
    }
}
