package dev.hayate.transfer;

/**
 * Decides whether to accept an offer; the receiver asks it before writing anything.
 *
 * <p>Thread-safety: called once per transfer, on the receiving thread.
 */
@FunctionalInterface
public interface ConsentCallback
{
    /** Accepts every offer (the CLI's {@code --yes}). */
    ConsentCallback ACCEPT_ALL = offer -> true;

    /**
     * @param offer what the sender offers, already validated.
     * @return true to accept.
     */
    boolean accept(Offer offer);
}
