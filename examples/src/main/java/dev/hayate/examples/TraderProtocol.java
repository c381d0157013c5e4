package dev.hayate.examples;

import java.util.concurrent.TimeUnit;

import dev.hayate.codec.SbeMessage;
import dev.hayate.codec.orderentry.OrderEntryCodecs;
import dev.hayate.codec.orderentry.sbe.HeartbeatDecoder;
import dev.hayate.codec.orderentry.sbe.LoginAcceptedDecoder;
import dev.hayate.codec.orderentry.sbe.LoginRejectReason;
import dev.hayate.codec.orderentry.sbe.LoginRejectedDecoder;
import dev.hayate.core.Codec;
import dev.hayate.core.Protocol;
import dev.hayate.core.Session;
import dev.hayate.core.Status;

/**
 * The trader's side of one connection: login (opening or resuming the session), resending what the gateway did
 * not get, stamping outbound sequence numbers, heartbeats and liveness. One instance per connection; the state
 * that must survive a reconnect — the last gateway seqNo seen and the journal of sent messages — lives in
 * {@link TraderSession.State}, outside it.
 *
 * <pre>
 *   Login(user, password, lastSeqNoSeen, hb) ──▶
 *        ◀── LoginAccepted(sessionId, nextSeqNo, hb)
 *   resend nextSeqNo..lastSent from the journal (same bytes, same seqNos) ──▶   still inside the handshake,
 *                                                                             so before any new order
 *        ◀── the gateway's replay of lastSeqNoSeen+1..., then new traffic
 * </pre>
 *
 * <p>Outbound seqNos: {@link #onSend} writes the next number into each application message (NewOrder, Cancel)
 * exactly once per message taken — the connection calls it once even when a send is retried after back
 * pressure — and {@link #onSent} journals the message with that number. {@code LoginAccepted.nextSeqNo} sets
 * the counter: for a new session it starts there; on a resume everything from there on is resent first.
 *
 * <p>Heartbeats: sent after {@code heartbeatIntervalMs} of silence (the interval this side asked for: the
 * connection's timer is set when it is built, before the gateway answers). The gateway is declared dead after
 * three times the larger of the two intervals without a frame. Heartbeats received are consumed here.
 *
 * <p>Thread-safety: {@link #onConnect} runs on the thread that connects (the caller for the first connection,
 * the reconnect thread later); the other hooks on the trader's thread once the connection is handed over.
 */
final class TraderProtocol implements Protocol<SbeMessage>
{
    private static final long LIVENESS_INTERVALS = 3;

    private final TraderSession.State state;
    private final TraderSession.Config config;
    private final Codec<SbeMessage> codec = OrderEntryCodecs.flyweights();
    private final SbeMessage heartbeat = OrderEntry.heartbeat();
    private final SbeMessage resend = new SbeMessage();
    private final LoginAcceptedDecoder acceptedDecoder = new LoginAcceptedDecoder();
    private final LoginRejectedDecoder rejectedDecoder = new LoginRejectedDecoder();
    private final long heartbeatIntervalNanos;
    private volatile boolean loggedIn;
    private volatile long livenessNanos;
    private long nextSeqNo;

    TraderProtocol(final TraderSession.State state, final TraderSession.Config config)
    {
        this.state = state;
        this.config = config;
        this.heartbeatIntervalNanos = TimeUnit.MILLISECONDS.toNanos(config.heartbeatIntervalMs());
    }

    @Override
    public Codec<SbeMessage> codec()
    {
        return codec;
    }

