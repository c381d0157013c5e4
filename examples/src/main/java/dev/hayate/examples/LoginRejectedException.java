package dev.hayate.examples;

import java.io.IOException;

import dev.hayate.codec.orderentry.sbe.LoginRejectReason;

/**
 * The gateway answered a Login with {@code LoginRejected}: wrong credentials, already logged in, a resume the
 * gateway cannot serve, or not available.
 *
 * <p>Thread-safety: immutable.
 */
public final class LoginRejectedException extends IOException
{
    private static final long serialVersionUID = 1L;

    private final transient LoginRejectReason reason;
    private final String text;

    /**
     * @param reason from the LoginRejected.
     * @param text   from the LoginRejected.
     */
    public LoginRejectedException(final LoginRejectReason reason, final String text)
    {
        super("login rejected: " + reason + ": " + text);
        this.reason = reason;
        this.text = text;
    }

    /**
     * @return why, as the gateway said.
     */
    public LoginRejectReason reason()
    {
        return reason;
    }

    /**
     * @return the gateway's explanation.
     */
    public String text()
    {
        return text;
    }

    /**
     * @return true if trying again may succeed ({@code ALREADY_LOGGED_IN}: the gateway may not have seen the
     * previous connection go yet).
     */
    public boolean isTransient()
    {
        return reason == LoginRejectReason.ALREADY_LOGGED_IN;
    }
}
