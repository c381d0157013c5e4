package dev.hayate.benchmarks.rig;

/**
 * An implementation whose two sides this rig runs in two JVM processes on loopback.
 *
 * <h2>Ping-pong (round-trip latency)</h2>
 * <pre>
 *   parent JVM (measures)                         child JVM ({@code bench serve ...})
 *   ---------------------                         -----------------------------------
 *                                                 server = impl.pongServer(spec)
 *                                                 address = server.bind()
 *                                   &lt;-- stdout --  prints "port &lt;address&gt;"
 *   client = impl.pingClient(spec, address)       server.serve(): accepts one client; reads each whole
 *      (created on the measuring thread)            message of spec.size() bytes and sends it back
 *   warm-up:   roundTrip() x warmup, not recorded   unchanged, one at a time, until the client goes away
 *   measured:  t0 = now (or the intended send time
 *              when --rate is set); roundTrip();
 *              histogram.record(now - t0)  x count
 *   client.close()                                server returns from serve(); the child exits
 * </pre>
 * Exactly one message is in flight. Where warm-up ends and what the histogram records is spelled out in
 * {@link PingPongRig}.
 *
 * <h2>Throughput (one way)</h2>
 * <pre>
 *   parent JVM (receives, measures)               child JVM
 *   sink = impl.throughputSink(spec, address)     source = impl.throughputSource(spec); bind(); serve():
 *   sink.receive() for warm-up + --seconds        sends spec.size()-byte messages as fast as it can until
 *   (see ThroughputRig), then sink.close()        the receiver closes the connection
 * </pre>
 *
 * <h2>Adding an implementation</h2>
 * Write one small {@code final} class implementing this interface (copy
 * {@link dev.hayate.benchmarks.impl.NioBusyImpl}: a nested server class and a nested client class) and add one
 * line to {@link dev.hayate.benchmarks.impl.Impls#all}. Nothing else changes: the CLI, the child process, the
 * timing, the JSON and the Markdown report all work from the registry.
 *
 * <p>Sides must listen and connect on 127.0.0.1 only and must not print to {@code System.out} (the parent reads
 * the child's stdout). A client or sink whose peer has gone away must throw or return, never wait forever:
 * when a run times out the parent kills the child and interrupts the measuring thread.
 */
public interface JvmImpl extends Impl {
    /**
     * Every Java implementation's measuring thread is measured the same way, peers included, so Hayate's
     * figure has a control beside it ({@code alloc_bytes_per_msg}); only the C baseline reports {@code null}.
     *
     * @return whether to report allocation per message
     */
    default boolean measuresAllocation() {
        return true;
    }

    /**
     * Child JVM: creates the echo side of the ping-pong. Nothing is opened until {@link Server#bind()}.
     *
     * @param spec message size and timings
     * @return the server side
     * @throws Exception when it cannot be created
     */
    Server pongServer(Spec spec) throws Exception;

    /**
     * Parent JVM: creates the ping side and connects it to the server, returning once connected (and, for
     * transports with a handshake, ready for the first message). Called on the measuring thread, which is the
     * only thread that will call {@link PingClient#roundTrip()} and {@link PingClient#close()}.
     *
     * @param spec    message size and timings
     * @param address what the child printed after {@code port }
     * @return a connected client
     * @throws Exception when it cannot connect
     */
    PingClient pingClient(Spec spec, String address) throws Exception;

    /**
     * Child JVM: creates the sending side of the throughput test.
     *
     * @param spec message size and how long to send
     * @return the server side
     * @throws Exception when it cannot be created
     */
    default Server throughputSource(Spec spec) throws Exception {
        throw new IllegalStateException(name() + " has no throughput sides: check supportsThroughput() first");
    }

    /**
     * Parent JVM: creates the receiving side of the throughput test, connected to the source. Called on the
     * measuring thread.
     *
     * @param spec    message size
     * @param address what the child printed after {@code port }
     * @return a connected sink
     * @throws Exception when it cannot connect
     */
    default Sink throughputSink(Spec spec, String address) throws Exception {
        throw new IllegalStateException(name() + " has no throughput sides: check supportsThroughput() first");
    }
}
