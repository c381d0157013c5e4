package dev.hayate.relay;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.hayate.core.CloseReason;
import dev.hayate.core.KernelWait;
import dev.hayate.core.ProtocolFactory;
import dev.hayate.core.Readiness;
import dev.hayate.core.Status;
import dev.hayate.core.WaitStrategy;
import dev.hayate.core.buffer.BufferPool;
import dev.hayate.core.buffer.PooledBuffer;
import dev.hayate.core.frame.Sofh;
import dev.hayate.core.transport.IoPoller;
import dev.hayate.nonblocking.Clt;
import dev.hayate.nonblocking.Svc;

/**
 * A blind fan-out relay: a nonblocking {@link Svc} served by one thread. Clients join sessions by an opaque
 * 16-byte id after a handshake ({@link ServerProtocol}); a session has at most one producer and up to
 * {@link RelayContext#maxConsumersPerSession()} consumers, which may join before their producer. Each DATA frame
 * from the producer is copied once, as a whole wire frame, into a buffer of the relay's frame pool and queued, by
 * reference, for every consumer of the session (a reference count returns the buffer when the last consumer has
 * taken it); frames of {@value #DIRECT_WRITE_BYTES} bytes or more are written from that one buffer to each
 * consumer's socket (the engine's per-connection frame counters do not see them; the relay's counters do), smaller
 * ones are batched through each connection's send buffer. A frame is never opened: its payload is sealed with a key
 * the relay does not hold.
 *
 * <pre>
 *   one cycle ({@link #doWork()}):
 *     accept ≤ 16 handshaken connections → admit (JOINED / REFUSED, sealed with the connection's transport keys)
 *     each producer: read ≤ 64 frames (not while a BACK_PRESSURE session has a consumer without room)
 *                    → copy once → queue a reference for each consumer (policy when a queue is full)
 *     each member:   offer queued frames and controls to its connection, one flush
 *     lost producer → PRODUCER_GONE to its consumers; lost consumer → its references released
 *     every 256th cycle: sessions without a producer or a paired pipe for the idle timeout are closed
 * </pre>
 *
 * <p>Sessions are keyed by role and id: a pipe session and a producer's session never share an id's slot. A pipe
 * end is read only once paired; before that it must send nothing (a frame then is a protocol error) and it is
 * watched like a consumer, so its close frees its slot. A BACK_PRESSURE producer is not read while a consumer has
 * no room, and not waited on for reading either; a consumer that keeps it so for
 * {@link RelayContext#stallTimeoutNanos()} is disconnected. When the frame pool, shared by all sessions, has no
 * buffer for a frame, the consumers holding the most unread frames are shed first; only if that frees nothing is
 * the producer closed ({@link RelayStats.Counter#POOL_EXHAUSTED}, and the context's error handler is told).
 *
 * <p>Memory bound: a consumer's queue never holds more than {@link RelayContext#maxQueueBytes()} of frame-pool
 * memory (control notices count 64 bytes each), under every {@link SlowConsumerPolicy}; on top it has its
 * connection's receive and send buffers (one maximum frame each).
 *
 * <p>Waiting: with {@link KernelWait} (the default) an idle relay waits in {@code epoll_wait} on its connections
 * (producers readable, consumers writable while they have queued entries, newly handshaken connections within 2 ms);
 * with {@link dev.hayate.core.BusySpinWait} it never parks; any other policy parks for its own periods.
 *
 * <p>If the relay's thread dies of a failure, it closes every connection and the listener (clients are refused,
 * not left hanging), {@link #isRunning()} turns false and {@link #failure()} tells why.
 *
 * <p>Thread-safety: {@link #doWork()} from one thread only (the relay's own after {@link #start()}, or the caller's
 * if it drives the relay); {@link #stats()}, {@link #localAddress()}, {@link #identityKey()}, {@link #isRunning()},
 * {@link #failure()} and {@link #close()} from any thread.
 */
public final class RelayServer implements AutoCloseable
{
    static final long CONTROL_COST = 64;
    /**
     * Frames at least this long are written from the shared buffer to each consumer's socket; shorter ones are
     * batched through the connection's send buffer, where copying a few bytes costs less than a system call each.
     */
    static final int DIRECT_WRITE_BYTES = 4096;
    private static final int ACCEPTS_PER_CYCLE = 16;
    private static final int FRAMES_PER_PRODUCER = 64;
    // Most consumers shed to free frame-pool memory for one frame before its producer is closed instead.
    private static final int SHEDS_PER_LEASE = 8;
    // Sessions are checked for idleness once in this many cycles (a cycle is at most 2 ms apart when idle).
    private static final int IDLE_CHECK_MASK = 255;
    private static final byte ROLE_STREAM = 0;
    private static final byte ROLE_PIPE = 1;
    private static final long MAX_PARK_NANOS = 1_000_000;
    // A connection that finished its handshake is not signalled to the poller: it waits this long at most.
    private static final long MAX_POLL_NANOS = 2_000_000;
    private static final Readiness NOTHING_TO_WAIT_ON = (forWrite, timeoutNanos) ->
    {
    };

