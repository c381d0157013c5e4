package dev.hayate.async;

import java.io.IOException;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.hayate.core.Callback;
import dev.hayate.core.CloseReason;
import dev.hayate.core.Codec;
import dev.hayate.core.ConId;
import dev.hayate.core.Connection;
import dev.hayate.core.Context;
import dev.hayate.core.ProtocolFactory;
import dev.hayate.core.Status;
import dev.hayate.core.internal.Connector;
import dev.hayate.core.loop.DutyLoop;
import dev.hayate.core.transport.IoPoller;
import org.agrona.ErrorHandler;

/**
 * An asynchronous client connection: every operation returns a {@link CompletableFuture} at once and
 * an I/O loop of the {@link AsyncRuntime} does the work, so a handful of threads serve thousands of
 * connections.
 *
 * <pre>{@code
 * Clt<Order> clt = Clt.connect(address, ProtocolFactory.of(OrderCodec::new), new Context(), AsyncRuntime.shared()).join();
 * clt.send(order)
 *    .thenCompose(sent -> clt.recv(1, TimeUnit.SECONDS))
 *    .thenAccept(report -> ...);
 * }</pre>
 *
 * <ul>
 *   <li>{@link #send} completes once the frame is written to the transport. The message is encoded on
 *       the I/O thread: do not change it before the future completes.</li>
 *   <li>{@link #recv()} completes with the next message, in the order the receives were asked for;
 *       {@link #recv(long, TimeUnit)} fails with {@link TimeoutException} when the time is up, and a
 *       message arriving later goes to the next receive, never lost.</li>
 *   <li>Back pressure: at most {@code maxOutstandingSends} sends and {@code maxOutstandingRecvs} receives
 *       wait per connection; one more fails at once with {@link BackPressureException}. Nothing is read
 *       from the socket while no receive waits, so a slow consumer slows the peer through TCP rather
 *       than filling memory.</li>
 *   <li>A closed connection fails every waiting future with {@link ConnectionClosedException}.</li>
 * </ul>
 *
 * <p>Futures complete on the connection's I/O thread by default, so continuations attached with the
 * non-{@code Async} methods run there and must never block; see {@link AsyncRuntime} for the rule and for
 * {@code completeOnIoThread(false)}. Received messages are detached from the receive buffer
 * ({@link Codec#detach}), so they stay valid.
 *
 * <p>A protocol hook or callback that throws on the I/O thread closes this connection only
 * ({@link CloseReason#PROTOCOL_ERROR}, the cause in {@link #closeDetail()}), reported to the context's error
 * handler. If its I/O loop dies, every waiting future fails at once with {@link ConnectionClosedException}
 * and later calls fail at once too.
 *
 * <p>Thread-safety: every method may be called from any thread, concurrently.
 *
 * @param <T> the message type.
 */
public final class Clt<T> implements AutoCloseable
{
    private final Connection<T> connection;
    private final AsyncRuntime runtime;
    private final DutyLoop loop;
    private final Codec<T> codec;
    private final ErrorHandler errorHandler;
    private final LoopMember member = new LoopMember();
    private final Queue<PendingSend<T>> sends = new ConcurrentLinkedQueue<>();
    private final Queue<PendingRecv> recvRequests = new ConcurrentLinkedQueue<>();
    private final ArrayDeque<PendingRecv> recvs = new ArrayDeque<>();
    private final ArrayDeque<CompletableFuture<Void>> awaitingFlush = new ArrayDeque<>();
    private final AtomicInteger outstandingSends = new AtomicInteger();
    private final AtomicInteger outstandingRecvs = new AtomicInteger();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicBoolean finished = new AtomicBoolean();
    private final CompletableFuture<CloseReason> closeFuture = new CompletableFuture<>();
    private final long lingerNanos;
    private final DutyLoop.Timer dutyTimer = new DutyLoop.Timer(member)
    {
        @Override
        protected void onExpiry(final long nowNanos)
        {
            runDuties(nowNanos);
        }
    };
    private final DutyLoop.Timer lingerTimer = new DutyLoop.Timer(member)
    {
        @Override
        protected void onExpiry(final long nowNanos)
        {
            connection.closeWith(CloseReason.LOCAL, "closed locally; linger timeout expired with sends unwritten");
            process(false);
        }
    };
    private IoPoller.Registration registration;
    private volatile boolean closing;

