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
import dev.hayate.core.Connector;
import dev.hayate.core.Context;
import dev.hayate.core.ProtocolFactory;
import dev.hayate.core.Status;
import dev.hayate.core.transport.IoPoller;

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
 * <p>Futures complete on the runtime's completion executor (see {@link AsyncRuntime}), never blocking an
 * I/O thread. Received messages are detached from the receive buffer ({@link Codec#detach}), so they
 * stay valid.
 *
 * <p>Thread-safety: every method may be called from any thread, concurrently.
 *
 * @param <T> the message type.
 */
public final class Clt<T> implements AutoCloseable, IoLoop.Work
{
    private final Connection<T> connection;
    private final AsyncRuntime runtime;
    private final IoLoop loop;
    private final Codec<T> codec;
    private final Queue<PendingSend<T>> sends = new ConcurrentLinkedQueue<>();
    private final Queue<PendingRecv<T>> recvRequests = new ConcurrentLinkedQueue<>();
    private final ArrayDeque<PendingRecv<T>> recvs = new ArrayDeque<>();
    private final ArrayDeque<CompletableFuture<Void>> awaitingFlush = new ArrayDeque<>();
    private final AtomicInteger outstandingSends = new AtomicInteger();
    private final AtomicInteger outstandingRecvs = new AtomicInteger();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final CompletableFuture<CloseReason> closeFuture = new CompletableFuture<>();
    private final long lingerNanos;
    private IoPoller.Registration registration;
    private IoLoop.Timer lingerTimer;
    private IoLoop.Timer dutyTimer;
    private volatile boolean closing;
    private boolean finished;

    Clt(final Connection<T> connection, final Context context, final AsyncRuntime runtime)
    {
        this.connection = connection;
        this.lingerNanos = context.lingerTimeoutNanos();
        this.runtime = runtime;
        this.loop = runtime.nextLoop();
        this.codec = connection.codec();
        loop.execute(this::register);
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
     * @return a future of the connected client, failing with the connect error.
     */
    public static <T> CompletableFuture<Clt<T>> connect(final SocketAddress remote, final ProtocolFactory<T> protocols,
        final Callback<T> callback, final Context context, final AsyncRuntime runtime)
    {
        final CompletableFuture<Clt<T>> future = new CompletableFuture<>();
        runtime.completionExecutor().execute(() ->
        {
            try
            {
                future.complete(new Clt<>(Connector.connect(remote, protocols, callback, context), context, runtime));
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
     * @param message to send; encoded on the I/O thread, so leave it unchanged until the future completes.
     * @return completes when the frame is written; fails with {@link BackPressureException},
     * {@link ConnectionClosedException}, or {@link IllegalArgumentException} if the message does not fit a frame.
     */
    public CompletableFuture<Void> send(final T message)
    {
        if (closing || connection.isClosed())
        {
            return CompletableFuture.failedFuture(new ConnectionClosedException(
                connection.isClosed() ? connection.closeReason() : CloseReason.LOCAL,
                connection.isClosed() ? connection.closeDetail() : "close() was called"));
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
     * Receives the next message within a timeout.
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
        if (outstandingRecvs.incrementAndGet() > runtime.maxOutstandingRecvs())
        {
            outstandingRecvs.decrementAndGet();
            return CompletableFuture.failedFuture(new BackPressureException(
                runtime.maxOutstandingRecvs() + " receives already outstanding on " + connection.id()));
        }
        final PendingRecv<T> recv = new PendingRecv<>(new CompletableFuture<>(), timeoutNanos);
        recvRequests.offer(recv);
        scheduleWork();
        return recv.future;
    }

    private void scheduleWork()
    {
        if (scheduled.compareAndSet(false, true))
        {
            loop.schedule(this);
        }
    }

    private void register()
    {
        loop.join(this);
        try
        {
            registration = connection.transport().register(loop.poller(), this);
        }
        catch (final IOException ex)
        {
            connection.closeWith(CloseReason.IO_ERROR, "cannot register with the I/O loop: " + ex.getMessage());
        }
        process();
    }

    @Override
    public void run()
    {
        scheduled.set(false);
        process();
    }

    @Override
    public void onReady(final int readyOps)
    {
        process();
    }

    @Override
    public void onLoopClosed()
    {
        connection.closeWith(CloseReason.LOCAL, "the async runtime was closed");
        finish();
    }

    private void process()
    {
        if (finished || registration == null)
        {
            return;
        }
        takeRecvRequests();
        try
        {
            writeSends();
            deliverMessages();
        }
        catch (final RuntimeException ex)
        {
            // A callback or protocol hook threw: the connection cannot be trusted to be in sync.
            connection.closeWith(CloseReason.PROTOCOL_ERROR, "hook or callback failed: " + ex);
        }
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
        scheduleDuties();
    }

    private void scheduleDuties()
    {
        if (!connection.isTimed())
        {
            return;
        }
        if (dutyTimer != null)
        {
            dutyTimer.cancelled = true;
        }
        // Heartbeats and the liveness rule run on the loop even when nobody sends or receives.
        final long next = connection.doWork(connection.clock().nanoTime());
        if (connection.isClosed())
        {
            finish();
        }
        else if (next != Long.MAX_VALUE)
        {
            dutyTimer = loop.addTimer(Math.max(1, next), this::process);
        }
    }

    private void lingerThenClose()
    {
        if (sends.isEmpty() && !connection.hasPendingSend())
        {
            connection.close();
        }
        else if (lingerTimer == null)
        {
            lingerTimer = loop.addTimer(lingerNanos, () ->
            {
                connection.closeWith(CloseReason.LOCAL, "closed locally; linger timeout expired with sends unwritten");
                process();
            });
        }
    }

    private void takeRecvRequests()
    {
        PendingRecv<T> request;
        while ((request = recvRequests.poll()) != null)
        {
            recvs.addLast(request);
            if (request.timeoutNanos >= 0)
            {
                final PendingRecv<T> timed = request;
                request.timer = loop.addTimer(request.timeoutNanos, () -> expire(timed));
            }
        }
    }

    private void expire(final PendingRecv<T> recv)
    {
        if (recvs.remove(recv))
        {
            outstandingRecvs.decrementAndGet();
            final TimeoutException timeout = new TimeoutException("no message within " +
                TimeUnit.NANOSECONDS.toMillis(recv.timeoutNanos) + " ms on " + connection.id());
            runtime.complete(() -> recv.future.completeExceptionally(timeout));
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
            final Status status;
            try
            {
                status = connection.trySend(send.message);
            }
            catch (final IllegalArgumentException ex)
            {
                sends.poll();
                outstandingSends.decrementAndGet();
                final CompletableFuture<Void> failed = send.future;
                runtime.complete(() -> failed.completeExceptionally(ex));
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
            final CompletableFuture<Void> done = future;
            runtime.complete(() -> done.complete(null));
        }
    }

    private void deliverMessages()
    {
        PendingRecv<T> recv;
        while ((recv = recvs.peekFirst()) != null)
        {
            if (recv.future.isDone())
            {
                // Cancelled by its owner: it takes no message.
                dropRecv();
                continue;
            }
            final T decoded = connection.tryRecv();
            if (decoded == null)
            {
                return;
            }
            final T message = codec.detach(decoded);
            dropRecv();
            final CompletableFuture<T> future = recv.future;
            runtime.complete(() -> future.complete(message));
        }
    }

    private void dropRecv()
    {
        final PendingRecv<T> recv = recvs.pollFirst();
        outstandingRecvs.decrementAndGet();
        if (recv.timer != null)
        {
            recv.timer.cancelled = true;
        }
    }

    private void finish()
    {
        if (finished)
        {
            return;
        }
        finished = true;
        if (lingerTimer != null)
        {
            lingerTimer.cancelled = true;
        }
        if (dutyTimer != null)
        {
            dutyTimer.cancelled = true;
        }
        if (registration != null)
        {
            registration.cancel();
        }
        loop.leave(this);
        final ConnectionClosedException closed = new ConnectionClosedException(connection.closeReason(),
            connection.closeDetail());
        takeRecvRequests();
        PendingRecv<T> recv;
        while ((recv = recvs.pollFirst()) != null)
        {
            if (recv.timer != null)
            {
                recv.timer.cancelled = true;
            }
            final CompletableFuture<T> future = recv.future;
            runtime.complete(() -> future.completeExceptionally(closed));
        }
        PendingSend<T> send;
        while ((send = sends.poll()) != null)
        {
            final CompletableFuture<Void> future = send.future;
            runtime.complete(() -> future.completeExceptionally(closed));
        }
        CompletableFuture<Void> flushing;
        while ((flushing = awaitingFlush.poll()) != null)
        {
            final CompletableFuture<Void> future = flushing;
            runtime.complete(() -> future.completeExceptionally(closed));
        }
        final CloseReason reason = connection.closeReason();
        runtime.complete(() -> closeFuture.complete(reason));
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

    private static final class PendingRecv<T>
    {
        final CompletableFuture<T> future;
        final long timeoutNanos;
        IoLoop.Timer timer;

        PendingRecv(final CompletableFuture<T> future, final long timeoutNanos)
        {
            this.future = future;
            this.timeoutNanos = timeoutNanos;
        }
    }
}
