package dev.hayate.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

import dev.hayate.transfer.crypto.ChunkIntegrityException;
import dev.hayate.transfer.crypto.ChunkIntegrityException.Violation;
import dev.hayate.transfer.crypto.CodePhrase;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A man in the middle rewrites the sender's sealed chunks on the wire; the receiver names each violation, keeps
 * nothing that looks complete, and the sender is told.
 */
class TransferIntegrityTest
{
    private static final int CHUNK = 64 * 1024;

    @TempDir
    Path tmp;

    enum Attack
    {
        TAMPER, REPLAY, REORDER, DROP, CUT
    }

    @ParameterizedTest
    @EnumSource(Attack.class)
    void shouldDetectEachAttackOnTheChunkStreamAndKeepNothingComplete(final Attack attack) throws Exception
    {
        final Path src = tmp.resolve("data.bin");
        TransferFixture.write(src, TransferFixture.randomBytes(7, 5 * CHUNK + 1000));
        final Path out = Files.createDirectories(tmp.resolve("out"));
        final CodePhrase code = CodePhrase.generate(new SecureRandom());
        final List<byte[]> held = new ArrayList<>();
        final TamperingProxy.Tamper tamper = (n, frame) ->
        {
            switch (attack)
            {
                case TAMPER:
                    if (n == 2)
                    {
                        frame[frame.length - 40] ^= 1;
                    }
                    return List.of(frame);
                case REPLAY:
                    return n == 1 ? List.of(frame, frame.clone()) : List.of(frame);
                case REORDER:
                    if (n == 1)
                    {
                        held.add(frame);
                        return List.of();
                    }
                    if (n == 2)
                    {
                        return List.of(frame, held.get(0));
                    }
                    return List.of(frame);
                case DROP:
                    return n == 1 ? List.of() : List.of(frame);
                case CUT:
                    return n == 3 ? null : List.of(frame);
                default:
                    throw new IllegalStateException();
            }
        };

        final TransferFixture.Outcome outcome = TransferFixture.run(List.of(src), out, code, code,
            b -> b.chunkSize(CHUNK).compress(false), b -> b, ConsentCallback.ACCEPT_ALL, null, null, tamper);

        final TransferException received = outcome.receiveError();
        assertNotNull(received, () -> "the receiver must fail, got " + outcome.received());
        assertNotNull(outcome.sendError(), "the sender must fail too");
        if (attack == Attack.CUT)
        {
            assertEquals(Failure.NETWORK, received.failure(), received::getMessage);
        }
        else
        {
            assertEquals(Failure.INTEGRITY, received.failure(), received::getMessage);
            final Violation expected = switch (attack)
            {
                case TAMPER -> Violation.TAMPERED;
                case REPLAY -> Violation.REPLAYED;
                case REORDER -> Violation.REORDERED;
                case DROP -> Violation.DROPPED;
                default -> throw new IllegalStateException();
            };
            assertTrue(received.getCause() instanceof ChunkIntegrityException, received::toString);
            assertEquals(expected, ((ChunkIntegrityException)received.getCause()).violation(), received::getMessage);
        }
        assertFalse(Files.exists(out.resolve("data.bin")), "no complete-looking file after " + attack);
    }
}