    Clt(final Connection<T> connection, final Context context, final AsyncRuntime runtime)
    {
        this.connection = connection;
        this.lingerNanos = context.lingerTimeoutNanos();
        this.errorHandler = context.errorHandler();
        this.runtime = runtime;
        this.codec = connection.codec();
        DutyLoop chosen;
        try
        {
            chosen = runtime.nextLoop();
        }
        catch (final IllegalStateException ex)
        {
            connection.closeWith(CloseReason.LOCAL, ex.getMessage());
            chosen = null;
        }
        this.loop = chosen;
        if (loop == null || !loop.join(member) || !loop.execute(this::register))
        {
            connection.closeWith(CloseReason.LOCAL, "its I/O loop does not run");
            finish();
        }
    }

    /**
     * Connects on a connect thread, retrying while the service refuses, up to the context's timeout.
     *
     * @param remote    address of the service.
     * @param protocols makes the connection's protocol.
     * @param callback  observes messages; runs on the I/O thread and must not block.
     * @param context   configuration.
     * @param runtime   the threads to run on.
     * @param <T>       the message type.
     * @return a future of the connected client (completed on the completion executor), failing with the connect
     * error, or with {@link IllegalStateException} if no I/O loop of the runtime runs.
     */
    public static <T> CompletableFuture<Clt<T>> connect(final SocketAddress remote, final ProtocolFactory<T> protocols,
        final Callback<T> callback, final Context context, final AsyncRuntime runtime)
    {
        final CompletableFuture<Clt<T>> future = new CompletableFuture<>();
        if (runtime.runningLoops() == 0)
        {
            future.completeExceptionally(new IllegalStateException("no I/O loop of the async runtime runs"));
            return future;
        }
        runtime.completionExecutor().execute(() ->
        {
            try
            {
                final Clt<T> clt = new Clt<>(Connector.connect(remote, protocols, callback, context), context, runtime);
                if (clt.loop == null)
                {
                    future.completeExceptionally(new IllegalStateException(clt.closeDetail()));
                }
                else
                {
                    future.complete(clt);
                }
            }
            catch (final IOException | RuntimeException ex)
            {
                future.completeExceptionally(ex);
            }
        });
        return future;
    }

    /**
     * Connects with no callback.
     *
     * @param remote    address of the service.
     * @param protocols makes the connection's protocol.
     * @param context   configuration.
     * @param runtime   the threads to run on.
     * @param <T>       the message type.
     * @return a future of the connected client.
     */
    public static <T> CompletableFuture<Clt<T>> connect(final SocketAddress remote, final ProtocolFactory<T> protocols,
        final Context context, final AsyncRuntime runtime)
    {
        return connect(remote, protocols, Callback.none(), context, runtime);
    }

    /**
     * Sends a message.
     *
     * @param message to send; encoded on the I/O thread, so leave it unchanged until the future completes. A
     *                future cancelled before the message's turn drops the message unsent; cancelling races with
     *                an encoding already under way, so a message being cancelled is still not to be changed.
     * @return completes when the frame is written; fails with {@link BackPressureException},
     * {@link ConnectionClosedException}, or {@link IllegalArgumentException} if the message does not fit a frame.
     */
    public CompletableFuture<Void> send(final T message)
    {
        if (closing || connection.isClosed())
        {
            return CompletableFuture.failedFuture(closedException());
        }
        if (outstandingSends.incrementAndGet() > runtime.maxOutstandingSends())
        {
            outstandingSends.decrementAndGet();
            return CompletableFuture.failedFuture(new BackPressureException(
                runtime.maxOutstandingSends() + " sends already outstanding on " + connection.id()));
        }
        final PendingSend<T> send = new PendingSend<>(message, new CompletableFuture<>());
        sends.offer(send);
        scheduleWork();
        return send.future;
    }

    /**
     * Receives the next message.
     *
     * @return completes with the message; fails with {@link ConnectionClosedException} or
     * {@link BackPressureException}.
     */
    public CompletableFuture<T> recv()
    {
        return requestRecv(-1);
    }

