package dev.hayate.codec;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class Utf8Test
{
    @Test
    void shouldEncodeExactlyAsStringGetBytesDoes()
    {
        final long seed = Long.getLong("hayate.fuzz.seed", System.nanoTime());
        final Random random = new Random(seed);
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(16);
        for (int i = 0; i < 2_000; i++)
        {
            final String text = randomText(random);
            final byte[] expected = text.getBytes(StandardCharsets.UTF_8);

            final int length = Utf8.encode(text, buffer, 3);

            final byte[] actual = new byte[length];
            buffer.getBytes(3, actual);
            assertArrayEquals(expected, actual, "seed=" + seed + " text=" + text.chars().boxed().toList());
            assertEquals(expected.length, Utf8.encodedLength(text), "seed=" + seed);
        }
    }

    @Test
    void shouldReplaceUnpairedSurrogatesWithQuestionMarks()
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(16);
        final String text = "a\uD800b\uDC00";

        final int length = Utf8.encode(text, buffer, 0);

        assertEquals("a?b?", buffer.getStringWithoutLengthUtf8(0, length));
    }

    private static String randomText(final Random random)
    {
        final StringBuilder text = new StringBuilder();
        final int length = random.nextInt(20);
        for (int i = 0; i < length; i++)
        {
            switch (random.nextInt(5))
            {
                case 0 -> text.append((char)random.nextInt(0x80));
                case 1 -> text.append((char)(0x80 + random.nextInt(0x780)));
                case 2 -> text.append((char)(0x800 + random.nextInt(0xF800)));
                case 3 -> text.appendCodePoint(0x10000 + random.nextInt(0x100000));
                default -> text.append((char)(0xD800 + random.nextInt(0x800)));
            }
        }
        return text.toString();
    }
}
