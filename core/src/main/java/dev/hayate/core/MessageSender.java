package dev.hayate.core;

import java.util.concurrent.TimeUnit;

/**
 * The sending contract the waiting faces share (a whole {@code Clt} and a {@code CltSender} half, of the
 * nonblocking and the blocking face alike): sends bounded by a timeout or a {@link Deadline}, and writing
 * what a timed send left. How the caller's thread waits meanwhile is the endpoint's {@link WaitStrategy}.
 *
 * <p>Thread-safety: one sending thread.
 *
 * @param <T> the message type.
 */
public interface MessageSender<T>
{
    /**
     * Sends, waiting until the frame is taken and written, or the timeout.
     *
     * @param message to send; encoded during the call.
     * @param timeout longest wait.
     * @param unit    of the timeout.
     * @return {@link Status#OK} once taken (never retry after OK; if bytes remain unwritten at the deadline
     * {@link #hasPendingSend()} is true and they go out on later calls), {@link Status#TIMED_OUT} if it could
     * not be taken in time (nothing sent: safe to retry), {@link Status#NOT_CONNECTED} (a reconnecting client
     * found no connection in time), {@link Status#CLOSED}.
     */
    Status send(T message, long timeout, TimeUnit unit);

    /**
     * Sends, waiting until taken and written, or the deadline.
     *
     * @param message  to send.
     * @param deadline shared with other operations.
     * @return as {@link #send(Object, long, TimeUnit)}.
     */
    Status send(T message, Deadline deadline);

    /**
     * Writes bytes of frames already taken, waiting until none are left or the timeout.
     *
     * @param timeout longest wait.
     * @param unit    of the timeout.
     * @return {@link Status#OK}, {@link Status#TIMED_OUT} or {@link Status#CLOSED}.
     */
    Status flush(long timeout, TimeUnit unit);

    /**
     * @return true while bytes of taken frames wait to be written.
     */
    boolean hasPendingSend();

    /**
     * @return true once (finally) closed.
     */
    boolean isClosed();
}
