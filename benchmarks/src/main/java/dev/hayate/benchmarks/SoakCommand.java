package dev.hayate.benchmarks;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import dev.hayate.async.AsyncRuntime;
import dev.hayate.async.Svc;
import dev.hayate.benchmarks.rig.Json;
import dev.hayate.core.Callback;
import dev.hayate.core.Connection;
import dev.hayate.core.Context;
import dev.hayate.core.DirectBufferCodec;
import dev.hayate.core.PollHandler;
import dev.hayate.core.ProtocolFactory;
import dev.hayate.core.Status;
import dev.hayate.core.buffer.BufferPool;
import dev.hayate.core.internal.Connector;
import dev.hayate.core.stat.Counters;
import dev.hayate.core.stat.Stat;
import dev.hayate.core.transport.TcpTransportProvider;
import org.HdrHistogram.Histogram;
import org.agrona.DirectBuffer;
import org.agrona.collections.Object2IntHashMap;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code bench soak}: one async {@code Svc} holds many well-behaved connections exchanging messages for a while,
 * once alone and once while hostile clients connect, send garbage and vanish; reports messages lost, heap and
 * RSS over time, and the well-behaved clients' round-trip percentiles of both runs side by side.
 *
 * <pre>
 *   clients (one thread, a PollHandler)                         server (one async Svc, its I/O loops)
 *   N connections from 127.0.1.x (≤ 20 per address) ──ping──▶  echo each frame back on its connection
 *        ◀──────────────────────────────────────────── pong ──
 *   K attackers, each from its own 127.0.2.x: connect, garbage / a lying header / half a frame / nothing, vanish (RST)
 * </pre>
 *
 * <p>Every client message carries its sequence number and send time; the client checks each echo is the next one
 * it expects, and after the run waits (bounded) for every echo: lost = sent - echoed. The service runs with
 * per-address limits (connections, connection rate), so the attackers also exercise the gate; refusals and
 * protocol errors come from the process's counters ({@code ./hayate stat} shows them live).
 *
 * <p>Everything runs in this one JVM, so heap and RSS are the whole process's (server, clients and attackers).
 *
 * <p>Not thread-safe: a picocli command, run once.
 */
@Command(name = "soak", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Soak under hostile load: one async Svc holds --connections well-behaved connections (each echoing "
                    + "--rate messages a second) for --seconds, first alone, then while --attackers hostile clients "
                    + "connect, send garbage and vanish. Reports messages lost (must be 0), heap after GC, RSS "
                    + "and direct memory sampled over time, and the well-behaved clients' round trips (p50, p99, "
                    + "p99.9, max) of both runs. Uses 127.0.1.x and 127.0.2.x source addresses (Linux routes all of "
                    + "127/8 to loopback). Needs about 2 file descriptors per connection: check ulimit -n (the "
                    + "./hayate launcher raises the soft limit to the hard one). Not part of 'bench all'.",
            ""
        })
