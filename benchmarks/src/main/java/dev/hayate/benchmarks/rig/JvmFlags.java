package dev.hayate.benchmarks.rig;

import java.util.ArrayList;
import java.util.List;

/**
 * The flags every JVM of this rig needs, and the command that starts a child JVM like this one.
 */
public final class JvmFlags {
    /** agrona's {@code UnsafeBuffer} (Aeron, Hayate) fails without it. */
    public static final String ADD_EXPORTS = "--add-exports";
    /** The value after {@link #ADD_EXPORTS}. */
    public static final String MISC_EXPORT = "java.base/jdk.internal.misc=ALL-UNNAMED";

    /**
     * Environment variable: a CPU list ({@code taskset -c} syntax) the child JVM runs on. With the parent started
     * under {@code taskset -c} on other CPUs, the two sides of a run keep fixed, separate CPUs, which takes the
     * scheduler's placement of the two busy threads out of a comparison.
     */
    public static final String CHILD_CPUS = "HAYATE_BENCH_CHILD_CPUS";

    private JvmFlags() {
    }

    /**
     * @param cpus a {@code taskset -c} CPU list, or null/blank for none
     * @return the command words that start a child on those CPUs ({@code taskset -c cpus}), or none
     * @throws IllegalArgumentException if the list is not digits, commas and dashes
     */
    static List<String> childCpuPrefix(String cpus) {
        if (cpus == null || cpus.isBlank()) {
            return List.of();
        }
        String list = cpus.strip();
        if (!list.matches("[0-9]+([-,][0-9]+)*")) {
            throw new IllegalArgumentException(CHILD_CPUS + " must be a CPU list such as 1 or 0-1 or 0,2: '" + cpus + "'");
        }
        return List.of("taskset", "-c", list);
    }

    /**
     * @return the JVM flags a child needs: the agrona export, and on JDK 22 or later
     *         {@code --enable-native-access=ALL-UNNAMED} (Netty's native transport)
     */
    public static List<String> required() {
        List<String> flags = new ArrayList<>(List.of(ADD_EXPORTS, MISC_EXPORT));
        if (Runtime.version().feature() >= 22) {
            flags.add("--enable-native-access=ALL-UNNAMED");
        }
        return flags;
    }

    /**
     * @return the {@code java} binary running this JVM
     */
    public static String javaBinary() {
        return ProcessHandle.current().info().command()
                .orElse(System.getProperty("java.home") + "/bin/java");
    }

    /**
     * @return whether this JVM was started with the agrona export (otherwise agrona-based impls cannot run in it)
     */
    public static boolean miscExported() {
        return Object.class.getModule().isExported("jdk.internal.misc", JvmFlags.class.getModule());
    }

    /**
     * @param mainClass the class to run
     * @param args      its arguments
     * @return {@code java <required flags> -cp <this JVM's class path> mainClass args...}
     */
    public static List<String> childCommand(Class<?> mainClass, List<String> args) {
        List<String> cmd = new ArrayList<>(childCpuPrefix(System.getenv(CHILD_CPUS)));
        cmd.add(javaBinary());
        cmd.addAll(required());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass.getName());
        cmd.addAll(args);
        return cmd;
    }
}
