package dev.hayate.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a report says about where it ran.
 */
final class SystemInfo {
    private SystemInfo() {
    }

    static String date() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    static String jdk() {
        return System.getProperty("java.runtime.version") + " (" + System.getProperty("java.vm.vendor") + ", "
                + System.getProperty("java.vm.name") + ")";
    }

    static String os() {
        return System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch");
    }

    /**
     * @return the 1, 5 and 15 minute load averages, or "unknown"
     */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).strip().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }

    static String cpu() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).strip())
                    .findFirst().orElse("unknown CPU");
        } catch (IOException | RuntimeException e) {
            return "unknown CPU";
        }
    }

    /**
     * @return this JVM's command line as it can be committed: the JDK's executable as {@code java} (the report
     *         names the JDK), paths under the working directory relative to it, a long class path shortened
     */
    static String command() {
        ProcessHandle.Info info = ProcessHandle.current().info();
        if (info.command().isEmpty() || info.arguments().isEmpty()) {
            return "java " + System.getProperty("sun.java.command", "?");
        }
        String cwd = System.getProperty("user.dir") + java.io.File.separator;
        List<String> parts = new ArrayList<>();
        parts.add("java");
        String[] args = info.arguments().get();
        for (int i = 0; i < args.length; i++) {
            String a = args[i].replace(cwd, "");
            parts.add(a.contains(" ") ? "'" + a + "'" : a);
            boolean cp = a.equals("-cp") || a.equals("-classpath") || a.equals("--class-path");
            if (cp && i + 1 < args.length && args[i + 1].length() > 120) {
                parts.add("<class path>");
                i++;
            }
        }
        return String.join(" ", parts);
    }
}
