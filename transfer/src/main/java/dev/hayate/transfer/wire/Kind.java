package dev.hayate.transfer.wire;

/**
 * What a {@code Sealed} frame carries. The value travels in clear and is bound into the frame's seal, so a
 * relay or a man in the middle cannot turn one kind into another.
 *
 * <p>Thread-safety: constants only.
 */
public final class Kind
{
    /** A part of the offer: the manifest, cut into parts of at most one chunk each. */
    public static final byte OFFER = 1;
    /** A part of the receiver's answer: accept or reject, and per-file resume points. */
    public static final byte CONSENT = 2;
    /** A chunk of a file's content, LZ4-compressed when {@link Flags#COMPRESSED} is set. */
    public static final byte CHUNK = 3;
    /** The end of one file: its chunk count and the sender's whole-file checksum. */
    public static final byte FILE_END = 4;
    /** The end of the transfer (from the sender), or the confirmation that everything landed (from the receiver). */
    public static final byte DONE = 5;
    /** A failure the peer is told about: a code and a reason. */
    public static final byte ERROR = 6;
    /** The peer's user cancelled. */
    public static final byte CANCEL = 7;

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
