package dev.hayate.transfer;

import java.io.IOException;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import dev.hayate.blocking.Clt;
import dev.hayate.blocking.Svc;
import dev.hayate.transfer.wire.TransferMessage;

/**
 * The listening side's wait for its one peer, shared by a listening receiver and a listening sender: accept until
 * a peer pairs, end at the first wrong code (one online guess per code, as magic-wormhole does), the deadline or a
 * cancel.
 *
 * <p>Thread-safety: stateless; called from the transfer's thread.
 */
final class Rendezvous
{
    private Rendezvous()
    {
    }

    /**
     * @param svc       bound with a gate of one connection.
     * @param attempts  the protocol of every connection the service has started pairing.
     * @param timeoutNanos how long to wait for a peer that pairs.
     * @param cancelled read between polls.
     * @param peer      "sender" or "receiver", for the messages.
     * @return the paired connection.
     * @throws TransferException on a wrong code, the timeout or a cancel.
     * @throws IOException if accepting fails.
     */
    static Clt<TransferMessage> acceptOne(final Svc<TransferMessage> svc, final Queue<TransferProtocol> attempts,
        final long timeoutNanos, final BooleanSupplier cancelled, final String peer) throws IOException
    {
        final long deadline = System.nanoTime() + timeoutNanos;
        while (true)
        {
            if (cancelled.getAsBoolean())
            {
                throw new TransferException(Failure.CANCELLED, "cancelled while waiting for the " + peer);
            }
            final Clt<TransferMessage> clt = svc.accept(100, TimeUnit.MILLISECONDS);
            if (clt != null)
            {
                return clt;
            }
            for (final TransferProtocol attempt : attempts)
            {
                final Exception failure = attempt.failure();
                if (failure instanceof TransferException te && te.failure() == Failure.WRONG_CODE)
                {
                    throw te;
                }
            }
            if (System.nanoTime() - deadline > 0)
            {
                throw new TransferException(Failure.TIMEOUT, "no " + peer + " paired within " +
                    TimeUnit.NANOSECONDS.toSeconds(timeoutNanos) + " s");
            }
        }
    }
}
