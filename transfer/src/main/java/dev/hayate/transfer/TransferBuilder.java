package dev.hayate.transfer;

import java.time.Duration;
import java.util.Objects;

import dev.hayate.core.buffer.BufferPool;
import dev.hayate.core.transport.TcpTransportProvider;
import dev.hayate.core.transport.TransportProvider;
import dev.hayate.transfer.crypto.CodePhrase;

/**
 * What the sender's and the receiver's builders share: the code phrase, the transport, the listener, how long
 * the peer may stay silent, the pipeline depth, the buffer pool and resume.
 *
 * <p>Thread-safety: none; build on one thread.
 *
 * @param <B> the concrete builder, returned by every setter.
 */
public abstract class TransferBuilder<B extends TransferBuilder<B>>
{
    CodePhrase code;
    TransportProvider transport = new TcpTransportProvider();
    TransferListener listener = TransferListener.NONE;
    Duration idleTimeout = Duration.ofSeconds(60);
    int pipelineDepth = 4;
    BufferPool pool = BufferPool.shared();
    boolean resume = true;

    TransferBuilder()
    {
    }

    @SuppressWarnings("unchecked")
    private B self()
    {
        return (B)this;
    }

    /** @param phrase the code phrase both sides use. @return this. */
    public B code(final CodePhrase phrase)
    {
        this.code = phrase;
        return self();
    }

    /** @param provider the transport (TCP by default; a {@code QuicTransportProvider} for QUIC). @return this. */
    public B transport(final TransportProvider provider)
    {
        this.transport = Objects.requireNonNull(provider);
        return self();
    }

    /** @param l told of stages and progress. @return this. */
    public B listener(final TransferListener l)
    {
        this.listener = Objects.requireNonNull(l);
        return self();
    }

    /** @param timeout how long the peer may stay silent (pairing, chunks, the final confirmation). @return this. */
    public B idleTimeout(final Duration timeout)
    {
        this.idleTimeout = positive(timeout, "idle timeout");
        return self();
    }

    /**
     * @param slots chunks in flight between the network thread and the disk thread (memory: two chunk buffers
     *              each).
     * @return this.
     */
    public B pipelineDepth(final int slots)
    {
        if (slots < 1 || slots > 64)
        {
            throw new IllegalArgumentException("pipeline depth " + slots + " outside 1..64");
        }
        this.pipelineDepth = slots;
        return self();
    }

    /** @param bufferPool where chunk and connection buffers come from. @return this. */
    public B bufferPool(final BufferPool bufferPool)
    {
        this.pool = Objects.requireNonNull(bufferPool);
        return self();
    }

    /** @param on resume from (receiver) or into (sender) the part files of an earlier attempt. @return this. */
    public B resume(final boolean on)
    {
        this.resume = on;
        return self();
    }

    static Duration positive(final Duration d, final String what)
    {
        if (d == null || d.isNegative() || d.isZero())
        {
            throw new IllegalArgumentException(what + " must be positive: " + d);
        }
        return d;
    }
}
