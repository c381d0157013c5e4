package dev.hayate.core.frame;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The FIX Simple Open Framing Header, which starts every Hayate frame.
 *
 * <pre>
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |          Message_Length (uint32, big-endian, incl. header)    |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |  Encoding_Type (uint16, BE)   |  body ...                     |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               |
 *   |                     (Message_Length - 6 bytes)                |
 * </pre>
 *
 * Because the header is the standard one, Wireshark's SOFH and SBE dissectors read Hayate's wire.
 */
public final class Sofh
{
    /** Bytes in the header. */
    public static final int HEADER_LENGTH = 6;
    /** Offset of the 4-byte message length. */
    public static final int LENGTH_OFFSET = 0;
    /** Offset of the 2-byte encoding type. */
    public static final int ENCODING_OFFSET = 4;
    /** Encoding type of SBE 1.0 little-endian bodies. */
    public static final int SBE_1_0_LITTLE_ENDIAN = 0x5BE0;
    /** Encoding type of SBE 1.0 big-endian bodies. */
    public static final int SBE_1_0_BIG_ENDIAN = 0xEB50;

    private Sofh()
    {
    }

    /**
     * Writes a header.
     *
     * @param buffer       to write into.
     * @param offset       of the frame.
     * @param frameLength  total frame length including the header.
     * @param encodingType the 16-bit encoding type.
     */
    public static void writeHeader(final MutableDirectBuffer buffer, final int offset, final int frameLength,
        final int encodingType)
    {
        buffer.putInt(offset + LENGTH_OFFSET, frameLength, ByteOrder.BIG_ENDIAN);
        buffer.putShort(offset + ENCODING_OFFSET, (short)encodingType, ByteOrder.BIG_ENDIAN);
    }

    /**
     * @param buffer holding a header.
     * @param offset of the frame.
     * @return the message length as a signed int: a value of 2^31 or more reads as negative, which is
     * always rejected.
     */
    public static int frameLength(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + LENGTH_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    /**
     * @param buffer holding a header.
     * @param offset of the frame.
     * @return the encoding type, 0..65535.
     */
    public static int encodingType(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + ENCODING_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }
}
