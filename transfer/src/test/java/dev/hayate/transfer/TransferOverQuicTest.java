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

import dev.hayate.quic.QuicConfig;
import dev.hayate.quic.QuicTransportProvider;
import dev.hayate.transfer.crypto.CodePhrase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transfer over one QUIC stream (Netty's native QUIC backend): the engine does not know the transport. The
 * dialling side trusts any certificate, because the PAKE on the code phrase authenticates the peer.
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
        try (QuicTransportProvider server = QuicTransportProvider.server(new QuicConfig().backend(QuicConfig.Backend.NETTY));
             QuicTransportProvider client = QuicTransportProvider.client(new QuicConfig().backend(QuicConfig.Backend.NETTY)
                 .insecureTrustAnyCertificateForDevelopment()))
        {
            final TransferFixture.Outcome outcome = TransferFixture.run(List.of(tree), out, code, code, b -> b, b -> b,
                ConsentCallback.ACCEPT_ALL, client, server);
            assertNull(outcome.sendFailure(), () -> "send: " + outcome.sendFailure() + " / receive: " +
                outcome.receiveFailure());
            assertNull(outcome.receiveFailure(), () -> String.valueOf(outcome.receiveFailure()));
            for (final String rel : List.of("a.txt", "sub/b.bin", "sub/empty"))
            {
                assertArrayEquals(Files.readAllBytes(tree.resolve(rel)), Files.readAllBytes(out.resolve("docs/" + rel)));
            }
            assertEquals(3, outcome.received().files().size());
        }
        try (Stream<Path> all = Files.walk(out))
        {
            assertTrue(all.noneMatch(p -> p.getFileName().toString().contains("hayate-part")));
        }
    }

    @Test
    void shouldFailCleanlyOverQuicWithAWrongCode() throws Exception
    {
        final Path src = tmp.resolve("src/x.txt");
        TransferFixture.write(src, TransferFixture.textBytes(10_000));
        final Path out = Files.createDirectories(tmp.resolve("out"));
        try (QuicTransportProvider server = QuicTransportProvider.server(new QuicConfig().backend(QuicConfig.Backend.NETTY));
             QuicTransportProvider client = QuicTransportProvider.client(new QuicConfig().backend(QuicConfig.Backend.NETTY)
                 .insecureTrustAnyCertificateForDevelopment()))
        {
            final TransferFixture.Outcome outcome = TransferFixture.run(List.of(src), out,
                CodePhrase.parse("1-amber-falcon-river"), CodePhrase.parse("2-amber-falcon-river"), b -> b, b -> b,
                ConsentCallback.ACCEPT_ALL, client, server);
            assertEquals(Failure.WRONG_CODE, outcome.sendError().failure(), outcome.sendError()::getMessage);
            assertEquals(Failure.WRONG_CODE, outcome.receiveError().failure(), outcome.receiveError()::getMessage);
        }
        try (Stream<Path> all = Files.list(out))
        {
            assertEquals(0, all.count());
        }
    }
}
