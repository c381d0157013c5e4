package dev.hayate.transfer.crypto;

/**
 * Values of the {@code kind} byte bound into every sealed frame's associated data. Only {@link #CHUNK} has a
 * meaning to {@link ChunkOpener} (its file and chunk position is tracked); the others are sequence-checked only.
 * The wire protocol may define more kinds from {@link #FIRST_APPLICATION_KIND} upwards.
 *
 * <p>Thread-safety: constants only.
 */
public final class FrameKinds
{
    /** The manifest offer. */
    public static final byte OFFER = 1;

    /** A chunk of file content. */
    public static final byte CHUNK = 2;

    /** The end of one file (carries its checksum). */
    public static final byte END = 3;

    /** The end of the whole transfer. */
    public static final byte DONE = 4;

    /** The receiver's consent or refusal. */
    public static final byte CONSENT = 5;

    /** An error report. */
    public static final byte ERROR = 6;

    /** The first kind value left to the wire protocol. */
    public static final byte FIRST_APPLICATION_KIND = 16;

    private FrameKinds()
    {
    }
}
