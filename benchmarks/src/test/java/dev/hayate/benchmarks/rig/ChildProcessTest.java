package dev.hayate.benchmarks.rig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A child that reports nothing is an error within the timeout, and is killed. */
class ChildProcessTest {
    @Test
    void shouldFailAndKillAChildThatStaysSilent() {
        long before = ProcessHandle.current().children().count();
        BenchException e = assertThrows(BenchException.class,
                () -> ChildProcess.start(List.of("sleep", "60"), Duration.ofMillis(500)));
        assertTrue(e.getMessage().contains("reported no port"), e.getMessage());
        assertEquals(before, ProcessHandle.current().children().filter(ProcessHandle::isAlive).count());
    }

    @Test
    void shouldFailWhenTheChildExitsWithoutAPort() {
        BenchException e = assertThrows(BenchException.class,
                () -> ChildProcess.start(List.of("sh", "-c", "echo hello; echo oops >&2; exit 7"),
                        Duration.ofSeconds(30)));
        assertTrue(e.getMessage().contains("status 7"), e.getMessage());
        assertTrue(e.getMessage().contains("oops"), e.getMessage());
    }

    @Test
    void shouldReadTheAddressAfterOtherLines() throws Exception {
        try (ChildProcess c = ChildProcess.start(List.of("sh", "-c", "echo noise; echo 'port 4242'; cat"),
                Duration.ofSeconds(30))) {
            assertEquals("4242", c.address());
        }
    }

    @Test
    void shouldGiveChildrenTheRequiredFlags() {
        List<String> cmd = JvmFlags.childCommand(Object.class, List.of("a"));
        assertTrue(cmd.contains(JvmFlags.MISC_EXPORT), cmd::toString);
        assertEquals(Runtime.version().feature() >= 22, cmd.contains("--enable-native-access=ALL-UNNAMED"));
        assertEquals(System.getProperty("java.class.path"), cmd.get(cmd.indexOf("-cp") + 1));
        assertEquals(List.of("java.lang.Object", "a"), cmd.subList(cmd.size() - 2, cmd.size()));
    }
}