    /**
     * Receives the next message within a timeout, timed on the runtime's clock.
     *
     * @param timeout longest wait.
     * @param unit    of the timeout.
     * @return completes with the message; fails with {@link TimeoutException} when the time is up (the
     * connection stays open), or as {@link #recv()}.
     */
    public CompletableFuture<T> recv(final long timeout, final TimeUnit unit)
    {
        return requestRecv(Math.max(0, unit.toNanos(timeout)));
    }

    private CompletableFuture<T> requestRecv(final long timeoutNanos)
    {
        if (finished.get())
        {
            return CompletableFuture.failedFuture(closedException());
        }
        if (outstandingRecvs.incrementAndGet() > runtime.maxOutstandingRecvs())
        {
            outstandingRecvs.decrementAndGet();
            return CompletableFuture.failedFuture(new BackPressureException(
                runtime.maxOutstandingRecvs() + " receives already outstanding on " + connection.id()));
        }
        final PendingRecv recv = new PendingRecv(new CompletableFuture<>(), timeoutNanos);
        recvRequests.offer(recv);
        scheduleWork();
        return recv.future;
    }

    private ConnectionClosedException closedException()
    {
        return connection.isClosed() ? new ConnectionClosedException(connection.closeReason(), connection.closeDetail()) :
            new ConnectionClosedException(CloseReason.LOCAL, "close() was called");
    }

    private void scheduleWork()
    {
        if (scheduled.compareAndSet(false, true) && loop != null && loop.schedule(member))
        {
            return;
        }
        if (loop == null || !loop.isRunning())
        {
            // The loop is gone (closed or dead): nobody else will ever take these requests.
            failRequestsOffLoop();
        }
    }

    /**
     * Fails what callers queued after the loop stopped. The queues are concurrent and each request is taken once,
     * so this may run beside the loop's own last sweep.
     */
    private void failRequestsOffLoop()
    {
        final Throwable cause = loop == null ? null : loop.deathCause();
        connection.closeWith(CloseReason.LOCAL, cause == null ? "its I/O loop was closed" : "its I/O loop died: " + cause);
        final ConnectionClosedException closed = new ConnectionClosedException(connection.closeReason(),
            connection.closeDetail());
        PendingRecv recv;
        while ((recv = recvRequests.poll()) != null)
        {
            outstandingRecvs.decrementAndGet();
            recv.future.completeExceptionally(closed);
        }
        PendingSend<T> send;
        while ((send = sends.poll()) != null)
        {
            outstandingSends.decrementAndGet();
            send.future.completeExceptionally(closed);
        }
    }

    private void register()
    {
        try
        {
            registration = connection.transport().register(loop.poller(), member);
            if (connection.isTimed())
            {
                // One duty timer for the connection's life, re-armed when it fires: heartbeats and the liveness rule
                // run even when nobody sends or receives, and the wheel never holds more than this one for them.
                loop.arm(dutyTimer, loop.clock().nanoTime());
            }
        }
        catch (final IOException ex)
        {
            // Closed before it got here (a TLS handshake the server's driver failed, a peer already gone): without a
            // registration process() never runs, so the futures are failed now, not left to wait for ever.
            if (ex instanceof java.io.EOFException)
            {
                connection.closeWith(CloseReason.PEER_CLOSED, ex.getMessage());
            }
            else
            {
                connection.closeWith(CloseReason.IO_ERROR, "cannot register with the I/O loop: " + ex.getMessage());
            }
            finish();
            return;
        }
        catch (final RuntimeException ex)
        {
            member.onFailure(ex);
            return;
        }
        // It may already hold bytes (a handshake read ahead): the reader's buffer is looked at without readiness.
        process(false);
    }

    /**
     * The connection as its I/O loop sees it; not part of the API.
     */
    private final class LoopMember implements DutyLoop.Member
    {
        @Override
        public void onWork()
        {
            scheduled.set(false);
            process(false);
        }

        @Override
        public void onReady(final int readyOps)
        {
            process((readyOps & IoPoller.READ) != 0);
        }

        @Override
        public void onFailure(final Throwable cause)
        {
            // A callback or protocol hook threw: this connection cannot be trusted to be in sync; the others can.
            connection.closeWith(CloseReason.PROTOCOL_ERROR, "a hook or callback failed on the I/O thread: " + cause);
            try
            {
                errorHandler.onError(cause);
            }
            finally
            {
                finish();
            }
        }

