package dev.hayate.relay;

/**
 * Why a relay refused a client after its handshake (sent in an authenticated REFUSED control frame).
 *
 * <p>Thread-safety: immutable.
 */
public enum RefusalReason
{
    /** The relay holds its maximum number of sessions. */
    TOO_MANY_SESSIONS,
    /** The session holds its maximum number of consumers. */
    TOO_MANY_CONSUMERS,
    /** The session already has a live producer. */
    PRODUCER_PRESENT,
    /** The pipe session already has its two ends, or the session is of the other kind (broadcast or pipe). */
    SESSION_FULL,
    /** The relay is closing. */
    CLOSING;

    static RefusalReason of(final long code)
    {
        final RefusalReason[] values = values();
        return code >= 0 && code < values.length ? values[(int)code] : CLOSING;
    }
}
