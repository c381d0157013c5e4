package dev.hayate.core;

import java.io.IOException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.function.Consumer;

import dev.hayate.core.buffer.BufferPool;
import dev.hayate.core.buffer.PooledBuffer;
import dev.hayate.core.frame.FrameReader;
import dev.hayate.core.frame.FrameWriter;
import dev.hayate.core.frame.Sofh;
import dev.hayate.core.stat.ConnectionCounters;
import dev.hayate.core.stat.Counters;
import dev.hayate.core.stat.Stat;
import dev.hayate.core.transport.Transport;
import org.agrona.concurrent.ManyToManyConcurrentArrayQueue;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The engine under every flavour: one transport, one receive buffer and one send buffer leased from the
 * pool, SOFH framing, the protocol's codec and hooks, and the callbacks. Every method makes at most one
 * attempt and never blocks; the flavours add the waiting (spinning, parking in the kernel, or an event
 * loop).
 *
 * <pre>
 *   trySend(msg) ─ onSend ─ encode into send buffer ─ commit ─ write ─▶ transport
 *   tryRecv()    ◀ decode ◀ next frame in receive buffer ◀ read ◀───── transport
 * </pre>
 *
 * <p>A frame is taken by {@link #trySend} whole or not at all. If the transport takes only part of it,
 * the rest goes out on the next {@link #flush()} or {@link #trySend}, before any later frame.
 *
 * <p>Control messages — heartbeats and the protocol's automatic replies — may be produced on the
 * receiving thread while another thread sends. They wait in a small queue that whoever holds the send half
 * drains (the receiving thread itself when the half is free, else the sender as it leaves), so they never
 * interleave inside another frame and never make the application's send wait for more than one frame.
 *
 * <p>Thread-safety: the send half ({@link #trySend}, {@link #flush()}) and the receive half
 * ({@link #tryRecv()}, {@link #doWork}) may each be used by one thread at a time, the two halves from
 * different threads. {@link #close()} may be called from any thread: the buffers are returned to the pool
 * only once neither half is in use. Using one half from two threads at once is detected and throws.
 *
 * @param <T> the message type.
 */
public final class Connection<T> implements AutoCloseable
{
    private final ConId id;
    private final Transport transport;
    private final Protocol<T> protocol;
    private final Codec<T> codec;
    private final Callback<T> callback;
    private final FrameReader reader;
    private final FrameWriter writer;
    private final UnsafeBuffer receiveBuffer;
    private final UnsafeBuffer sendBuffer;
    private final Half receiveHalf;
    private final Half sendHalf;
    private final CopyOnWriteArrayList<Consumer<Connection<T>>> closeListeners = new CopyOnWriteArrayList<>();
    private final ManyToManyConcurrentArrayQueue<T> controlQueue = new ManyToManyConcurrentArrayQueue<>(CONTROL_QUEUE_CAPACITY);
    private final NanoClock clock;
    private final long heartbeatIntervalNanos;
    private final boolean timed;
    private volatile CloseReason closeReason = CloseReason.NONE;
    private volatile boolean closing;
    private volatile String closeDetail;
    private volatile long lastSendNanos;
    private volatile long lastReceiveNanos;
    private final java.util.concurrent.atomic.AtomicBoolean lastMessageTaken = new java.util.concurrent.atomic.AtomicBoolean();
    private long messagesSent;
    private long messagesReceived;
    private long controlMessagesDropped;
    // Counters (dev.hayate.core.stat): process-wide events, and this connection's own traffic counters, each
    // written by one half's thread and folded into the totals once both halves are released.
    private final Counters counters;
    private final ConnectionCounters traffic;
    private final AtomicInteger halvesReleased = new AtomicInteger();

    private static final int CONTROL_QUEUE_CAPACITY = 64;

    @SuppressWarnings("rawtypes")
    private static final AtomicReferenceFieldUpdater<Connection, CloseReason> CLOSE_REASON =
        AtomicReferenceFieldUpdater.newUpdater(Connection.class, CloseReason.class, "closeReason");

    /**
     * Creates the engine for an established transport, leasing its buffers.
     *
     * @param role      initiator or acceptor.
     * @param transport connected; owned by the connection from now on (closed with it, also on failure).
     * @param protocols makes this connection's protocol.
     * @param callback  observes messages.
     * @param context   concluded configuration.
     * @throws dev.hayate.core.buffer.BufferPoolExhaustedException if no buffers are free within the
     *                                                             context's lease timeout.
     */
    public Connection(final ConId.Role role, final Transport transport, final ProtocolFactory<T> protocols,
        final Callback<T> callback, final Context context)
    {
        context.conclude();
        this.transport = transport;
        this.id = new ConId(role, context.name(), transport.localAddress(), transport.remoteAddress());
        PooledBuffer receive = null;
        PooledBuffer send = null;
        try
        {
            final BufferPool pool = context.bufferPool();
            final long leaseTimeout = context.bufferLeaseTimeoutNanos();
            receive = pool.lease(context.receiveBufferCapacity(), leaseTimeout, TimeUnit.NANOSECONDS);
            send = pool.lease(context.sendBufferCapacity(), leaseTimeout, TimeUnit.NANOSECONDS);
            this.protocol = protocols.create(id);
            this.codec = protocol.codec();
        }
        catch (final RuntimeException | Error ex)
        {
            // An Error too (a protocol factory's, or direct memory running out): neither buffers nor the socket
            // may leak when construction fails.
            if (receive != null)
            {
                receive.release();
            }
            if (send != null)
            {
                send.release();
            }
            closeQuietly(transport);
            throw ex;
        }
        this.callback = callback;
        this.receiveBuffer = receive.buffer();
        this.sendBuffer = send.buffer();
        this.reader = new FrameReader(receive.buffer(), receive.byteBuffer(), context.maxFrameLength(),
            context.encodingType());
        this.writer = new FrameWriter(send.buffer(), send.byteBuffer(), context.maxFrameLength(),
            context.encodingType());
        this.receiveHalf = new Half(receive, "receive");
        this.sendHalf = new Half(send, "send");
        this.clock = context.nanoClock();
        this.heartbeatIntervalNanos = Math.max(0, protocol.heartbeatIntervalNanos());
        this.timed = heartbeatIntervalNanos > 0 || Hooks.overridesIsConnected(protocol);
        final long now = clock.nanoTime();
        this.lastSendNanos = now;
        this.lastReceiveNanos = now;
        this.counters = context.counters();
        this.traffic = counters.newConnection(id.toString());
        counters.increment(Stat.CONNECTIONS_OPENED);
    }

    /**
     * Takes one message if there is room, and writes what the transport accepts now.
     *
     * @param message to send; the codec encodes it during the call, so it may be reused at once.
     * @return {@link Status#OK} if the frame was taken (the protocol's {@code onSend} and {@code onSent} ran; if
     * writing it then failed, the connection is now closed and the next call returns {@link Status#CLOSED}),
     * {@link Status#BACK_PRESSURED} if unsent bytes leave no room (nothing was taken, the protocol's {@code onSend}
     * did not run), {@link Status#CLOSED} (nothing was taken).
     * @throws IllegalArgumentException if the message does not fit in a frame of the maximum length.
     */
    public Status trySend(final T message)
    {
        if (!sendHalf.enter())
        {
            return Status.CLOSED;
        }
        try
        {
            return sendOne(message, true);
        }
        finally
        {
            sendHalf.exit();
        }
    }

    /**
     * Takes one message into the send buffer without writing it, unless the buffer is too full to take it
     * (then what is pending is written first). Batch several offers and one {@link #flush()}: many frames
     * leave in one system call, for throughput rather than latency.
     *
     * @param message to send; encoded during the call.
     * @return {@link Status#OK} if taken, {@link Status#BACK_PRESSURED} (nothing taken), {@link Status#CLOSED}.
     * @throws IllegalArgumentException if the message does not fit in a frame of the maximum length.
     */
    public Status offer(final T message)
    {
        if (!sendHalf.enter())
        {
            return Status.CLOSED;
        }
        try
        {
            return sendOne(message, false);
        }
        finally
        {
            sendHalf.exit();
        }
    }

    /**
     * Takes messages from a source into the send buffer without writing them, unless the buffer fills (then
     * what is pending is written first, once): the batch form of {@link #offer(Object)}, which enters the send
     * half once for the whole batch rather than once per message. Follow with {@link #flush()}.
     *
     * <pre>{@code
     * int taken = connection.offer(() -> encoder.nextQuote(), 256);   // a reused flyweight, or null: no more
     * connection.flush();
     * }</pre>
     *
     * <p>The batch's frames are added to the connection's traffic counters once, when it ends (also when it ends
     * by an exception), and the time of the last send (for heartbeats) is read once then too.
     *
     * @param source asked for the next message only when there is room for it; returns {@code null} to end the
     *               batch. Each message is encoded before the next is asked for, so a flyweight may be reused.
     * @param limit  most messages taken by this call; below 1, none is.
     * @return messages taken: fewer than {@code limit} when the source ended, the buffer stayed full (back
     * pressure, counted) or the connection is closed ({@link #isClosed()} tells which).
     * @throws IllegalArgumentException if a message does not fit in a frame of the maximum length.
     */
    public int offer(final java.util.function.Supplier<? extends T> source, final int limit)
    {
        if (limit < 1 || !sendHalf.enter())
        {
            return 0;
        }
        int taken = 0;
        long bytes = 0;
        try
        {
            while (taken < limit)
            {
                final int bodyOffset = claimRoom();
                if (bodyOffset < 0)
                {
                    break;
                }
                final T message;
                try
                {
                    message = source.get();
                }
                catch (final RuntimeException ex)
                {
                    // The claim must not outlive the batch: the next send would find it still open.
                    writer.abort();
                    throw ex;
                }
                if (message == null)
                {
                    writer.abort();
                    break;
                }
                bytes += encodeAndCommit(message, bodyOffset);
                taken++;
                afterSent(message);
            }
        }
        finally
        {
            if (taken > 0)
            {
                endSendBatch(taken, bytes);
            }
            sendHalf.exit();
        }
        return taken;
    }

    /** Counts frames taken (one, or a batch at its end) and notes the time, before the send half is left. */
    private void endSendBatch(final int frames, final long bytes)
    {
        traffic.onFramesOut(frames, bytes);
        if (timed)
        {
            // Only heartbeats and the liveness rule need the time; others skip the clock read.
            lastSendNanos = clock.nanoTime();
        }
    }

    /** Counts frames received (one, or a batch at its end) and notes the time, before the receive half is left. */
    private void endReceiveBatch(final int frames, final long bytes)
    {
        traffic.onFramesIn(frames, bytes);
        if (timed)
        {
            lastReceiveNanos = clock.nanoTime();
        }
    }

    /**
     * Claims room for a frame of the maximum length, writing what is pending first (once) if there is none.
     *
     * @return the body offset, {@code -1} under back pressure (counted), {@code -2} once closed.
     */
    private int claimRoom()
    {
        final int bodyOffset = writer.claim();
        if (bodyOffset >= 0)
        {
            return bodyOffset;
        }
        if (!flushOnce())
        {
            return -2;
        }
        final int retried = writer.claim();
        if (retried < 0)
        {
            counters.increment(Stat.BACK_PRESSURE);
        }
        return retried;
    }

    private Status sendOne(final T message, final boolean writeNow)
    {
        final int bodyOffset = claimRoom();
        if (bodyOffset < 0)
        {
            return bodyOffset == -1 ? Status.BACK_PRESSURED : Status.CLOSED;
        }
        endSendBatch(1, encodeAndCommit(message, bodyOffset));
        afterSent(message);
        // The frame is taken (onSend and onSent ran): that is what OK reports. A write that fails now closes the
        // connection and the next call says CLOSED; answering CLOSED here would invite a second copy of a message
        // a session protocol has already numbered and journaled.
        if (writeNow)
        {
            flushOnce();
        }
        return Status.OK;
    }

    /**
     * Runs {@code onSend}, encodes into the claimed frame and commits it. The caller then counts the frame (one
     * message, or a batch at its end), notes the time if {@link #timed}, and runs {@link #afterSent}.
     *
     * @return the frame's length, header included.
     */
    private int encodeAndCommit(final T message, final int bodyOffset)
    {
        final int bodyLength;
        try
        {
            protocol.onSend(message);
            bodyLength = codec.encode(message, sendBuffer, bodyOffset, writer.maxBodyLength());
        }
        catch (final RuntimeException ex)
        {
            writer.abort();
            throw ex;
        }
        writer.commit(bodyLength);
        messagesSent++;
        return bodyLength + Sofh.HEADER_LENGTH;
    }

    /** Runs {@code onSent} and the callback for a frame taken. */
    private void afterSent(final T message)
    {
        protocol.onSent(message);
        callback.onSent(id, message);
    }

    /**
     * Queues a control message (heartbeat, automatic reply) and sends it now if the send half is free;
     * otherwise the thread holding the send half sends it as it leaves. Never waits. Internal: only the engine
     * produces control messages.
     *
     * @param message to send; must stay unchanged until sent.
     * @return false if the control queue was full and the message was dropped (the peer is not reading).
     */
    boolean sendControl(final T message)
    {
        if (!controlQueue.offer(message))
        {
            controlMessagesDropped++;
            counters.increment(Stat.CONTROL_DROPPED);
            return false;
        }
        drainControl();
        return true;
    }

    private void drainControl()
    {
        while (!controlQueue.isEmpty() && sendHalf.tryEnterControl())
        {
            try
            {
                T message;
                while ((message = controlQueue.peek()) != null)
                {
                    if (sendOne(message, true) != Status.OK)
                    {
                        // Back pressure or close: it stays queued for the next holder, or dies with the connection.
                        return;
                    }
                    controlQueue.poll();
                }
            }
            finally
            {
                sendHalf.exitControl();
            }
        }
    }

    /**
     * The timed duties of a connection: sends a heartbeat when nothing was sent for the protocol's interval
     * and applies its liveness rule. The receiving faces call it while they wait, and the duty loops (async,
     * {@code PollHandler}) from one timer per connection armed for the returned delay; free when the protocol
     * has neither. Internal: applications do not need to call it.
     *
     * @param nowNanos the context clock's time.
     * @return nanoseconds until it next has something to do, or {@link Long#MAX_VALUE}.
     */
    public long doWork(final long nowNanos)
    {
        if (!timed || closeReason != CloseReason.NONE)
        {
            return Long.MAX_VALUE;
        }
        final long silence = nowNanos - lastReceiveNanos;
        if (!protocol.isConnected(silence))
        {
            closeWith(CloseReason.HEARTBEAT_TIMEOUT, "nothing received from the peer for " +
                TimeUnit.NANOSECONDS.toMillis(silence) + " ms");
            return Long.MAX_VALUE;
        }
        if (heartbeatIntervalNanos == 0)
        {
            return TimeUnit.MILLISECONDS.toNanos(100);
        }
        final long sinceSend = nowNanos - lastSendNanos;
        if (sinceSend >= heartbeatIntervalNanos)
        {
            final T heartbeat = protocol.heartbeat();
            if (heartbeat != null)
            {
                // Counted as sent even if queued behind a busy sender: one heartbeat per interval, not a burst.
                lastSendNanos = nowNanos;
                sendControl(heartbeat);
            }
            return heartbeatIntervalNanos;
        }
        return heartbeatIntervalNanos - sinceSend;
    }

    /**
     * Marks the connection as closing: a graceful close is lingering on the send half. A thread that then finds
     * the send half busy gets {@link Status#CLOSED} instead of the "in use by another thread" error, because a
     * close from a second thread (to cancel a sender) is not a misuse.
     */
    public void markClosing()
    {
        closing = true;
    }

    /**
     * Takes the protocol's last message ({@link Protocol#onDisconnect()}) once, for the face to send before
     * it closes.
     *
     * @return the last message, or {@code null} (none, or already taken).
     */
    public T takeLastMessage()
    {
        if (closeReason != CloseReason.NONE || !lastMessageTaken.compareAndSet(false, true))
        {
            return null;
        }
        return protocol.onDisconnect();
    }

    /**
     * @return the clock of this connection's context.
     */
    public NanoClock clock()
    {
        return clock;
    }

    /**
     * @return control messages dropped because the control queue was full.
     */
    public long controlMessagesDropped()
    {
        return controlMessagesDropped;
    }

    /**
     * @return true if {@link #doWork} has duties (heartbeats or a liveness rule).
     */
    public boolean isTimed()
    {
        return timed;
    }

    /**
     * Writes what the transport accepts now of the frames taken but not yet written.
     *
     * @return {@link Status#OK} when nothing is left to write, {@link Status#BACK_PRESSURED} when bytes remain,
     * {@link Status#CLOSED}.
     */
    public Status flush()
    {
        if (!sendHalf.enter())
        {
            return Status.CLOSED;
        }
        try
        {
            if (!flushOnce())
            {
                return Status.CLOSED;
            }
            return writer.hasPending() ? Status.BACK_PRESSURED : Status.OK;
        }
        finally
        {
            sendHalf.exit();
        }
    }

    private boolean flushOnce()
    {
        try
        {
            writer.flush(transport);
            return true;
        }
        catch (final IOException ex)
        {
            closeWith(CloseReason.IO_ERROR, "write failed: " + ex.getMessage());
            return false;
        }
    }

    /**
     * @return true while bytes of taken frames wait to be written.
     */
    public boolean hasPendingSend()
    {
        return writer.hasPending();
    }

    /**
     * Returns the next message: one already received, or else one read attempt.
     *
     * @return the message, or {@code null} when none is complete yet or the connection is closed
     * ({@link #isClosed()} tells which). For a flyweight codec the message is valid until the next call.
     */
    public T tryRecv()
    {
        if (timed)
        {
            doWork(clock.nanoTime());
        }
        if (!receiveHalf.enter())
        {
            return null;
        }
        try
        {
            boolean readOnce = false;
            while (true)
            {
                final int result = reader.next();
                if (result == FrameReader.FRAME)
                {
                    final T message = deliver();
                    if (message == null || !protocol.consumes(message))
                    {
                        return message;
                    }
                    continue;
                }
                if (result == FrameReader.ERROR)
                {
                    closeWith(CloseReason.PROTOCOL_ERROR, reader.errorMessage());
                    return null;
                }
                if (readOnce || closeReason != CloseReason.NONE || readMore() <= 0)
                {
                    return null;
                }
                readOnce = true;
            }
        }
        finally
        {
            receiveHalf.exit();
        }
    }

    /**
     * Delivers the messages already received, and those of at most one read, to a handler: the batch form of
     * {@link #tryRecv()}, which enters the receive half once for the whole batch rather than once per
     * message. For throughput; a consumer that wants the next message at once uses {@link #tryRecv()}.
     *
     * <p>The batch's frames are added to the connection's traffic counters once, when it ends (also when a
     * handler throws), and the time of the last receive (for the liveness rule) is read once then too.
     *
     * @param handler called once per message, on this thread; it may send on this connection.
     * @param limit   most messages delivered by this call; below 1, nothing is.
     * @return messages delivered, 0 when none was complete or the connection is closed.
     */
    public int poll(final MessageHandler<? super T> handler, final int limit)
    {
        if (timed)
        {
            doWork(clock.nanoTime());
        }
        if (!receiveHalf.enter())
        {
            return 0;
        }
        int delivered = 0;
        int frames = 0;
        long bytes = 0;
        try
        {
            boolean readOnce = false;
            while (delivered < limit && closeReason == CloseReason.NONE)
            {
                final int result = reader.next();
                if (result == FrameReader.FRAME)
                {
                    final T message = decode();
                    if (message == null)
                    {
                        break;
                    }
                    frames++;
                    bytes += reader.frameLength();
                    afterReceived(message);
                    if (!protocol.consumes(message))
                    {
                        delivered++;
                        handler.onMessage(message);
                    }
                    continue;
                }
                if (result == FrameReader.ERROR)
                {
                    closeWith(CloseReason.PROTOCOL_ERROR, reader.errorMessage());
                    break;
                }
                if (readOnce || readMore() <= 0)
                {
                    break;
                }
                readOnce = true;
            }
        }
        finally
        {
            if (frames > 0)
            {
                endReceiveBatch(frames, bytes);
            }
            receiveHalf.exit();
        }
        return delivered;
    }

    /**
     * One read into the frame reader, with the receive half held; closes the connection on end of stream or
     * failure.
     *
     * @return bytes read, 0 for none, -1 when the connection closed.
     */
    private int readMore()
    {
        final int read;
        try
        {
            read = reader.readFrom(transport);
        }
        catch (final IOException ex)
        {
            closeWith(CloseReason.IO_ERROR, "read failed: " + ex.getMessage());
            return -1;
        }
        if (read < 0)
        {
            final int partial = reader.buffered();
            closeWith(CloseReason.PEER_CLOSED, partial == 0 ? "end of stream" :
                "end of stream inside a frame (" + partial + " bytes of it received)");
        }
        return read;
    }

    /** One frame to one message for {@link #tryRecv()}: decoded, counted, then the hooks; null if undecodable. */
    private T deliver()
    {
        final T message = decode();
        if (message == null)
        {
            return null;
        }
        endReceiveBatch(1, reader.frameLength());
        afterReceived(message);
        return message;
    }

    /**
     * Decodes the frame the reader just returned. The caller then counts it (one message, or a batch at its
     * end), notes the time if {@link #timed}, and runs {@link #afterReceived}.
     *
     * @return the message, or {@code null} if it was undecodable (the connection is then closed).
     */
    private T decode()
    {
        final int offset = reader.frameOffset() + Sofh.HEADER_LENGTH;
        final int length = reader.frameLength() - Sofh.HEADER_LENGTH;
        final T message;
        try
        {
            message = codec.decode(receiveBuffer, offset, length);
        }
        catch (final RuntimeException ex)
        {
            closeWith(CloseReason.PROTOCOL_ERROR, "undecodable frame of " + reader.frameLength() + " bytes: " + ex);
            return null;
        }
        messagesReceived++;
        return message;
    }

    /** The protocol's {@code onRecv}, the callback and an automatic reply, for a message received. */
    private void afterReceived(final T message)
    {
        protocol.onRecv(message);
        callback.onRecv(id, message);
        final T reply = protocol.autoReply(message);
        if (reply != null)
        {
            sendControl(reply);
        }
    }

    /**
     * @return true if frames already received may be returned without reading: a receive will not wait.
     */
    public boolean hasBufferedInput()
    {
        return reader.buffered() > 0;
    }

    /**
     * Closes the connection locally.
     */
    @Override
    public void close()
    {
        closeWith(CloseReason.LOCAL, "closed locally");
    }

    /**
     * Closes with a reason; the first reason recorded wins. Closes the transport, returns the buffers once
     * neither half is in use, then runs the close listeners once.
     *
     * @param reason why.
     * @param detail readable explanation.
     * @return true if this call closed the connection, false if it was already closed.
     */
    public boolean closeWith(final CloseReason reason, final String detail)
    {
        if (reason == CloseReason.NONE || !CLOSE_REASON.compareAndSet(this, CloseReason.NONE, reason))
        {
            return false;
        }
        closeDetail = detail;
        counters.increment(Stat.CONNECTIONS_CLOSED);
        if (reason == CloseReason.PROTOCOL_ERROR)
        {
            counters.increment(Stat.PROTOCOL_ERRORS);
        }
        closeQuietly(transport);
        receiveHalf.releaseIfIdle();
        sendHalf.releaseIfIdle();
        for (final Consumer<Connection<T>> listener : closeListeners)
        {
            listener.accept(this);
        }
        return true;
    }

    private static void closeQuietly(final Transport transport)
    {
        try
        {
            transport.close();
        }
        catch (final IOException ignore)
        {
            // Closing a failed transport can fail again; the connection is closed either way.
        }
    }

    /**
     * Runs {@code listener} once when the connection closes (at once if it is already closed), on the
     * closing thread.
     *
     * @param listener to run.
     */
    public void onClose(final Consumer<Connection<T>> listener)
    {
        closeListeners.add(listener);
        if (closeReason != CloseReason.NONE && closeListeners.remove(listener))
        {
            listener.accept(this);
        }
    }

    /**
     * @return true once closed for any reason.
     */
    public boolean isClosed()
    {
        return closeReason != CloseReason.NONE;
    }

    /**
     * @return why the connection closed, {@link CloseReason#NONE} while open.
     */
    public CloseReason closeReason()
    {
        return closeReason;
    }

    /**
     * @return a readable explanation of the close, or {@code null} while open.
     */
    public String closeDetail()
    {
        return closeDetail;
    }

    /**
     * @return the identity of this connection.
     */
    public ConId id()
    {
        return id;
    }

    /**
     * @return the transport, for waiting on readiness.
     */
    public Transport transport()
    {
        return transport;
    }

    /**
     * @return this connection's protocol instance.
     */
    public Protocol<T> protocol()
    {
        return protocol;
    }

    /**
     * @return this connection's codec.
     */
    public Codec<T> codec()
    {
        return codec;
    }

    /**
     * @return messages taken for sending; read from the sending thread for an exact value.
     */
    public long messagesSent()
    {
        return messagesSent;
    }

    /**
     * @return messages received; read from the receiving thread for an exact value.
     */
    public long messagesReceived()
    {
        return messagesReceived;
    }

    @Override
    public String toString()
    {
        final CloseReason reason = closeReason;
        return id + (reason == CloseReason.NONE ? "" : " closed " + reason + ": " + closeDetail);
    }

    /**
     * Guards one half's buffer so it goes back to the pool only when no thread is inside that half.
     */
    private final class Half
    {
        private static final int IDLE = 0;
        private static final int BUSY = 1;
        private static final int CONTROL = 2;
        private static final int RELEASED = 3;

        private final PooledBuffer buffer;
        private final String name;
        private volatile int state = IDLE;

        Half(final PooledBuffer buffer, final String name)
        {
            this.buffer = buffer;
            this.name = name;
        }

        boolean enter()
        {
            while (!HALF_STATE.compareAndSet(this, IDLE, BUSY))
            {
                final int current = state;
                if (current == RELEASED)
                {
                    return false;
                }
                if (current == BUSY)
                {
                    if (closing)
                    {
                        return false;
                    }
                    throw new IllegalStateException("the " + name + " half of " + id + " is in use by another thread");
                }
                // CONTROL: another thread is writing one control frame without waiting; it is over in microseconds.
                Thread.onSpinWait();
            }
            return true;
        }

        void exit()
        {
            state = IDLE;
            if (closeReason != CloseReason.NONE)
            {
                releaseIfIdle();
            }
            else if (!controlQueue.isEmpty())
            {
                drainControl();
            }
        }

        boolean tryEnterControl()
        {
            return HALF_STATE.compareAndSet(this, IDLE, CONTROL);
        }

        void exitControl()
        {
            state = IDLE;
            if (closeReason != CloseReason.NONE)
            {
                releaseIfIdle();
            }
        }

        void releaseIfIdle()
        {
            if (HALF_STATE.compareAndSet(this, IDLE, RELEASED))
            {
                buffer.release();
                if (halvesReleased.incrementAndGet() == 2)
                {
                    // Neither half can count any more.
                    traffic.close();
                }
            }
        }
    }

    @SuppressWarnings("rawtypes")
    private static final AtomicIntegerFieldUpdater<Connection.Half> HALF_STATE =
        AtomicIntegerFieldUpdater.newUpdater(Connection.Half.class, "state");
}
