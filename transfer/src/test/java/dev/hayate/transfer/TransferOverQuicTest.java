package dev.hayate.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.stream.Stream;

import dev.hayate.transfer.crypto.CodePhrase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A folder over one QUIC stream (Netty's native QUIC backend): the engine does not know the transport. The dialling
 * side trusts any certificate, because the PAKE on the code phrase authenticates the peer. Pairing, consent and the
 * overwrite policies also run over QUIC (TransferPairingAndConsentTest).
 */
class TransferOverQuicTest
{
    @TempDir
    Path tmp;

    @Test
    void shouldSendAFolderOverQuicWithEveryByteVerified() throws Exception
    {
        final Path tree = tmp.resolve("src/docs");
        TransferFixture.write(tree.resolve("a.txt"), TransferFixture.textBytes(1_500_000));
        TransferFixture.write(tree.resolve("sub/b.bin"), TransferFixture.randomBytes(9, 2_100_000));
        TransferFixture.write(tree.resolve("sub/empty"), new byte[0]);
        final Path out = Files.createDirectories(tmp.resolve("out"));
        final CodePhrase code = CodePhrase.generate(new SecureRandom());
        final TransferFixture.Outcome outcome = TransferFixture.run(List.of(tree), out, code, code, b -> b, b -> b,
            ConsentCallback.ACCEPT_ALL, TransferFixture.Wire.QUIC);
        assertNull(outcome.sendFailure(), () -> "send: " + outcome.sendFailure() + " / receive: " +
            outcome.receiveFailure());
        assertNull(outcome.receiveFailure(), () -> String.valueOf(outcome.receiveFailure()));
        for (final String rel : List.of("a.txt", "sub/b.bin", "sub/empty"))
        {
            assertArrayEquals(Files.readAllBytes(tree.resolve(rel)), Files.readAllBytes(out.resolve("docs/" + rel)));
        }
        assertEquals(3, outcome.received().files().size());
        try (Stream<Path> all = Files.walk(out))
        {
            assertTrue(all.noneMatch(p -> p.getFileName().toString().contains("hayate-part")));
        }
    }
}
