package dev.hayate.benchmarks.rig;

import java.io.IOException;

/**
 * The measuring side of a ping-pong, in the parent JVM. Confined to the measuring thread that created it.
 */
public interface PingClient extends AutoCloseable {
    /**
     * Sends one message of {@link Spec#size()} bytes and returns once the whole echoed message has been received.
     * Waits the way the implementation waits (spinning or blocking). The rig reads the clock just before and just
     * after this call, so everything inside it is measured.
     *
     * @throws Exception when the server has gone away or on an I/O error (never waits forever for a dead peer)
     */
    void roundTrip() throws Exception;

    /**
     * Disconnects; the server's {@link Server#serve()} then returns.
     *
     * @throws IOException when closing fails
     */
    @Override
    void close() throws IOException;
}
