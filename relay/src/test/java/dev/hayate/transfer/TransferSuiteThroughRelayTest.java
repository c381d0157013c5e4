package dev.hayate.transfer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import dev.hayate.core.Context;
import dev.hayate.core.transport.TransportProvider;
import dev.hayate.relay.RelayContext;
import dev.hayate.relay.RelayServer;
import dev.hayate.relay.RelayTransportProvider;
import dev.hayate.transfer.crypto.CodePhrase;
import dev.hayate.transfer.files.ReceiveFolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The transfer suite's promises through a relay pipe, with the transfer module's own fixtures (its test jar): a
 * wrong code, a declined offer, an existing file refused, resume after an interruption, and hostile manifests from
 * a sender that paired correctly. The relay forwards sealed bytes only; everything is decided end to end.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TransferSuiteThroughRelayTest
{
    @TempDir
    Path tmp;

    private RelayServer relay;

    @BeforeEach
    void startRelay() throws IOException
    {
        relay = RelayServer.bind(new RelayContext().listen(new InetSocketAddress("127.0.0.1", 0))).start();
    }

    @AfterEach
    void stopRelay()
    {
        relay.close();
    }

    private TransportProvider pipe(final CodePhrase code)
    {
        return RelayTransportProvider.forCode(relay.localAddress(), code, new Context());
    }

    private TransferFixture.Outcome run(final List<Path> paths, final Path out, final CodePhrase senderCode,
        final CodePhrase receiverCode, final java.util.function.UnaryOperator<TransferSender.Builder> senderTweak,
        final java.util.function.UnaryOperator<TransferReceiver.Builder> receiverTweak, final ConsentCallback consent)
        throws Exception
    {
        return TransferFixture.run(paths, out, senderCode, receiverCode, senderTweak, receiverTweak, consent,
            pipe(senderCode), pipe(receiverCode), null);
    }

    @Test
    void shouldFailCleanlyOnBothSidesWithAWrongCodeAndWriteNothing() throws Exception
    {
        // The same number meets at the same relay session; the words differ, so the PAKE fails end to end.
        final Path out = Files.createDirectories(tmp.resolve("out"));
        final AtomicReference<Offer> offered = new AtomicReference<>();
        final TransferFixture.Outcome outcome = run(List.of(TransferFixture.report(tmp)), out,
            CodePhrase.parse("7-amber-falcon-river"),
            CodePhrase.parse("7-amber-falcon-rocket"), b -> b, b -> b, offer ->
            {
                offered.set(offer);
                return true;
            });

        assertEquals(Failure.WRONG_CODE, outcome.sendError().failure(), outcome.sendError()::getMessage);
        assertEquals(Failure.WRONG_CODE, outcome.receiveError().failure(), outcome.receiveError()::getMessage);
        assertNull(offered.get(), "no offer may reach the receiver");
        assertTrue(TransferFixture.isEmpty(out), "nothing written");
    }

    @Test
    void shouldTellTheSenderWhenTheReceiverDeclines() throws Exception
    {
        final Path out = Files.createDirectories(tmp.resolve("out"));
        final CodePhrase code = CodePhrase.generate(new SecureRandom());
        final TransferFixture.Outcome outcome = run(List.of(TransferFixture.report(tmp)), out,
            code, code, b -> b, b -> b, offer -> false);

        assertEquals(Failure.REJECTED, outcome.sendError().failure(), outcome.sendError()::getMessage);
        assertTrue(outcome.sendError().fromPeer());
        assertEquals(Failure.REJECTED, outcome.receiveError().failure());
        assertTrue(TransferFixture.isEmpty(out), "nothing written");
    }

    @Test
    void shouldRefuseAnExistingFileAndLeaveItByteForByte() throws Exception
    {
        final Path out = Files.createDirectories(tmp.resolve("out"));
        final byte[] mine = "precious".getBytes(StandardCharsets.UTF_8);
        Files.write(out.resolve("report.txt"), mine);
        final CodePhrase code = CodePhrase.generate(new SecureRandom());

        final TransferFixture.Outcome outcome = run(List.of(TransferFixture.report(tmp)), out,
            code, code, b -> b, b -> b,
            ConsentCallback.ACCEPT_ALL);

        assertEquals(Failure.CONFLICT, outcome.receiveError().failure(), outcome.receiveError()::getMessage);
        assertEquals(Failure.CONFLICT, outcome.sendError().failure(), outcome.sendError()::getMessage);
        assertArrayEquals(mine, Files.readAllBytes(out.resolve("report.txt")));
    }

    @Test
    void shouldResumeThroughANewRelayAfterTheFirstDiedHalfway() throws Exception
    {
        final int chunk = 64 * 1024;
        final Path src = tmp.resolve("movie.bin");
        TransferFixture.write(src, TransferFixture.randomBytes(3, 16 * chunk + 123));
        final Path out = Files.createDirectories(tmp.resolve("out"));
        final CodePhrase code = CodePhrase.generate(new SecureRandom());
        final java.util.concurrent.atomic.AtomicBoolean cut = new java.util.concurrent.atomic.AtomicBoolean();
        final RelayServer first = relay;

        // A slow sender; once half the file has gone, the relay dies under both ends.
        final TransferFixture.Outcome broken = run(List.of(src), out, code, code, b -> b.chunkSize(chunk)
            .compress(false).bandwidthLimit(2L * 1024 * 1024).listener(new TransferListener()
            {
                @Override
                public void onProgress(final long done, final long total, final int fileIndex)
                {
                    if (done >= total / 2 && cut.compareAndSet(false, true))
                    {
                        CompletableFuture.runAsync(first::close);
                    }
                }
            }), b -> b, ConsentCallback.ACCEPT_ALL);
        assertTrue(cut.get(), "the relay was cut mid-transfer");
        assertNotNull(broken.receiveError(), "the receiver learns the transfer stopped");
        assertFalse(Files.exists(out.resolve("movie.bin")), "nothing complete-looking after the cut");
        assertTrue(Files.exists(ReceiveFolder.partPath(out.resolve("movie.bin"))), "part file kept for resume");

        relay = RelayServer.bind(new RelayContext().listen(new InetSocketAddress("127.0.0.1", 0))).start();
        final TransferFixture.Outcome resumed = run(List.of(src), out, code, code,
            b -> b.chunkSize(chunk).compress(false), b -> b, ConsentCallback.ACCEPT_ALL);
        assertNull(resumed.receiveFailure(), () -> String.valueOf(resumed.receiveFailure()));
        assertNull(resumed.sendFailure(), () -> String.valueOf(resumed.sendFailure()));
        assertArrayEquals(Files.readAllBytes(src), Files.readAllBytes(out.resolve("movie.bin")));
        assertTrue(resumed.sent().bytesResumed() > 0, "what arrived before the cut is not sent again");
        assertTrue(resumed.sent().bytesResumed() < Files.size(src), "what was missing is sent");
        assertEquals(resumed.sent().files().get(0).checksum(), resumed.received().files().get(0).checksum());
    }

    @ParameterizedTest
    @ValueSource(strings = {"../evil.txt", "/etc/evil.txt", "link/inside.txt", "bell\u0007.txt"})
    void shouldRefuseHostileManifestBeforeWritingAnything(final String path) throws Exception
    {
        final Path out = Files.createDirectories(tmp.resolve("out"));
        final Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.createSymbolicLink(out.resolve("link"), outside);
        final CodePhrase code = CodePhrase.generate(new SecureRandom());
        final TransferReceiver receiver = TransferReceiver.builder()
            .listen(new InetSocketAddress("127.0.0.1", 0))
            .transport(pipe(code))
            .code(code)
            .outputDir(out)
            .acceptTimeout(TransferFixture.BOUND)
            .build();
        final CompletableFuture<TransferResult> receiving = receiver.receiveAsync(ConsentCallback.ACCEPT_ALL);
        final SocketAddress bound = receiver.awaitBound(TransferFixture.BOUND);
        assertNotNull(bound);

        final TransferException told;
        try (HostileSender hostile = new HostileSender(bound, code, pipe(code)))
        {
            hostile.offer(HostileSender.manifest(Boolean.TRUE, path));
            told = hostile.awaitRefusal();
        }
        final ExecutionException failed = assertThrows(ExecutionException.class,
            () -> receiving.get(60, TimeUnit.SECONDS));
        final TransferException ex = (TransferException)failed.getCause();
        // A link already in the output folder is found when the plan is made on disk: an I/O refusal.
        assertTrue(ex.failure() == Failure.HOSTILE_MANIFEST || ex.failure() == Failure.IO, ex::toString);
        assertNotNull(told, "the hostile sender is told");
        assertEquals(ex.failure(), told.failure());
        try (Stream<Path> inOut = Files.list(out); Stream<Path> inOutside = Files.list(outside))
        {
            assertEquals(List.of(out.resolve("link")), inOut.toList(), "output folder unchanged");
            assertEquals(0, inOutside.count(), "nothing written through the link");
        }
    }
}
