package dev.hayate.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import dev.hayate.transfer.crypto.CodePhrase;
import dev.hayate.transfer.files.OverwritePolicy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

class TransferPairingAndConsentTest
{
    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(TransferFixture.Wire.class)
    void shouldFailCleanlyOnBothSidesWithAWrongCodeAndWriteNothing(final TransferFixture.Wire wire) throws Exception
    {
        final Path out = Files.createDirectories(tmp.resolve("out"));
        final CodePhrase senderCode = CodePhrase.parse("7-amber-falcon-river");
        final CodePhrase receiverCode = CodePhrase.parse("8-amber-falcon-river");
        final AtomicReference<Offer> offered = new AtomicReference<>();

        final TransferFixture.Outcome outcome = TransferFixture.run(List.of(TransferFixture.report(tmp)), out,
            senderCode, receiverCode,
            b -> b, b -> b, offer ->
            {
                offered.set(offer);
                return true;
            }, wire);

        assertNotNull(outcome.sendError(), "sender must fail");
        assertNotNull(outcome.receiveError(), "receiver must fail");
        assertEquals(Failure.WRONG_CODE, outcome.sendError().failure(), outcome.sendError()::getMessage);
        assertEquals(Failure.WRONG_CODE, outcome.receiveError().failure(), outcome.receiveError()::getMessage);
        assertTrue(outcome.sendError().getMessage().contains("wrong code"));
        assertNull(offered.get(), "no offer may reach the receiver");
        assertTrue(TransferFixture.isEmpty(out), "nothing written");
    }

