package dev.hayate.codec;

import org.agrona.sbe.MessageDecoderFlyweight;

/**
 * Early checks for decoders reading untrusted bytes, for a decoder wrapped by
 * {@link SbeMessage#wrap(MessageDecoderFlyweight)}, whose buffer ends where the message ends.
 *
 * <p>The bounded buffer already makes a lying group count or var-data length throw when the bytes are read. These
 * checks fail earlier, before a decoder sizes a list or a string from a count, and with a message that names the
 * field; they also reject group entries shorter than the schema's, which would otherwise decode as overlapping
 * garbage without ever leaving the message.
 *
 * <p>Thread-safety: stateless.
 */
public final class SbeBounds
{
    private SbeBounds()
    {
    }

    /**
     * @param decoder wrapped by {@link SbeMessage#wrap(MessageDecoderFlyweight)}.
     * @return bytes of the message after the decoder's current position.
     */
    public static int remaining(final MessageDecoderFlyweight decoder)
    {
        return decoder.buffer().capacity() - decoder.limit();
    }

    /**
     * Checks a repeating group's dimensions; call it right after the generated group accessor, which leaves the
     * message's position just past the group header.
     *
     * @param decoder           of the message that holds the group.
     * @param group             name of the group, for the message.
     * @param count             from the group decoder's {@code count()}.
     * @param actingBlockLength from the group decoder's {@code actingBlockLength()}.
     * @param minBlockLength    the smallest entry the reader accepts, usually the group's {@code sbeBlockLength()}.
     * @return {@code count}.
     * @throws MalformedMessageException if the entries are shorter than {@code minBlockLength} or run past the end.
     */
    public static int checkGroup(final MessageDecoderFlyweight decoder, final String group, final int count,
        final int actingBlockLength, final int minBlockLength)
    {
        if (count > 0 && actingBlockLength < minBlockLength)
        {
            throw new MalformedMessageException("group '" + group + "' of template " + decoder.sbeTemplateId() +
                " has entries of " + actingBlockLength + " bytes, fewer than the " + minBlockLength + " its fields need");
        }
        final long needed = (long)count * actingBlockLength;
        final int remaining = remaining(decoder);
        if (needed > remaining)
        {
            throw new MalformedMessageException("group '" + group + "' of template " + decoder.sbeTemplateId() +
                " claims " + count + " entries of " + actingBlockLength + " bytes, but only " + remaining +
                " bytes remain in the message");
        }
        return count;
    }

    /**
     * Checks a var-data field's length; call it with the generated {@code xxxLength()} before reading the data.
     *
     * @param decoder      of the message that holds the field.
     * @param field        name of the field, for the message.
     * @param headerLength from the generated {@code xxxHeaderLength()}.
     * @param dataLength   from the generated {@code xxxLength()}.
     * @return {@code dataLength}.
     * @throws MalformedMessageException if the data runs past the end of the message.
     */
    public static int checkVarData(final MessageDecoderFlyweight decoder, final String field, final int headerLength,
        final int dataLength)
    {
        final int remaining = remaining(decoder) - headerLength;
        if (dataLength < 0 || dataLength > remaining)
        {
            throw new MalformedMessageException("var data '" + field + "' of template " + decoder.sbeTemplateId() +
                " claims " + (dataLength & 0xFFFF_FFFFL) + " bytes, but only " + Math.max(0, remaining) +
                " bytes remain in the message");
        }
        return dataLength;
    }
}
