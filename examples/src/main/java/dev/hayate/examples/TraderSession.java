package dev.hayate.examples;

import java.io.IOException;
import java.net.SocketAddress;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.hayate.codec.SbeMessage;
import dev.hayate.codec.orderentry.OrderEntryCodecs;
import dev.hayate.codec.orderentry.sbe.LogoutDecoder;
import dev.hayate.core.Callback;
import dev.hayate.core.CloseReason;
import dev.hayate.core.Connection;
import dev.hayate.core.Context;
import dev.hayate.core.HandshakeException;
import dev.hayate.core.ReconnectPolicy;
import dev.hayate.core.Reconnector;
import dev.hayate.core.Status;
import dev.hayate.core.transport.TransportProvider;
import dev.hayate.nonblocking.Clt;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;

/**
 * A trader's order-entry session over a reconnecting nonblocking {@link Clt}: send application messages with
 * {@link #send}, receive the gateway's with {@link #poll}, both one attempt, zero allocation, from one thread.
 *
 * <pre>{@code
 * try (TraderSession session = TraderSession.connect(new TraderSession.Config()
 *         .gateway(address).username("alice").password("secret")))
 * {
 *     SbeMessage order = new SbeMessage(256);
 *     order.encode(newOrderEncoder).clOrdId(1).symbol("HAYATE") ...;   // seqNo is stamped by the session
 *     while (session.send(order) != Status.OK) { session.poll(handler); }
 *     while (...) { if (session.poll(handler) == 0) idle.idle(); }
 * }
 * }</pre>
 *
 * <p>Recovery: when the connection is lost (the gateway closed it, the network failed, or the gateway fell
 * silent for three heartbeat intervals) the clt reconnects in the background following the
 * {@link ReconnectPolicy} and logs in again with the last gateway seqNo this session delivered to the
 * application. Inside that login it resends, byte for byte, every message the gateway says it did not get
 * ({@code LoginAccepted.nextSeqNo} onwards), and the gateway replays what this side missed before anything new.
 * Meanwhile {@link #send} answers {@link Status#NOT_CONNECTED}: nothing is lost, the caller retries.
 *
 * <p>Inbound seqNos: every application message from the gateway must carry the next seqNo. A lower one is a
 * duplicate and is dropped (counted); a higher one is a gap, and this side closes the connection so that the
 * reconnect's replay fills it. So {@link Handler#onMessage} sees every gateway message exactly once, in order.
 *
 * <p>The session ends with {@link #close()} (a Logout is sent), with a Logout from the gateway, or on a fatal
 * login answer (bad credentials; a session the gateway cannot resume); then {@link #isFinished()} is true and
 * {@link #failure()} says why, if it was not a local close.
 *
 * <p>Thread-safety: one thread calls {@link #send}, {@link #poll} and {@link #close}; reconnecting happens on
 * a background thread, which hands the new connection over through the clt. The counters may be read from
 * any thread.
 */
public final class TraderSession implements AutoCloseable
{
    /**
     * Receives the gateway's application messages, in order and once each.
     */
    @FunctionalInterface
    public interface Handler
    {
        /**
         * @param message NewOrder answers: OrderAccepted, ExecutionReport or Reject; valid only during the call.
         */
        void onMessage(SbeMessage message);
    }

    private final Config config;
    private final State state;
    private final Clt<SbeMessage> clt;
    private final LogoutDecoder logoutDecoder = new LogoutDecoder();
    private volatile boolean closed;

    private TraderSession(final Config config, final State state, final Clt<SbeMessage> clt)
    {
        this.config = config;
        this.state = state;
        this.clt = clt;
    }

