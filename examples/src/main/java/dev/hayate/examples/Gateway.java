package dev.hayate.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import dev.hayate.codec.SbeMessage;
import dev.hayate.codec.orderentry.OrderEntryCodecs;
import dev.hayate.codec.orderentry.sbe.CancelDecoder;
import dev.hayate.codec.orderentry.sbe.LogoutDecoder;
import dev.hayate.codec.orderentry.sbe.NewOrderDecoder;
import dev.hayate.codec.orderentry.sbe.RejectReason;
import dev.hayate.core.Acceptor;
import dev.hayate.core.Callback;
import dev.hayate.core.CloseReason;
import dev.hayate.core.ConId;
import dev.hayate.core.Connection;
import dev.hayate.core.Context;
import dev.hayate.core.PollHandler;
import dev.hayate.core.Status;
import dev.hayate.core.buffer.BufferPool;
import dev.hayate.core.transport.TransportProvider;
import org.agrona.collections.LongHashSet;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.OffsetEpochNanoClock;
import org.agrona.concurrent.SystemNanoClock;

/**
 * The order-entry gateway: one thread serves every trader's session. A core {@link Acceptor} takes connections
 * through the connection gate and runs each login on a handshake thread ({@link GatewayProtocol}); logged-in
 * connections join a {@link PollHandler}, whose one thread reads every connection, runs the
 * {@link MatchingEngine}, writes the answers, sends heartbeats and applies the liveness rule.
 *
 * <pre>
 *   accept ─ gate ─▶ handshake thread: Login ─▶ LoginAccepted ─▶ ┐
 *                                                                │ one gateway thread
 *   PollHandler: readiness ─▶ NewOrder/Cancel ─ seqNo check ─▶ engine ─▶ journal (seqNo) ─▶ send
 *                ─▶ heartbeats, liveness, session expiry, events
 * </pre>
 *
 * <p>Sessions and recovery (see {@link GatewaySession}): every application message the gateway sends is
 * first appended to the user's bounded {@link Journal}, which assigns its seqNo; the journal is also the send
 * queue, so a connection that is back-pressured or gone simply has not caught up yet. A trader that logs in again
 * with {@code lastSeqNoSeen = k} is sent {@code k+1..last} — the same bytes — before anything new. A gap older
 * than the journal is refused with {@code LoginRejected(NOT_AVAILABLE)}; a live trader that falls so far behind
 * that its next message was evicted is logged out (the slow-consumer rule), so memory stays bounded.
 *
 * <p>Inbound sequence numbers: a trader's NewOrder and Cancel must carry exactly the next seqNo. A lower one is a
 * duplicate (typically resent after a reconnect, already processed) and is ignored, counted, never answered; a
 * higher one is a gap the gateway cannot ask to fill (the schema has no resend request), so it answers
 * {@code Reject(SEQUENCE_GAP)} and closes the connection; the session stays open and the trader's next
 * {@code LoginAccepted} tells it the seqNo to resend from.
 *
 * <p>Hostile peers cost one connection each, never the gateway: framing errors, undecodable bodies and protocol
 * violations close only that connection; the gate bounds connections (and the handshake threads, and the buffers
 * leased from the gateway's own bounded {@link BufferPool}); a peer that never logs in is dropped at the login
 * timeout; every such close is printed with its reason.
 *
 * <p>Events go to {@link Config#events} as one line each: login accepted/rejected, replays, logouts,
 * disconnects with their close reason, dropped and refused connections.
 *
 * <p>Thread-safety: {@link #doWork}, or {@link #run()} / {@link #start()} which call it, on one thread — the
 * gateway thread. {@link #close()}, {@link #kick}, {@link #localAddress()} and the counters are safe from any
 * thread. The events consumer is called from the gateway thread and from handshake threads.
 */
public final class Gateway implements AutoCloseable
{
    private static final int MESSAGES_PER_POLL = 256;
    private static final long HOUSEKEEPING_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final int SPIN_POLLS = 200;

