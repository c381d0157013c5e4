package dev.hayate.benchmarks;

import dev.hayate.benchmarks.rig.Json;
import dev.hayate.core.Context;
import dev.hayate.core.DirectBufferCodec;
import dev.hayate.core.ProtocolFactory;
import dev.hayate.core.Status;
import dev.hayate.core.stat.Counters;
import dev.hayate.relay.Delivery;
import dev.hayate.relay.ProducerKey;
import dev.hayate.relay.RelayClientConfig;
import dev.hayate.relay.RelayConsumer;
import dev.hayate.relay.RelayContext;
import dev.hayate.relay.RelayCrypto;
import dev.hayate.relay.RelayProducer;
import dev.hayate.relay.RelayServer;
import dev.hayate.relay.RelayStats;
import dev.hayate.relay.SlowConsumerPolicy;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench relay}: fan-out latency and throughput through a {@link RelayServer}, against a direct blocking
 * {@code Clt}/{@code Svc} hop measured in the same run, all in this JVM on 127.0.0.1 (relay on its own thread,
 * each consumer on its own thread, blocking faces).
 *
 * <p>Latency: the producer stamps {@code System.nanoTime()} into each payload and sends the next only when every
 * consumer has it; each consumer records receive time minus the stamp. Throughput: the producer sends as fast as
 * the relay takes (policy BACK_PRESSURE, nothing dropped) and each consumer's MB/s is its bytes over the time from
 * the first send to its last receive.
 *
 * <p>Not thread-safe: a picocli command, run once.
 */
@Command(name = "relay", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Fan-out through the end-to-end encrypted relay: latency p50/p99 from the producer's send to each "
                    + "consumer's receive, throughput per consumer, the relay thread's CPU and memory; a direct "
                    + "blocking Clt/Svc hop in the same run gives the relay's cost as a ratio.",
            ""
        })
