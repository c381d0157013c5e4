package dev.hayate.quic;

/**
 * What a {@link QuicStream} asks of the backend stream under it. The stream keeps the buffers,
 * deadlines and state; the backend moves bytes between those buffers and the QUIC stack.
 *
 * <p>Thread-safety: every method may be called from any thread and must not block.
 */
interface BackendStream
{
    /**
     * The send queue gained data or a pending FIN: drain it.
     */
    void sendReady();

    /**
     * The receive queue has room again: resume reading from the QUIC stack.
     */
    void receiveReady();

    /**
     * Abandons both directions: {@code RESET_STREAM} and {@code STOP_SENDING} with the code.
     *
     * @param errorCode application error code.
     */
    void abort(long errorCode);
}
