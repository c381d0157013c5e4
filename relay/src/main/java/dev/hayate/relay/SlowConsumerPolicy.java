package dev.hayate.relay;

/**
 * What a relay does when a consumer's queue has no room for the next frame, chosen per session by its producer.
 * Whatever the policy, a consumer's queue never holds more than the relay's {@code maxQueueBytes}.
 *
 * <p>Thread-safety: immutable.
 */
public enum SlowConsumerPolicy
{
    /** The slow consumer is disconnected and its queue freed; the others carry on (the default). */
    DISCONNECT,
    /** The oldest queued frames are dropped to make room; the consumer is sent a gap notice naming them. */
    DROP_OLDEST,
    /** The relay stops reading the producer until every consumer has room: the producer's sends push back. */
    BACK_PRESSURE;

    static SlowConsumerPolicy of(final int code)
    {
        final SlowConsumerPolicy[] values = values();
        if (code < 0 || code >= values.length)
        {
            throw new IllegalArgumentException("unknown slow-consumer policy " + code);
        }
        return values[code];
    }
}