final class RelayBenchCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--consumers", defaultValue = "10", paramLabel = "N",
            description = "Consumers (default: ${DEFAULT-VALUE}).")
    int consumers;

    @Option(names = "--size", defaultValue = "64", paramLabel = "BYTES",
            description = "Payload bytes, at least 8 (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--count", defaultValue = "2000", paramLabel = "N",
            description = "Frames of the latency phase (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--warmup", defaultValue = "1000", paramLabel = "N",
            description = "Frames sent as the latency phase, unmeasured, before it (JIT, AES-GCM intrinsics; default: "
                    + "${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--flood", defaultValue = "0", paramLabel = "N",
            description = "Frames of the throughput phase (default: 64 MiB worth, at most 100000).")
    int flood;

    @Option(names = "--busy", description = "Run the relay's thread busy-spinning instead of parking.")
    boolean busy;

    @Option(names = "--json", description = "One JSON object per row instead of a table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (consumers < 1 || size < 8 || count < 1 || warmup < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--consumers >= 1, --size >= 8, --count >= 1");
        }
        final int frames = flood > 0 ? flood : (int) Math.min(100_000, Math.max(200, (64L << 20) / size));
        final Map<String, Object> direct = direct(frames);
        final Map<String, Object> relayed = relay(frames);
        relayed.put("p50_x_direct", ratio(relayed.get("p50_us"), direct.get("p50_us")));
        relayed.put("p99_x_direct", ratio(relayed.get("p99_us"), direct.get("p99_us")));
        relayed.put("mbps_x_direct", ratio(relayed.get("mbps_per_consumer"), direct.get("mbps_per_consumer")));
        final PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.write(direct));
            out.println(Json.write(relayed));
        } else {
            out.printf(Locale.ROOT, "bench relay: %d consumer(s), %d-byte payloads, %d latency frames after %d warm-up, "
                    + "%d flood frames, one JVM on 127.0.0.1, %d cores%n", consumers, size, count, warmup, frames,
                    Runtime.getRuntime().availableProcessors());
            final String fmt = "%-8s %9s %9s %14s %12s %14s %13s %14s%n";
            out.printf(Locale.ROOT, fmt, "row", "p50 us", "p99 us", "MB/s/consumer", "relay CPU s", "relay MiB held",
                    "x direct p50", "x direct MB/s");
            for (Map<String, Object> row : List.of(direct, relayed)) {
                out.printf(Locale.ROOT, fmt, row.get("row"), row.get("p50_us"), row.get("p99_us"),
                        row.get("mbps_per_consumer"), row.getOrDefault("relay_cpu_s", "-"),
                        row.getOrDefault("relay_peak_queue_mib", "-"), row.getOrDefault("p50_x_direct", "1.00"),
                        row.getOrDefault("mbps_x_direct", "1.00"));
            }
            out.println("The relay row seals (producer) and opens (each consumer) every payload with AES-256-GCM; the "
                    + "direct row does not.");
            out.println("relay MiB held: the most frame-pool memory one consumer's queue held (the per-consumer bound).");
        }
        out.flush();
        return 0;
    }

    private dev.hayate.core.buffer.BufferPool pool;

    // Frames of --size plus headers; every connection's two buffers come from one pool sized for the run.
    private Context engine() {
        final int frame = Math.max(Context.DEFAULT_MAX_FRAME_LENGTH, Integer.highestOneBit(size + 255) << 1);
        if (pool == null) {
            pool = new dev.hayate.core.buffer.BufferPool.Context().sizeClass(frame, 4 * consumers + 64).build();
        }
        return new Context().counters(Counters.inMemory(8192)).handshakeTimeout(30, TimeUnit.SECONDS)
                .connectTimeout(30, TimeUnit.SECONDS).maxFrameLength(frame).bufferPool(pool);
    }

    private Map<String, Object> direct(final int frames) throws Exception {
        final Histogram histogram = new Histogram(3);
        final AtomicLong received = new AtomicLong();
        final AtomicLong lastNanos = new AtomicLong();
        try (dev.hayate.blocking.Svc<DirectBuffer> svc = dev.hayate.blocking.Svc.bind(
                new InetSocketAddress("127.0.0.1", 0), ProtocolFactory.of(DirectBufferCodec::new), engine())) {
            final Thread server = new Thread(() -> {
                try (dev.hayate.blocking.Clt<DirectBuffer> side = svc.accept(30, TimeUnit.SECONDS)) {
                    while (received.get() < warmup + count + frames) {
                        final DirectBuffer m = side.recv(30, TimeUnit.SECONDS);
                        if (m == null) {
                            return;
                        }
                        final long now = System.nanoTime();
                        if (received.get() >= warmup && received.get() < warmup + count) {
                            histogram.recordValue(Math.max(0, now - m.getLong(0)));
                        }
                        lastNanos.set(now);
                        received.incrementAndGet();
                    }
                } catch (final Exception ex) {
                    throw new IllegalStateException(ex);
                }
            }, "bench-direct-server");
            server.start();
            try (dev.hayate.blocking.Clt<DirectBuffer> clt = dev.hayate.blocking.Clt.connect(svc.localAddress(),
                    ProtocolFactory.of(DirectBufferCodec::new), engine())) {
                final UnsafeBuffer payload = new UnsafeBuffer(new byte[size]);
                for (int i = 0; i < warmup + count; i++) {
                    payload.putLong(0, System.nanoTime());
                    check(clt.send(payload, 30, TimeUnit.SECONDS));
                    waitFor(received, i + 1);
                }
                final long start = System.nanoTime();
                for (int i = 0; i < frames; i++) {
                    payload.putLong(0, System.nanoTime());
                    check(clt.send(payload, 30, TimeUnit.SECONDS));
                }
                server.join(120_000);
                final double seconds = (lastNanos.get() - start) / 1e9;
                return row("direct", histogram, frames * (double) size / 1e6 / seconds);
            }
        }
    }

    private Map<String, Object> relay(final int frames) throws Exception {
        final RelayContext context = new RelayContext().listen(new InetSocketAddress("127.0.0.1", 0))
                .context(engine()).maxQueueBytes(Math.max(8L << 20, 64L * engine().maxFrameLength()));
        if (busy) {
            context.waitStrategy(dev.hayate.core.BusySpinWait.INSTANCE);
        }
        final byte[] secret = RelayCrypto.newSecret();
        final ProducerKey key = ProducerKey.generate();
        final Histogram[] histograms = new Histogram[consumers];
        final long[] lastNanos = new long[consumers];
        final AtomicLong received = new AtomicLong();
        try (RelayServer relay = RelayServer.bind(context).start()) {
            final Thread relayThread = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals("hayate-relay")).findFirst().orElse(null);
            final List<Thread> threads = new ArrayList<>();
            final List<RelayConsumer> joined = new ArrayList<>();
            for (int c = 0; c < consumers; c++) {
                joined.add(RelayConsumer.blocking(new RelayClientConfig().relay(relay.localAddress())
                        .sessionId(key.sessionId()).secret(secret).context(engine())));
            }
            for (int c = 0; c < consumers; c++) {
                final int index = c;
                final RelayConsumer consumer = joined.get(c);
                histograms[c] = new Histogram(3);
                final Thread t = new Thread(() -> {
                    try (consumer) {
                        long seen = 0;
                        while (seen < warmup + count + frames) {
                            final Delivery d = consumer.recv(60, TimeUnit.SECONDS);
                            if (d == null) {
                                return;
                            }
                            if (d.kind() != Delivery.Kind.DATA) {
                                continue;
                            }
                            final long now = System.nanoTime();
                            if (seen >= warmup && seen < warmup + count) {
                                histograms[index].recordValue(Math.max(0, now - d.buffer().getLong(0)));
                            }
                            lastNanos[index] = now;
                            seen++;
                            received.incrementAndGet();
                        }
                    } catch (final Exception ex) {
                        throw new IllegalStateException(ex);
                    }
                }, "bench-relay-consumer-" + c);
                t.start();
                threads.add(t);
            }
            final ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            final long cpuBefore = relayThread == null ? -1 : mx.getThreadCpuTime(relayThread.getId());
            final long start;
            try (RelayProducer producer = RelayProducer.blocking(new RelayClientConfig().relay(relay.localAddress())
                    .producerKey(key).secret(secret).policy(SlowConsumerPolicy.BACK_PRESSURE).context(engine())
                    .sendTimeout(60, TimeUnit.SECONDS))) {
                final UnsafeBuffer payload = new UnsafeBuffer(new byte[size]);
                for (int i = 0; i < warmup + count; i++) {
                    payload.putLong(0, System.nanoTime());
                    check(producer.broadcast(payload, 0, size));
                    waitFor(received, (long) (i + 1) * consumers);
                }
                start = System.nanoTime();
                for (int i = 0; i < frames; i++) {
                    payload.putLong(0, System.nanoTime());
                    check(producer.broadcast(payload, 0, size));
                }
                check(producer.flush(60, TimeUnit.SECONDS));
                for (Thread t : threads) {
                    t.join(300_000);
                }
            }
            final long cpuAfter = relayThread == null ? -1 : mx.getThreadCpuTime(relayThread.getId());
            final Histogram all = new Histogram(3);
            double mbps = Double.MAX_VALUE;
            for (int c = 0; c < consumers; c++) {
                all.add(histograms[c]);
                mbps = Math.min(mbps, frames * (double) size / 1e6 / ((lastNanos[c] - start) / 1e9));
            }
            final Map<String, Object> row = row("relay", all, mbps);
            row.put("relay_cpu_s", cpuBefore < 0 ? "-" : String.format(Locale.ROOT, "%.2f", (cpuAfter - cpuBefore) / 1e9));
            row.put("relay_peak_queue_mib", String.format(Locale.ROOT, "%.2f",
                    relay.stats().get(RelayStats.Counter.QUEUE_HIGH_WATER) / (double) (1 << 20)));
            row.put("frames_forwarded", relay.stats().get(RelayStats.Counter.FRAMES_FORWARDED));
            return row;
        }
    }

    private Map<String, Object> row(final String name, final Histogram histogram, final double mbps) {
        final Map<String, Object> row = new LinkedHashMap<>();
        row.put("row", name);
        row.put("consumers", name.equals("direct") ? 1 : consumers);
        row.put("size", size);
        row.put("p50_us", String.format(Locale.ROOT, "%.1f", histogram.getValueAtPercentile(50) / 1e3));
        row.put("p99_us", String.format(Locale.ROOT, "%.1f", histogram.getValueAtPercentile(99) / 1e3));
        row.put("mbps_per_consumer", String.format(Locale.ROOT, "%.1f", mbps));
        return row;
    }

    private static String ratio(final Object value, final Object base) {
        final double v = Double.parseDouble(value.toString());
        final double b = Double.parseDouble(base.toString());
        return b <= 0 ? "-" : String.format(Locale.ROOT, "%.2f", v / b);
    }

    private static void check(final Status status) {
        if (status != Status.OK) {
            throw new IllegalStateException("send: " + status);
        }
    }

    private static void waitFor(final AtomicLong counter, final long target) {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (counter.get() < target) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("timed out waiting for " + target + " receives, got " + counter.get());
            }
            LockSupport.parkNanos(1_000);
        }
    }
}
