package dev.hayate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.hayate.transfer.Failure;
import dev.hayate.transfer.Stage;
import dev.hayate.transfer.TransferException;
import org.junit.jupiter.api.Test;

/** What {@code send} and {@code receive} print, driven through the listener calls a transfer makes. */
class TransferConsoleTest
{
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final TransferConsole console = new TransferConsole(
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), false);

    private List<String> lines()
    {
        return err.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void shouldShowVerifyingAtOnceWhenEverythingIsAlreadyShownOrThereWasNothingToMove()
    {
        console.onStage(Stage.TRANSFERRING, "");
        console.onStage(Stage.VERIFYING, "");
        assertEquals(List.of("transferring...", "verifying checksums..."), lines());

        err.reset();
        console.onProgress(100, 100, 0);
        console.onStage(Stage.VERIFYING, "");
        assertEquals("verifying checksums...", lines().get(lines().size() - 1));
    }

    @Test
    void shouldEscapeWhatAStageDetailCarriesSoAPeerCannotDriveTheTerminal()
    {
        // What a host that answered a dialling receiver can put in its abort reason, before any code is checked.
        console.onStage(Stage.CONNECTING, "/127.0.0.1:9: the peer ended the pairing: \u001b]0;T\u0007\u001b[2K\r"
            + "\u001b[32mdone: 1 file\u001b[0m; still looking");
        assertEquals(List.of("connecting: /127.0.0.1:9: the peer ended the pairing: \\x1B]0;T\\x07\\x1B[2K\\x0D"
            + "\\x1B[32mdone: 1 file\\x1B[0m; still looking"), lines());
    }

    @Test
    void shouldShowNoRateBeforeOneIsKnownAndNoUnknownEtaWhenDone()
    {
        console.onStage(Stage.TRANSFERRING, "");
        console.onProgress(3, 3, 0);
        assertEquals("100% 3 B / 3 B  ETA 0 s", lines().get(lines().size() - 1));
    }

    @Test
    void shouldSayThatPartFilesStayOnlyWhenContentHadBegunToMove()
    {
        console.resumesFromPartFiles(true);
        console.failed(new TransferException(Failure.WRONG_CODE, "wrong code phrase"));
        assertEquals(List.of("failed (wrong code): wrong code phrase"), lines());

        err.reset();
        console.onStage(Stage.TRANSFERRING, "");
        console.failed(new TransferException(Failure.CANCELLED, "the sender cancelled", true, null));
        assertEquals(List.of("transferring...", "failed (cancelled): the sender cancelled",
            "what arrived is kept in hidden part files: receiving the same files again resumes from there"), lines());

        err.reset();
        console.failed(new TransferException(Failure.CANCELLED, "cancelled"));
        assertEquals("cancelled", lines().get(0), "Ctrl-C here: " + lines());
    }

    @Test
    void shouldNameTheOverwriteChoicesWhenExistingFilesAreRefusedHere()
    {
        console.failed(new TransferException(Failure.CONFLICT, "already exists (refusing to overwrite): a.txt"));
        assertTrue(lines().get(1).startsWith("--overwrite rename keeps both"), lines().toString());

        err.reset();
        console.failed(new TransferException(Failure.CONFLICT, "the receiver stopped: already exists", true, null));
        assertEquals(1, lines().size(), "the sender cannot choose for the receiver: " + lines());
    }

    @Test
    void shouldCountInTheSingularForOne()
    {
        assertEquals("1 file", TransferConsole.count(1, "file"));
        assertEquals("0 folders", TransferConsole.count(0, "folder"));
        assertEquals("2 files", TransferConsole.count(2, "file"));
    }
}
