package dev.hayate.transfer.wire;

import dev.hayate.transfer.crypto.FrameKinds;

/**
 * What a {@code Sealed} frame carries. The value travels in clear and is bound into the frame's seal, so a
 * relay or a man in the middle cannot turn one kind into another. The values are the crypto layer's
 * {@link FrameKinds}, whose opener checks the position of {@link #CHUNK} frames.
 *
 * <p>Thread-safety: constants only.
 */
public final class Kind
{
    /** A part of the offer: the manifest, cut into parts of at most one chunk each. */
    public static final byte OFFER = FrameKinds.OFFER;
    /** A chunk of a file's content, LZ4-compressed when {@code ChunkFlags.COMPRESSED} is set. */
    public static final byte CHUNK = FrameKinds.CHUNK;
    /** The end of one file: its chunk count and the sender's whole-file checksum. */
    public static final byte FILE_END = FrameKinds.END;
    /** The end of the transfer (from the sender), or the confirmation that everything landed (from the receiver). */
    public static final byte DONE = FrameKinds.DONE;
    /** A part of the receiver's answer: accept or reject, and per-file resume points. */
    public static final byte CONSENT = FrameKinds.CONSENT;
    /** A failure the peer is told about: a code and a reason. */
    public static final byte ERROR = FrameKinds.ERROR;
    /** The peer's user cancelled. */
    public static final byte CANCEL = FrameKinds.FIRST_APPLICATION_KIND;

    private Kind()
    {
    }

    /**
     * @param kind a kind byte.
     * @return its name, for messages.
     */
    public static String name(final byte kind)
    {
        return switch (kind)
        {
            case OFFER -> "offer";
            case CONSENT -> "consent";
            case CHUNK -> "chunk";
            case FILE_END -> "file end";
            case DONE -> "done";
            case ERROR -> "error";
            case CANCEL -> "cancel";
            default -> "unknown kind " + kind;
        };
    }
}
