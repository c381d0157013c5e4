package dev.hayate.transfer.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

class PakeSessionTest
{
    private static final byte[] CONTEXT = "hayate-transfer/1 caps=lz4,xxh64".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final CodePhrase CODE = CodePhrase.parse("7-amber-falcon-river");

    @Test
    void shouldAgreeOnKeysWithTheSameCode() throws Exception
    {
        final SessionKeys[] keys = handshake(CODE, CODE, CONTEXT, CONTEXT);
        assertArrayEquals(keys[0].sessionId(), keys[1].sessionId());
        assertEquals(SessionKeys.SESSION_ID_LENGTH, keys[0].sessionId().length);

        final ChunkSealer sealer = keys[0].sealer(CipherSuite.AES_256_GCM);
        final ChunkOpener opener = keys[1].opener(CipherSuite.AES_256_GCM);
        final byte[] text = "hello".getBytes(StandardCharsets.US_ASCII);
        final ByteBuffer sealed = ByteBuffer.allocate(64);
        sealer.seal(sealer.nextSequence(), FrameKinds.OFFER, 0, 0, ChunkFlags.NONE, ByteBuffer.wrap(text), sealed);
        sealed.flip();
        final ByteBuffer out = ByteBuffer.allocate(64);
        assertEquals(text.length, opener.open(0, FrameKinds.OFFER, 0, 0, ChunkFlags.NONE, sealed, out));
        assertArrayEquals(text, Arrays.copyOf(out.array(), text.length));
    }

    @Test
    void shouldFailConfirmationOnBothSidesWithDifferentCodes() throws Exception
    {
        final PakeSession sender = new PakeSession(Role.SENDER, CODE, CONTEXT, RANDOM);
        final PakeSession receiver =
            new PakeSession(Role.RECEIVER, CodePhrase.parse("7-amber-falcon-rocket"), CONTEXT, RANDOM);
        runToConfirmation(sender, receiver);
        final byte[] senderConfirmation = sender.confirmation();
        final byte[] receiverConfirmation = receiver.confirmation();

        final WrongCodeException atSender =
            assertThrows(WrongCodeException.class, () -> sender.receiveConfirmation(receiverConfirmation));
        final WrongCodeException atReceiver =
            assertThrows(WrongCodeException.class, () -> receiver.receiveConfirmation(senderConfirmation));
        assertEquals("wrong code phrase, or someone else answered", atSender.getMessage());
        assertEquals(atSender.getMessage(), atReceiver.getMessage());
        // The session is dead: even the right bytes get nothing now.
        assertThrows(PakeException.class, () -> sender.receiveConfirmation(receiverConfirmation));
    }

    @Test
    void shouldFailConfirmationWhenContextsDiffer()
    {
        final byte[] downgraded = "hayate-transfer/1 caps=none".getBytes(StandardCharsets.US_ASCII);
        assertThrows(WrongCodeException.class, () -> handshake(CODE, CODE, CONTEXT, downgraded));
    }

    @Test
    void shouldDefeatManInTheMiddleWithAGuessedCode() throws Exception
    {
        final CodePhrase guess = CodePhrase.parse("8-amber-falcon-river");
        final PakeSession sender = new PakeSession(Role.SENDER, CODE, CONTEXT, RANDOM);
        final PakeSession receiver = new PakeSession(Role.RECEIVER, CODE, CONTEXT, RANDOM);
        final PakeSession mitmAsReceiver = new PakeSession(Role.RECEIVER, guess, CONTEXT, RANDOM);
        final PakeSession mitmAsSender = new PakeSession(Role.SENDER, guess, CONTEXT, RANDOM);

        runToConfirmation(sender, mitmAsReceiver);
        runToConfirmation(mitmAsSender, receiver);
        final byte[] fromSender = sender.confirmation();
        final byte[] fromReceiver = receiver.confirmation();
        final byte[] mitmToSender = mitmAsReceiver.confirmation();
        final byte[] mitmToReceiver = mitmAsSender.confirmation();

        assertThrows(WrongCodeException.class, () -> sender.receiveConfirmation(mitmToSender));
        assertThrows(WrongCodeException.class, () -> receiver.receiveConfirmation(mitmToReceiver));
        // Relaying the real confirmations across does not help either: they are bound to other transcripts.
        assertThrows(WrongCodeException.class, () -> mitmAsReceiver.receiveConfirmation(fromSender));
        assertThrows(WrongCodeException.class, () -> mitmAsSender.receiveConfirmation(fromReceiver));
    }

