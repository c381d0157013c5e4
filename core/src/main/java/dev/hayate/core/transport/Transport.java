package dev.hayate.core.transport;

import java.io.Closeable;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * One bidirectional byte stream: a TCP socket, a QUIC stream, an in-memory pipe. The flavours drive
 * every transport the same way, so a new transport needs no change above this interface.
 *
 * <p>{@link #read} and {@link #write} never block. Waiting is separate: {@link #awaitReadable} and
 * {@link #awaitWritable} block the calling thread (in the kernel where the transport can), and an
 * event loop learns of readiness through {@link #register}.
 *
 * <p>Thread-safety: one thread may read (and await readable) while another writes (and awaits
 * writable). {@link #close()} may be called from any thread and wakes both.
 */
public interface Transport extends Closeable
{
    /**
     * Reads what is available without blocking.
     *
     * @param dst buffer to fill from its position up to its limit.
     * @return bytes read, 0 when nothing is available, -1 at end of stream.
     * @throws IOException if the transport failed or is closed.
     */
    int read(ByteBuffer dst) throws IOException;

    /**
     * Writes what the transport accepts without blocking.
     *
     * @param src buffer to drain from its position up to its limit.
     * @return bytes written, possibly 0 when the transport is full.
     * @throws IOException if the transport failed or is closed.
     */
    int write(ByteBuffer src) throws IOException;

    /**
     * Blocks until a read would make progress (data, end of stream, or an error), the timeout expires,
     * or the transport is closed.
     *
     * @param timeoutNanos longest wait; 0 or negative means check once and return.
     * @return true if a read would make progress, false on timeout.
     * @throws IOException if the transport is closed or failed.
     */
    boolean awaitReadable(long timeoutNanos) throws IOException;

    /**
     * Blocks until a write would make progress, the timeout expires, or the transport is closed.
     *
     * @param timeoutNanos longest wait; 0 or negative means check once and return.
     * @return true if a write would make progress, false on timeout.
     * @throws IOException if the transport is closed or failed.
     */
    boolean awaitWritable(long timeoutNanos) throws IOException;

    /**
     * Registers this transport with an event loop's poller so it learns of readiness without a thread
     * per transport.
     *
     * @param poller     of the event loop; all calls on it happen on the loop's thread.
     * @param attachment handed back with every readiness event.
     * @return the registration, to change interest and to cancel.
     * @throws IOException if the transport cannot be registered ({@link java.io.EOFException} when the peer has
     *                     already left, as a TLS handshake can find before the owner registers the transport).
     */
    IoPoller.Registration register(IoPoller poller, Object attachment) throws IOException;

    /**
     * @return the local address, or {@code null} if unknown.
     */
    SocketAddress localAddress();

    /**
     * @return the remote address, or {@code null} if unknown.
     */
    SocketAddress remoteAddress();

    /**
     * @return false once closed locally or failed.
     */
    boolean isOpen();
}
