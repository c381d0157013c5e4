package dev.hayate.transfer;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.hayate.transfer.crypto.CodePhrase;

/**
 * A sender in its own process, for the test that kills it with {@code kill -9}:
 * {@code SendMain HOST PORT CODE FILE CHUNK_SIZE BYTES_PER_SECOND}.
 */
public final class SendMain
{
    private SendMain()
    {
    }

    /**
     * @param args host, port, code, file, chunk size, bandwidth limit.
     * @throws Exception on any failure (the test only looks at the receiver).
     */
    public static void main(final String[] args) throws Exception
    {
        TransferSender.builder()
            .to(new InetSocketAddress(args[0], Integer.parseInt(args[1])))
            .code(CodePhrase.parse(args[2]))
            .chunkSize(Integer.parseInt(args[4]))
            .bandwidthLimit(Long.parseLong(args[5]))
            .connectTimeout(Duration.ofSeconds(30))
            .build()
            .send(List.of(Path.of(args[3])));
    }
}
