package dev.hayate.quic;

import java.io.IOException;

/**
 * A QUIC failure with a readable reason, the kind of failure and, where the peer or the application
 * gave one, its error code.
 *
 * <p>Thread-safety: immutable.
 */
public class QuicException extends IOException
{
    private static final long serialVersionUID = 1L;

    /** No error code was given. */
    public static final long NO_CODE = -1;

    /**
     * What went wrong, so callers can react without parsing messages.
     */
    public enum Kind
    {
        /** The TLS handshake failed: untrusted certificate, ALPN mismatch, timeout. */
        HANDSHAKE,
        /** The peer reset its sending side of the stream ({@code RESET_STREAM}); see {@link #errorCode()}. */
        STREAM_RESET,
        /** The peer asked us to stop sending ({@code STOP_SENDING}); see {@link #errorCode()}. */
        STREAM_STOPPED,
        /** The stream was closed or stopped locally. */
        LOCALLY_CLOSED,
        /** The connection closed: by the peer, locally, on idle timeout or on a transport error. */
        CONNECTION_CLOSED,
        /** Something else failed inside the QUIC stack. */
        INTERNAL
    }

    private final Kind kind;
    private final long errorCode;

    /**
     * @param kind      of failure.
     * @param errorCode application or transport error code, {@link #NO_CODE} when none.
     * @param reason    readable reason.
     * @param cause     underlying failure, may be null.
     */
    public QuicException(final Kind kind, final long errorCode, final String reason, final Throwable cause)
    {
        super(reason, cause);
        this.kind = kind;
        this.errorCode = errorCode;
    }

    /**
     * @param kind   of failure.
     * @param reason readable reason.
     */
    public QuicException(final Kind kind, final String reason)
    {
        this(kind, NO_CODE, reason, null);
    }

    /**
     * @return the kind of failure.
     */
    public Kind kind()
    {
        return kind;
    }

    /**
     * @return the application (or transport) error code, {@link #NO_CODE} when none was given or the
     *         backend cannot report it.
     */
    public long errorCode()
    {
        return errorCode;
    }

    /**
     * A stack's exception chain on one line for a message, since the QUIC stacks wrap the real cause several
     * levels deep: {@code SSLHandshakeException: ... <- CertificateException: ...}, capped near 600 characters.
     */
    static String describe(final Throwable cause)
    {
        final StringBuilder text = new StringBuilder();
        for (Throwable t = cause; t != null && text.length() < 600; t = t.getCause())
        {
            if (text.length() > 0)
            {
                text.append(" <- ");
            }
            text.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage());
        }
        return text.toString();
    }
}
