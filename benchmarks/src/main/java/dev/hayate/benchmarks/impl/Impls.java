package dev.hayate.benchmarks.impl;

import dev.hayate.benchmarks.rig.Impl;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The registry: every implementation the rig knows, by name, in report order.
 *
 * <p>To add one (for example Hayate's nonblocking flavour): write a {@code final class HayateNonblockingImpl
 * implements JvmImpl} shaped like {@link NioBusyImpl}, and add {@code new HayateNonblockingImpl()} to the list in
 * {@link #all(Path)}. Names must be unique.
 */
public final class Impls {
    private Impls() {
    }

    /**
     * @param cPingPong {@code --c-pingpong} (the C baseline's script or its folder), or null to search for it
     * @return every implementation, in report order
     */
    public static List<Impl> all(Path cPingPong) {
        return List.of(
                new HayateImpl(HayateImpl.Face.NONBLOCKING),
                new HayateImpl(HayateImpl.Face.BLOCKING),
                new HayateImpl(HayateImpl.Face.ASYNC),
                new HayateImpl(HayateImpl.Face.ASYNC_DIRECT),
                new HayateImpl(HayateImpl.Face.ASYNC_POOL),
                new HayateImpl(HayateImpl.Face.ASYNC_SPIN),
                new HayateImpl(HayateImpl.Face.ASYNC_INVOKER),
                new HayateImpl(HayateImpl.Face.ASYNC_BUSY),
                new HayateImpl(HayateImpl.Face.QUIC),
                new HayateImpl(HayateImpl.Face.TLS),
                new HayateImpl(HayateImpl.Face.TLS_OPENSSL),
                new CPingPongImpl(true, cPingPong),
                new CPingPongImpl(false, cPingPong),
                new NioBusyImpl(),
                NioBusyImpl.largeBatches(),
                new SocketImpl(),
                new NettyImpl(false),
                NettyImpl.threadedClient(),
                new NettyImpl(true),
                new NettyImpl(false, true),
                new AeronImpl(true),
                new AeronImpl(false));
    }

    /**
     * @param name      an implementation name
     * @param cPingPong as for {@link #all(Path)}
     * @return the implementation with that name
     */
    public static Optional<Impl> byName(String name, Path cPingPong) {
        return all(cPingPong).stream().filter(i -> i.name().equals(name)).findFirst();
    }

    /**
     * @return every name, comma-separated, for messages and help
     */
    public static String names() {
        return all(null).stream().map(Impl::name).collect(Collectors.joining(", "));
    }
}
