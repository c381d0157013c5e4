package dev.hayate.benchmarks.rig;

import java.io.IOException;

/**
 * The side of a run that lives in the child JVM: the echo side of a ping-pong or the source of a throughput
 * test. Used by one thread, the child's main thread, in the order {@code bind}, {@code serve}, {@code close}.
 */
public interface Server extends AutoCloseable {
    /**
     * Opens the listening side on 127.0.0.1 (an ephemeral port, or for non-TCP transports whatever the client
     * needs) and returns at once.
     *
     * @return the address the client side needs, one line of text (for TCP: the port number); the child prints
     *         it after {@code port } on stdout
     * @throws Exception when it cannot listen
     */
    String bind() throws Exception;

    /**
     * Accepts one client and serves it, then returns.
     * <ul>
     *   <li>ping-pong: read each whole message of {@link Spec#size()} bytes and send it back unchanged before
     *       reading the next; return when the client disconnects;</li>
     *   <li>throughput: send messages of {@link Spec#size()} bytes as fast as the transport takes them until the
     *       receiver closes the connection (a failed write is that normal end, not an error) or, at the latest,
     *       until {@link Spec#sendNanos()} has passed; then close and return.</li>
     * </ul>
     *
     * @throws Exception on an I/O error
     */
    void serve() throws Exception;

    /**
     * Releases everything; also called after a failure and from the child's shutdown hook.
     *
     * @throws IOException when releasing fails
     */
    @Override
    void close() throws IOException;
}