    /**
     * Connects and logs in on the calling thread, then keeps the session alive in the background.
     *
     * @param config the trader's settings.
     * @return the logged-in session.
     * @throws LoginRejectedException if the gateway rejected the login.
     * @throws IOException            if no connection or no login answer came within the timeouts.
     */
    public static TraderSession connect(final Config config) throws IOException
    {
        config.validate();
        final State state = new State(config);
        final Context context = new Context()
            .name("trader-" + config.username)
            .maxFrameLength(config.maxFrameLength)
            .nanoClock(config.clock)
            .connectTimeout(config.connectTimeoutMs, TimeUnit.MILLISECONDS)
            .handshakeTimeout(config.loginTimeoutMs, TimeUnit.MILLISECONDS);
        if (config.transportProvider != null)
        {
            context.transportProvider(config.transportProvider);
        }
        final Reconnector.Listener<SbeMessage> listener = new Reconnector.Listener<>()
        {
            @Override
            public void onDisconnected(final Connection<SbeMessage> connection)
            {
                config.events.accept("connection lost: " + connection.closeReason() + " (" + connection.closeDetail() +
                    "); reconnecting");
            }

            @Override
            public void onGaveUp(final IOException lastFailure)
            {
                state.fatal("gave up reconnecting: " + lastFailure.getMessage());
                config.events.accept(state.fatal());
            }
        };
        try
        {
            final Clt<SbeMessage> clt = Clt.connect(config.gateway, id -> new TraderProtocol(state, config),
                Callback.none(), context, config.reconnectPolicy, listener);
            return new TraderSession(config, state, clt);
        }
        catch (final HandshakeException ex)
        {
            if (ex.getCause() instanceof LoginRejectedException)
            {
                throw (LoginRejectedException)ex.getCause();
            }
            throw ex;
        }
    }

    /**
     * One attempt to send an application message (NewOrder or Cancel); its seqNo is stamped and it is journaled
     * for resending if taken.
     *
     * @param message encoded with {@link SbeMessage#encode}; its seqNo field is overwritten.
     * @return {@link Status#OK} (taken), {@link Status#BACK_PRESSURED} (nothing taken, retry),
     * {@link Status#NOT_CONNECTED} (reconnecting: retry) or {@link Status#CLOSED} (finished).
     */
    public Status send(final SbeMessage message)
    {
        if (isFinished())
        {
            return Status.CLOSED;
        }
        return clt.send(message);
    }

    /**
     * One attempt to receive, then hands an in-sequence application message to the handler.
     *
     * @param handler receives it.
     * @return 1 if a message was handed over (or the session ended), 0 if nothing was.
     */
    public int poll(final Handler handler)
    {
        if (state.fatal() != null && !closed)
        {
            config.events.accept("session finished: " + state.fatal());
            close();
            return 1;
        }
        final SbeMessage message = clt.recv();
        if (message == null)
        {
            return 0;
        }
        final int templateId = message.templateId();
        if (OrderEntryCodecs.isSequenced(templateId))
        {
            final long seqNo = OrderEntryCodecs.seqNo(message);
            final long expected = state.lastSeqNoSeen + 1;
            if (Long.compareUnsigned(seqNo, expected) < 0)
            {
                state.duplicates++;
                return 0;
            }
            if (seqNo != expected)
            {
                state.gaps++;
                clt.connection().closeWith(CloseReason.PROTOCOL_ERROR, "sequence gap: expected gateway seqNo " +
                    expected + ", got " + Long.toUnsignedString(seqNo) + "; the reconnect's replay fills it");
                return 0;
            }
            state.lastSeqNoSeen = seqNo;
            handler.onMessage(message);
            return 1;
        }
        if (templateId == LogoutDecoder.TEMPLATE_ID)
        {
            final String text = OrderEntry.text(message.wrap(logoutDecoder));
            state.fatal("the gateway ended the session: " + text);
            config.events.accept(state.fatal());
            closed = true;
            clt.close();
            return 1;
        }
        clt.connection().closeWith(CloseReason.PROTOCOL_ERROR, "template " + templateId + " is not for a trader " +
            "after login");
        return 0;
    }

    /**
     * Closes the connection as if the network had failed: a reconnect and the replay follow. For tests.
     */
    public void dropConnection()
    {
        clt.connection().closeWith(CloseReason.IO_ERROR, "dropped on purpose");
    }

