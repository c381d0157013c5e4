package dev.hayate.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.hayate.transfer.crypto.CodePhrase;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A sender that knows the code but offers hostile paths: each class is refused before a byte is written, the
 * output folder stays as it was, and the sender is told why.
 */
class HostileManifestTest
{
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"../evil.txt", "a/../../evil.txt", "/etc/evil.txt", "C:/evil.txt", "\\\\server\\share\\x",
        "a\\..\\evil.txt", "a/./b.txt", "a//b.txt", "nul\u0000.txt", "bell\u0007.txt", "\u202Etxt.exe", "CON",
        "link/inside.txt", "dup.txt|dup.txt", "f.txt|f.txt/under.txt"})
    void shouldRefuseHostileManifestBeforeWritingAnything(final String paths) throws Exception
    {
        final Path out = Files.createDirectories(tmp.resolve("out"));
        final Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.createSymbolicLink(out.resolve("link"), outside);
        final CodePhrase code = CodePhrase.generate(new SecureRandom());
        final TransferReceiver receiver = TransferReceiver.builder()
            .listen(new InetSocketAddress("127.0.0.1", 0))
            .code(code)
            .outputDir(out)
            .acceptTimeout(TransferFixture.BOUND)
            .build();
        final CompletableFuture<TransferResult> receiving = receiver.receiveAsync(ConsentCallback.ACCEPT_ALL);
        final SocketAddress bound = receiver.awaitBound(TransferFixture.BOUND);
        assertNotNull(bound);

        final String[] names = paths.split("\\|");
        final Object[] entries = new Object[names.length * 2];
        for (int i = 0; i < names.length; i++)
        {
            entries[2 * i] = Boolean.TRUE;
            entries[2 * i + 1] = names[i];
        }
        final TransferException told;
        try (HostileSender hostile = new HostileSender(bound, code))
        {
            hostile.offer(HostileSender.manifest(entries));
            told = hostile.awaitRefusal();
        }
        final ExecutionException failed = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
            () -> receiving.get(60, TimeUnit.SECONDS));
        final TransferException ex = (TransferException)failed.getCause();
        assertTrue(ex.failure() == Failure.HOSTILE_MANIFEST || ex.failure() == Failure.IO, ex::toString);
        assertNotNull(told, "the hostile sender is told");
        assertTrue(told.fromPeer(), told::toString);
        assertEquals(ex.failure(), told.failure());
        try (Stream<Path> inOut = Files.list(out); Stream<Path> inOutside = Files.list(outside))
        {
            assertEquals(List.of(out.resolve("link")), inOut.toList(), "output folder unchanged");
            assertEquals(0, inOutside.count(), "nothing written through the link");
        }
    }
}