final class SoakCommand implements Callable<Integer> {
    private static final int CLIENTS_PER_ADDRESS = 20;
    private static final int MESSAGE_LENGTH = 16;
    private static final int MAX_FRAME = 1024;
    private static final long DRAIN_NANOS = TimeUnit.SECONDS.toNanos(10);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--connections", defaultValue = "1000", paramLabel = "N",
            description = "Well-behaved connections held open (default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--seconds", defaultValue = "60", paramLabel = "S",
            description = "Measured length of each run (default: ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--warmup", defaultValue = "5", paramLabel = "S",
            description = "Unmeasured seconds before each run's measurement (default: ${DEFAULT-VALUE}).")
    int warmupSeconds;

    @Option(names = "--rate", defaultValue = "2", paramLabel = "MSG/S",
            description = "Messages each connection sends a second (default: ${DEFAULT-VALUE}; 1,000 connections at 10 "
                    + "saturated the loaded 2-core machine this was written on).")
    int rate;

    @Option(names = "--attackers", defaultValue = "8", paramLabel = "K",
            description = "Hostile clients in the second run, each a thread cycling connect, garbage, vanish; 0 "
                    + "runs only the first (default: ${DEFAULT-VALUE}).")
    int attackers;

    @Option(names = "--attack-pause-ms", defaultValue = "5", paramLabel = "MS",
            description = "Pause of each attacker between two hostile connections (default: ${DEFAULT-VALUE}).")
    int attackPauseMs;

    @Option(names = "--server", defaultValue = "async", paramLabel = "async|poll",
            description = "The service: an async Svc on its runtime's I/O thread, or an Acceptor served by one "
                    + "PollHandler thread (the order-entry gateway's shape) (default: ${DEFAULT-VALUE}).")
    String server;

    @Option(names = "--no-baseline", description = "Skip the run without attackers.")
    boolean noBaseline;

    @Option(names = "--json", description = "One JSON object per run instead of tables.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (connections < 1 || seconds < 1 || rate < 1 || attackers < 0 || warmupSeconds < 0 || attackPauseMs < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--connections, --seconds and --rate must be "
                    + "positive; --attackers, --warmup and --attack-pause-ms not negative");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        long needed = 2L * connections + 2L * attackers + 256;
        long fdLimit = maxFileDescriptors();
        if (fdLimit > 0 && fdLimit < needed) {
            err.printf("bench soak: %d connections need about %d file descriptors, the limit is %d: raise it "
                    + "(ulimit -n %d) or use fewer --connections%n", connections, needed, fdLimit, needed);
            err.flush();
            return 2;
        }
        List<Map<String, Object>> results = new ArrayList<>();
        if (!noBaseline || attackers == 0) {
            results.add(run("baseline", 0, err));
        }
        if (attackers > 0) {
            results.add(run("hostile", attackers, err));
        }
        if (json) {
            for (Map<String, Object> result : results) {
                out.println(Json.write(result));
            }
        } else {
            printTables(out, results);
        }
        out.flush();
        boolean clean = results.stream().allMatch(r -> ((Number) r.get("lost")).longValue() == 0
                && ((Number) r.get("outOfOrder")).longValue() == 0 && ((Number) r.get("disconnects")).longValue() == 0);
        return clean ? 0 : 1;
    }

    private Map<String, Object> run(String name, int hostile, PrintWriter err) throws Exception {
        err.printf("bench soak: %s: %d connections x %d msg/s, %d attacker(s), %d s warm-up + %d s measured%n", name,
                connections, rate, hostile, warmupSeconds, seconds);
        err.flush();
        Counters counters = new Context().counters();
        EnumMap<Stat, Long> before = snapshot(counters);
        int gate = connections + 64 + 4 * hostile;
        BufferPool serverPool = new BufferPool.Context().sizeClass(MAX_FRAME, 2 * gate + 16).build();
        BufferPool clientPool = new BufferPool.Context().sizeClass(MAX_FRAME, 2 * connections + 16).build();
        AtomicLong serverErrors = new AtomicLong();
        Context serverContext = new Context().name("soak-svc").maxFrameLength(MAX_FRAME).bufferPool(serverPool)
                .maxConnections(gate)
                .maxConnectionsPerAddress(2 * CLIENTS_PER_ADDRESS)
                .connectionRatePerAddress(4 * CLIENTS_PER_ADDRESS, 1, TimeUnit.SECONDS)
                .lingerTimeout(0, TimeUnit.SECONDS)
                .errorHandler(e -> serverErrors.incrementAndGet());
        ProtocolFactory<DirectBuffer> protocols = ProtocolFactory.of(DirectBufferCodec::new);
        List<Attacker> attackerList = new ArrayList<>();
        Map<String, Object> result = new LinkedHashMap<>();
        try (Service svc = server.equals("poll") ? new PollService(protocols, serverContext)
                : new AsyncService(protocols, serverContext)) {
            Clients clients = new Clients(svc.localAddress(), protocols, clientPool);
            try {
                clients.connectAll(err);
                for (int i = 0; i < hostile; i++) {
                    Attacker attacker = new Attacker(i, (InetSocketAddress) svc.localAddress(), attackPauseMs);
                    attackerList.add(attacker);
                    attacker.start();
                }
                Memory memory = new Memory(svc);
                clients.drive(TimeUnit.SECONDS.toNanos(warmupSeconds), false, null);
                memory.sample(0);
                clients.drive(TimeUnit.SECONDS.toNanos(seconds), true, memory);
                for (Attacker attacker : attackerList) {
                    attacker.stop();
                }
                clients.drain();
                memory.sample(seconds);
                EnumMap<Stat, Long> after = snapshot(counters);
                long attacks = attackerList.stream().mapToLong(a -> a.cycles).sum();
                result.put("run", name);
                result.put("connections", connections);
                result.put("ratePerConnection", rate);
                result.put("seconds", seconds);
                result.put("attackers", hostile);
                result.put("sent", clients.sent);
                result.put("echoed", clients.received);
                result.put("lost", clients.sent - clients.received);
                result.put("outOfOrder", clients.outOfOrder);
                result.put("disconnects", clients.disconnects);
                result.put("hostileConnections", attacks);
                result.put("refused", after.get(Stat.REFUSED) - before.get(Stat.REFUSED));
                result.put("refusedPerAddress", after.get(Stat.REFUSED_PER_ADDRESS) - before.get(Stat.REFUSED_PER_ADDRESS));
                result.put("refusedRate", after.get(Stat.REFUSED_RATE) - before.get(Stat.REFUSED_RATE));
                result.put("protocolErrors", after.get(Stat.PROTOCOL_ERRORS) - before.get(Stat.PROTOCOL_ERRORS));
                result.put("liveAtEnd", svc.connectionCount());
                Histogram h = clients.histogram;
                result.put("roundTrips", h.getTotalCount());
                result.put("p50Us", micros(h.getValueAtPercentile(50)));
                result.put("p99Us", micros(h.getValueAtPercentile(99)));
                result.put("p999Us", micros(h.getValueAtPercentile(99.9)));
                result.put("maxUs", micros(h.getMaxValue()));
                memory.into(result);
            } finally {
                for (Attacker attacker : attackerList) {
                    attacker.stop();
                }
                clients.close();
            }
        }
        err.printf("bench soak: %s done: lost %s, p99 %s us, heap after GC %s MiB, RSS %s MiB%n", name,
                result.get("lost"), result.get("p99Us"), result.get("heapAfterGcMib"), result.get("rssMib"));
        err.flush();
        return result;
    }

    /** The service under soak. */
    private interface Service extends AutoCloseable {
        SocketAddress localAddress();

        int connectionCount();

        @Override
        void close();
    }

    /** An async {@link Svc}: every accepted connection echoes through its futures, on the runtime's I/O thread. */
    private static final class AsyncService implements Service {
        private final AsyncRuntime runtime = new AsyncRuntime.Builder().name("soak-svc").build();
        private final Svc<DirectBuffer> svc;

        AsyncService(ProtocolFactory<DirectBuffer> protocols, Context context) throws IOException {
            svc = Svc.bind(new InetSocketAddress("127.0.0.1", 0), protocols, context, runtime);
            svc.onAccept(SoakCommand::echo);
        }

        @Override
        public SocketAddress localAddress() {
            return svc.localAddress();
        }

        @Override
        public int connectionCount() {
            return svc.connectionCount();
        }

        @Override
        public void close() {
            svc.close();
            runtime.close();
        }
    }

    /** A core {@link dev.hayate.core.Acceptor} served by one {@link PollHandler} thread that echoes each frame. */
    private static final class PollService implements Service {
        private final dev.hayate.core.Acceptor<DirectBuffer> acceptor;
        private final PollHandler<DirectBuffer> poll;
        private final Thread thread;
        private volatile boolean running = true;

        PollService(ProtocolFactory<DirectBuffer> protocols, Context context) throws IOException {
            acceptor = new dev.hayate.core.Acceptor<>(new InetSocketAddress("127.0.0.1", 0), protocols, Callback.none(),
                    context);
            poll = new PollHandler<>((from, message) -> from.trySend(message), context);
            poll.add(acceptor);
            thread = new Thread(() -> {
                try {
                    while (running) {
                        poll.poll(TimeUnit.MILLISECONDS.toNanos(10), 1024);
                    }
                } catch (IOException e) {
                    context.errorHandler().onError(e);
                }
            }, "soak-svc-poll");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public SocketAddress localAddress() {
            return acceptor.localAddress();
        }

        @Override
        public int connectionCount() {
            return acceptor.connectionCount();
        }

        @Override
        public void close() {
            running = false;
            poll.wakeup();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            acceptor.close();
            poll.close();
        }
    }

    private static void echo(dev.hayate.async.Clt<DirectBuffer> clt) {
        // The async face detaches what it hands out, so the view may be sent once the future completes.
        clt.recv().thenCompose(clt::send).whenComplete((sent, failure) -> {
            if (failure == null) {
                echo(clt);
            } else {
                clt.close();
            }
        });
    }

    /**
     * The well-behaved side: every connection on one {@link PollHandler} thread (this one), each sending at its own
     * pace and checking its echoes.
     */
    private final class Clients implements PollHandler.Handler<DirectBuffer> {
        private final SocketAddress server;
        private final ProtocolFactory<DirectBuffer> protocols;
        private final BufferPool pool;
        private final List<Connection<DirectBuffer>> list = new ArrayList<>();
        private final Object2IntHashMap<Connection<DirectBuffer>> index = new Object2IntHashMap<>(-1);
        private final PollHandler<DirectBuffer> poll;
        private final UnsafeBuffer message = new UnsafeBuffer(new byte[MESSAGE_LENGTH]);
        private final Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        private long[] nextSeq;
        private long[] expected;
        private long[] due;
        private boolean measuring;
        private long sent;
        private long received;
        private long outOfOrder;
        private long disconnects;

        Clients(SocketAddress server, ProtocolFactory<DirectBuffer> protocols, BufferPool pool) throws IOException {
            this.server = server;
            this.protocols = protocols;
            this.pool = pool;
            this.poll = new PollHandler<>(this);
        }

        void connectAll(PrintWriter err) throws IOException {
            int addresses = (connections + CLIENTS_PER_ADDRESS - 1) / CLIENTS_PER_ADDRESS;
            for (int a = 0; a < addresses; a++) {
                InetAddress source = InetAddress.getByAddress(new byte[] {127, 0, (byte) (1 + a / 250), (byte) (1 + a % 250)});
                Context context = new Context().name("soak-clt").maxFrameLength(MAX_FRAME).bufferPool(pool)
                        .connectTimeout(30, TimeUnit.SECONDS).lingerTimeout(0, TimeUnit.SECONDS)
                        .transportProvider(new TcpTransportProvider().sourceAddress(source));
                for (int i = a * CLIENTS_PER_ADDRESS; i < Math.min(connections, (a + 1) * CLIENTS_PER_ADDRESS); i++) {
                    Connection<DirectBuffer> connection = Connector.connect(server, protocols, Callback.none(), context);
                    index.put(connection, list.size());
                    list.add(connection);
                    poll.add(connection);
                }
            }
            int n = list.size();
            nextSeq = new long[n];
            expected = new long[n];
            due = new long[n];
            long interval = TimeUnit.SECONDS.toNanos(1) / rate;
            long now = System.nanoTime();
            for (int i = 0; i < n; i++) {
                // Spread over one interval, so the load is even rather than in waves.
                due[i] = now + interval * i / n;
            }
            err.printf("bench soak: %d connections from %d source addresses%n", n, addresses);
            err.flush();
        }

        void drive(long nanos, boolean measure, Memory memory) throws IOException {
            measuring = measure;
            long interval = TimeUnit.SECONDS.toNanos(1) / rate;
            long start = System.nanoTime();
            long end = start + nanos;
            long nextSample = memory == null ? Long.MAX_VALUE : start + memory.everyNanos;
            int sample = 1;
            while (true) {
                long now = System.nanoTime();
                if (now - end >= 0) {
                    break;
                }
                if (now - nextSample >= 0) {
                    memory.sample((int) TimeUnit.NANOSECONDS.toSeconds(now - start));
                    nextSample = start + ++sample * memory.everyNanos;
                }
                long earliest = end;
                for (int i = 0; i < due.length; i++) {
                    if (due[i] - now <= 0) {
                        Connection<DirectBuffer> connection = list.get(i);
                        if (!connection.isClosed()) {
                            message.putLong(0, nextSeq[i]);
                            message.putLong(8, System.nanoTime());
                            if (connection.trySend(message) == Status.OK) {
                                nextSeq[i]++;
                                sent++;
                                due[i] += interval;
                            }
                        }
                    }
                    if (due[i] - earliest < 0) {
                        earliest = due[i];
                    }
                }
                long wait = Math.max(0, Math.min(earliest - System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(1)));
                poll.poll(wait, 1024);
            }
        }

        void drain() throws IOException {
            long deadline = System.nanoTime() + DRAIN_NANOS;
            while (received < sent && System.nanoTime() - deadline < 0) {
                poll.poll(TimeUnit.MILLISECONDS.toNanos(1), 1024);
            }
        }

        @Override
        public void onMessage(Connection<DirectBuffer> from, DirectBuffer echo) {
            long now = System.nanoTime();
            int i = index.getValue(from);
            long seq = echo.getLong(0);
            if (i < 0) {
                outOfOrder++;
                return;
            }
            if (seq != expected[i]) {
                // A gap or a repeat; what never arrives shows as lost.
                outOfOrder++;
            }
            expected[i] = seq + 1;
            received++;
            if (measuring) {
                histogram.recordValue(Math.min(now - echo.getLong(8), histogram.getHighestTrackableValue()));
            }
        }

        @Override
        public void onDisconnected(Connection<DirectBuffer> connection) {
            disconnects++;
        }

        void close() {
            for (Connection<DirectBuffer> connection : list) {
                connection.close();
            }
            poll.close();
        }
    }

    /**
     * One hostile client on a thread of its own, from its own source address: connects, does one hostile thing,
     * vanishes with a reset, pauses, and again.
     */
    private static final class Attacker {
        private final InetSocketAddress target;
        private final InetAddress source;
        private final int pauseMs;
        private final Thread thread;
        private final SplittableRandom random;
        private volatile boolean stop;
        private volatile long cycles;

        Attacker(int number, InetSocketAddress target, int pauseMs) throws IOException {
            this.target = target;
            this.source = InetAddress.getByAddress(new byte[] {127, 0, 2, (byte) (1 + number % 250)});
            this.pauseMs = pauseMs;
            this.random = new SplittableRandom(0x50A4L + number);
            this.thread = new Thread(this::attack, "soak-attacker-" + number);
            this.thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        void stop() throws InterruptedException {
            stop = true;
            thread.join(10_000);
        }

        private void attack() {
            byte[] garbage = new byte[512];
            while (!stop) {
                try (Socket socket = new Socket()) {
                    socket.setReuseAddress(true);
                    socket.bind(new InetSocketAddress(source, 0));
                    socket.connect(target, 1_000);
                    // Vanish with a reset: no orderly close, no TIME_WAIT left on this side.
                    socket.setSoLinger(true, 0);
                    switch (random.nextInt(4)) {
                        case 0:
                            random.nextBytes(garbage);
                            socket.getOutputStream().write(garbage);
                            break;
                        case 1:
                            // A header announcing a gigabyte: refused before anything is buffered.
                            socket.getOutputStream().write(ByteBuffer.allocate(6).putInt(1 << 30).putShort((short) 0x5BE0)
                                    .array());
                            break;
                        case 2:
                            // Half a frame, then gone.
                            socket.getOutputStream().write(ByteBuffer.allocate(10).putInt(64).putShort((short) 0x5BE0)
                                    .array());
                            break;
                        default:
                            break;
                    }
                } catch (IOException refusedOrReset) {
                    // Refused by the gate or reset by the server: the attack goes on.
                }
                cycles++;
                if (pauseMs > 0) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(pauseMs));
                }
            }
        }
    }

    /**
     * Samples of the process's memory: heap after the last collection, heap in use, RSS, direct memory, and the
     * service's live connections.
     */
    private final class Memory {
        private final Service svc;
        private final long everyNanos;
        private final List<Map<String, Object>> samples = new ArrayList<>();

        Memory(Service svc) {
            this.svc = svc;
            this.everyNanos = TimeUnit.SECONDS.toNanos(Math.max(1, seconds / 10));
        }

        void sample(int atSecond) {
            long afterGc = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
                    afterGc += pool.getCollectionUsage().getUsed();
                }
            }
            long direct = 0;
            for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
                if (pool.getName().equals("direct")) {
                    direct = pool.getMemoryUsed();
                }
            }
            Map<String, Object> sample = new LinkedHashMap<>();
            sample.put("s", atSecond);
            sample.put("heapAfterGcMib", mib(afterGc));
            sample.put("heapUsedMib", mib(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed()));
            sample.put("heapCommittedMib", mib(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted()));
            sample.put("rssMib", mib(rssBytes()));
            sample.put("directMib", mib(direct));
            sample.put("live", svc.connectionCount());
            samples.add(sample);
        }

        void into(Map<String, Object> result) {
            Map<String, Object> first = samples.get(0);
            Map<String, Object> last = samples.get(samples.size() - 1);
            result.put("heapAfterGcMib", first.get("heapAfterGcMib") + " -> " + last.get("heapAfterGcMib"));
            result.put("rssMib", first.get("rssMib") + " -> " + last.get("rssMib"));
            result.put("directMib", first.get("directMib") + " -> " + last.get("directMib"));
            // Flat means the second half of the run stays within a band, whatever the warm-up committed.
            double low = Double.MAX_VALUE;
            double high = 0;
            for (Map<String, Object> s : samples.subList(samples.size() / 2, samples.size())) {
                double rss = (Double) s.get("rssMib");
                low = Math.min(low, rss);
                high = Math.max(high, rss);
            }
            result.put("rssSecondHalfMib", low + ".." + high);
            StringBuilder series = new StringBuilder();
            for (Map<String, Object> s : samples) {
                series.append(series.length() == 0 ? "" : "; ").append(s.get("s")).append("s: heap(gc) ")
                        .append(s.get("heapAfterGcMib")).append(", heap ").append(s.get("heapUsedMib"))
                        .append("/").append(s.get("heapCommittedMib"))
                        .append(", rss ").append(s.get("rssMib")).append(", direct ").append(s.get("directMib"))
                        .append(", live ").append(s.get("live"));
            }
            result.put("samples", series.toString());
        }
    }

    private void printTables(PrintWriter out, List<Map<String, Object>> results) {
        out.printf("%n| run | conns | attackers | hostile conns | refused (rate / per addr) | protocol errors | sent | "
                + "lost | p50 us | p99 us | p99.9 us | max us | heap after GC MiB | RSS MiB | RSS 2nd half MiB |%n");
        out.printf("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---|%n");
        for (Map<String, Object> r : results) {
            out.printf("| %s | %s | %s | %s | %s (%s / %s) | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                    r.get("run"), r.get("connections"), r.get("attackers"), r.get("hostileConnections"),
                    r.get("refused"), r.get("refusedRate"), r.get("refusedPerAddress"), r.get("protocolErrors"),
                    r.get("sent"), r.get("lost"), r.get("p50Us"), r.get("p99Us"), r.get("p999Us"), r.get("maxUs"),
                    r.get("heapAfterGcMib"), r.get("rssMib"), r.get("rssSecondHalfMib"));
        }
        for (Map<String, Object> r : results) {
            out.printf("%nmemory over time, %s run: %s%n", r.get("run"), r.get("samples"));
        }
    }

    private static EnumMap<Stat, Long> snapshot(Counters counters) {
        EnumMap<Stat, Long> values = new EnumMap<>(Stat.class);
        for (Stat stat : Stat.values()) {
            values.put(stat, counters.counter(stat).get());
        }
        return values;
    }

    private static double micros(long nanos) {
        return Math.round(nanos / 100.0) / 10.0;
    }

    private static double mib(long bytes) {
        return Math.round(bytes / 104857.6) / 10.0;
    }

    private static long rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).trim().split("\\s+")[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    private static long maxFileDescriptors() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean) {
            return ((com.sun.management.UnixOperatingSystemMXBean) os).getMaxFileDescriptorCount();
        }
        return -1;
    }
}