    @org.junit.jupiter.api.Test
    void shouldTellTheSenderCancelledWhenTheReceiverIsCancelledWhileAsked() throws Exception
    {
        // Ctrl-C at the receiver's question: the sender must hear "cancelled", not a refusal or a lost connection.
        final Path out = Files.createDirectories(tmp.resolve("out"));
        final CodePhrase code = CodePhrase.generate(new SecureRandom());
        final AtomicReference<TransferReceiver> receiverRef = new AtomicReference<>();
        final TransferReceiver receiver = TransferReceiver.builder()
            .listen(new java.net.InetSocketAddress("127.0.0.1", 0)).code(code).outputDir(out).build();
        receiverRef.set(receiver);
        final java.util.concurrent.CompletableFuture<TransferResult> receiving = receiver.receiveAsync(offer ->
        {
            receiverRef.get().cancel();
            return false;
        });
        final java.net.SocketAddress at = receiver.awaitBound(java.time.Duration.ofSeconds(30));
        assertNotNull(at);
        final TransferSender sender = TransferSender.builder().to(at).code(code)
            .connectTimeout(java.time.Duration.ofSeconds(30)).build();

        final TransferException sent = org.junit.jupiter.api.Assertions.assertThrows(TransferException.class,
            () -> sender.send(List.of(TransferFixture.report(tmp))));
        assertEquals(Failure.CANCELLED, sent.failure(), sent::getMessage);
        assertTrue(sent.fromPeer());
        assertEquals("the receiver cancelled", sent.getMessage());
        final java.util.concurrent.ExecutionException received = org.junit.jupiter.api.Assertions.assertThrows(
            java.util.concurrent.ExecutionException.class,
            () -> receiving.get(30, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(Failure.CANCELLED, ((TransferException)received.getCause()).failure());
        assertTrue(TransferFixture.isEmpty(out), "nothing written");
    }

    @ParameterizedTest
    @EnumSource(TransferFixture.Wire.class)
    void shouldTellTheSenderWhenTheReceiverDeclines(final TransferFixture.Wire wire) throws Exception
    {
        final Path out = Files.createDirectories(tmp.resolve("out"));
        final CodePhrase code = CodePhrase.generate(new SecureRandom());
        final AtomicReference<Offer> offered = new AtomicReference<>();

        final TransferFixture.Outcome outcome = TransferFixture.run(List.of(TransferFixture.report(tmp)), out,
            code, code, b -> b, b -> b,
            offer ->
            {
                offered.set(offer);
                return false;
            }, wire);

        assertEquals(Failure.REJECTED, outcome.sendError().failure(), outcome.sendError()::getMessage);
        assertTrue(outcome.sendError().fromPeer());
        assertEquals(Failure.REJECTED, outcome.receiveError().failure());
        assertEquals(1, offered.get().fileCount());
        assertEquals(200_000, offered.get().totalBytes());
        assertEquals("report.txt", offered.get().entries().get(0).path());
        assertTrue(TransferFixture.isEmpty(out), "nothing written");
    }

    @ParameterizedTest
    @EnumSource(TransferFixture.Wire.class)
    void shouldRefuseAnExistingFileAndLeaveItByteForByte(final TransferFixture.Wire wire) throws Exception
    {
        final Path out = Files.createDirectories(tmp.resolve("out"));
        final byte[] mine = "precious".getBytes(StandardCharsets.UTF_8);
        Files.write(out.resolve("report.txt"), mine);
        final CodePhrase code = CodePhrase.generate(new SecureRandom());

        final TransferFixture.Outcome outcome = TransferFixture.run(List.of(TransferFixture.report(tmp)), out,
            code, code, b -> b, b -> b,
            ConsentCallback.ACCEPT_ALL, wire);

        assertEquals(Failure.CONFLICT, outcome.receiveError().failure(), outcome.receiveError()::getMessage);
        assertEquals(Failure.CONFLICT, outcome.sendError().failure(), outcome.sendError()::getMessage);
        assertArrayEquals(mine, Files.readAllBytes(out.resolve("report.txt")));
        try (Stream<Path> all = Files.list(out))
        {
            assertEquals(1, all.count(), "no part file, no other file");
        }
    }

    @ParameterizedTest
    @EnumSource(TransferFixture.Wire.class)
    void shouldSaveBesideAnExistingFileWhenAskedToRename(final TransferFixture.Wire wire) throws Exception
    {
        final Path out = Files.createDirectories(tmp.resolve("out"));
        final byte[] mine = "precious".getBytes(StandardCharsets.UTF_8);
        Files.write(out.resolve("report.txt"), mine);
        final CodePhrase code = CodePhrase.generate(new SecureRandom());
        final Path src = TransferFixture.report(tmp);

        final TransferFixture.Outcome outcome = TransferFixture.run(List.of(src), out, code, code, b -> b,
            b -> b.overwrite(OverwritePolicy.RENAME), ConsentCallback.ACCEPT_ALL,
            wire);

        assertNull(outcome.receiveFailure(), () -> String.valueOf(outcome.receiveFailure()));
        assertArrayEquals(mine, Files.readAllBytes(out.resolve("report.txt")));
        assertArrayEquals(Files.readAllBytes(src), Files.readAllBytes(out.resolve("report (1).txt")));
        assertEquals(out.resolve("report (1).txt"), outcome.received().files().get(0).location());
    }

    @ParameterizedTest
    @EnumSource(TransferFixture.Wire.class)
    void shouldReplaceOnlyWithConsentToOverwrite(final TransferFixture.Wire wire) throws Exception
    {
        final Path out = Files.createDirectories(tmp.resolve("out"));
        Files.write(out.resolve("report.txt"), "old".getBytes(StandardCharsets.UTF_8));
        final CodePhrase code = CodePhrase.generate(new SecureRandom());
        final Path src = TransferFixture.report(tmp);

        final TransferFixture.Outcome outcome = TransferFixture.run(List.of(src), out, code, code, b -> b,
            b -> b.overwrite(OverwritePolicy.OVERWRITE), ConsentCallback.ACCEPT_ALL,
            wire);

        assertNull(outcome.receiveFailure(), () -> String.valueOf(outcome.receiveFailure()));
        assertArrayEquals(Files.readAllBytes(src), Files.readAllBytes(out.resolve("report.txt")));
        assertFalse(Files.exists(out.resolve("report (1).txt")));
    }
}