    private final RelayContext context;
    private final Svc<RelayMessage> svc;
    private final RelayStats stats;
    private final BufferPool framePool;
    private final long maxQueueBytes;
    private final long maxFrameCost;
    private final Map<ByteBuffer, RelaySession> sessions = new HashMap<>();
    // The same sessions, to walk without an iterator.
    private final List<RelaySession> sessionList = new ArrayList<>();
    private final List<Member> members = new ArrayList<>();
    private final ArrayDeque<SharedFrame> spareFrames = new ArrayDeque<>();
    private final List<Object> head = new ArrayList<>();
    private final RelayMessage forward = new RelayMessage();
    private final IoPoller poller;
    private final IoPoller.Handler onReady = (attachment, readyOps) -> ((Member)attachment).readable = true;
    private final org.agrona.concurrent.NanoClock clock;
    private final long stallTimeoutNanos;
    private final long idleSessionTimeoutNanos;
    private volatile boolean running;
    private volatile Throwable failure;
    private Thread thread;
    private int cycle;
    private int lastWork;

    private RelayServer(final RelayContext context) throws IOException
    {
        this.context = context.conclude();
        this.stats = new RelayStats(context.context().counters());
        final ProducerKey identity = context.identity();
        final ProtocolFactory<RelayMessage> protocols = id -> new ServerProtocol(identity, stats);
        try
        {
            this.svc = Svc.bind(context.listen(), protocols, context.context());
        }
        catch (final IOException | RuntimeException ex)
        {
            stats.close();
            throw ex;
        }
        this.framePool = context.framePool();
        this.maxQueueBytes = context.maxQueueBytes();
        this.maxFrameCost = RelayContext.leaseCapacity(framePool, context.context().maxFrameLength());
        this.clock = context.context().nanoClock();
        this.stallTimeoutNanos = context.stallTimeoutNanos();
        this.idleSessionTimeoutNanos = context.idleSessionTimeoutNanos();
        forward.type = RelayMessage.Type.FORWARD;
        IoPoller kernel = null;
        if (context.waitStrategy() instanceof KernelWait)
        {
            try
            {
                kernel = new IoPoller();
            }
            catch (final IOException ex)
            {
                svc.close();
                stats.close();
                throw ex;
            }
        }
        this.poller = kernel;
    }

    /**
     * Binds a relay; nothing is served until {@link #start()} or calls of {@link #doWork()}.
     *
     * @param context configuration.
     * @return the bound relay.
     * @throws IOException if the address cannot be bound.
     */
    public static RelayServer bind(final RelayContext context) throws IOException
    {
        return new RelayServer(context);
    }

