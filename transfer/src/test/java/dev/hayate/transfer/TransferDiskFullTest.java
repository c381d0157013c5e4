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

    @Test
    void shouldFailWithAnIoErrorNamingTheFileWhenTheDiskIsFull() throws Exception
    {
        final Path small = Files.createDirectories(tmp.resolve("small"));
        final boolean mounted = "root".equals(System.getProperty("user.name")) &&
            run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", small.toString());
        Assumptions.assumeTrue(mounted, "skipped: mounting a 1 MiB tmpfs needs root (and CAP_SYS_ADMIN)");
        mount = small;
        final Path src = tmp.resolve("big.bin");
        TransferFixture.write(src, TransferFixture.randomBytes(5, 3_000_000));

        final TransferFixture.Outcome outcome = TransferFixture.run(List.of(src), small);

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
