package dev.hayate.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.concurrent.Callable;

import dev.hayate.core.Status;
import dev.hayate.relay.ProducerKey;
import dev.hayate.relay.RelayClientConfig;
import dev.hayate.relay.RelayCrypto;
import dev.hayate.relay.RelayProducer;
import dev.hayate.relay.SlowConsumerPolicy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hayate publish}: the producer of a relay session, broadcasting each line of standard input. Makes a new
 * producer key and secret and prints the {@code subscribe} command that consumers run.
 *
 * <p>Thread-safety: a command, run once.
 */
@Command(name = "publish", mixinStandardHelpOptions = true,
    description = "Broadcast each line of standard input through a relay, sealed end to end.")
final class PublishCommand implements Callable<Integer>
{
    @Spec
    private picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--relay", required = true, description = "The relay's HOST:PORT.")
    private String relay;

    @Option(names = "--policy", description = "Slow-consumer policy: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
    private SlowConsumerPolicy policy = SlowConsumerPolicy.DISCONNECT;

    @Override
    public Integer call() throws Exception
    {
        final PrintWriter out = spec.commandLine().getOut();
        final ProducerKey key = ProducerKey.generate();
        final byte[] secret = RelayCrypto.newSecret();
        final HexFormat hex = HexFormat.of();
        out.printf("consumers run: ./hayate subscribe --relay %s --session %s --secret %s%n", relay,
            hex.formatHex(key.sessionId()), hex.formatHex(secret));
        out.println("type lines to broadcast; end with Ctrl-D");
        out.flush();
        try (RelayProducer producer = RelayProducer.blocking(new RelayClientConfig()
                .relay(Addresses.parse(relay, "127.0.0.1")).producerKey(key).secret(secret).policy(policy));
             BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)))
        {
            String line;
            while ((line = in.readLine()) != null)
            {
                final byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
                final Status status = producer.broadcast(bytes, 0, bytes.length);
                if (status != Status.OK)
                {
                    spec.commandLine().getErr().println("publish: " + status);
                    return 1;
                }
            }
        }
        return 0;
    }
}
