package dev.hayate.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransferEndToEndTest
{
    @TempDir
    Path tmp;

    @Test
    void shouldSendNestedFolderWithEveryByteVerified() throws Exception
    {
        final Path src = tmp.resolve("src");
        final Path tree = src.resolve("photos");
        TransferFixture.write(tree.resolve("a.txt"), TransferFixture.textBytes(3_000_000));
        TransferFixture.write(tree.resolve("2024/b.bin"), TransferFixture.randomBytes(1, 2_500_001));
        TransferFixture.write(tree.resolve("2024/empty.dat"), new byte[0]);
        TransferFixture.write(tree.resolve("ünïcødé/名前.txt"), "hello".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Files.createDirectories(tree.resolve("empty-folder/inner"));
        final Path out = Files.createDirectories(tmp.resolve("out"));

        final TransferFixture.Outcome outcome = TransferFixture.run(List.of(tree), out);

        assertNull(outcome.sendFailure(), () -> "send failed: " + outcome.sendFailure() + " / receive: " + outcome.receiveFailure());
        assertNull(outcome.receiveFailure(), () -> "receive failed: " + outcome.receiveFailure());
        assertEquals(4, outcome.received().files().size());
        assertTrue(Files.isDirectory(out.resolve("photos/empty-folder/inner")));
        for (final String rel : List.of("a.txt", "2024/b.bin", "2024/empty.dat", "ünïcødé/名前.txt"))
        {
            assertArrayEquals(Files.readAllBytes(tree.resolve(rel)), Files.readAllBytes(out.resolve("photos/" + rel)), rel);
        }
        try (Stream<Path> all = Files.walk(out))
        {
            assertTrue(all.noneMatch(p -> p.getFileName().toString().contains("hayate-part")), "no part file left");
        }
        for (int i = 0; i < 4; i++)
        {
            assertEquals(outcome.sent().files().get(i).checksum(), outcome.received().files().get(i).checksum());
        }
        assertNotNull(outcome.sent().negotiated());
    }
}
