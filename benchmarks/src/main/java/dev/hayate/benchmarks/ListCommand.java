package dev.hayate.benchmarks;

import dev.hayate.benchmarks.impl.Impls;
import dev.hayate.benchmarks.rig.Impl;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bench list}. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "Lists the implementations, whether each can run here, and what they measure.")
final class ListCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        for (Impl i : Impls.all(null)) {
            String reason = i.unavailableReason();
            out.printf("%-12s %-11s %-11s %s%n", i.name(), reason == null ? "available" : "UNAVAILABLE",
                    !i.supportsPingPong() ? "tput" : i.supportsThroughput() ? "pp+tput" : "pingpong", i.description());
            if (reason != null) {
                out.printf("%-12s %s%n", "", reason);
            }
        }
        out.flush();
        return 0;
    }
}
