package dev.hayate.transfer;

import java.io.IOException;
import java.net.SocketAddress;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import dev.hayate.blocking.Clt;
import dev.hayate.blocking.Svc;
import dev.hayate.core.Context;
import dev.hayate.transfer.wire.TransferMessage;

/**
 * The listening side's wait for its one peer, shared by a listening receiver and a listening sender: bind, then
 * accept until a peer pairs, ending at the first wrong code (one online guess per code, as magic-wormhole does),
 * the deadline or a cancel. The service stays open while the transfer runs (closing it closes its connections),
 * and its gate admits one connection, so nobody else gets in meanwhile.
 *
 * <pre>{@code
 * try (Rendezvous listening = Rendezvous.listen(address, context, () -> new TransferProtocol(...)))
 * {
 *     Clt<TransferMessage> paired = listening.acceptOne(timeoutNanos, () -> cancelled, "sender");
 *     // ... the transfer, on paired
 * }
 * }</pre>
 *
 * <p>Thread-safety: used by the transfer's thread only.
 */
final class Rendezvous implements AutoCloseable
{
    private final Svc<TransferMessage> svc;
    /** The protocol of every connection the service has started pairing, to see a wrong code as it happens. */
    private final Queue<TransferProtocol> attempts;

    private Rendezvous(final Svc<TransferMessage> svc, final Queue<TransferProtocol> attempts)
    {
        this.svc = svc;
        this.attempts = attempts;
    }

    /**
     * @param address     where to listen.
     * @param context     concluded, with a gate of one connection.
     * @param newProtocol one pairing protocol per connection.
     * @return the bound service.
     * @throws TransferException ({@link Failure#NETWORK}) if it cannot bind.
     */
    static Rendezvous listen(final SocketAddress address, final Context context,
        final Supplier<TransferProtocol> newProtocol) throws TransferException
    {
        final Queue<TransferProtocol> attempts = new ConcurrentLinkedQueue<>();
        try
        {
            return new Rendezvous(Svc.bind(address, id ->
            {
                final TransferProtocol protocol = newProtocol.get();
                attempts.add(protocol);
                return protocol;
            }, context), attempts);
        }
        catch (final IOException ex)
        {
            throw new TransferException(Failure.NETWORK, "cannot listen on " + address + ": " + ex.getMessage(),
                false, ex);
        }
    }

    /**
     * @return the bound address (the real port when an ephemeral one was asked for).
     */
    SocketAddress address()
    {
        return svc.localAddress();
    }

    /**
     * @param timeoutNanos how long to wait for a peer that pairs.
     * @param cancelled    read between polls.
     * @param peer         "sender" or "receiver", for the messages.
     * @return the paired connection.
     * @throws TransferException on a wrong code, the timeout, a cancel, or if accepting fails.
     */
    Clt<TransferMessage> acceptOne(final long timeoutNanos, final BooleanSupplier cancelled, final String peer)
        throws TransferException
    {
        final long deadline = System.nanoTime() + timeoutNanos;
        while (true)
        {
            if (cancelled.getAsBoolean())
            {
                throw new TransferException(Failure.CANCELLED, "cancelled while waiting for the " + peer);
            }
            final Clt<TransferMessage> clt;
            try
            {
                clt = svc.accept(100, TimeUnit.MILLISECONDS);
            }
            catch (final IOException ex)
            {
                throw new TransferException(Failure.NETWORK, "waiting for the " + peer + " failed: " +
                    ex.getMessage(), false, ex);
            }
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

    /** Closes the service and with it any connection it accepted. */
    @Override
    public void close()
    {
        svc.close();
    }
}
