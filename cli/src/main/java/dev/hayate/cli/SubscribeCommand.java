package dev.hayate.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import dev.hayate.relay.Delivery;
import dev.hayate.relay.RelayClientConfig;
import dev.hayate.relay.RelayConsumer;
import dev.hayate.transfer.crypto.ChunkIntegrityException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hayate subscribe}: a consumer of a relay session, printing each frame as a line and each event of the stream
 * (producer joined or gone, gaps) on standard error; exits when the producer ends its stream, or with status 3 when
 * the relay tampered with it (the violation is named).
 *
 * <p>Thread-safety: a command, run once.
 */
@Command(name = "subscribe", mixinStandardHelpOptions = true,
    description = "Print what a producer broadcasts through a relay (as 'publish' printed it).")
final class SubscribeCommand implements Callable<Integer>
{
    @Spec
    private picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--relay", required = true, description = "The relay's HOST:PORT.")
    private String relay;

    @Option(names = "--session", required = true, description = "The session id (hex), from 'publish'.")
    private String session;

    @Option(names = "--secret", required = true, description = "The end-to-end secret (hex), from 'publish'.")
    private String secret;

    @Override
    public Integer call() throws Exception
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final HexFormat hex = HexFormat.of();
        try (RelayConsumer consumer = RelayConsumer.blocking(new RelayClientConfig()
            .relay(Addresses.parse(relay, "127.0.0.1")).sessionId(hex.parseHex(session)).secret(hex.parseHex(secret))))
        {
            if (consumer.joinedLate())
            {
                err.println("subscribe: joined a running stream at its live edge (frame " + consumer.firstSequence() + ")");
            }
            while (true)
            {
                final Delivery d = consumer.recv(1, TimeUnit.SECONDS);
                if (d == null)
                {
                    if (consumer.isClosed())
                    {
                        err.println("subscribe: the relay closed the connection (" + consumer.closeReason() + ")");
                        return 1;
                    }
                    continue;
                }
                switch (d.kind())
                {
                    case DATA -> out.println(new String(d.payload(), StandardCharsets.UTF_8));
                    case GAP -> err.println("subscribe: the relay dropped " + d.missed() + " frame(s) from " + d.sequence());
                    case PRODUCER_JOINED -> err.println("subscribe: the producer joined");
                    case PRODUCER_GONE -> err.println("subscribe: the producer is gone");
                    case END ->
                    {
                        err.println("subscribe: the producer ended its stream");
                        out.flush();
                        return 0;
                    }
                    default -> throw new IllegalStateException(d.toString());
                }
                out.flush();
                err.flush();
            }
        }
        catch (final ChunkIntegrityException ex)
        {
            err.println("subscribe: the stream was " + ex.violation() + ": " + ex.getMessage());
            return 3;
        }
    }
}
