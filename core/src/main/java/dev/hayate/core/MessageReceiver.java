package dev.hayate.core;

import java.util.concurrent.TimeUnit;

/**
 * The receiving contract the waiting faces share (a whole {@code Clt} and a {@code CltRecver} half, of the
 * nonblocking and the blocking face alike): receives bounded by a timeout or a {@link Deadline}. A
 * {@code null} receive means "timed out" while {@link #isClosed()} is false and "closed" once it is true.
 * For a flyweight codec the message is valid until the next receive.
 *
 * <p>Thread-safety: one receiving thread.
 *
 * @param <T> the message type.
 */
public interface MessageReceiver<T>
{
    /**
     * Receives, waiting until a message arrives, the timeout expires, or the connection closes.
     *
     * @param timeout longest wait.
     * @param unit    of the timeout.
     * @return the message, or {@code null} on timeout or close ({@link #isClosed()} tells which).
     */
    T recv(long timeout, TimeUnit unit);

    /**
     * Receives, waiting until a message, the deadline, or close.
     *
     * @param deadline shared with other operations.
     * @return the message, or {@code null} on expiry or close.
     */
    T recv(Deadline deadline);

    /**
     * One attempt to receive a batch, without waiting: delivers the messages already received and those of at
     * most one read to the handler. For throughput — one call serves many messages; {@link #recv(Deadline)}
     * is for the next message.
     *
     * <pre>{@code
     * while (running)
     * {
     *     if (clt.poll(onOrder, 256) == 0) idle.idle();   // every poll takes a limit and returns the work done
     * }
     * }</pre>
     *
     * @param handler called once per message, on this thread; a flyweight message is valid only during the call.
     * @param limit   most messages delivered by this call.
     * @return messages delivered: 0 when none was complete, or closed ({@link #isClosed()} tells which).
     */
    int poll(MessageHandler<? super T> handler, int limit);

    /**
     * @return true once (finally) closed.
     */
    boolean isClosed();

    /**
     * @return why the (last) connection closed, {@link CloseReason#NONE} while open.
     */
    CloseReason closeReason();

    /**
     * @return a readable explanation of the close, or {@code null} while open.
     */
    String closeDetail();

    /**
     * @return the (current) connection's identity.
     */
    ConId id();
}
