package dev.hayate.relay;

import java.net.SocketAddress;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import dev.hayate.core.Context;

/**
 * What a producer or consumer needs to join a relay session: the relay's address, the session id, the end-to-end
 * secret shared with the other members of the session (never given to the relay), and, for a producer, its
 * {@link ProducerKey} and slow-consumer policy. Fluent setters, validated once by {@link #conclude()}.
 *
 * <pre>{@code
 * RelayClientConfig producer = new RelayClientConfig().relay(address).secret(secret).producerKey(key);
 * RelayClientConfig consumer = new RelayClientConfig().relay(address).secret(secret).sessionId(key.sessionId());
 * }</pre>
 *
 * <p>Thread-safety: configure on one thread, then share read-only.
 */
public final class RelayClientConfig
{
    private SocketAddress relay;
    private byte[] sessionId;
    private byte[] secret;
    private ProducerKey producerKey;
    private SlowConsumerPolicy policy = SlowConsumerPolicy.DISCONNECT;
    private byte[] relayKey;
    private Context context = new Context();
    private long sendTimeoutNanos = TimeUnit.SECONDS.toNanos(10);
    private boolean pipe;

    /**
     * @param address the relay's address.
     * @return this.
     */
    public RelayClientConfig relay(final SocketAddress address)
    {
        this.relay = address;
        return this;
    }

    /**
     * @return the relay's address.
     */
    public SocketAddress relay()
    {
        return relay;
    }

    /**
     * @param id the 16-byte session id (a producer's is its key's; see {@link ProducerKey#sessionId()}).
     * @return this.
     */
    public RelayClientConfig sessionId(final byte[] id)
    {
        this.sessionId = id.clone();
        return this;
    }

    /**
     * @return the session id.
     */
    public byte[] sessionId()
    {
        return sessionId;
    }

    /**
     * @param secret32 the 32-byte end-to-end secret the producer and its consumers share (for instance
     *                 {@link RelayCrypto#newSecret()} handed out of band); the relay never sees it.
     * @return this.
     */
    public RelayClientConfig secret(final byte[] secret32)
    {
        if (secret32.length != RelayCrypto.SECRET_LENGTH)
        {
            throw new IllegalArgumentException("the secret is 32 bytes, got " + secret32.length);
        }
        this.secret = secret32.clone();
        return this;
    }

    byte[] secret()
    {
        return secret;
    }

    /**
     * @param key the producer's credential; sets the session id to the key's. Only a producer sets it.
     * @return this.
     */
    public RelayClientConfig producerKey(final ProducerKey key)
    {
        this.producerKey = key;
        this.sessionId = key.sessionId();
        return this;
    }

    /**
     * @return the producer's credential, or {@code null} for a consumer.
     */
    public ProducerKey producerKey()
    {
        return producerKey;
    }

    /**
     * @param policy the session's slow-consumer policy (a producer's choice; default {@code DISCONNECT}).
     * @return this.
     */
    public RelayClientConfig policy(final SlowConsumerPolicy policy)
    {
        this.policy = Objects.requireNonNull(policy, "policy");
        return this;
    }

    /**
     * @return the slow-consumer policy a producer asks for.
     */
    public SlowConsumerPolicy policy()
    {
        return policy;
    }

    /**
     * @param identityKey the relay's 32-byte Ed25519 identity key to insist on (printed by {@code ./hayate relay});
     *                    without it any relay is accepted and control frames are protected only after the
     *                    handshake (against injection, not against a man in the middle of the handshake).
     * @return this.
     */
    public RelayClientConfig relayKey(final byte[] identityKey)
    {
        this.relayKey = identityKey.clone();
        return this;
    }

    /**
     * @return the pinned relay identity key, or {@code null}.
     */
    public byte[] relayKey()
    {
        return relayKey;
    }

    /**
     * @param context the engine's configuration (transport, buffer pool, maximum frame length, timeouts).
     * @return this.
     */
    public RelayClientConfig context(final Context context)
    {
        this.context = Objects.requireNonNull(context, "context");
        return this;
    }

    /**
     * @return the engine's configuration.
     */
    public Context context()
    {
        return context;
    }

    /**
     * @param timeout how long {@code broadcast} waits for room before answering {@code TIMED_OUT}.
     * @param unit    of the timeout.
     * @return this.
     */
    public RelayClientConfig sendTimeout(final long timeout, final TimeUnit unit)
    {
        this.sendTimeoutNanos = unit.toNanos(timeout);
        return this;
    }

    /**
     * @return the broadcast timeout in nanoseconds.
     */
    public long sendTimeoutNanos()
    {
        return sendTimeoutNanos;
    }

    /**
     * @return the largest payload one broadcast carries: the engine's maximum frame length less the frame's
     * overhead.
     */
    public int maxPayload()
    {
        return context.maxFrameLength() - RelayCodec.DATA_FRAME_OVERHEAD;
    }

    RelayClientConfig pipe(final boolean pipe)
    {
        this.pipe = pipe;
        return this;
    }

    boolean pipe()
    {
        return pipe;
    }

    /**
     * Validates.
     *
     * @return this.
     * @throws IllegalStateException if something required is missing.
     */
    public RelayClientConfig conclude()
    {
        if (relay == null || sessionId == null || (secret == null && !pipe))
        {
            throw new IllegalStateException("a relay client needs the relay's address, a session id and a secret");
        }
        if (sessionId.length != RelayCrypto.SESSION_ID_LENGTH)
        {
            throw new IllegalStateException("a session id is 16 bytes, got " + sessionId.length);
        }
        context.conclude();
        return this;
    }
}
