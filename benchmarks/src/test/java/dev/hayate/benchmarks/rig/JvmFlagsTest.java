package dev.hayate.benchmarks.rig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Where a child JVM of the rig runs: the CPU list of {@link JvmFlags#CHILD_CPUS}. */
class JvmFlagsTest {
    @Test
    void shouldStartTheChildUnderTasksetOnlyWhenACpuListIsGiven() {
        assertEquals(List.of(), JvmFlags.childCpuPrefix(null));
        assertEquals(List.of(), JvmFlags.childCpuPrefix("  "));
        assertEquals(List.of("taskset", "-c", "1"), JvmFlags.childCpuPrefix("1"));
        assertEquals(List.of("taskset", "-c", "0-1,3"), JvmFlags.childCpuPrefix(" 0-1,3 "));
    }

    @Test
    void shouldRefuseAnythingButACpuListRatherThanPassItToAShell() {
        for (String bad : List.of("1;rm", "one", "1,", "-1", "1 2")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JvmFlags.childCpuPrefix(bad));
            assertEquals(true, e.getMessage().contains(JvmFlags.CHILD_CPUS), e::getMessage);
        }
    }
}
