package dev.hayate.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/** {@code bench jmh ...}: hands every argument to JMH's own main ({@code org.openjdk.jmh.Main}). */
@Command(name = "jmh",
        description = {"Runs the JMH microbenchmarks in this jar; every argument goes to JMH "
                + "(bench jmh -h for JMH's options, bench jmh -l to list, bench jmh -prof gc REGEX)."})
final class JmhCommand implements Callable<Integer> {
    @Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        org.openjdk.jmh.Main.main(args.toArray(new String[0]));
        return 0;
    }
}
