package dev.hayate.benchmarks.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransferRigTest {
    @TempDir
    Path dir;

    @Test
    void shouldWriteARandomFileOfExactlyTheAskedSize() throws IOException {
        Path f = dir.resolve("f");
        TransferRig.writeRandomFile(f, (1 << 20) + 3);
        assertEquals((1 << 20) + 3, Files.size(f));
    }

    @Test
    void shouldAcceptAnIdenticalCopyAndNameTheFirstDifferentByte() throws IOException {
        Path a = dir.resolve("a");
        TransferRig.writeRandomFile(a, 4096);
        Path b = dir.resolve("b");
        Files.copy(a, b);
        assertNull(TransferRig.compare(a, b));
        byte[] bytes = Files.readAllBytes(b);
        bytes[1000] ^= 1;
        Files.write(b, bytes);
        assertTrue(TransferRig.compare(a, b).endsWith("at byte 1000"), TransferRig.compare(a, b));
        assertTrue(TransferRig.compare(a, dir.resolve("missing")).startsWith("nothing arrived"));
    }

    @Test
    void shouldReportWhatItCannotReadAsNotANumber() {
        assertTrue(Double.isNaN(ProcStats.peakRssMib(Long.MAX_VALUE)));
        assertTrue(ProcStats.selfPeakRssMib() > 0 || Double.isNaN(ProcStats.selfPeakRssMib()));
    }
}
