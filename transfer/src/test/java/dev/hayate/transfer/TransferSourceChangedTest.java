package dev.hayate.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.List;

import dev.hayate.transfer.crypto.CodePhrase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file that changes while it is being sent is reported as such, naming the file, and the receiver keeps
 * nothing that looks complete.
 */
class TransferSourceChangedTest
{
    private static final int CHUNK = 64 * 1024;

    @TempDir
    Path tmp;

    @Test
    void shouldFailNamingTheFileWhenItChangesWhileBeingSent() throws Exception
    {
        final Path src = tmp.resolve("growing.log");
        TransferFixture.write(src, TransferFixture.randomBytes(6, 16 * CHUNK));
        final Path out = Files.createDirectories(tmp.resolve("out"));
        final CodePhrase code = CodePhrase.generate(new SecureRandom());

        // The proxy appends to the source as the second chunk passes: the sender is mid-file by then.
        final TransferFixture.Outcome outcome = TransferFixture.run(List.of(src), out, code, code,
            b -> b.chunkSize(CHUNK).compress(false).pipelineDepth(1), b -> b, ConsentCallback.ACCEPT_ALL, null, null,
            (n, frame) ->
            {
                if (n == 1)
                {
                    try
                    {
                        Files.write(src, new byte[] {1, 2, 3}, StandardOpenOption.APPEND);
                    }
                    catch (final java.io.IOException ex)
                    {
                        throw new IllegalStateException(ex);
                    }
                }
                return List.of(frame);
            });

        final TransferException sent = outcome.sendError();
        assertNotNull(sent, "the sender must fail");
        assertEquals(Failure.IO, sent.failure(), sent::getMessage);
        assertTrue(sent.getMessage().contains("growing.log"), sent::getMessage);
        assertNotNull(outcome.receiveError(), "the receiver is told");
        assertEquals(Failure.IO, outcome.receiveError().failure(), outcome.receiveError()::getMessage);
        assertFalse(Files.exists(out.resolve("growing.log")), "nothing presented as complete");
    }
}