    /**
     * @return true once the session is over: closed here, ended by the gateway, or failed for good.
     */
    public boolean isFinished()
    {
        return closed || state.fatal() != null || clt.isClosed();
    }

    /**
     * @return why the session failed or was ended by the gateway, or {@code null}.
     */
    public String failure()
    {
        return state.fatal();
    }

    /**
     * @return true while a logged-in connection is in place.
     */
    public boolean isConnected()
    {
        return clt.isConnected();
    }

    /**
     * @return the highest gateway seqNo handed to the application.
     */
    public long lastSeqNoSeen()
    {
        return state.lastSeqNoSeen;
    }

    /**
     * @return the gateway's session id.
     */
    public long sessionId()
    {
        return state.sessionId();
    }

    /**
     * @return the heartbeat interval the gateway announced, in milliseconds.
     */
    public long gatewayHeartbeatMs()
    {
        return state.gatewayHeartbeatMs;
    }

    /**
     * @return successful logins after the first.
     */
    public int reconnects()
    {
        return Math.max(0, state.logins - 1);
    }

    /**
     * @return messages resent to the gateway after reconnects.
     */
    public long resent()
    {
        return state.resent;
    }

    /**
     * @return gateway messages dropped as duplicates.
     */
    public long duplicatesDropped()
    {
        return state.duplicates;
    }

    /**
     * @return sequence gaps detected (each closed the connection so the replay filled it).
     */
    public long gapsDetected()
    {
        return state.gaps;
    }

    /**
     * @return the connection's identity now.
     */
    public String describeConnection()
    {
        return clt.id().local() + " -> " + clt.id().remote();
    }

    /**
     * Ends the session: sends a Logout, writes what is pending within the linger timeout, closes, and stops
     * reconnecting.
     */
    @Override
    public void close()
    {
        closed = true;
        clt.close();
    }

    /**
     * What must outlive a connection: the last gateway seqNo seen, the journal of sent messages, the session id.
     *
     * <p>Thread-safety: the counters and fields read across threads are volatile; the journal is written by the
     * trader's thread while connected and read by the reconnect thread while not (the clt hands a new
     * connection over only after its login, so the two never overlap).
     */
    static final class State
    {
        private final Config config;
        private final Journal journal;
        volatile long lastSeqNoSeen;
        private volatile long sessionId;
        private volatile String fatal;
        volatile long gatewayHeartbeatMs;
        volatile int logins;
        volatile long resent;
        volatile long duplicates;
        volatile long gaps;

        State(final Config config)
        {
            this.config = config;
            this.journal = new Journal(config.journalMessages, config.journalBytes, 1);
        }

        long lastSeqNoSeen()
        {
            return lastSeqNoSeen;
        }

        Journal journal()
        {
            return journal;
        }

        long sessionId()
        {
            return sessionId;
        }

        String fatal()
        {
            return fatal;
        }

        void fatal(final String why)
        {
            if (fatal == null)
            {
                fatal = why;
            }
        }

        void rejected(final LoginRejectedException rejection)
        {
            // The first login's rejection is thrown to the caller of connect; later ones happen in the background.
            if (logins > 0)
            {
                if (!rejection.isTransient())
                {
                    fatal(rejection.getMessage());
                }
                config.events.accept(rejection.getMessage());
            }
        }

        void loggedIn(final long session, final long nextSeqNo, final long heartbeatMs, final int resentNow)
        {
            sessionId = session;
            gatewayHeartbeatMs = heartbeatMs;
            logins++;
            resent += resentNow;
            config.events.accept("logged in: session " + session + ", gateway expects seqNo " + nextSeqNo +
                ", resent " + resentNow + ", last gateway seqNo seen " + lastSeqNoSeen + ", heartbeat " + heartbeatMs +
                " ms");
        }
    }

