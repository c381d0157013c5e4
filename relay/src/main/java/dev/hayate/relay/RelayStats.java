package dev.hayate.relay;

import dev.hayate.core.stat.Counters;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * A relay's counters, allocated beside the engine's in the process's {@link Counters} (so {@code ./hayate stat}
 * prints them by label, and several relays in one process add up) and readable here.
 *
 * <p>Thread-safety: the relay's thread writes; any thread may read.
 */
public final class RelayStats implements AutoCloseable
{
    /** Agrona type ids of the relay's counters start here (the engine's use {@code 0x4859_0000}). */
    public static final int TYPE_ID_BASE = 0x4859_0100;

    /** The counters, in the order of their type ids. */
    public enum Counter
    {
        /** Sessions open now. */
        SESSIONS("relay: sessions"),
        /** Producers connected now. */
        PRODUCERS("relay: producers"),
        /** Consumers connected now. */
        CONSUMERS("relay: consumers"),
        /** Data frames received from producers. */
        FRAMES_IN("relay: frames in"),
        /** Data frames handed to consumers' connections. */
        FRAMES_FORWARDED("relay: frames forwarded"),
        /** Bytes of data frames handed to consumers' connections (frame bodies). */
        BYTES_FORWARDED("relay: bytes forwarded"),
        /**
         * Consumers disconnected for being slow: a full queue (policy DISCONNECT), or shed to free frame-pool memory
         * while they held the most unread frames.
         */
        SLOW_DISCONNECTS("relay: slow consumers cut"),
        /** Frames dropped from slow consumers' queues (policy DROP_OLDEST). */
        FRAMES_DROPPED("relay: frames dropped"),
        /** Times a producer was left unread because a consumer had no room (policy BACK_PRESSURE). */
        PRODUCER_STALLS("relay: producer stalls"),
        /** Clients refused: the relay held its maximum number of sessions. */
        REFUSED_SESSIONS("relay: refused, sessions"),
        /** Clients refused: the session held its maximum number of consumers. */
        REFUSED_CONSUMERS("relay: refused, consumers"),
        /** Producers refused: the session already had a live producer. */
        REFUSED_PRODUCERS("relay: refused, producer"),
        /**
         * Handshakes refused: a producer credential that did not prove itself (a key not of the session, or a
         * signature that does not verify). Timeouts and malformed handshakes have counters of their own.
         */
        REFUSED_PROOFS("relay: refused, credential"),
        /** Bytes queued for consumers now (pool memory held by queued frames, counted per consumer). */
        QUEUED_BYTES("relay: queued bytes"),
        /** The most bytes one consumer's queue has held. */
        QUEUE_HIGH_WATER("relay: queue high water"),
        /** Pool memory held by frames now (each shared frame counted once). */
        FRAME_BYTES("relay: frame bytes held"),
        /** Ends of byte pipes (transfers carried through the relay) connected now. */
        PIPE_ENDS("relay: pipe ends"),
        // Appended, never inserted: a counter's type id is TYPE_ID_BASE plus its ordinal, and stat readers of
        // older builds know the earlier ones by id.
        /** Handshakes that did not finish within the engine's handshake timeout (silent or slow clients). */
        HANDSHAKE_TIMEOUTS("relay: handshake timeouts"),
        /**
         * Handshakes that failed for anything but time or a credential: an unsupported version, an unexpected or
         * undecodable message, a client that closed half way.
         */
        HANDSHAKES_MALFORMED("relay: handshakes malformed"),
        /** Connections closed for breaking the protocol after the handshake (by the relay or by the engine). */
        PROTOCOL_ERRORS("relay: protocol errors"),
        /**
         * Consumers (or pipe ends) cut for blocking a BACK_PRESSURE session longer than
         * {@link RelayContext#stallTimeoutNanos()}.
         */
        STALL_DISCONNECTS("relay: stalled consumers cut"),
        /**
         * Producers closed because the frame pool had no buffer for their frame even after the consumers holding
         * the most unread frames were shed (each shed consumer counts in {@link #SLOW_DISCONNECTS}).
         */
        POOL_EXHAUSTED("relay: producers cut, pool exhausted"),
        /**
         * Sessions closed for having neither a producer nor a paired pipe for
         * {@link RelayContext#idleSessionTimeoutNanos()}.
         */
        IDLE_SESSIONS_CLOSED("relay: idle sessions closed");

        private final String label;

        Counter(final String label)
        {
            this.label = label;
        }

        /**
         * @return the label a stat reader prints.
         */
        public String label()
        {
            return label;
        }
    }

    private final AtomicCounter[] counters = new AtomicCounter[Counter.values().length];

    RelayStats(final Counters engineCounters)
    {
        for (final Counter counter : Counter.values())
        {
            counters[counter.ordinal()] = engineCounters.newCounter(counter.label(), TYPE_ID_BASE + counter.ordinal());
        }
    }

    /**
     * @param counter which.
     * @return its value now.
     */
    public long get(final Counter counter)
    {
        return counters[counter.ordinal()].get();
    }

    AtomicCounter counter(final Counter counter)
    {
        return counters[counter.ordinal()];
    }

    void add(final Counter counter, final long delta)
    {
        counters[counter.ordinal()].getAndAddRelease(delta);
    }

    void increment(final Counter counter)
    {
        counters[counter.ordinal()].incrementRelease();
    }

    void highWater(final Counter counter, final long value)
    {
        counters[counter.ordinal()].proposeMaxRelease(value);
    }

    @Override
    public void close()
    {
        for (final AtomicCounter counter : counters)
        {
            counter.close();
        }
    }

    @Override
    public String toString()
    {
        final StringBuilder out = new StringBuilder("RelayStats(");
        for (final Counter counter : Counter.values())
        {
            out.append(counter.name().toLowerCase(java.util.Locale.ROOT)).append('=').append(get(counter)).append(' ');
        }
        return out.append(')').toString();
    }
}
