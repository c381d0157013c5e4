package dev.hayate.benchmarks.rig;

import java.io.IOException;

/**
 * The receiving side of a throughput test, in the parent JVM. Confined to the measuring thread that created it.
 */
public interface Sink extends AutoCloseable {
    /**
     * Waits (spinning or blocking, as the implementation does) until data arrives.
     *
     * @return bytes of whole or partial messages received since the last call ({@code 0} is allowed when a wait
     *         ended with nothing), or {@code -1} when the source has closed the connection (an error: the receiver
     *         ends the run by closing the sink)
     * @throws Exception on an I/O error
     */
    long receive() throws Exception;

    /**
     * Disconnects.
     *
     * @throws IOException when closing fails
     */
    @Override
    void close() throws IOException;
}
