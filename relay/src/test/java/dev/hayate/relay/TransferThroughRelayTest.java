package dev.hayate.relay;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.hayate.transfer.ConsentCallback;
import dev.hayate.transfer.TransferException;
import dev.hayate.transfer.TransferReceiver;
import dev.hayate.transfer.TransferResult;
import dev.hayate.transfer.TransferSender;
import dev.hayate.transfer.crypto.CodePhrase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The transfer engine, unchanged, through a relay: both sides use a {@link RelayTransportProvider} for the same code
 * phrase and never reach each other directly (the pattern of transfer's TransferEndToEndTest and TransferFixture).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TransferThroughRelayTest
{
    private static final Duration BOUND = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    private RelayServer relay;

    @BeforeEach
    void startRelay() throws IOException
    {
        relay = RelayServer.bind(new RelayContext().listen(new InetSocketAddress("127.0.0.1", 0))
            .context(RelayEndToEndTest.engine())).start();
    }

    @AfterEach
    void stopRelay()
    {
        relay.close();
    }

    private static void write(final Path file, final byte[] bytes) throws IOException
    {
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
    }

    private TransferResult[] transfer(final List<Path> paths, final Path out, final CodePhrase senderCode,
        final CodePhrase receiverCode) throws Exception
    {
        final TransferReceiver receiver = TransferReceiver.builder()
            .listen(new InetSocketAddress("127.0.0.1", 0))
            .code(receiverCode)
            .outputDir(out)
            .acceptTimeout(BOUND)
            .idleTimeout(Duration.ofSeconds(30))
            .transport(RelayTransportProvider.forCode(relay.localAddress(), receiverCode, RelayEndToEndTest.engine()))
            .build();
        final CompletableFuture<TransferResult> receiving = receiver.receiveAsync(ConsentCallback.ACCEPT_ALL);
        final SocketAddress bound = receiver.awaitBound(BOUND);
        final TransferSender sender = TransferSender.builder()
            .to(bound)
            .code(senderCode)
            .connectTimeout(Duration.ofSeconds(20))
            .idleTimeout(Duration.ofSeconds(30))
            .transport(RelayTransportProvider.forCode(relay.localAddress(), senderCode, RelayEndToEndTest.engine()))
            .build();
        final CompletableFuture<TransferResult> sending = sender.sendAsync(paths);
        try
        {
            return new TransferResult[] {sending.get(BOUND.toSeconds(), TimeUnit.SECONDS),
                receiving.get(BOUND.toSeconds(), TimeUnit.SECONDS)};
        }
        finally
        {
            sender.cancel();
            receiver.cancel();
        }
    }

    @Test
    void shouldSendAFolderThroughTheRelayWithEveryByteVerified() throws Exception
    {
        final Path tree = tmp.resolve("src/photos");
        final byte[] big = new byte[3_000_001];
        new Random(7).nextBytes(big);
        write(tree.resolve("a.bin"), big);
        write(tree.resolve("2024/b.txt"), "hello through a relay\n".repeat(50_000).getBytes());
        write(tree.resolve("2024/empty.dat"), new byte[0]);
        final Path out = Files.createDirectories(tmp.resolve("out"));
        final CodePhrase code = CodePhrase.generate(new SecureRandom());

        final TransferResult[] results = transfer(List.of(tree), out, code, code);

        assertEquals(3, results[1].files().size());
        for (final String rel : List.of("a.bin", "2024/b.txt", "2024/empty.dat"))
        {
            assertArrayEquals(Files.readAllBytes(tree.resolve(rel)), Files.readAllBytes(out.resolve("photos/" + rel)),
                rel);
        }
        for (int i = 0; i < 3; i++)
        {
            assertEquals(results[0].files().get(i).checksum(), results[1].files().get(i).checksum());
        }
        assertTrue(relay.stats().get(RelayStats.Counter.FRAMES_FORWARDED) > 0);
    }

    @Test
    void shouldFailPairingThroughTheRelayWithAWrongCode() throws Exception
    {
        final Path file = tmp.resolve("src/a.txt");
        write(file, "secret".getBytes());
        final Path out = Files.createDirectories(tmp.resolve("out"));
        final CodePhrase code = CodePhrase.generate(new SecureRandom());
        // Same number (so the same relay session), other words: the PAKE through the relay must fail.
        final CodePhrase wrong = CodePhrase.parse(code.number() + "-" +
            String.join("-", CodePhrase.words().subList(0, CodePhrase.WORDS_PER_PHRASE)));
        final ExecutionException failed = assertThrows(ExecutionException.class,
            () -> transfer(List.of(file), out, code, wrong));
        assertInstanceOf(TransferException.class, failed.getCause());
        assertTrue(Files.notExists(out.resolve("a.txt")));
    }

    @Test
    void shouldNeverPutTheCodeWordsIntoTheSessionId()
    {
        final CodePhrase code = CodePhrase.generate(new SecureRandom());
        final CodePhrase other = CodePhrase.parse(code.number() + "-" +
            String.join("-", CodePhrase.words().subList(3, 3 + CodePhrase.WORDS_PER_PHRASE)));
        assertArrayEquals(RelayTransportProvider.sessionIdForCode(code), RelayTransportProvider.sessionIdForCode(other));
    }
}