    /**
     * Serves on a thread of the relay's own ({@code hayate-relay}), waiting between idle cycles with the context's
     * {@link WaitStrategy}.
     *
     * @return this.
     */
    public synchronized RelayServer start()
    {
        if (thread != null)
        {
            throw new IllegalStateException("already started");
        }
        running = true;
        thread = new Thread(this::run, "hayate-relay");
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    private void run()
    {
        final WaitStrategy wait = context.waitStrategy().copy();
        Throwable died = null;
        try
        {
            while (running)
            {
                if (doWork() > 0)
                {
                    wait.reset();
                }
                else if (poller != null)
                {
                    awaitReadiness(MAX_POLL_NANOS);
                }
                else
                {
                    wait.await(NOTHING_TO_WAIT_ON, false, clock, WaitStrategy.FOREVER, MAX_PARK_NANOS);
                }
            }
        }
        catch (final IOException | RuntimeException | Error ex)
        {
            died = ex;
        }
        finally
        {
            closeMembers();
            if (died != null)
            {
                // Nobody serves any more: new clients are refused at once rather than left hanging in the backlog.
                // Told only after that, so whoever sees the failure also sees the listener closed.
                svc.close();
                failure = died;
                running = false;
                context.context().errorHandler().onError(died);
            }
        }
    }

    /**
     * Waits in the poller for a connection to become ready, as the relay's thread does between idle cycles.
     *
     * @param timeoutNanos longest wait.
     * @return readiness events reported; 0 without a kernel poller. An idle relay reports none: a connection it
     * does not mean to read (a stalled producer) is not waited on for reading.
     * @throws IOException if the poller failed.
     */
    int awaitReadiness(final long timeoutNanos) throws IOException
    {
        return poller == null ? 0 : poller.poll(timeoutNanos, onReady);
    }

    /**
     * @return true while the relay's own thread serves: false before {@link #start()}, after {@link #close()}, and
     * once the thread died of a failure ({@link #failure()}). Any thread.
     */
    public boolean isRunning()
    {
        return running && failure == null;
    }

    /**
     * @return what ended the relay's thread (its listener was then closed, so clients are refused), or
     * {@code null} while it serves or after an ordinary {@link #close()}. Any thread.
     */
    public Throwable failure()
    {
        return failure;
    }

    /**
     * One duty cycle: accept, read producers, feed consumers. Bounded work.
     *
     * @return work done (connections admitted, frames read, entries sent); 0 when idle.
     * @throws IOException if the listener failed.
     */
    public int doWork() throws IOException
    {
        int work = 0;
        final boolean busyCycle = lastWork > 0;
        ++cycle;
        // Accepting costs a system call even when nobody knocks: while frames flow, look only every 64th cycle.
        for (int i = 0; i < ACCEPTS_PER_CYCLE && (!busyCycle || (cycle & 63) == 0); i++)
        {
            final Clt<RelayMessage> clt = svc.accept();
            if (clt == null)
            {
                break;
            }
            admit(clt);
            work++;
        }
        for (int i = 0, n = members.size(); i < n; i++)
        {
            final Member member = members.get(i);
            if ((member.producer || member.pipe && paired(member)) && !member.doomed && member.session != null)
            {
                try
                {
                    work += readProducer(member);
                }
                catch (final RuntimeException ex)
                {
                    fail(member, ex);
                }
            }
        }
        final boolean checkConsumers = (cycle & 15) == 0;
        for (int i = 0, n = members.size(); i < n; i++)
        {
            final Member member = members.get(i);
            if (!member.doomed)
            {
                try
                {
                    work += drain(member);
                    if ((checkConsumers || member.readable) && !member.producer && !(member.pipe && paired(member)))
                    {
                        member.readable = false;
                        work += probe(member);
                    }
                }
                catch (final RuntimeException ex)
                {
                    fail(member, ex);
                }
            }
        }
        if ((cycle & IDLE_CHECK_MASK) == 0)
        {
            work += expireIdleSessions();
        }
        work += sweep();
        lastWork = work;
        return work;
    }

    private void admit(final Clt<RelayMessage> clt)
    {
        final ServerProtocol protocol = (ServerProtocol)clt.connection().protocol();
        final Member member = new Member(clt, protocol);
        members.add(member);
        if (poller != null)
        {
            try
            {
                member.registration = clt.connection().transport().register(poller, member);
                interest(member, IoPoller.READ);
            }
            catch (final IOException ex)
            {
                doom(member, "cannot wait on it: " + ex.getMessage());
                return;
            }
        }
        // The role is part of the key: a pipe end cannot squat the id of a producer's session, nor the reverse.
        final byte[] keyBytes = new byte[1 + protocol.sessionId.length];
        keyBytes[0] = protocol.pipe ? ROLE_PIPE : ROLE_STREAM;
        System.arraycopy(protocol.sessionId, 0, keyBytes, 1, protocol.sessionId.length);
        final ByteBuffer key = ByteBuffer.wrap(keyBytes);
        RelaySession session = sessions.get(key);
        if (session != null && protocol.pipe)
        {
            // An end that left unnoticed must not be paired with: find out now rather than at the next check.
            reapClosedEnds(session);
            session = sessions.get(key);
        }
        if (session == null)
        {
            if (sessions.size() >= context.maxSessions())
            {
                refuse(member, RefusalReason.TOO_MANY_SESSIONS, RelayStats.Counter.REFUSED_SESSIONS);
                return;
            }
            session = new RelaySession(key);
            session.pipe = protocol.pipe;
            session.lastLiveNanos = clock.nanoTime();
            sessionList.add(session);
            if (protocol.pipe)
            {
                session.policy = SlowConsumerPolicy.BACK_PRESSURE;
            }
            sessions.put(key, session);
            stats.increment(RelayStats.Counter.SESSIONS);
        }
        if (protocol.pipe && session.consumers.size() >= 2)
        {
            refuse(member, RefusalReason.SESSION_FULL, RelayStats.Counter.REFUSED_CONSUMERS);
            return;
        }
        if (protocol.pipe)
        {
            member.pipe = true;
            member.session = session;
            session.consumers.add(member);
            stats.increment(RelayStats.Counter.PIPE_ENDS);
            enqueue(member, new PendingControl(Control.JOINED, 0, 0, session.policy.ordinal(), null), CONTROL_COST);
            if (session.consumers.size() == 2)
            {
                final Member first = session.consumers.get(0);
                first.everPaired = true;
                member.everPaired = true;
                first.peer = member;
                first.peers = List.of(member);
                member.peer = first;
                member.peers = List.of(first);
                for (final Member end : session.consumers)
                {
                    enqueue(end, new PendingControl(Control.PRODUCER_JOINED, 0, 0, session.policy.ordinal(), null),
                        CONTROL_COST);
                }
            }
        }
        else if (protocol.producer)
        {
            if (session.producer != null)
            {
                refuse(member, RefusalReason.PRODUCER_PRESENT, RelayStats.Counter.REFUSED_PRODUCERS);
                return;
            }
            session.producer = member;
            session.epoch = protocol.epoch.clone();
            session.policy = protocol.policy;
            session.nextSequence = 0;
            session.frames = 0;
            member.producer = true;
            member.session = session;
            stats.increment(RelayStats.Counter.PRODUCERS);
            enqueue(member, new PendingControl(Control.JOINED, Control.FLAG_PRODUCER_PRESENT, 0,
                session.policy.ordinal(), session.epoch), CONTROL_COST);
            for (final Member consumer : session.consumers)
            {
                enqueue(consumer, new PendingControl(Control.PRODUCER_JOINED, 0, 0, session.policy.ordinal(),
                    session.epoch), CONTROL_COST);
            }
        }
        else
        {
            if (session.consumers.size() >= context.maxConsumersPerSession())
            {
                refuse(member, RefusalReason.TOO_MANY_CONSUMERS, RelayStats.Counter.REFUSED_CONSUMERS);
                return;
            }
            session.consumers.add(member);
            member.session = session;
            stats.increment(RelayStats.Counter.CONSUMERS);
            final boolean present = session.producer != null;
            final int flags = present ? Control.FLAG_PRODUCER_PRESENT | (session.frames > 0 ? Control.FLAG_LATE : 0) : 0;
            enqueue(member, new PendingControl(Control.JOINED, flags, session.nextSequence, session.policy.ordinal(),
                present ? session.epoch : new byte[RelayCrypto.EPOCH_LENGTH]), CONTROL_COST);
        }
    }

    private void refuse(final Member member, final RefusalReason reason, final RelayStats.Counter counter)
    {
        stats.increment(counter);
        member.closeWhenDrained = true;
        member.queue.addLast(new PendingControl(Control.REFUSED, 0, reason.ordinal(), 0, null));
        member.queuedBytes += CONTROL_COST;
        stats.add(RelayStats.Counter.QUEUED_BYTES, CONTROL_COST);
    }

    private int readProducer(final Member producer)
    {
        final RelaySession session = producer.session;
        final List<Member> targets = producer.pipe ? producer.peers : session.consumers;
        int work = 0;
        while (work < FRAMES_PER_PRODUCER)
        {
            if (session.policy == SlowConsumerPolicy.BACK_PRESSURE && !everyoneHasRoom(targets))
            {
                if (!producer.stalled)
                {
                    producer.stalled = true;
                    producer.stalledSinceNanos = clock.nanoTime();
                    stats.increment(RelayStats.Counter.PRODUCER_STALLS);
                    // Level-triggered: a producer left unread would wake the poller at once, every time; drain()
                    // must not ask for READ again while it is stalled.
                    producer.readWanted = false;
                    updateInterest(producer);
                }
                else if (clock.nanoTime() - producer.stalledSinceNanos - stallTimeoutNanos >= 0)
                {
                    final int cut = cutStalled(targets);
                    if (cut > 0)
                    {
                        work += cut;
                        continue;
                    }
                }
                break;
            }
            if (producer.stalled)
            {
                producer.stalled = false;
                producer.readWanted = true;
                updateInterest(producer);
            }
            final RelayMessage m = producer.clt.recv();
            if (m == null)
            {
                break;
            }
            work++;
            if (m.type != RelayMessage.Type.DATA || producer.pipe != (m.kind == RelayMessage.KIND_PIPE))
            {
                producer.clt.connection().closeWith(CloseReason.PROTOCOL_ERROR,
                    producer.pipe ? "a pipe end sends only pipe frames" : "a producer sends only data frames");
                break;
            }
            if (!fanOut(producer, session, targets, m))
            {
                break;
            }
        }
        return work;
    }

    // The consumers without room have blocked the session for the whole stall timeout: they go, the rest go on.
    private int cutStalled(final List<Member> targets)
    {
        int cut = 0;
        for (int i = 0, n = targets.size(); i < n; i++)
        {
            final Member consumer = targets.get(i);
            if (!consumer.doomed && consumer.queuedBytes + maxFrameCost + CONTROL_COST > maxQueueBytes)
            {
                stats.increment(RelayStats.Counter.STALL_DISCONNECTS);
                doom(consumer, "blocked a back-pressure session for longer than " +
                    java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(stallTimeoutNanos) + " ms");
                cut++;
            }
        }
        return cut;
    }

    // Reads what a member that is not a source of frames sent: a consumer has nothing to say and a pipe end whose
    // other end left talks to nobody, so their frames are dropped; a pipe end that was never paired must wait for
    // PRODUCER_JOINED before it sends. Reading is how the close of any of them is noticed (and pending bytes pushed).
    private int probe(final Member member)
    {
        final RelayMessage m = member.clt.recv();
        if (m == null)
        {
            return 0;
        }
        if (member.pipe && !member.everPaired)
        {
            member.clt.connection().closeWith(CloseReason.PROTOCOL_ERROR,
                "a pipe end sends nothing before its other end has joined");
        }
        return 1;
    }

    private static boolean paired(final Member end)
    {
        return end.peer != null && !end.peer.doomed;
    }

    private void reapClosedEnds(final RelaySession session)
    {
        for (int i = session.consumers.size() - 1; i >= 0; i--)
        {
            final Member end = session.consumers.get(i);
            if (!end.doomed && !paired(end))
            {
                probe(end);
            }
            if (end.doomed || end.clt.isClosed())
            {
                members.remove(end);
                remove(end);
            }
        }
    }

    // Sessions with neither a producer nor a paired pipe for the idle timeout: their members are closed, and the
    // session goes with the last of them (sweep).
    private int expireIdleSessions()
    {
        final long now = clock.nanoTime();
        int closed = 0;
        for (int i = 0, n = sessionList.size(); i < n; i++)
        {
            final RelaySession session = sessionList.get(i);
            final boolean live = session.producer != null ||
                session.pipe && session.consumers.size() == 2 && paired(session.consumers.get(0));
            if (live)
            {
                session.lastLiveNanos = now;
            }
            else if (now - session.lastLiveNanos - idleSessionTimeoutNanos >= 0)
            {
                session.lastLiveNanos = now;
                stats.increment(RelayStats.Counter.IDLE_SESSIONS_CLOSED);
                for (int j = 0, m = session.consumers.size(); j < m; j++)
                {
                    doom(session.consumers.get(j), "the session had no producer for " +
                        java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(idleSessionTimeoutNanos) + " ms");
                    closed++;
                }
            }
        }
        return closed;
    }

    private boolean everyoneHasRoom(final List<Member> targets)
    {
        for (final Member consumer : targets)
        {
            if (!consumer.doomed && consumer.queuedBytes + maxFrameCost + CONTROL_COST > maxQueueBytes)
            {
                return false;
            }
        }
        return true;
    }

    private boolean fanOut(final Member producer, final RelaySession session, final List<Member> targets,
        final RelayMessage m)
    {
        PooledBuffer lease = framePool.tryLease(Sofh.HEADER_LENGTH + m.rawLength);
        if (lease == null)
        {
            // Frames read this cycle wait for the drain at its end: hand them to the sockets that take them now.
            drainAll();
            lease = framePool.tryLease(Sofh.HEADER_LENGTH + m.rawLength);
        }
        // The pool is shared by all sessions while each queue is bounded alone: consumers that hold the most of it
        // unread go before the producer that happens to be reading pays for them.
        for (int i = 0; lease == null && i < SHEDS_PER_LEASE && shedLargestBlocked(producer); i++)
        {
            lease = framePool.tryLease(Sofh.HEADER_LENGTH + m.rawLength);
        }
        if (lease == null)
        {
            stats.increment(RelayStats.Counter.POOL_EXHAUSTED);
            final String why = "the relay's frame pool is exhausted";
            context.context().errorHandler().onError(new IOException(why + "; closing producer " +
                producer.clt.id()));
            producer.clt.connection().closeWith(CloseReason.IO_ERROR, why);
            return false;
        }
        // The whole wire frame, header included, so large frames go from here to every consumer's socket.
        Sofh.writeHeader(lease.buffer(), 0, Sofh.HEADER_LENGTH + m.rawLength, context.context().encodingType());
        lease.buffer().putBytes(Sofh.HEADER_LENGTH, m.rawBuffer, m.rawOffset, m.rawLength);
        final SharedFrame frame = spareFrames.isEmpty() ? new SharedFrame() : spareFrames.pollFirst();
        frame.lease = lease;
        frame.length = m.rawLength;
        frame.sequence = m.sequence;
        frame.cost = lease.capacity();
        frame.refs = 1;
        stats.add(RelayStats.Counter.FRAME_BYTES, frame.cost);
        stats.increment(RelayStats.Counter.FRAMES_IN);
        session.nextSequence = m.sequence + 1;
        session.frames++;
        for (int i = 0, n = targets.size(); i < n; i++)
        {
            enqueue(targets.get(i), frame, frame.cost);
        }
        release(frame);
        return true;
    }

    private void drainAll()
    {
        for (int i = 0, n = members.size(); i < n; i++)
        {
            final Member member = members.get(i);
            if (!member.doomed && !member.queue.isEmpty())
            {
                try
                {
                    drain(member);
                }
                catch (final RuntimeException ex)
                {
                    fail(member, ex);
                }
            }
        }
    }

    // Disconnects the consumer (never the reading producer) that holds the most queued bytes its socket would not
    // take, and returns its frames to the pool at once. Only on a failed lease, never per frame.
    private boolean shedLargestBlocked(final Member producer)
    {
        Member victim = null;
        for (int i = 0, n = members.size(); i < n; i++)
        {
            final Member member = members.get(i);
            if (member != producer && !member.doomed && !member.producer && member.blocked &&
                (victim == null || member.queuedBytes > victim.queuedBytes))
            {
                victim = member;
            }
        }
        if (victim == null)
        {
            return false;
        }
        stats.increment(RelayStats.Counter.SLOW_DISCONNECTS);
        doom(victim, "shed: the relay's frame pool is exhausted and this consumer held the most of it unread");
        releaseQueue(victim);
        return true;
    }

    private void enqueue(final Member member, final Object entry, final long cost)
    {
        if (member.doomed)
        {
            return;
        }
        if (member.queuedBytes + cost > maxQueueBytes)
        {
            final SlowConsumerPolicy policy = member.session == null ? SlowConsumerPolicy.DISCONNECT :
                member.session.policy;
            if (policy == SlowConsumerPolicy.DROP_OLDEST)
            {
                dropOldest(member, cost);
            }
            if (member.queuedBytes + cost > maxQueueBytes)
            {
                stats.increment(RelayStats.Counter.SLOW_DISCONNECTS);
                doom(member, "slow consumer: its queue of " + maxQueueBytes + " bytes is full");
                return;
            }
        }
        if (entry instanceof SharedFrame frame)
        {
            frame.refs++;
        }
        member.queue.addLast(entry);
        member.queuedBytes += cost;
        stats.add(RelayStats.Counter.QUEUED_BYTES, cost);
        stats.highWater(RelayStats.Counter.QUEUE_HIGH_WATER, member.queuedBytes);
    }

    // Drops frames from the head (oldest first) until the new entry fits; each run of dropped frames becomes one
    // GAP notice in its place, so the consumer learns exactly which sequence numbers it will never see.
    private void dropOldest(final Member member, final long needed)
    {
        head.clear();
        // A frame part written to the socket must be finished, never dropped: the stream would be torn.
        boolean inFlight = member.partial > 0;
        while (member.queuedBytes + needed > maxQueueBytes && !member.queue.isEmpty())
        {
            final Object entry = member.queue.pollFirst();
            if (inFlight)
            {
                inFlight = false;
                head.add(entry);
            }
            else if (entry instanceof SharedFrame frame)
            {
                member.queuedBytes -= frame.cost;
                stats.add(RelayStats.Counter.QUEUED_BYTES, -frame.cost);
                stats.increment(RelayStats.Counter.FRAMES_DROPPED);
                final Object last = head.isEmpty() ? null : head.get(head.size() - 1);
                if (last instanceof PendingControl gap && gap.type == Control.GAP && gap.sealed == null &&
                    gap.a + gap.b == frame.sequence)
                {
                    gap.b++;
                }
                else
                {
                    head.add(new PendingControl(Control.GAP, 0, frame.sequence, 1, null));
                    member.queuedBytes += CONTROL_COST;
                    stats.add(RelayStats.Counter.QUEUED_BYTES, CONTROL_COST);
                }
                release(frame);
            }
            else
            {
                head.add(entry);
            }
        }
        for (int i = head.size() - 1; i >= 0; i--)
        {
            member.queue.addFirst(head.get(i));
        }
        head.clear();
    }

    private int drain(final Member member)
    {
        final Clt<RelayMessage> clt = member.clt;
        int sent = 0;
        while (!member.queue.isEmpty())
        {
            final Object entry = member.queue.peekFirst();
            if (entry instanceof SharedFrame frame && frame.length >= DIRECT_WRITE_BYTES)
            {
                final int written = writeDirect(member, frame);
                if (written <= 0)
                {
                    break;
                }
                forwarded(member, frame);
                sent++;
                continue;
            }
            final RelayMessage m;
            final long cost;
            if (entry instanceof SharedFrame frame)
            {
                forward.body.wrap(frame.lease.buffer(), Sofh.HEADER_LENGTH, frame.length);
                forward.bodyOffset = 0;
                forward.bodyLength = frame.length;
                m = forward;
                cost = frame.cost;
            }
            else
            {
                final PendingControl control = (PendingControl)entry;
                if (control.sealed == null)
                {
                    // Sealed once: a control that meets back pressure keeps its sequence number for the retry.
                    control.sealed = member.protocol.controls.seal(control.toControl());
                }
                m = control.sealed;
                cost = CONTROL_COST;
            }
            final Status status = clt.offer(m);
            if (status != Status.OK)
            {
                break;
            }
            if (entry instanceof SharedFrame frame)
            {
                forwarded(member, frame);
            }
            else
            {
                member.queue.pollFirst();
                member.queuedBytes -= cost;
                stats.add(RelayStats.Counter.QUEUED_BYTES, -cost);
            }
            sent++;
        }
        if (sent > 0 || clt.hasPendingSend())
        {
            clt.flush();
        }
        // Left with entries, the socket took no more: a candidate to shed when the frame pool runs dry.
        member.blocked = !member.queue.isEmpty();
        updateInterest(member);
        if (member.closeWhenDrained && member.queue.isEmpty() && !clt.hasPendingSend())
        {
            doom(member, "refused");
        }
        return sent;
    }

    private void forwarded(final Member member, final SharedFrame frame)
    {
        member.queue.pollFirst();
        member.queuedBytes -= frame.cost;
        stats.add(RelayStats.Counter.QUEUED_BYTES, -frame.cost);
        stats.increment(RelayStats.Counter.FRAMES_FORWARDED);
        stats.add(RelayStats.Counter.BYTES_FORWARDED, frame.length);
        release(frame);
    }

    // Writes (the rest of) a large frame from the one shared buffer straight to the consumer's socket: no copy per
    // consumer. Whatever the engine holds for this connection (a control frame) goes first, so the order holds.
    // Returns 1 when the frame is all written, 0 when the socket is full (the rest goes on a later cycle), -1 when
    // the connection failed.
    private int writeDirect(final Member member, final SharedFrame frame)
    {
        final Clt<RelayMessage> clt = member.clt;
        if (clt.hasPendingSend() && clt.flush() != Status.OK)
        {
            return clt.isClosed() ? -1 : 0;
        }
        final int wireLength = Sofh.HEADER_LENGTH + frame.length;
        final java.nio.ByteBuffer wire = frame.lease.byteBuffer();
        wire.limit(wireLength).position(member.partial);
        try
        {
            member.partial += clt.connection().transport().write(wire);
        }
        catch (final IOException ex)
        {
            doom(member, "write failed: " + ex.getMessage());
            return -1;
        }
        if (member.partial < wireLength)
        {
            return 0;
        }
        member.partial = 0;
        return 1;
    }

    // READ only while the member is meant to be read (never for a stalled producer: level-triggered readiness would
    // wake the poller at once, every cycle), WRITE while it has something to write.
    private static void updateInterest(final Member member)
    {
        final boolean writing = !member.queue.isEmpty() || member.clt.hasPendingSend();
        interest(member, (member.readWanted ? IoPoller.READ : 0) | (writing ? IoPoller.WRITE : 0));
    }

    private static void interest(final Member member, final int ops)
    {
        if (member.registration != null && member.interest != ops)
        {
            member.interest = ops;
            member.registration.interestOps(ops);
        }
    }

    // One member's failure (a bug, or a frame that cannot be re-encoded) closes that member only.
    private void fail(final Member member, final RuntimeException ex)
    {
        context.context().errorHandler().onError(ex);
        doom(member, "failed: " + ex);
    }

    private void doom(final Member member, final String why)
    {
        member.doomed = true;
        member.clt.connection().closeWith(CloseReason.LOCAL, why);
    }

    private int sweep()
    {
        int removed = 0;
        for (int i = members.size() - 1; i >= 0; i--)
        {
            final Member member = members.get(i);
            if (member.doomed || member.clt.isClosed())
            {
                members.remove(i);
                remove(member);
                removed++;
            }
        }
        if (removed > 0)
        {
            svc.clients();
        }
        return removed;
    }

    private void remove(final Member member)
    {
        member.doomed = true;
        if (member.registration != null)
        {
            member.registration.cancel();
            member.registration = null;
        }
        if (member.clt.closeReason() == CloseReason.PROTOCOL_ERROR)
        {
            stats.increment(RelayStats.Counter.PROTOCOL_ERRORS);
        }
        member.clt.connection().close();
        releaseQueue(member);
        final RelaySession session = member.session;
        if (session == null)
        {
            return;
        }
        if (member.pipe)
        {
            session.consumers.remove(member);
            stats.add(RelayStats.Counter.PIPE_ENDS, -1);
            final Member peer = member.peer;
            if (peer != null)
            {
                // The other end gets what is already queued for it, then the end of its stream.
                peer.peer = null;
                peer.peers = List.of();
                peer.closeWhenDrained = true;
                peer.stalled = false;
                peer.readWanted = true;
            }
        }
        else if (member.producer)
        {
            session.producer = null;
            stats.add(RelayStats.Counter.PRODUCERS, -1);
            for (int i = 0, n = session.consumers.size(); i < n; i++)
            {
                enqueue(session.consumers.get(i), new PendingControl(Control.PRODUCER_GONE, 0, session.nextSequence, 0,
                    null), CONTROL_COST);
            }
        }
        else
        {
            session.consumers.remove(member);
            stats.add(RelayStats.Counter.CONSUMERS, -1);
        }
        member.session = null;
        if (session.producer == null && session.consumers.isEmpty())
        {
            sessions.remove(session.key);
            sessionList.remove(session);
            stats.add(RelayStats.Counter.SESSIONS, -1);
        }
    }

    private void releaseQueue(final Member member)
    {
        for (final Object entry : member.queue)
        {
            if (entry instanceof SharedFrame frame)
            {
                release(frame);
            }
        }
        member.queue.clear();
        stats.add(RelayStats.Counter.QUEUED_BYTES, -member.queuedBytes);
        member.queuedBytes = 0;
        member.blocked = false;
    }

    private void release(final SharedFrame frame)
    {
        if (--frame.refs == 0)
        {
            stats.add(RelayStats.Counter.FRAME_BYTES, -frame.cost);
            frame.lease.release();
            frame.lease = null;
            spareFrames.addLast(frame);
        }
    }

    private void closeMembers()
    {
        for (int i = members.size() - 1; i >= 0; i--)
        {
            final Member member = members.remove(i);
            remove(member);
        }
    }

    /**
     * @return the address the relay listens on.
     */
    public SocketAddress localAddress()
    {
        return svc.localAddress();
    }

    /**
     * @return the relay's 32-byte Ed25519 identity key, which clients may pin ({@link RelayClientConfig#relayKey}).
     */
    public byte[] identityKey()
    {
        return context.identity().publicKey();
    }

    /**
     * @return the relay's counters (live values).
     */
    public RelayStats stats()
    {
        return stats;
    }

    /**
     * @return connections refused by the engine's connection gate ({@code Context.maxConnections}).
     */
    public long refusedConnections()
    {
        return svc.refusedConnections();
    }

    /**
     * Stops the relay's thread (if started), closes every connection and the listener, and frees the counters.
     */
    @Override
    public void close()
    {
        running = false;
        final Thread serving;
        synchronized (this)
        {
            serving = thread;
        }
        if (serving != null)
        {
            try
            {
                serving.join(10_000);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
        else
        {
            closeMembers();
        }
        svc.close();
        stats.close();
        if (poller != null)
        {
            try
            {
                poller.close();
            }
            catch (final IOException ignore)
            {
                // Closing the selector of a relay that is gone: nothing is left to wait on.
            }
        }
    }

    @Override
    public String toString()
    {
        return "RelayServer(" + localAddress() + ", " + stats + ')';
    }

    private static final class RelaySession
    {
        final ByteBuffer key;
        final List<Member> consumers = new ArrayList<>();
        Member producer;
        byte[] epoch = new byte[RelayCrypto.EPOCH_LENGTH];
        SlowConsumerPolicy policy = SlowConsumerPolicy.DISCONNECT;
        long nextSequence;
        long frames;
        boolean pipe;
        long lastLiveNanos;

        RelaySession(final ByteBuffer key)
        {
            this.key = key;
        }
    }

    private static final class Member
    {
        final Clt<RelayMessage> clt;
        final ServerProtocol protocol;
        final ArrayDeque<Object> queue = new ArrayDeque<>();
        RelaySession session;
        boolean producer;
        long queuedBytes;
        boolean closeWhenDrained;
        boolean doomed;
        boolean readable;
        boolean stalled;
        long stalledSinceNanos;
        // False while the member must not be read (a stalled producer); drain() keeps READ interest off then.
        boolean readWanted = true;
        // The queue was left non-empty by the last drain: the socket takes no more.
        boolean blocked;
        boolean pipe;
        boolean everPaired;
        Member peer;
        List<Member> peers = List.of();
        IoPoller.Registration registration;
        int interest = -1;
        int partial;

        Member(final Clt<RelayMessage> clt, final ServerProtocol protocol)
        {
            this.clt = clt;
            this.protocol = protocol;
        }
    }

    private static final class SharedFrame
    {
        PooledBuffer lease;
        int length;
        long sequence;
        long cost;
        int refs;
    }

    private static final class PendingControl
    {
        final int type;
        final int flags;
        final long a;
        long b;
        final byte[] epoch;
        RelayMessage sealed;

        PendingControl(final int type, final int flags, final long a, final long b, final byte[] epoch)
        {
            this.type = type;
            this.flags = flags;
            this.a = a;
            this.b = b;
            this.epoch = epoch;
        }

        Control toControl()
        {
            return epoch == null ? Control.of(type, flags, a, b) : new Control(type, flags, a, b, epoch);
        }
    }
}
