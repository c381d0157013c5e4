package dev.hayate.transfer.crypto;

import java.nio.ByteBuffer;

import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * Decompresses the LZ4 blocks made by {@link ChunkCompressor}, with lz4-java's safe decompressor (bounds-checked
 * against malformed input, unlike the "fast" one). Nothing is sized from the wire: the caller states the
 * expected length (from the authenticated frame header) and the most it will ever accept.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class ChunkDecompressor
{
    private final LZ4SafeDecompressor decompressor = LZ4Factory.fastestInstance().safeDecompressor();

    /**
     * @param src            one LZ4 block, from its position to its limit; consumed on success.
     * @param dst            receives the chunk at its position, which advances on success.
     * @param expectedLength the chunk's plaintext length as announced.
     * @param maxLength      the largest chunk this side accepts (its configured chunk size).
     * @return {@code expectedLength}.
     * @throws MalformedChunkException when the announced length is above {@code maxLength} or negative, the block
     *                                 is malformed, or it does not decompress to exactly the announced length.
     * @throws IllegalArgumentException when {@code dst} cannot hold {@code expectedLength} bytes (a caller bug).
     */
    public int decompress(final ByteBuffer src, final ByteBuffer dst, final int expectedLength, final int maxLength)
    {
        if (expectedLength < 0 || expectedLength > maxLength)
        {
            throw new MalformedChunkException("announced chunk length " + expectedLength + " is outside 0.." + maxLength);
        }
        if (dst.remaining() < expectedLength)
        {
            throw new IllegalArgumentException("dst has " + dst.remaining() + " bytes left, chunk needs " + expectedLength);
        }
        final int written;
        try
        {
            written = decompressor.decompress(src, src.position(), src.remaining(), dst, dst.position(), expectedLength);
        }
        catch (final LZ4Exception ex)
        {
            throw new MalformedChunkException("malformed LZ4 block: " + ex.getMessage(), ex);
        }
        if (written != expectedLength)
        {
            throw new MalformedChunkException("LZ4 block decompressed to " + written + " bytes, " + expectedLength
                + " announced");
        }
        src.position(src.limit());
        dst.position(dst.position() + written);
        return written;
    }
}
