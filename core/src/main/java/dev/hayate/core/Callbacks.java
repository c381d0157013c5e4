package dev.hayate.core;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

import org.agrona.concurrent.NanoClock;

/**
 * Ready-made callbacks: a logger, counters, a latency recorder, and a chain of them.
 *
 * <p>Thread-safety: every callback here is safe for concurrent use, except {@link LatencyRecorder}, which
 * pairs sends with receives and belongs to one connection.
 */
public final class Callbacks
{
    static final Callback<Object> NONE = new Callback<>()
    {
    };

    private Callbacks()
    {
    }

    /**
     * Calls several callbacks in order.
     *
     * @param callbacks to call.
     * @param <T>       the message type.
     * @return the chain.
     */
    @SafeVarargs
    public static <T> Callback<T> chain(final Callback<T>... callbacks)
    {
        final java.util.List<Callback<T>> list = new java.util.ArrayList<>(callbacks.length);
        for (final Callback<T> callback : callbacks)
        {
            list.add(java.util.Objects.requireNonNull(callback, "callback"));
        }
        return new Callback<>()
        {
            @Override
            public void onRecv(final ConId id, final T message)
            {
                for (int i = 0; i < list.size(); i++)
                {
                    list.get(i).onRecv(id, message);
                }
            }

            @Override
            public void onSent(final ConId id, final T message)
            {
                for (int i = 0; i < list.size(); i++)
                {
                    list.get(i).onSent(id, message);
                }
            }
        };
    }

    /**
     * Logs every message at the given level through {@link System.Logger}. For debugging: it formats the
     * message, which allocates.
     *
     * @param logger to log to.
     * @param level  of each line.
     * @param <T>    the message type.
     * @return the callback.
     */
    public static <T> Callback<T> logger(final Logger logger, final Level level)
    {
        return new Callback<>()
        {
            @Override
            public void onRecv(final ConId id, final T message)
            {
                if (logger.isLoggable(level))
                {
                    logger.log(level, "{0} recv {1}", id, message);
                }
            }

            @Override
            public void onSent(final ConId id, final T message)
            {
                if (logger.isLoggable(level))
                {
                    logger.log(level, "{0} sent {1}", id, message);
                }
            }
        };
    }

    /**
     * Counts messages sent and received.
     *
     * @param <T> the message type.
     */
    public static final class Counter<T> implements Callback<T>
    {
        private final AtomicLong received = new AtomicLong();
        private final AtomicLong sent = new AtomicLong();

        @Override
        public void onRecv(final ConId id, final T message)
        {
            received.incrementAndGet();
        }

        @Override
        public void onSent(final ConId id, final T message)
        {
            sent.incrementAndGet();
        }

        /**
         * @return messages received so far.
         */
        public long received()
        {
            return received.get();
        }

        /**
         * @return messages sent so far.
         */
        public long sent()
        {
            return sent.get();
        }
    }

    /**
     * Records the time from each send to the next receive on one connection: the round trip of a
     * request/response protocol. Values go to a {@link LongConsumer} in nanoseconds, for example
     * {@code histogram::recordValue}. Allocates nothing.
     *
     * @param <T> the message type.
     */
    public static final class LatencyRecorder<T> implements Callback<T>
    {
        private final NanoClock clock;
        private final LongConsumer recorder;
        private volatile long sentAt = Long.MIN_VALUE;

        /**
         * @param clock    time source.
         * @param recorder receives each round trip in nanoseconds.
         */
        public LatencyRecorder(final NanoClock clock, final LongConsumer recorder)
        {
            this.clock = clock;
            this.recorder = recorder;
        }

        @Override
        public void onSent(final ConId id, final T message)
        {
            if (sentAt == Long.MIN_VALUE)
            {
                sentAt = clock.nanoTime();
            }
        }

        @Override
        public void onRecv(final ConId id, final T message)
        {
            if (sentAt != Long.MIN_VALUE)
            {
                recorder.accept(clock.nanoTime() - sentAt);
                sentAt = Long.MIN_VALUE;
            }
        }
    }
}