        @Override
        public void onLoopClosed(final Throwable cause)
        {
            connection.closeWith(CloseReason.LOCAL, cause == null ? "the async runtime was closed" :
                "its I/O loop died: " + cause);
            finish();
        }
    }

    /**
     * @param readable the poller reported the transport readable. Otherwise only frames already in the receive
     *                 buffer are delivered: a new receive sets the read interest, and the loop's next readiness
     *                 poll (later in this cycle, or the wait after it) reports data already waiting, so no read is
     *                 tried speculatively (an empty read per message is a system call the round trip does not
     *                 need).
     */
    private void process(final boolean readable)
    {
        if (finished.get())
        {
            if (!recvRequests.isEmpty() || !sends.isEmpty())
            {
                // A request queued as the connection finished, after finish() had failed the others.
                failQueued(closedException());
            }
            return;
        }
        if (registration == null)
        {
            // register() has not run yet; it ends with a process() of its own.
            return;
        }
        takeRecvRequests();
        writeSends();
        deliverMessages(readable);
        if (closing && !connection.isClosed())
        {
            lingerThenClose();
        }
        if (connection.isClosed())
        {
            finish();
            return;
        }
        final boolean wantWrite = connection.hasPendingSend() || !sends.isEmpty();
        final boolean wantRead = !recvs.isEmpty();
        registration.interestOps((wantWrite ? IoPoller.WRITE : 0) | (wantRead ? IoPoller.READ : 0));
    }

    private void runDuties(final long nowNanos)
    {
        final long next = connection.doWork(connection.clock().nanoTime());
        if (connection.isClosed())
        {
            process(false);
            finish();
        }
        else if (next != Long.MAX_VALUE)
        {
            loop.arm(dutyTimer, nowNanos + Math.max(1, next));
        }
    }

    private void lingerThenClose()
    {
        if (sends.isEmpty() && !connection.hasPendingSend())
        {
            connection.close();
        }
        else if (!lingerTimer.isArmed())
        {
            loop.arm(lingerTimer, loop.clock().nanoTime() + lingerNanos);
        }
    }

    private void takeRecvRequests()
    {
        PendingRecv request;
        while ((request = recvRequests.poll()) != null)
        {
            recvs.addLast(request);
            if (request.timeoutNanos >= 0)
            {
                loop.arm(request, loop.clock().nanoTime() + request.timeoutNanos);
            }
        }
    }

    private void expire(final PendingRecv recv)
    {
        if (recvs.remove(recv))
        {
            outstandingRecvs.decrementAndGet();
            runtime.fail(recv.future, new TimeoutException("no message within " +
                TimeUnit.NANOSECONDS.toMillis(recv.timeoutNanos) + " ms on " + connection.id()));
        }
    }

    private void writeSends()
    {
        if (connection.hasPendingSend())
        {
            final Status status = connection.flush();
            if (status != Status.OK)
            {
                return;
            }
        }
        completeFlushed();
        PendingSend<T> send;
        while ((send = sends.peek()) != null)
        {
            if (send.future.isDone())
            {
                // Cancelled (or timed out by the caller) before its turn: the caller may already be reusing the
                // message, so it is not encoded now.
                sends.poll();
                outstandingSends.decrementAndGet();
                continue;
            }
            final Status status;
            try
            {
                status = connection.trySend(send.message);
            }
            catch (final IllegalArgumentException ex)
            {
                sends.poll();
                outstandingSends.decrementAndGet();
                runtime.fail(send.future, ex);
                continue;
            }
            if (status == Status.BACK_PRESSURED || status == Status.CLOSED)
            {
                return;
            }
            sends.poll();
            outstandingSends.decrementAndGet();
            awaitingFlush.addLast(send.future);
            if (connection.hasPendingSend())
            {
                return;
            }
            completeFlushed();
        }
    }

    private void completeFlushed()
    {
        CompletableFuture<Void> future;
        while ((future = awaitingFlush.poll()) != null)
        {
            runtime.complete(future, null);
        }
    }