    @Test
    void shouldDefeatPureRelayThatSplicesTwoSessions() throws Exception
    {
        // A relay that forwards round 1 of a sender to a receiver but answers round 2 from its own session.
        final PakeSession sender = new PakeSession(Role.SENDER, CODE, CONTEXT, RANDOM);
        final PakeSession receiver = new PakeSession(Role.RECEIVER, CODE, CONTEXT, RANDOM);
        final PakeSession other = new PakeSession(Role.RECEIVER, CODE, CONTEXT, RANDOM);
        final byte[] s1 = sender.round1();
        final byte[] r1 = receiver.round1();
        final byte[] o1 = other.round1();
        sender.receiveRound1(r1);
        receiver.receiveRound1(s1);
        other.receiveRound1(s1);
        final byte[] s2 = sender.round2();
        receiver.round2();
        final byte[] o2 = other.round2();
        receiver.receiveRound2(s2);
        assertNotNull(o1);
        assertThrows(PakeException.class, () -> sender.receiveRound2(o2));
    }

    @Test
    void shouldRejectGarbageTruncatedAndOversizedRound1()
    {
        final Random seeded = new Random(42);
        final byte[] valid = new PakeSession(Role.RECEIVER, CODE, CONTEXT, RANDOM).round1();
        assertTrue(valid.length <= PakeSession.MAX_ROUND1_LENGTH);

        assertRound1Rejected(null);
        assertRound1Rejected(new byte[0]);
        assertRound1Rejected(new byte[PakeSession.MAX_ROUND1_LENGTH + 1]);
        for (int cut = 0; cut < valid.length; cut++)
        {
            assertRound1Rejected(Arrays.copyOf(valid, cut));
        }
        assertRound1Rejected(Arrays.copyOf(valid, valid.length + 1));
        for (int i = 0; i < 200; i++)
        {
            final byte[] garbage = new byte[1 + seeded.nextInt(PakeSession.MAX_ROUND1_LENGTH)];
            seeded.nextBytes(garbage);
            if (i % 2 == 0)
            {
                garbage[0] = 1;
            }
            assertRound1Rejected(garbage);
        }
        for (int i = 0; i < valid.length; i++)
        {
            final byte[] flipped = valid.clone();
            flipped[i] ^= (byte)(1 << seeded.nextInt(8));
            assertRound1Rejected(flipped);
        }
    }

    @Test
    void shouldRejectGarbageRound2AndConfirmation() throws Exception
    {
        final Random seeded = new Random(7);
        for (int i = 0; i < 100; i++)
        {
            final PakeSession sender = new PakeSession(Role.SENDER, CODE, CONTEXT, RANDOM);
            final PakeSession receiver = new PakeSession(Role.RECEIVER, CODE, CONTEXT, RANDOM);
            final byte[] s1 = sender.round1();
            final byte[] r1 = receiver.round1();
            sender.receiveRound1(r1);
            receiver.receiveRound1(s1);
            final byte[] r2 = receiver.round2();
            sender.round2();
            final byte[] bad;
            switch (i % 4)
            {
                case 0:
                    bad = Arrays.copyOf(r2, seeded.nextInt(r2.length));
                    break;
                case 1:
                    bad = new byte[PakeSession.MAX_ROUND2_LENGTH + 1 + seeded.nextInt(1000)];
                    break;
                case 2:
                    bad = r2.clone();
                    bad[seeded.nextInt(bad.length)] ^= (byte)(1 + seeded.nextInt(255));
                    break;
                default:
                    bad = new byte[1 + seeded.nextInt(PakeSession.MAX_ROUND2_LENGTH)];
                    seeded.nextBytes(bad);
                    bad[0] = 2;
                    break;
            }
            assertThrows(PakeException.class, () -> sender.receiveRound2(bad), "case " + i);
        }

        final PakeSession sender = new PakeSession(Role.SENDER, CODE, CONTEXT, RANDOM);
        final PakeSession receiver = new PakeSession(Role.RECEIVER, CODE, CONTEXT, RANDOM);
        runToConfirmation(sender, receiver);
        sender.confirmation();
        final byte[] tooShort = new byte[PakeSession.CONFIRMATION_LENGTH - 1];
        final PakeException ex = assertThrows(PakeException.class, () -> sender.receiveConfirmation(tooShort));
        assertFalse(ex instanceof WrongCodeException);
    }

