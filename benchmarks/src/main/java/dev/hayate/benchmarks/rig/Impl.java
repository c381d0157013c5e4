package dev.hayate.benchmarks.rig;

/**
 * One implementation under test, registered under its {@link #name()} in
 * {@link dev.hayate.benchmarks.impl.Impls}.
 *
 * <p>There are two kinds:
 * <ul>
 *   <li>{@link JvmImpl}: a client side and a server side written in Java; this rig runs the server side in a
 *       child JVM and the client side in the parent JVM, and does all timing itself (every Java peer and every
 *       Hayate flavour);</li>
 *   <li>{@link ExternalImpl}: a whole program that measures itself (the C baseline).</li>
 * </ul>
 *
 * <p>Instances are immutable and cheap to create; both JVMs create them from the registry.
 */
public interface Impl {
    /**
     * @return the name used on the command line ({@code --impl NAME}) and in reports, e.g. {@code nio-busy}
     */
    String name();

    /**
     * @return one line saying what this is and how it waits (spinning or blocking), for {@code --help} and reports
     */
    String description();

    /**
     * Says whether this implementation can run on this machine. Called in the parent JVM before any child
     * process is started; it must be quick and must not throw.
     *
     * @return {@code null} when it can run here, otherwise the reason it cannot (shown in reports)
     */
    default String unavailableReason() {
        return null;
    }

    /**
     * @return whether this implementation has a ping-pong of its own (false for a throughput-only variant of another)
     */
    default boolean supportsPingPong() {
        return true;
    }

    /**
     * @return whether this implementation has throughput sides ({@code bench throughput})
     */
    default boolean supportsThroughput() {
        return false;
    }

    /**
     * @return whether a fixed send rate ({@code --rate}) can be applied to its ping-pong
     */
    default boolean supportsRate() {
        return true;
    }
}