    @Override
    public void onConnect(final Session<SbeMessage> handshake) throws Exception
    {
        final long lastSeqNoSeen = state.lastSeqNoSeen();
        final Status sent = handshake.send(OrderEntry.login(lastSeqNoSeen, config.heartbeatIntervalMs(),
            config.username(), config.password()));
        if (sent != Status.OK)
        {
            throw new IllegalStateException("could not send Login: " + sent);
        }
        final SbeMessage answer = handshake.recv();
        if (answer == null)
        {
            throw new IllegalStateException("no answer to Login");
        }
        if (answer.templateId() == LoginRejectedDecoder.TEMPLATE_ID)
        {
            final LoginRejectedDecoder rejected = answer.wrap(rejectedDecoder);
            final LoginRejectReason reason = rejected.reason();
            final LoginRejectedException failure = new LoginRejectedException(reason, OrderEntry.text(rejected));
            state.rejected(failure);
            throw failure;
        }
        if (answer.templateId() != LoginAcceptedDecoder.TEMPLATE_ID)
        {
            throw new IllegalStateException("the gateway answered Login with template " + answer.templateId());
        }
        final LoginAcceptedDecoder accepted = answer.wrap(acceptedDecoder);
        final long sessionId = accepted.sessionId();
        final long gatewayNext = accepted.nextSeqNo();
        final long gatewayHeartbeatMs = accepted.heartbeatIntervalMs();
        final Journal journal = state.journal();
        final long knownSession = state.sessionId();
        int resent = 0;
        if (knownSession == 0)
        {
            journal.reset(gatewayNext);
        }
        else if (knownSession != sessionId)
        {
            state.fatal("session " + knownSession + " ended while the connection was down (the gateway opened " +
                "session " + sessionId + "): the messages sent in it cannot be recovered");
            throw new IllegalStateException(state.fatal());
        }
        else
        {
            final long lastSent = journal.nextSeqNo() - 1;
            if (gatewayNext > lastSent + 1 || gatewayNext < journal.firstSeqNo())
            {
                state.fatal("the gateway expects seqNo " + gatewayNext + " next, but this trader sent up to " +
                    lastSent + " and keeps " + journal.firstSeqNo() + ".." + lastSent + " to resend");
                throw new IllegalStateException(state.fatal());
            }
            nextSeqNo = gatewayNext;
            for (long seqNo = gatewayNext; seqNo <= lastSent; seqNo++)
            {
                journal.read(seqNo, resend);
                final Status status = handshake.send(resend);
                if (status != Status.OK)
                {
                    throw new IllegalStateException("could not resend seqNo " + seqNo + ": " + status);
                }
                resent++;
            }
        }
        nextSeqNo = gatewayNext + resent;
        livenessNanos = LIVENESS_INTERVALS * Math.max(heartbeatIntervalNanos,
            TimeUnit.MILLISECONDS.toNanos(gatewayHeartbeatMs));
        loggedIn = true;
        state.loggedIn(sessionId, gatewayNext, gatewayHeartbeatMs, resent);
    }

    @Override
    public void onSend(final SbeMessage message)
    {
        if (message != resend && isSequenced(message))
        {
            OrderEntryCodecs.stampSeqNo(message, nextSeqNo);
        }
    }

    @Override
    public void onSent(final SbeMessage message)
    {
        if (!isSequenced(message))
        {
            return;
        }
        if (message != resend)
        {
            state.journal().append(message.buffer(), message.offset(), message.length());
        }
        nextSeqNo++;
    }

    private static boolean isSequenced(final SbeMessage message)
    {
        return message.schemaId() == OrderEntryCodecs.SCHEMA_ID && OrderEntryCodecs.isSequenced(message.templateId());
    }

    /**
     * @return the seqNo the next application message gets.
     */
    long nextSeqNo()
    {
        return nextSeqNo;
    }

    @Override
    public long heartbeatIntervalNanos()
    {
        return heartbeatIntervalNanos;
    }

    @Override
    public SbeMessage heartbeat()
    {
        return loggedIn ? heartbeat : null;
    }

    @Override
    public boolean isConnected(final long nanosSinceLastReceive)
    {
        return !loggedIn || nanosSinceLastReceive < livenessNanos;
    }

    @Override
    public boolean consumes(final SbeMessage received)
    {
        return received.templateId() == HeartbeatDecoder.TEMPLATE_ID;
    }

    @Override
    public SbeMessage onDisconnect()
    {
        return loggedIn ? OrderEntry.logout(config.logoutText()) : null;
    }
}