    @Test
    void shouldRejectPayloadsOutOfOrder() throws Exception
    {
        final PakeSession sender = new PakeSession(Role.SENDER, CODE, CONTEXT, RANDOM);
        final PakeSession receiver = new PakeSession(Role.RECEIVER, CODE, CONTEXT, RANDOM);
        final byte[] r1 = receiver.round1();
        // Round 1 received before this side sent its own.
        assertThrows(PakeException.class, () -> sender.receiveRound1(r1));

        final PakeSession sender2 = new PakeSession(Role.SENDER, CODE, CONTEXT, RANDOM);
        final byte[] s1 = sender2.round1();
        sender2.receiveRound1(r1);
        receiver.receiveRound1(s1);
        final byte[] r2 = receiver.round2();
        // Round 2 before round2() was sent, a confirmation before round 2, round 1 twice.
        assertThrows(PakeException.class, () -> sender2.receiveRound2(r2));
        final PakeSession sender3 = new PakeSession(Role.SENDER, CODE, CONTEXT, RANDOM);
        sender3.round1();
        assertThrows(PakeException.class, () -> sender3.receiveConfirmation(new byte[PakeSession.CONFIRMATION_LENGTH]));
        final PakeSession sender4 = new PakeSession(Role.SENDER, CODE, CONTEXT, RANDOM);
        sender4.round1();
        sender4.receiveRound1(r1);
        assertThrows(PakeException.class, () -> sender4.receiveRound1(r1));
        assertThrows(IllegalStateException.class, sender4::round1);
    }

    @Test
    void shouldRejectRound1ThatClaimsToComeFromTheSameRole() throws Exception
    {
        final PakeSession sender = new PakeSession(Role.SENDER, CODE, CONTEXT, RANDOM);
        final PakeSession otherSender = new PakeSession(Role.SENDER, CODE, CONTEXT, RANDOM);
        sender.round1();
        // The proofs of a sender's round 1 are bound to the sender id, so they fail as the receiver's.
        assertThrows(PakeException.class, () -> sender.receiveRound1(otherSender.round1()));
    }

    private static void assertRound1Rejected(final byte[] payload)
    {
        final PakeSession sender = new PakeSession(Role.SENDER, CODE, CONTEXT, RANDOM);
        sender.round1();
        assertThrows(PakeException.class, () -> sender.receiveRound1(payload),
            () -> "accepted " + (payload == null ? "null" : ChecksumAlgorithm.toHex(payload)));
    }

    static SessionKeys[] handshake(
        final CodePhrase senderCode, final CodePhrase receiverCode, final byte[] senderContext, final byte[] receiverContext)
        throws PakeException
    {
        final PakeSession sender = new PakeSession(Role.SENDER, senderCode, senderContext, RANDOM);
        final PakeSession receiver = new PakeSession(Role.RECEIVER, receiverCode, receiverContext, RANDOM);
        runToConfirmation(sender, receiver);
        final byte[] sc = sender.confirmation();
        final byte[] rc = receiver.confirmation();
        return new SessionKeys[] {sender.receiveConfirmation(rc), receiver.receiveConfirmation(sc)};
    }

    private static void runToConfirmation(final PakeSession sender, final PakeSession receiver) throws PakeException
    {
        final byte[] s1 = sender.round1();
        final byte[] r1 = receiver.round1();
        sender.receiveRound1(r1);
        receiver.receiveRound1(s1);
        final byte[] s2 = sender.round2();
        final byte[] r2 = receiver.round2();
        assertTrue(s2.length <= PakeSession.MAX_ROUND2_LENGTH);
        sender.receiveRound2(r2);
        receiver.receiveRound2(s2);
    }
}
