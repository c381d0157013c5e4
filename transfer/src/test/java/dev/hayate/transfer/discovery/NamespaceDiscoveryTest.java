package dev.hayate.transfer.discovery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Discovery on a real link: two network namespaces joined by a veth pair (made here, removed in
 * {@link #removeNamespaces()} even after a failure), the sender in one and the receiver in the other, each a child
 * JVM ({@link DiscoveryMain}) on the default discovery port with the interfaces' own broadcast addresses and
 * mDNS. Needs root and {@code ip}; skipped with the reason printed otherwise.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class NamespaceDiscoveryTest
{
    private static final long WAIT_SECONDS = 90;
    private static final String TAG = Long.toString(ProcessHandle.current().pid() % 100000, 36) +
        Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36), 36);
    private static final String NS_SEND = "hyd-" + TAG + "-s";
    private static final String NS_RECV = "hyd-" + TAG + "-r";
    private static final String VETH_SEND = "hyds" + TAG;
    private static final String VETH_RECV = "hydr" + TAG;
    private static boolean created;

    private final List<Process> children = new ArrayList<>();

    @TempDir
    Path dir;

    @BeforeAll
    static void createNamespaces() throws Exception
    {
        final String skip = whyNot();
        if (skip != null)
        {
            System.out.println("NamespaceDiscoveryTest skipped: " + skip);
            Assumptions.abort(skip);
        }
        created = true;
        final int subnet = ThreadLocalRandom.current().nextInt(1, 250);
        ip("netns", "add", NS_SEND);
        ip("netns", "add", NS_RECV);
        ip("link", "add", VETH_SEND, "type", "veth", "peer", "name", VETH_RECV);
        ip("link", "set", VETH_SEND, "netns", NS_SEND);
        ip("link", "set", VETH_RECV, "netns", NS_RECV);
        ip("-n", NS_SEND, "addr", "add", "10.213." + subnet + ".1/24", "broadcast", "+", "dev", VETH_SEND);
        ip("-n", NS_RECV, "addr", "add", "10.213." + subnet + ".2/24", "broadcast", "+", "dev", VETH_RECV);
        for (final String[] nsDev : new String[][] {{NS_SEND, VETH_SEND}, {NS_RECV, VETH_RECV}})
        {
            ip("-n", nsDev[0], "link", "set", "lo", "up");
            ip("-n", nsDev[0], "link", "set", nsDev[1], "up");
        }
    }

    @AfterAll
    static void removeNamespaces() throws Exception
    {
        if (!created)
        {
            return;
        }
        // Deleting a namespace deletes the veth end inside it, and with it the pair.
        run(List.of("ip", "netns", "del", NS_SEND));
        run(List.of("ip", "netns", "del", NS_RECV));
    }

    @AfterEach
    void destroyChildren() throws Exception
    {
        for (final Process p : children)
        {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void shouldDiscoverByBroadcastAReceiverStartedBeforeTheSender() throws Exception
    {
        final Path file = file("by-udp.bin");
        final Process receiver = start(NS_RECV, "receive", "udp", "21-amber-falcon-river=" + dir.resolve("in"));
        awaitLine(receiver, "LOOKING");
        final Process sender = start(NS_SEND, "send", "udp", "21-amber-falcon-river=" + file);
        assertEquals(0, exit(sender), () -> log(sender));
        assertEquals(0, exit(receiver), () -> log(receiver));
        assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(dir.resolve("in").resolve("by-udp.bin")));
    }

    @Test
    void shouldDiscoverByMdnsASenderAnnouncingBeforeTheReceiverStarted() throws Exception
    {
        final Path file = file("by-mdns.bin");
        final Process sender = start(NS_SEND, "send", "mdns", "22-amber-falcon-river=" + file);
        awaitLine(sender, "LISTENING");
        final Process receiver = start(NS_RECV, "receive", "mdns", "22-amber-falcon-river=" + dir.resolve("in"));
        assertEquals(0, exit(receiver), () -> log(receiver));
        assertEquals(0, exit(sender), () -> log(sender));
        assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(dir.resolve("in").resolve("by-mdns.bin")));
    }

    @Test
    void shouldSkipASpoofingAnnouncerOnTheLanAndPairWithTheGenuineSender() throws Exception
    {
        final Path file = file("genuine.bin");
        final Path decoy = file("decoy.bin");
        // Same number (anyone can learn it from an announcement), other words: the spoofer's one guess.
        final Process spoofer = start(NS_SEND, "send", "both", "23-able-absent-acorn=" + decoy);
        awaitLine(spoofer, "LISTENING");
        final Process receiver = start(NS_RECV, "receive", "both", "23-amber-falcon-river=" + dir.resolve("in"));
        assertEquals(3, exit(spoofer), () -> "the spoofer fails to pair (exit 3, wrong code): " + log(spoofer));
        final Process sender = start(NS_SEND, "send", "both", "23-amber-falcon-river=" + file);
        assertEquals(0, exit(receiver), () -> log(receiver));
        assertEquals(0, exit(sender), () -> log(sender));
        assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(dir.resolve("in").resolve("genuine.bin")));
        assertFalse(Files.exists(dir.resolve("in").resolve("decoy.bin")));
    }

    @Test
    void shouldRunTwoTransfersAtOnceWithDifferentCodesWithoutCrossing() throws Exception
    {
        final Path a = file("for-a.bin");
        final Path b = file("for-b.bin");
        final Process receivers = start(NS_RECV, "receive", "both", "31-amber-falcon-river=" + dir.resolve("a"),
            "32-amber-falcon-river=" + dir.resolve("b"));
        awaitLine(receivers, "LOOKING");
        final Process senders = start(NS_SEND, "send", "both", "31-amber-falcon-river=" + a,
            "32-amber-falcon-river=" + b);
        assertEquals(0, exit(senders), () -> log(senders));
        assertEquals(0, exit(receivers), () -> log(receivers));
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(dir.resolve("a").resolve("for-a.bin")));
        assertArrayEquals(Files.readAllBytes(b), Files.readAllBytes(dir.resolve("b").resolve("for-b.bin")));
        assertFalse(Files.exists(dir.resolve("a").resolve("for-b.bin")));
        assertFalse(Files.exists(dir.resolve("b").resolve("for-a.bin")));
    }

    private Path file(final String name) throws IOException
    {
        final byte[] bytes = new byte[200_000];
        new SecureRandom().nextBytes(bytes);
        return Files.write(Files.createDirectories(dir.resolve("src")).resolve(name), bytes);
    }

    private Process start(final String ns, final String... args) throws IOException
    {
        final List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", ns,
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "-cp", System.getProperty("java.class.path"), DiscoveryMain.class.getName(), args[0], args[1],
            Long.toString(WAIT_SECONDS)));
        command.addAll(List.of(args).subList(2, args.length));
        final Path log = dir.resolve("child-" + children.size() + ".log");
        final Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        children.add(p);
        return p;
    }

    private String log(final Process p)
    {
        try
        {
            return Files.readString(dir.resolve("child-" + children.indexOf(p) + ".log"), StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            return ex.toString();
        }
    }

    private void awaitLine(final Process p, final String prefix) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!log(p).lines().anyMatch(l -> l.startsWith(prefix)))
        {
            assertTrue(p.isAlive(), () -> "ended before '" + prefix + "': " + log(p));
            assertTrue(System.nanoTime() - deadline < 0, () -> "no '" + prefix + "' in time: " + log(p));
            Thread.sleep(50);
        }
    }

    private static int exit(final Process p) throws InterruptedException
    {
        if (!p.waitFor(WAIT_SECONDS + 60, TimeUnit.SECONDS))
        {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }

    private static String whyNot()
    {
        if (!"root".equals(System.getProperty("user.name")))
        {
            return "needs root to create network namespaces (running as " + System.getProperty("user.name") + ")";
        }
        try
        {
            if (run(List.of("ip", "-V")) != 0)
            {
                return "'ip -V' failed";
            }
        }
        catch (final IOException ex)
        {
            return "no 'ip' command: " + ex.getMessage();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
        return null;
    }

    private static void ip(final String... args) throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        assertEquals(0, run(command), () -> "failed: " + String.join(" ", command));
    }

    private static int run(final List<String> command) throws IOException, InterruptedException
    {
        final Process p = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(30, TimeUnit.SECONDS))
        {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }
}
