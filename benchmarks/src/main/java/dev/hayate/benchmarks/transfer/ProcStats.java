package dev.hayate.benchmarks.transfer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * CPU time and peak resident memory of a Linux process, read from {@code /proc}. Off Linux the values are
 * {@code NaN} (the rows then show "-"), never an error.
 *
 * <p>Stateless and thread-safe.
 */
public final class ProcStats {
    private ProcStats() {
    }

    /**
     * @return user + system CPU seconds this JVM has used so far, or NaN when the platform does not say
     */
    public static double selfCpuSeconds() {
        return ProcessHandle.current().info().totalCpuDuration().map(ProcStats::seconds).orElse(Double.NaN);
    }

    /**
     * @param pid a process id
     * @return its peak resident set ({@code VmHWM}) in MiB, or NaN when it cannot be read (gone, not Linux)
     */
    public static double peakRssMib(final long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"),
                    StandardCharsets.US_ASCII)) {
                if (line.startsWith("VmHWM:")) {
                    String[] parts = line.substring("VmHWM:".length()).trim().split("\\s+");
                    return Long.parseLong(parts[0]) / 1024.0;
                }
            }
            return Double.NaN;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /**
     * @return this JVM's peak resident set in MiB, or NaN
     */
    public static double selfPeakRssMib() {
        return peakRssMib(ProcessHandle.current().pid());
    }

    /**
     * Reads the CPU time a process's reaped children have used ({@code cutime + cstime} in {@code /proc/<pid>/stat}):
     * for a daemon that forks one process per connection (sshd) the difference across a run is that run's cost.
     *
     * @param pid   a process id
     * @param ticks clock ticks per second ({@code getconf CLK_TCK}, 100 on Linux)
     * @return seconds, or NaN when it cannot be read
     */
    public static double reapedChildrenCpuSeconds(final long pid, final long ticks) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
            // the command name (field 2) may hold spaces and parentheses: count fields after the last ')'
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
            // f[0] is field 3 (state); cutime and cstime are fields 16 and 17
            return (Long.parseLong(f[13]) + Long.parseLong(f[14])) / (double) ticks;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    static double seconds(final Duration d) {
        return d.toNanos() / 1e9;
    }
}
