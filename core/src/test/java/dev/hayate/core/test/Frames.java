package dev.hayate.core.test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Random;

import dev.hayate.core.frame.Sofh;

/**
 * Builds raw SOFH byte streams for tests, including broken ones.
 */
public final class Frames
{
    private Frames()
    {
    }

    /**
     * @param body         frame body.
     * @param encodingType header encoding type.
     * @return header + body.
     */
    public static byte[] frame(final byte[] body, final int encodingType)
    {
        return header(body.length + Sofh.HEADER_LENGTH, encodingType, body);
    }

    /**
     * @param body frame body.
     * @return an SBE little-endian frame.
     */
    public static byte[] frame(final byte[] body)
    {
        return frame(body, Sofh.SBE_1_0_LITTLE_ENDIAN);
    }

    /**
     * @param declaredLength the length written in the header, true or not.
     * @param encodingType   header encoding type.
     * @param body           bytes after the header.
     * @return the bytes.
     */
    public static byte[] header(final int declaredLength, final int encodingType, final byte[] body)
    {
        final ByteBuffer buffer = ByteBuffer.allocate(Sofh.HEADER_LENGTH + body.length);
        buffer.putInt(declaredLength).putShort((short)encodingType).put(body);
        return buffer.array();
    }

    /**
     * @param random source.
     * @param length of the body.
     * @return random bytes.
     */
    public static byte[] body(final Random random, final int length)
    {
        final byte[] body = new byte[length];
        random.nextBytes(body);
        return body;
    }

    /**
     * @param frames to concatenate.
     * @return one stream.
     */
    public static byte[] concat(final byte[]... frames)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (final byte[] frame : frames)
        {
            out.writeBytes(frame);
        }
        return out.toByteArray();
    }
}
