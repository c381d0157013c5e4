package dev.hayate.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The receiver's disk fills up mid-transfer: a clear I/O failure that names the file, on both sides, and nothing
 * presented as complete. Needs a small file system, so it mounts a 1 MiB tmpfs — only possible as root; otherwise
 * the test is skipped and says why.
 */
class TransferDiskFullTest
{
    @TempDir
    Path tmp;

    private Path mount;

    private static boolean run(final String... command) throws Exception
    {
        final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!p.waitFor(20, TimeUnit.SECONDS))
        {
            p.destroyForcibly();
            return false;
        }
        return p.exitValue() == 0;
    }

    @AfterEach
    void unmount() throws Exception
    {
        if (mount != null)
        {
            run("umount", mount.toString());
        }
    }

    private Path mountSmall(final String size) throws Exception
    {
        final Path small = Files.createDirectories(tmp.resolve("small"));
        final boolean mounted = "root".equals(System.getProperty("user.name")) &&
            run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", small.toString());
        Assumptions.assumeTrue(mounted, "skipped: mounting a small tmpfs needs root (and CAP_SYS_ADMIN)");
        mount = small;
        return small;
    }

    @Test
    void shouldRefuseAnOfferThatCannotFitBeforeWritingAnything() throws Exception
    {
        final Path small = mountSmall("1m");
        final Path src = tmp.resolve("big.bin");
        TransferFixture.write(src, TransferFixture.randomBytes(5, 3_000_000));

        final TransferFixture.Outcome outcome = TransferFixture.run(List.of(src), small);

        final TransferException received = outcome.receiveError();
        assertNotNull(received, "the receiver must fail");
        assertEquals(Failure.IO, received.failure(), received::getMessage);
        assertTrue(received.getMessage().contains("not enough space") &&
            received.getMessage().contains("3000000 bytes"), received::getMessage);
        assertNotNull(outcome.sendError(), "the sender is told");
        assertEquals(Failure.IO, outcome.sendError().failure(), outcome.sendError()::getMessage);
        try (java.util.stream.Stream<Path> left = Files.list(small))
        {
            assertEquals(0, left.count(), "nothing written, not even a part file");
        }
    }

    @Test
    void shouldFailWithAnIoErrorNamingTheFileWhenTheDiskFillsUpDuringTheTransfer() throws Exception
    {
        final Path small = mountSmall("4m");
        final Path src = tmp.resolve("big.bin");
        TransferFixture.write(src, TransferFixture.randomBytes(5, 3_000_000));
        // The offer fits when it is checked; then something else takes the space, as another program would.
        final ConsentCallback fillThenAccept = offer ->
        {
            try
            {
                Files.write(small.resolve("filler"), new byte[3_500_000]);
            }
            catch (final java.io.IOException ex)
            {
                // The disk is full already: that is all the test wants.
            }
            return true;
        };
        final dev.hayate.transfer.crypto.CodePhrase code = dev.hayate.transfer.crypto.CodePhrase.generate(
            new java.security.SecureRandom());

        final TransferFixture.Outcome outcome = TransferFixture.run(List.of(src), small, code, code, b -> b, b -> b,
            fillThenAccept, null, null);

        final TransferException received = outcome.receiveError();
        assertNotNull(received, "the receiver must fail");
        assertEquals(Failure.IO, received.failure(), received::getMessage);
        assertTrue(received.getMessage().contains("big.bin"), received::getMessage);
        assertTrue(received.getMessage().toLowerCase(java.util.Locale.ROOT).contains("space"), received::getMessage);
        assertNotNull(outcome.sendError(), "the sender is told");
        assertEquals(Failure.IO, outcome.sendError().failure(), outcome.sendError()::getMessage);
        assertFalse(Files.exists(small.resolve("big.bin")), "nothing presented as complete");
    }
}
