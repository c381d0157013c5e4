package dev.hayate.codec;

import org.agrona.MutableDirectBuffer;

/**
 * UTF-8 encoding of a {@link CharSequence} straight into a buffer, without the {@code byte[]} that
 * {@link String#getBytes} and the generated UTF-8 var-data setters allocate: encode into a reused scratch buffer,
 * then hand it to the generated {@code putXxx(DirectBuffer, int, int)} setter.
 *
 * <p>Unpaired surrogates become {@code '?'}, as {@link String#getBytes(java.nio.charset.Charset)} does, so both
 * produce the same bytes for every input.
 *
 * <p>Thread-safety: stateless.
 */
public final class Utf8
{
    private Utf8()
    {
    }

    /**
     * @param text to measure.
     * @return bytes of its UTF-8 encoding.
     */
    public static int encodedLength(final CharSequence text)
    {
        final int chars = text.length();
        int bytes = 0;
        for (int i = 0; i < chars; i++)
        {
            final char c = text.charAt(i);
            if (c < 0x80)
            {
                bytes += 1;
            }
            else if (c < 0x800)
            {
                bytes += 2;
            }
            else if (Character.isHighSurrogate(c) && i + 1 < chars && Character.isLowSurrogate(text.charAt(i + 1)))
            {
                bytes += 4;
                i++;
            }
            else if (Character.isSurrogate(c))
            {
                bytes += 1;
            }
            else
            {
                bytes += 3;
            }
        }
        return bytes;
    }

    /**
     * @param text   to encode.
     * @param buffer to write into; an expandable buffer grows as needed.
     * @param index  of the first byte.
     * @return bytes written.
     */
    public static int encode(final CharSequence text, final MutableDirectBuffer buffer, final int index)
    {
        final int chars = text.length();
        int at = index;
        for (int i = 0; i < chars; i++)
        {
            final char c = text.charAt(i);
            if (c < 0x80)
            {
                buffer.putByte(at++, (byte)c);
            }
            else if (c < 0x800)
            {
                buffer.putByte(at++, (byte)(0xC0 | (c >>> 6)));
                buffer.putByte(at++, (byte)(0x80 | (c & 0x3F)));
            }
            else if (Character.isHighSurrogate(c) && i + 1 < chars && Character.isLowSurrogate(text.charAt(i + 1)))
            {
                final int codePoint = Character.toCodePoint(c, text.charAt(++i));
                buffer.putByte(at++, (byte)(0xF0 | (codePoint >>> 18)));
                buffer.putByte(at++, (byte)(0x80 | ((codePoint >>> 12) & 0x3F)));
                buffer.putByte(at++, (byte)(0x80 | ((codePoint >>> 6) & 0x3F)));
                buffer.putByte(at++, (byte)(0x80 | (codePoint & 0x3F)));
            }
            else if (Character.isSurrogate(c))
            {
                buffer.putByte(at++, (byte)'?');
            }
            else
            {
                buffer.putByte(at++, (byte)(0xE0 | (c >>> 12)));
                buffer.putByte(at++, (byte)(0x80 | ((c >>> 6) & 0x3F)));
                buffer.putByte(at++, (byte)(0x80 | (c & 0x3F)));
            }
        }
        return at - index;
    }
}
