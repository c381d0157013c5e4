package dev.hayate.transfer;

import java.net.SocketAddress;
import java.time.Duration;

/**
 * Where a dialling {@link TransferReceiver} finds senders to try: a fixed address, or LAN discovery
 * ({@code dev.hayate.transfer.discovery.Discovery}) handing out each sender whose announcement matches the code.
 * A candidate that fails to pair (a spoofed announcement, a sender with another code) costs nothing but that
 * attempt: the receiver asks for the next one until its accept timeout.
 *
 * <p>Thread-safety: {@link #next} is called from the receiving thread only; {@link #close()} once, when a sender
 * has paired (then on a thread of its own, so a slow close does not hold up the transfer) or the receive ended.
 */
public interface SenderSource extends AutoCloseable
{
    /**
     * Waits for the next sender to try.
     *
     * @param timeout longest wait.
     * @return its listening address, or null when none came in time.
     * @throws InterruptedException if interrupted while waiting.
     */
    SocketAddress next(Duration timeout) throws InterruptedException;

    /** Stops looking; the default does nothing. */
    @Override
    default void close()
    {
    }

    /**
     * @param address the sender's listening address.
     * @return a source that hands out {@code address} once.
     */
    static SenderSource of(final SocketAddress address)
    {
        final SocketAddress[] left = {address};
        return timeout ->
        {
            final SocketAddress a = left[0];
            left[0] = null;
            return a;
        };
    }
}