    private final Config config;
    private final NanoClock clock;
    private final Context context;
    private final BufferPool bufferPool;
    private final Acceptor<SbeMessage> acceptor;
    private final PollHandler<SbeMessage> pollHandler;
    private final Map<String, GatewaySession> sessions;
    private final GatewaySession[] sessionList;
    private final MatchingEngine engine;
    private final AtomicLong nextSessionId = new AtomicLong(1);
    private final SbeMessage journalView = new SbeMessage();
    private final NewOrderDecoder newOrder = new NewOrderDecoder();
    private final CancelDecoder cancel = new CancelDecoder();
    private final LogoutDecoder logout = new LogoutDecoder();
    private final List<GatewaySession> backlog = new ArrayList<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final long maxWaitNanos;
    private volatile boolean running = true;
    private volatile boolean looping;
    private volatile Thread loopThread;
    private boolean resourcesClosed;
    private long nextHousekeepingNanos;
    private long refusedReported;

    /**
     * Binds and gets ready; nothing is served until {@link #start()}, {@link #run()} or {@link #doWork}.
     *
     * @param config the gateway's settings, validated here.
     * @throws IOException if the address cannot be bound.
     */
    public Gateway(final Config config) throws IOException
    {
        this.config = config.validate();
        this.clock = config.clock;
        this.bufferPool = new BufferPool.Context()
            .sizeClass(Math.max(config.maxFrameLength, config.bufferCapacity), 2 * config.maxConnections + 2)
            .build();
        final Context context = new Context()
            .name("gateway")
            .maxFrameLength(config.maxFrameLength)
            .receiveBufferCapacity(Math.max(config.maxFrameLength, config.bufferCapacity))
            .sendBufferCapacity(Math.max(config.maxFrameLength, config.bufferCapacity))
            .maxConnections(config.maxConnections)
            .maxConnectionsPerAddress(Math.min(config.maxConnectionsPerAddress, config.maxConnections))
            .maxHandshakesPerAddress(Math.min(config.maxLoginsPerAddress, config.maxConnections))
            .handshakeTimeout(config.loginTimeoutMs, TimeUnit.MILLISECONDS)
            .lingerTimeout(0, TimeUnit.MILLISECONDS)
            .bufferPool(bufferPool)
            .nanoClock(clock)
            .errorHandler(error -> event("error: " + error));
        if (config.transportProvider != null)
        {
            context.transportProvider(config.transportProvider);
        }
        if (config.connectionsPerSecondPerAddress > 0)
        {
            context.connectionRatePerAddress(config.connectionsPerSecondPerAddress, 1, TimeUnit.SECONDS);
        }
        this.context = context.conclude();
        final Map<String, GatewaySession> table = new LinkedHashMap<>();
        config.users.forEach((user, password) -> table.put(user,
            new GatewaySession(user, password.getBytes(java.nio.charset.StandardCharsets.US_ASCII), config, this)));
        this.sessions = Collections.unmodifiableMap(table);
        this.sessionList = table.values().toArray(new GatewaySession[0]);
        final LongHashSet symbolKeys = new LongHashSet();
        config.symbols.forEach(symbol -> symbolKeys.add(OrderEntry.symbolKey(symbol)));
        this.engine = new MatchingEngine(this, symbolKeys, config.wallClock);
        this.maxWaitNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(1),
            Math.min(TimeUnit.MILLISECONDS.toNanos(100), TimeUnit.MILLISECONDS.toNanos(config.heartbeatIntervalMs) / 4));
        this.acceptor = new Acceptor<>(config.listen, id -> new GatewayProtocol(this), Callback.none(), this.context);
        try
        {
            this.pollHandler = new PollHandler<>(new Handler());
        }
        catch (final IOException ex)
        {
            acceptor.close();
            throw ex;
        }
        pollHandler.add(acceptor);
        this.nextHousekeepingNanos = clock.nanoTime();
    }

    /**
     * Serves on a new thread until {@link #close()}.
     *
     * @return this.
     */
    public Gateway start()
    {
        final Thread thread = new Thread(this::run, "gateway");
        thread.setDaemon(true);
        looping = true;
        thread.start();
        return this;
    }

    /**
     * Serves on the calling thread until {@link #close()} or until the thread is interrupted: spins briefly after work (a few hundred empty polls),
     * then waits in the kernel for readiness, waking at least every quarter heartbeat interval (at most 100 ms)
     * for heartbeats, liveness and housekeeping.
     */
    public void run()
    {
        loopThread = Thread.currentThread();
        looping = true;
        int idle = 0;
        try
        {
            while (running && !Thread.currentThread().isInterrupted())
            {
                final long wait = idle < SPIN_POLLS || !backlog.isEmpty() ? 0 : maxWaitNanos;
                idle = doWork(wait) > 0 ? 0 : idle + 1;
            }
        }
        finally
        {
            closeResources();
            stopped.countDown();
        }
    }

    /**
     * One duty cycle: accepts, reads and answers up to a bounded number of messages, catches up back-pressured
     * sessions, and every 50 ms of the clock expires idle sessions and reports refused connections.
     *
     * @param waitNanos longest wait in the kernel when there is nothing to do; 0 never waits.
     * @return work done, 0 when idle.
     */
    public int doWork(final long waitNanos)
    {
        int work;
        try
        {
            work = pollHandler.poll(waitNanos, MESSAGES_PER_POLL);
        }
        catch (final IOException ex)
        {
            if (!running)
            {
                return 0;
            }
            throw new UncheckedIOException(ex);
        }
        for (int i = backlog.size() - 1; i >= 0; i--)
        {
            final GatewaySession session = backlog.get(i);
            work += pump(session);
            if (!session.backlogged)
            {
                backlog.remove(i);
                session.inBacklog = false;
            }
        }
        final long now = clock.nanoTime();
        if (now - nextHousekeepingNanos >= 0)
        {
            nextHousekeepingNanos = now + HOUSEKEEPING_INTERVAL_NANOS;
            work += housekeeping(now);
        }
        return work;
    }

    private int housekeeping(final long now)
    {
        int work = 0;
        final long refused = acceptor.refused();
        if (refused != refusedReported)
        {
            event("refused " + (refused - refusedReported) + " connection(s) beyond the gate of " + config.maxConnections +
                " (" + config.maxConnectionsPerAddress + " per address, " + config.maxLoginsPerAddress +
                " logging in per address" + (config.connectionsPerSecondPerAddress > 0 ? ", " +
                config.connectionsPerSecondPerAddress + " new per second per address" : "") + "; " + refused +
                " refused in all)");
            refusedReported = refused;
            work++;
        }
        for (final GatewaySession session : sessionList)
        {
            if (session.expireIfIdle(now))
            {
                event("session " + session.sessionId() + " of " + session.username() + " expired after " +
                    config.sessionExpiryMs + " ms without a connection");
                work++;
            }
        }
        return work;
    }

    /**
     * Appends a message to the session's journal as its next seqNo, then sends what the live connection can take.
     * Gateway thread.
     *
     * @param session of the trader.
     * @param message encoded by the engine, with a placeholder seqNo; it is stamped here.
     */
    void publish(final GatewaySession session, final SbeMessage message)
    {
        final Journal journal = session.journal();
        OrderEntryCodecs.stampSeqNo(message, journal.nextSeqNo());
        journal.append(message.buffer(), message.offset(), message.length());
        pump(session);
    }

    /**
     * Sends the journaled messages the session's connection has not had yet, until it pushes back.
     *
     * @return messages sent.
     */
    private int pump(final GatewaySession session)
    {
        final Connection<SbeMessage> connection = session.connection();
        if (connection == null || connection.isClosed())
        {
            session.backlogged = false;
            return 0;
        }
        final Journal journal = session.journal();
        int sent = 0;
        final long next = journal.nextSeqNo();
        while (session.nextToSend < next)
        {
            if (!journal.read(session.nextToSend, journalView))
            {
                slowConsumer(session, connection);
                return sent;
            }
            final Status status = connection.trySend(journalView);
            if (status != Status.OK)
            {
                if (status == Status.BACK_PRESSURED)
                {
                    markBacklogged(session);
                }
                return sent;
            }
            session.nextToSend++;
            sent++;
        }
        // Everything is taken; bytes the socket did not accept yet go out on later duty cycles.
        if (connection.hasPendingSend() && connection.flush() == Status.BACK_PRESSURED)
        {
            markBacklogged(session);
        }
        else
        {
            session.backlogged = false;
        }
        if (session.replayTo >= session.replayFrom && session.nextToSend > session.replayTo)
        {
            event("replayed " + (session.replayTo - session.replayFrom + 1) + " message(s) to " + session.username() +
                ", session " + session.sessionId() + ": seqNo " + session.replayFrom + ".." + session.replayTo);
            session.replayTo = session.replayFrom - 1;
        }
        return sent;
    }

    private void markBacklogged(final GatewaySession session)
    {
        session.backlogged = true;
        if (!session.inBacklog)
        {
            session.inBacklog = true;
            backlog.add(session);
        }
    }

    private void slowConsumer(final GatewaySession session, final Connection<SbeMessage> connection)
    {
        final String why = "fell behind: seqNo " + session.nextToSend + " was evicted from the journal before it " +
            "could be sent (it keeps " + config.journalMessages + " messages / " + config.journalBytes + " bytes)";
        session.end();
        connection.trySend(OrderEntry.logout(why));
        connection.flush();
        connection.closeWith(CloseReason.LOCAL, "session ended: " + why);
        event("logged out " + session.username() + ", session " + session.sessionId() + ": " + why);
    }

    /**
     * Receives what the poll handler serves, on the gateway thread.
     */
    private final class Handler implements PollHandler.Handler<SbeMessage>
    {
        @Override
        public void onConnected(final Connection<SbeMessage> connection)
        {
            final GatewayProtocol protocol = (GatewayProtocol)connection.protocol();
            final GatewaySession session = protocol.session();
            if (!session.activate(connection, protocol.replayFrom()))
            {
                connection.closeWith(CloseReason.LOCAL, "the replay from seqNo " + protocol.replayFrom() +
                    " was evicted while logging in");
                return;
            }
            pump(session);
        }

        @Override
        public void onMessage(final Connection<SbeMessage> from, final SbeMessage message)
        {
            final GatewaySession session = ((GatewayProtocol)from.protocol()).session();
            if (session.connection() != from)
            {
                return;
            }
            try
            {
                dispatch(session, from, message);
            }
            catch (final RuntimeException ex)
            {
                from.closeWith(CloseReason.PROTOCOL_ERROR, "template " + message.templateId() + " could not be " +
                    "processed: " + ex.getMessage());
            }
        }

        @Override
        public void onDisconnected(final Connection<SbeMessage> connection)
        {
            final GatewaySession session = ((GatewayProtocol)connection.protocol()).session();
            session.detach(connection);
            event("disconnected " + session.username() + ", session " + session.sessionId() + ", " +
                connection.id().remote() + ": " + connection.closeReason() + " (" + connection.closeDetail() + ")" +
                (session.duplicatesIgnored > 0 ? "; " + session.duplicatesIgnored + " duplicate(s) ignored so far" : ""));
        }
    }

    private void dispatch(final GatewaySession session, final Connection<SbeMessage> from, final SbeMessage message)
    {
        final int templateId = message.templateId();
        if (templateId == NewOrderDecoder.TEMPLATE_ID || templateId == CancelDecoder.TEMPLATE_ID)
        {
            final long seqNo = OrderEntryCodecs.seqNo(message);
            final long expected = session.expectedInbound();
            if (Long.compareUnsigned(seqNo, expected) < 0)
            {
                session.duplicatesIgnored++;
                return;
            }
            if (seqNo != expected)
            {
                engine.reject(session, seqNo, RejectReason.SEQUENCE_GAP, OrderEntry.utf8("sequence gap: expected seqNo " +
                    expected + ", got " + Long.toUnsignedString(seqNo)));
                from.closeWith(CloseReason.PROTOCOL_ERROR, "sequence gap: expected seqNo " + expected + ", got " +
                    Long.toUnsignedString(seqNo));
                return;
            }
            session.expectedInbound(seqNo + 1);
            if (templateId == NewOrderDecoder.TEMPLATE_ID)
            {
                engine.onNewOrder(session, message.wrap(newOrder));
            }
            else
            {
                engine.onCancel(session, message.wrap(cancel));
            }
        }
        else if (templateId == LogoutDecoder.TEMPLATE_ID)
        {
            final String text = OrderEntry.text(message.wrap(logout));
            session.end();
            from.flush();
            from.closeWith(CloseReason.LOCAL, "session ended by the trader's Logout");
            event("logout: " + session.username() + ", session " + session.sessionId() + " ended: \"" + text + "\"");
        }
        else
        {
            from.closeWith(CloseReason.PROTOCOL_ERROR, "template " + templateId + " is not for a gateway after login");
        }
    }

    /**
     * Closes a trader's live connection as if the network had failed; the session stays open, so the trader can
     * resume it. For operators, and for tests of recovery.
     *
     * @param username whose connection to close.
     * @param why      shown in the disconnect event.
     * @return true if there was a live connection to close.
     */
    public boolean kick(final String username, final String why)
    {
        final GatewaySession session = sessions.get(username);
        final Connection<SbeMessage> connection = session == null ? null : session.connection();
        return connection != null && connection.closeWith(CloseReason.LOCAL, "kicked: " + why);
    }

    Connection<SbeMessage> findConnection(final ConId id)
    {
        for (final Connection<SbeMessage> connection : acceptor.connections())
        {
            if (connection.id() == id)
            {
                return connection;
            }
        }
        return null;
    }

    GatewaySession sessionOf(final String username)
    {
        return sessions.get(username);
    }

    long nextSessionId()
    {
        return nextSessionId.getAndIncrement();
    }

    /**
     * @param line one session event, without a trailing newline.
     */
    void event(final String line)
    {
        config.events.accept(line);
    }

    Config config()
    {
        return config;
    }

    Context context()
    {
        return context;
    }

    NanoClock clock()
    {
        return clock;
    }

    /**
     * @param username of a user in the table.
     * @return a snapshot of the user's session for tests and operators, or {@code null} for an unknown user.
     */
    public SessionStats sessionStats(final String username)
    {
        final GatewaySession session = sessions.get(username);
        if (session == null)
        {
            return null;
        }
        final Journal journal = session.journal();
        return new SessionStats(session.sessionId(), session.isOpen(), session.connection() != null,
            journal == null ? 0 : journal.size(), journal == null ? 0 : journal.bytesUsed(),
            journal == null ? 1 : journal.nextSeqNo(), session.expectedInbound(), session.duplicatesIgnored,
            session.book.size());
    }

    /**
     * A user's session, as seen at one moment. Journal figures are exact on the gateway thread, approximate
     * elsewhere.
     *
     * @param sessionId         current or last session id, 0 if never logged in.
     * @param open              true while the session can be resumed or is live.
     * @param connected         true while a connection serves it.
     * @param journalMessages   messages kept for replay.
     * @param journalBytes      bytes they span.
     * @param nextOutboundSeqNo seqNo of the gateway's next message.
     * @param nextInboundSeqNo  seqNo expected on the trader's next message.
     * @param duplicatesIgnored inbound duplicates dropped in this session.
     * @param restingOrders     live GOOD_TILL_CANCEL orders.
     */
    public record SessionStats(long sessionId, boolean open, boolean connected, long journalMessages,
        long journalBytes, long nextOutboundSeqNo, long nextInboundSeqNo, long duplicatesIgnored, int restingOrders)
    {
    }

    /**
     * @return the bound address, with the real port.
     */
    public SocketAddress localAddress()
    {
        return acceptor.localAddress();
    }

    /**
     * @return live connections, including those still logging in.
     */
    public int connectionCount()
    {
        return acceptor.connectionCount();
    }

    /**
     * @param address a remote IP address.
     * @return its live connections (logging in or logged in), as the per-address limits count them.
     */
    public int connectionsFrom(final java.net.InetAddress address)
    {
        return acceptor.connectionsFrom(address);
    }

    /**
     * @return connections refused by the gate (in all, per address, while logging in, or by rate).
     */
    public long refusedConnections()
    {
        return acceptor.refused();
    }

    /**
     * @return connections that failed to log in (rejected, timed out, broke the rules, or closed).
     */
    public long failedLogins()
    {
        return acceptor.handshakeFailures();
    }

    /**
     * @return the gateway's own bounded pool of connection buffers (what it holds is {@code leased()}).
     */
    public BufferPool bufferPool()
    {
        return bufferPool;
    }

    /**
     * Stops serving and closes every connection; waits for the gateway thread (up to 5 s) if one is running.
     */
    @Override
    public void close()
    {
        running = false;
        pollHandler.wakeup();
        if (looping && Thread.currentThread() != loopThread)
        {
            try
            {
                if (!stopped.await(5, TimeUnit.SECONDS))
                {
                    event("the gateway thread did not stop within 5 s");
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
        if (!looping)
        {
            closeResources();
        }
    }

    private synchronized void closeResources()
    {
        if (!resourcesClosed)
        {
            resourcesClosed = true;
            acceptor.close();
            pollHandler.close();
        }
    }

    /**
     * The gateway's settings: fluent setters with defaults, validated once when the gateway is built.
     *
     * <p>Thread-safety: configure on one thread, then hand it to one gateway.
     */
    public static final class Config
    {
        private SocketAddress listen = new InetSocketAddress("127.0.0.1", 0);
        private final Map<String, String> users = new LinkedHashMap<>();
        private final Set<String> symbols = new LinkedHashSet<>(List.of("HAYATE", "ACME", "GLOBEX", "INITECH"));
        private long heartbeatIntervalMs = 1_000;
        private long loginTimeoutMs = 5_000;
        private int maxConnections = 64;
        private int maxConnectionsPerAddress = 32;
        private int maxLoginsPerAddress = 8;
        private int connectionsPerSecondPerAddress;
        private int maxFrameLength = 1_024;
        private int bufferCapacity = 64 * 1024;
        private int journalMessages = 65_536;
        private int journalBytes = 8 * 1024 * 1024;
        private long sessionExpiryMs = 60_000;
        private int maxLiveOrders = 1_024;
        private NanoClock clock = SystemNanoClock.INSTANCE;
        private EpochNanoClock wallClock = new OffsetEpochNanoClock();
        private TransportProvider transportProvider;
        private Consumer<String> events = line -> { };

        /**
         * @param address to listen on; port 0 picks a free one (default 127.0.0.1:0).
         * @return this.
         */
        public Config listen(final SocketAddress address)
        {
            this.listen = Objects.requireNonNull(address, "address");
            return this;
        }

        /**
         * Adds a user to the in-memory credentials table.
         *
         * @param username US-ASCII.
         * @param password US-ASCII.
         * @return this.
         */
        public Config user(final String username, final String password)
        {
            if (username.isEmpty() || !isAscii(username) || !isAscii(password))
            {
                throw new IllegalArgumentException("user names and passwords are non-empty US-ASCII: " + username);
            }
            users.put(username, password);
            return this;
        }

        private static boolean isAscii(final String text)
        {
            return text.chars().allMatch(c -> c < 0x80);
        }

        /**
         * @param tradable symbols, replacing the default HAYATE, ACME, GLOBEX, INITECH.
         * @return this.
         */
        public Config symbols(final List<String> tradable)
        {
            tradable.forEach(OrderEntry::symbolKey);
            symbols.clear();
            symbols.addAll(tradable);
            return this;
        }

        /**
         * @param millis heartbeat interval the gateway sends at and announces (default 1000).
         * @return this.
         */
        public Config heartbeatIntervalMs(final long millis)
        {
            this.heartbeatIntervalMs = millis;
            return this;
        }

        /**
         * @return the heartbeat interval in milliseconds.
         */
        public long heartbeatIntervalMs()
        {
            return heartbeatIntervalMs;
        }

        /**
         * @param millis how long a new connection has to log in (default 5000).
         * @return this.
         */
        public Config loginTimeoutMs(final long millis)
        {
            this.loginTimeoutMs = millis;
            return this;
        }

        /**
         * @param max the connection gate: connections beyond it are closed at once (default 64).
         * @return this.
         */
        public Config maxConnections(final int max)
        {
            this.maxConnections = max;
            return this;
        }

        /**
         * @param max live connections from one IP address, logging in or logged in; more are closed at once
         *            (default 32, capped at the gate).
         * @return this.
         */
        public Config maxConnectionsPerAddress(final int max)
        {
            this.maxConnectionsPerAddress = max;
            return this;
        }

        /**
         * @param max connections from one IP address that may be logging in at once; more are closed at once, so a
         *            peer holding connections open without logging in cannot fill the gate (default 8, capped at
         *            the gate).
         * @return this.
         */
        public Config maxLoginsPerAddress(final int max)
        {
            this.maxLoginsPerAddress = max;
            return this;
        }

        /**
         * @param rate new connections one IP address may open per second (as a burst, then evenly); more are closed
         *             at once (default 0: no rate limit).
         * @return this.
         */
        public Config connectionsPerSecondPerAddress(final int rate)
        {
            this.connectionsPerSecondPerAddress = rate;
            return this;
        }

        /**
         * @param bytes largest frame accepted, header included (default 1024; order-entry frames are under 200).
         * @return this.
         */
        public Config maxFrameLength(final int bytes)
        {
            this.maxFrameLength = bytes;
            return this;
        }

        /**
         * @param bytes send and receive buffer per connection (default 64 KiB): how far a trader's answers may run
         *              ahead of the socket before the journal holds them back.
         * @return this.
         */
        public Config bufferCapacity(final int bytes)
        {
            this.bufferCapacity = bytes;
            return this;
        }

        /**
         * @param messages most messages kept per session for replay (default 65536).
         * @return this.
         */
        public Config journalMessages(final int messages)
        {
            this.journalMessages = messages;
            return this;
        }

        /**
         * @return most messages kept per session.
         */
        public int journalMessages()
        {
            return journalMessages;
        }

        /**
         * @param bytes most bytes kept per session for replay (default 8 MiB).
         * @return this.
         */
        public Config journalBytes(final int bytes)
        {
            this.journalBytes = bytes;
            return this;
        }

        /**
         * @return most bytes kept per session.
         */
        public int journalBytes()
        {
            return journalBytes;
        }

        /**
         * @param millis how long an open session waits for its trader to come back (default 60000).
         * @return this.
         */
        public Config sessionExpiryMs(final long millis)
        {
            this.sessionExpiryMs = millis;
            return this;
        }

        long sessionExpiryNanos()
        {
            return TimeUnit.MILLISECONDS.toNanos(sessionExpiryMs);
        }

        /**
         * @param max resting orders per session (default 1024).
         * @return this.
         */
        public Config maxLiveOrders(final int max)
        {
            this.maxLiveOrders = max;
            return this;
        }

        int maxLiveOrders()
        {
            return maxLiveOrders;
        }

        /**
         * @param nanoClock for timeouts, heartbeats and expiry (inject one in tests).
         * @return this.
         */
        public Config clock(final NanoClock nanoClock)
        {
            this.clock = Objects.requireNonNull(nanoClock, "nanoClock");
            return this;
        }

        /**
         * @param epochClock for sendingTimeNanos.
         * @return this.
         */
        public Config wallClock(final EpochNanoClock epochClock)
        {
            this.wallClock = Objects.requireNonNull(epochClock, "epochClock");
            return this;
        }

        /**
         * @param provider of transports (default TCP).
         * @return this.
         */
        public Config transportProvider(final TransportProvider provider)
        {
            this.transportProvider = provider;
            return this;
        }

        /**
         * @param sink of session events, one line each; called from the gateway and handshake threads.
         * @return this.
         */
        public Config events(final Consumer<String> sink)
        {
            this.events = Objects.requireNonNull(sink, "sink");
            return this;
        }

        Config validate()
        {
            if (users.isEmpty())
            {
                throw new IllegalArgumentException("the gateway needs at least one user");
            }
            if (heartbeatIntervalMs < 10 || heartbeatIntervalMs > 60_000)
            {
                throw new IllegalArgumentException("heartbeat interval must be 10..60000 ms: " + heartbeatIntervalMs);
            }
            if (maxConnectionsPerAddress < 1 || maxLoginsPerAddress < 1 || connectionsPerSecondPerAddress < 0)
            {
                throw new IllegalArgumentException("per-address limits must be positive (the rate may be 0: none)");
            }
            if (loginTimeoutMs < 1 || maxConnections < 1 || maxLiveOrders < 0 || sessionExpiryMs < 0)
            {
                throw new IllegalArgumentException("login timeout, connection gate, resting orders and session " +
                    "expiry must be positive");
            }
            if (maxFrameLength < 64 || bufferCapacity < 64)
            {
                throw new IllegalArgumentException("frames and buffers must hold at least 64 bytes");
            }
            if (journalMessages < 1 || journalBytes < maxFrameLength)
            {
                throw new IllegalArgumentException("the journal must keep at least one message of the largest frame");
            }
            return this;
        }
    }
}
