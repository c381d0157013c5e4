package dev.hayate.transfer.wire;

import java.nio.ByteBuffer;

import org.agrona.DirectBuffer;

/**
 * One transfer protocol message, as a reusable mutable holder: fill it and send it (the codec encodes it during
 * the send call, so it may be refilled at once), or read the one a receive returned (valid until the next
 * receive on that connection; the body of a sealed frame is a view into the receive buffer).
 *
 * <pre>
 *   HELLO   maxVersion minVersion role capabilities cipherSuite checksum flags chunkSize     (clear)
 *   PAKE    step payload                                                                    (clear)
 *   SEALED  kind flags fileIndex chunkIndex sequence plainLength body=ciphertext+tag        (AEAD)
 *   ABORT   code reason                                                                     (clear)
 * </pre>
 *
 * <p>A sealed message is sealed by the codec while it is encoded straight into the connection's send buffer: the
 * sequence number is assigned then, so frames are numbered in the order they are taken.
 *
 * <p>Thread-safety: none; one holder per thread.
 */
public final class TransferMessage
{
    /** Which of the four wire messages this is. */
    public enum Type
    {
        /** First message each way. */
        HELLO,
        /** One EC J-PAKE step. */
        PAKE,
        /** An AEAD-sealed message. */
        SEALED,
        /** A failure before keys exist. */
        ABORT
    }

    Type type;

    // HELLO
    int maxVersion;
    int minVersion;
    boolean fromSender;
    int capabilities;
    int cipherSuite;
    int checksum;
    int helloFlags;
    int chunkSize;

    // PAKE
    int step;
    byte[] payload;

    // SEALED: encode side
    byte kind;
    byte flags;
    int fileIndex;
    long chunkIndex;
    int plainLength;
    ByteBuffer plaintext;

    // SEALED: decode side
    long sequence;
    DirectBuffer bodyBuffer;
    int bodyOffset;
    int bodyLength;

    // ABORT
    int code;
    String reason;

    /**
     * Makes this a hello.
     *
     * @param maxVersion   highest protocol version spoken.
     * @param minVersion   lowest protocol version spoken.
     * @param fromSender   true for the sender's hello.
     * @param capabilities bit set of what this side supports.
     * @param cipherSuite  the sender's choice (0 from a receiver).
     * @param checksum     the sender's choice (0 from a receiver).
     * @param flags        the sender's choices: compression, resume.
     * @param chunkSize    the sender's chunk size (0 from a receiver).
     * @return this.
     */
    public TransferMessage hello(final int maxVersion, final int minVersion, final boolean fromSender,
        final int capabilities, final int cipherSuite, final int checksum, final int flags, final int chunkSize)
    {
        this.type = Type.HELLO;
        this.maxVersion = maxVersion;
        this.minVersion = minVersion;
        this.fromSender = fromSender;
        this.capabilities = capabilities;
        this.cipherSuite = cipherSuite;
        this.checksum = checksum;
        this.helloFlags = flags;
        this.chunkSize = chunkSize;
        return this;
    }

    /**
     * Makes this a PAKE step.
     *
     * @param step    1, 2 or 3 (key confirmation).
     * @param payload the step's bytes; kept by reference until sent.
     * @return this.
     */
    public TransferMessage pake(final int step, final byte[] payload)
    {
        this.type = Type.PAKE;
        this.step = step;
        this.payload = payload;
        return this;
    }

    /**
     * Makes this a sealed message; the codec seals {@code plaintext} (position to limit) into the frame.
     *
     * @param kind        a {@link Kind}.
     * @param flags       {@code ChunkFlags} bits.
     * @param fileIndex   index of the file in the manifest, or -1.
     * @param chunkIndex  index of the chunk in its file, or of the part in a multi-part message.
     * @param plainLength length before compression (equals the plaintext's remaining bytes when not compressed).
     * @param plaintext   bytes to seal; read during the send call, position unchanged.
     * @return this.
     */
    public TransferMessage sealed(final byte kind, final byte flags, final int fileIndex, final long chunkIndex,
        final int plainLength, final ByteBuffer plaintext)
    {
        this.type = Type.SEALED;
        this.kind = kind;
        this.flags = flags;
        this.fileIndex = fileIndex;
        this.chunkIndex = chunkIndex;
        this.plainLength = plainLength;
        this.plaintext = plaintext;
        return this;
    }

    /**
     * Makes this an abort.
     *
     * @param code   a failure code.
     * @param reason for humans; at most 1024 characters are sent.
     * @return this.
     */
    public TransferMessage abort(final int code, final String reason)
    {
        this.type = Type.ABORT;
        this.code = code;
        this.reason = reason;
        return this;
    }

    /** @return which message this is. */
    public Type type()
    {
        return type;
    }

    /** @return hello: highest version. */
    public int maxVersion()
    {
        return maxVersion;
    }

    /** @return hello: lowest version. */
    public int minVersion()
    {
        return minVersion;
    }

    /** @return hello: true when it came from a sender. */
    public boolean fromSender()
    {
        return fromSender;
    }

    /** @return hello: capability bits. */
    public int capabilities()
    {
        return capabilities;
    }

    /** @return hello: cipher suite id. */
    public int cipherSuite()
    {
        return cipherSuite;
    }

    /** @return hello: checksum id. */
    public int checksum()
    {
        return checksum;
    }

    /** @return hello: choice flags. */
    public int helloFlags()
    {
        return helloFlags;
    }

    /** @return hello: chunk size. */
    public int chunkSize()
    {
        return chunkSize;
    }

    /** @return pake: step. */
    public int step()
    {
        return step;
    }

    /** @return pake: payload (a copy owned by the caller after decode). */
    public byte[] payload()
    {
        return payload;
    }

    /** @return sealed: kind. */
    public byte kind()
    {
        return kind;
    }

    /** @return sealed: flags. */
    public byte flags()
    {
        return flags;
    }

    /** @return sealed: file index. */
    public int fileIndex()
    {
        return fileIndex;
    }

    /** @return sealed: chunk or part index. */
    public long chunkIndex()
    {
        return chunkIndex;
    }

    /** @return sealed: sequence number (the nonce counter). */
    public long sequence()
    {
        return sequence;
    }

    /** @return sealed: plaintext length before compression. */
    public int plainLength()
    {
        return plainLength;
    }

    /** @return sealed, received: buffer holding the ciphertext and tag. */
    public DirectBuffer bodyBuffer()
    {
        return bodyBuffer;
    }

    /** @return sealed, received: offset of the ciphertext in {@link #bodyBuffer()}. */
    public int bodyOffset()
    {
        return bodyOffset;
    }

    /** @return sealed, received: ciphertext plus tag length. */
    public int bodyLength()
    {
        return bodyLength;
    }

    /** @return abort: code. */
    public int code()
    {
        return code;
    }

    /** @return abort: reason. */
    public String reason()
    {
        return reason;
    }

    @Override
    public String toString()
    {
        return switch (type)
        {
            case HELLO -> "Hello(v" + minVersion + ".." + maxVersion + (fromSender ? ", sender" : ", receiver") + ")";
            case PAKE -> "Pake(step " + step + ")";
            case SEALED -> "Sealed(" + Kind.name(kind) + ", file " + fileIndex + ", chunk " + chunkIndex +
                ", seq " + sequence + ")";
            case ABORT -> "Abort(" + code + ": " + reason + ")";
        };
    }
}
