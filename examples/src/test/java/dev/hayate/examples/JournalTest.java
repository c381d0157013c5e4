package dev.hayate.examples;

import java.util.ArrayDeque;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import dev.hayate.codec.SbeMessage;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class JournalTest
{
    private final SbeMessage view = new SbeMessage();

    /**
     * A message-shaped byte array: an SBE header claiming an empty block, then {@code fill} repeated.
     */
    private static byte[] message(final int length, final int fill)
    {
        final byte[] bytes = new byte[length];
        java.util.Arrays.fill(bytes, (byte)fill);
        for (int i = 0; i < SbeMessage.HEADER_LENGTH; i++)
        {
            bytes[i] = 0;
        }
        return bytes;
    }

    private byte[] read(final Journal journal, final long seqNo)
    {
        assertTrue(journal.read(seqNo, view), "seqNo " + seqNo + " is kept");
        final byte[] bytes = new byte[view.length()];
        view.buffer().getBytes(view.offset(), bytes);
        return bytes;
    }

    @Test
    void shouldNumberMessagesConsecutivelyAndReadThemBackByteForByte()
    {
        final Journal journal = new Journal(16, 4096, 7);
        for (int i = 0; i < 5; i++)
        {
            final byte[] bytes = message(20 + i, i);
            assertEquals(7 + i, journal.append(new UnsafeBuffer(bytes), 0, bytes.length));
        }
        assertEquals(7, journal.firstSeqNo());
        assertEquals(12, journal.nextSeqNo());
        for (int i = 0; i < 5; i++)
        {
            assertArrayEquals(message(20 + i, i), read(journal, 7 + i));
        }
        assertFalse(journal.read(6, view), "before the first");
        assertFalse(journal.read(12, view), "not appended yet");
    }

    @Test
    void shouldEvictTheOldestWhenTheMessageBoundIsReached()
    {
        final Journal journal = new Journal(4, 4096, 1);
        for (int i = 1; i <= 10; i++)
        {
            final byte[] bytes = message(16, i);
            journal.append(new UnsafeBuffer(bytes), 0, bytes.length);
            assertTrue(journal.size() <= 4);
        }
        assertEquals(7, journal.firstSeqNo());
        assertEquals(11, journal.nextSeqNo());
        assertFalse(journal.read(6, view));
        assertArrayEquals(message(16, 7), read(journal, 7));
        assertArrayEquals(message(16, 10), read(journal, 10));
    }

    @Test
    void shouldStayWithinTheByteBoundWithoutSplittingAMessageAcrossTheEnd()
    {
        final long seed = System.nanoTime();
        final Random random = new Random(seed);
        final int maxBytes = 1000;
        final Journal journal = new Journal(1000, maxBytes, 1);
        final ArrayDeque<byte[]> reference = new ArrayDeque<>();
        long referenceFirst = 1;
        for (int i = 0; i < 20_000; i++)
        {
            final byte[] bytes = message(SbeMessage.HEADER_LENGTH + random.nextInt(200), i);
            final long seqNo = journal.append(new UnsafeBuffer(bytes), 0, bytes.length);
            reference.addLast(bytes);
            while (reference.size() > journal.size())
            {
                reference.removeFirst();
                referenceFirst++;
            }
            assertEquals(referenceFirst, journal.firstSeqNo(), "seed " + seed);
            assertEquals(seqNo + 1, journal.nextSeqNo());
            assertTrue(journal.bytesUsed() <= maxBytes, () -> "seed " + seed + ": " + journal.bytesUsed() + " bytes");
            if (i % 97 == 0)
            {
                long expectedSeqNo = journal.firstSeqNo();
                for (final byte[] kept : reference)
                {
                    assertArrayEquals(kept, read(journal, expectedSeqNo++), "seed " + seed);
                }
            }
        }
        assertTrue(journal.size() >= maxBytes / 208 / 2, "keeps as much as fits, not just the last message");
    }

    @Test
    void shouldRefuseAMessageLongerThanTheByteBound()
    {
        final Journal journal = new Journal(8, 64, 1);
        final byte[] bytes = message(65, 1);
        assertThrows(IllegalArgumentException.class, () -> journal.append(new UnsafeBuffer(bytes), 0, bytes.length));
        final byte[] exact = message(64, 2);
        journal.append(new UnsafeBuffer(exact), 0, exact.length);
        journal.append(new UnsafeBuffer(exact), 0, exact.length);
        assertEquals(1, journal.size(), "a message of the whole capacity evicts everything else");
        assertArrayEquals(exact, read(journal, 2));
    }

    @Test
    void shouldStartOverAfterAReset()
    {
        final Journal journal = new Journal(8, 256, 1);
        final byte[] bytes = message(30, 1);
        journal.append(new UnsafeBuffer(bytes), 0, bytes.length);
        journal.append(new UnsafeBuffer(bytes), 0, bytes.length);
        journal.reset(1);
        assertEquals(0, journal.size());
        assertEquals(0, journal.bytesUsed());
        assertFalse(journal.read(1, view));
        assertEquals(1, journal.append(new UnsafeBuffer(bytes), 0, bytes.length));
    }
}
