package dev.hayate.transfer;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import dev.hayate.transfer.files.Manifest;
import dev.hayate.transfer.files.ManifestEntry;

/**
 * The receiver's answer to an offer, sealed like everything after pairing:
 *
 * <pre>
 *   0        1          3               3+n        7+n
 *   +--------+----------+---------------+----------+------------------------------------+
 *   |accepted| reason n | reason (UTF-8)| count    | count x (fileIndex int32,           |
 *   | uint8  | uint16 BE|               | int32 BE |          resumeChunks int64) BE    |
 *   +--------+----------+---------------+----------+------------------------------------+
 * </pre>
 *
 * Only files with something to resume are listed. A resume point is a whole number of chunks the receiver holds
 * in a part file and has verified; the sender starts that file there.
 *
 * <p>Thread-safety: immutable.
 */
final class Consent
{
    private static final int MAX_REASON = 512;

    private final boolean accepted;
    private final String reason;
    private final long[] resumeChunks;

    private Consent(final boolean accepted, final String reason, final long[] resumeChunks)
    {
        this.accepted = accepted;
        this.reason = reason;
        this.resumeChunks = resumeChunks;
    }

    static Consent accept(final long[] resumeChunks)
    {
        return new Consent(true, "", resumeChunks.clone());
    }

    static Consent reject(final String reason, final int entries)
    {
        return new Consent(false, reason, new long[entries]);
    }

    static int maxBytes(final int entries)
    {
        return 7 + MAX_REASON * 4 + entries * 12;
    }

    byte[] encode()
    {
        int count = 0;
        for (final long r : resumeChunks)
        {
            if (r > 0)
            {
                count++;
            }
        }
        String text = reason;
        if (text.length() > MAX_REASON)
        {
            text = text.substring(0, MAX_REASON);
        }
        final byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        final ByteBuffer b = ByteBuffer.allocate(7 + utf8.length + count * 12);
        b.put((byte)(accepted ? 1 : 0)).putShort((short)utf8.length).put(utf8).putInt(count);
        for (int i = 0; i < resumeChunks.length; i++)
        {
            if (resumeChunks[i] > 0)
            {
                b.putInt(i).putLong(resumeChunks[i]);
            }
        }
        return b.array();
    }

    static Consent decode(final byte[] bytes, final Manifest manifest, final int chunkSize) throws TransferException
    {
        try
        {
            final ByteBuffer b = ByteBuffer.wrap(bytes);
            final boolean accepted = b.get() == 1;
            final int reasonLength = b.getShort() & 0xFFFF;
            if (reasonLength > MAX_REASON * 4)
            {
                throw new TransferException(Failure.PROTOCOL, "consent reason of " + reasonLength + " bytes");
            }
            final byte[] utf8 = new byte[reasonLength];
            b.get(utf8);
            final int count = b.getInt();
            if (count < 0 || count > manifest.size() || b.remaining() != count * 12)
            {
                throw new TransferException(Failure.PROTOCOL, "consent lists " + count + " resume points for " +
                    manifest.size() + " entries");
            }
            final long[] resume = new long[manifest.size()];
            for (int i = 0; i < count; i++)
            {
                final int index = b.getInt();
                final long chunks = b.getLong();
                if (index < 0 || index >= manifest.size() || !manifest.entry(index).isFile() || chunks < 0 ||
                    chunks > manifest.entry(index).chunkCount(chunkSize))
                {
                    throw new TransferException(Failure.PROTOCOL, "bad resume point " + chunks + " for entry " + index);
                }
                resume[index] = chunks;
            }
            return new Consent(accepted, new String(utf8, StandardCharsets.UTF_8), resume);
        }
        catch (final BufferUnderflowException ex)
        {
            throw new TransferException(Failure.PROTOCOL, "truncated consent", false, ex);
        }
    }

    boolean accepted()
    {
        return accepted;
    }

    String reason()
    {
        return reason;
    }

    long resumeChunks(final int index)
    {
        return resumeChunks[index];
    }

    long resumeBytes(final int index, final ManifestEntry entry, final int chunkSize)
    {
        return Math.min(entry.size(), resumeChunks[index] * chunkSize);
    }

    long resumedBytes(final Manifest manifest, final int chunkSize)
    {
        long total = 0;
        for (int i = 0; i < resumeChunks.length; i++)
        {
            if (resumeChunks[i] > 0)
            {
                total += resumeBytes(i, manifest.entry(i), chunkSize);
            }
        }
        return total;
    }

    @Override
    public String toString()
    {
        return "Consent(" + (accepted ? "accept" : "reject: " + reason) + ", resume " +
            Arrays.toString(resumeChunks) + ")";
    }
}