    /**
     * The trader's settings: fluent setters with defaults, validated once.
     *
     * <p>Thread-safety: configure on one thread before {@link #connect}.
     */
    public static final class Config
    {
        private SocketAddress gateway;
        private String username;
        private String password;
        private long heartbeatIntervalMs = 1_000;
        private long connectTimeoutMs = 5_000;
        private long loginTimeoutMs = 5_000;
        private int maxFrameLength = 4_096;
        private int journalMessages = 16_384;
        private int journalBytes = 2 * 1024 * 1024;
        private ReconnectPolicy reconnectPolicy = ReconnectPolicy.backoff(20, 1_000, TimeUnit.MILLISECONDS)
            .maxAttempts(30);
        private NanoClock clock = SystemNanoClock.INSTANCE;
        private TransportProvider transportProvider;
        private String logoutText = "trader done";
        private Consumer<String> events = line -> { };

        /**
         * @param address of the gateway.
         * @return this.
         */
        public Config gateway(final SocketAddress address)
        {
            this.gateway = Objects.requireNonNull(address, "address");
            return this;
        }

        /**
         * @param name US-ASCII user name.
         * @return this.
         */
        public Config username(final String name)
        {
            this.username = Objects.requireNonNull(name, "name");
            return this;
        }

        String username()
        {
            return username;
        }

        /**
         * @param secret US-ASCII password.
         * @return this.
         */
        public Config password(final String secret)
        {
            this.password = Objects.requireNonNull(secret, "secret");
            return this;
        }

        String password()
        {
            return password;
        }

        /**
         * @param millis heartbeat interval to send at and ask the gateway for (default 1000).
         * @return this.
         */
        public Config heartbeatIntervalMs(final long millis)
        {
            this.heartbeatIntervalMs = millis;
            return this;
        }

        long heartbeatIntervalMs()
        {
            return heartbeatIntervalMs;
        }

        /**
         * @param millis how long each connection attempt may keep trying (default 5000).
         * @return this.
         */
        public Config connectTimeoutMs(final long millis)
        {
            this.connectTimeoutMs = millis;
            return this;
        }

        /**
         * @param millis how long the gateway has to answer a Login, resends included (default 5000).
         * @return this.
         */
        public Config loginTimeoutMs(final long millis)
        {
            this.loginTimeoutMs = millis;
            return this;
        }

        /**
         * @param messages most sent messages kept for resending (default 16384); more than the orders in flight.
         * @return this.
         */
        public Config journalMessages(final int messages)
        {
            this.journalMessages = messages;
            return this;
        }

        /**
         * @param bytes most bytes kept for resending (default 2 MiB).
         * @return this.
         */
        public Config journalBytes(final int bytes)
        {
            this.journalBytes = bytes;
            return this;
        }

        /**
         * @param policy when to reconnect (default: 20 ms doubling to 1 s, 30 attempts).
         * @return this.
         */
        public Config reconnectPolicy(final ReconnectPolicy policy)
        {
            this.reconnectPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * @param nanoClock for heartbeats, liveness and timeouts (inject one in tests).
         * @return this.
         */
        public Config clock(final NanoClock nanoClock)
        {
            this.clock = Objects.requireNonNull(nanoClock, "nanoClock");
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
         * @param text of the Logout sent on {@link TraderSession#close()}.
         * @return this.
         */
        public Config logoutText(final String text)
        {
            this.logoutText = Objects.requireNonNull(text, "text");
            return this;
        }

        String logoutText()
        {
            return logoutText;
        }

        /**
         * @param sink of session events (logins, lost connections), one line each; called from the trader's and
         *             the reconnect thread.
         * @return this.
         */
        public Config events(final Consumer<String> sink)
        {
            this.events = Objects.requireNonNull(sink, "sink");
            return this;
        }

        void validate()
        {
            Objects.requireNonNull(gateway, "gateway address");
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(password, "password");
            if (heartbeatIntervalMs < 10 || heartbeatIntervalMs > 60_000)
            {
                throw new IllegalArgumentException("heartbeat interval must be 10..60000 ms: " + heartbeatIntervalMs);
            }
        }
    }
}
