package dev.hayate.transfer;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * Told when a listening {@link TransferSender} is bound, to make it findable (LAN discovery:
 * {@code dev.hayate.transfer.discovery.Announcer#hook}); what it returns is closed as soon as a receiver has
 * paired or the send has ended, so nothing keeps announcing a sender that is busy or gone.
 *
 * <p>Thread-safety: called on the sending thread; the handle is closed on a thread of its own, so a slow close
 * (mDNS goodbyes) does not hold up the transfer.
 */
@FunctionalInterface
public interface ListenHook
{
    /**
     * @param bound the sender's listening address (the port to announce).
     * @return what to close when pairing is over.
     * @throws IOException if it cannot start; the send then fails as a network failure.
     */
    AutoCloseable onListening(InetSocketAddress bound) throws IOException;
}
