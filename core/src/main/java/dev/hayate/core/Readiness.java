package dev.hayate.core;

import java.io.IOException;

import dev.hayate.core.transport.Transport;

/**
 * Something a thread can wait on in the kernel until it may be ready: a transport, a pool of connections, an
 * acceptor, a reconnector. A {@link WaitStrategy} that parks in the kernel calls it; one that spins or yields
 * never does.
 *
 * <p>Thread-safety: as the thing waited on; a transport allows one reading and one writing waiter.
 */
@FunctionalInterface
public interface Readiness
{
    /**
     * Waits until ready, the timeout, or an interrupt. A spurious early return is allowed: the caller tries
     * again.
     *
     * @param forWrite     true to wait for room to write, false for something to read.
     * @param timeoutNanos longest wait, at least 1.
     * @throws IOException if the thing waited on failed or closed; the caller's next attempt reports it.
     */
    void awaitReady(boolean forWrite, long timeoutNanos) throws IOException;

    /**
     * @param transport to wait on.
     * @return its readiness: {@link Transport#awaitWritable} or {@link Transport#awaitReadable}.
     */
    static Readiness of(final Transport transport)
    {
        return (forWrite, timeoutNanos) ->
        {
            if (forWrite)
            {
                transport.awaitWritable(timeoutNanos);
            }
            else
            {
                transport.awaitReadable(timeoutNanos);
            }
        };
    }
}