    private void deliverMessages(final boolean readable)
    {
        PendingRecv recv;
        while ((recv = recvs.peekFirst()) != null)
        {
            if (recv.future.isDone())
            {
                // Cancelled by its owner: it takes no message.
                dropRecv();
                continue;
            }
            if (!readable && !connection.hasBufferedInput())
            {
                return;
            }
            final T decoded = connection.tryRecv();
            if (decoded == null)
            {
                return;
            }
            final T message = codec.detach(decoded);
            dropRecv();
            runtime.complete(recv.future, message);
        }
    }

    private void dropRecv()
    {
        final PendingRecv recv = recvs.pollFirst();
        outstandingRecvs.decrementAndGet();
        loop.disarm(recv);
    }

    private void finish()
    {
        if (!finished.compareAndSet(false, true))
        {
            return;
        }
        if (loop != null)
        {
            loop.disarm(lingerTimer);
            loop.disarm(dutyTimer);
            loop.leave(member);
        }
        if (registration != null)
        {
            registration.cancel();
        }
        final ConnectionClosedException closed = new ConnectionClosedException(connection.closeReason(),
            connection.closeDetail());
        PendingRecv recv;
        while ((recv = recvs.pollFirst()) != null)
        {
            loop.disarm(recv);
            runtime.fail(recv.future, closed);
        }
        failQueued(closed);
        CompletableFuture<Void> flushing;
        while ((flushing = awaitingFlush.poll()) != null)
        {
            runtime.fail(flushing, closed);
        }
        runtime.complete(closeFuture, connection.closeReason());
    }

    /**
     * Fails the requests callers queued that the loop has not taken. Loop thread, once finished.
     */
    private void failQueued(final ConnectionClosedException closed)
    {
        PendingRecv recv;
        while ((recv = recvRequests.poll()) != null)
        {
            runtime.fail(recv.future, closed);
        }
        PendingSend<T> send;
        while ((send = sends.poll()) != null)
        {
            runtime.fail(send.future, closed);
        }
    }

    /**
     * @return completes with the close reason once the connection is closed and every future failed.
     */
    public CompletableFuture<CloseReason> closeFuture()
    {
        return closeFuture;
    }

    /**
     * @return true once closed, for any reason.
     */
    public boolean isClosed()
    {
        return connection.isClosed();
    }

    /**
     * @return why the connection closed, {@link CloseReason#NONE} while open.
     */
    public CloseReason closeReason()
    {
        return connection.closeReason();
    }

    /**
     * @return a readable explanation of the close, or {@code null} while open.
     */
    public String closeDetail()
    {
        return connection.closeDetail();
    }

    /**
     * @return this connection's identity.
     */
    public ConId id()
    {
        return connection.id();
    }

    /**
     * Closes gracefully: sends already asked for are written first (up to the context's linger timeout),
     * then the connection closes and waiting futures fail with {@link ConnectionClosedException}. Sends
     * asked for after this fail at once. Returns without waiting; see {@link #closeFuture()}.
     */
    @Override
    public void close()
    {
        if (!closing)
        {
            final T last = connection.takeLastMessage();
            if (last != null)
            {
                sends.offer(new PendingSend<>(last, new CompletableFuture<>()));
                outstandingSends.incrementAndGet();
            }
        }
        closing = true;
        scheduleWork();
    }

    /**
     * Unwraps the cause of a failed future for {@code exceptionally} handlers.
     *
     * @param failure as passed to a handler.
     * @return the original exception.
     */
    public static Throwable cause(final Throwable failure)
    {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    @Override
    public String toString()
    {
        return connection.toString();
    }

    private static final class PendingSend<T>
    {
        final T message;
        final CompletableFuture<Void> future;

        PendingSend(final T message, final CompletableFuture<Void> future)
        {
            this.message = message;
            this.future = future;
        }
    }

    /**
     * A receive request; it is its own timeout timer, so a timed receive allocates nothing more on the loop.
     */
    private final class PendingRecv extends DutyLoop.Timer
    {
        final CompletableFuture<T> future;
        final long timeoutNanos;

        PendingRecv(final CompletableFuture<T> future, final long timeoutNanos)
        {
            super(Clt.this.member);
            this.future = future;
            this.timeoutNanos = timeoutNanos;
        }

        @Override
        protected void onExpiry(final long nowNanos)
        {
            expire(this);
        }
    }
}
