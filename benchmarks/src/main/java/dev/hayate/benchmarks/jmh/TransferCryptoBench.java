package dev.hayate.benchmarks.jmh;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import dev.hayate.transfer.crypto.ChecksumAlgorithm;
import dev.hayate.transfer.crypto.ChunkCompressor;
import dev.hayate.transfer.crypto.ChunkFlags;
import dev.hayate.transfer.crypto.ChunkHasher;
import dev.hayate.transfer.crypto.ChunkIntegrityException;
import dev.hayate.transfer.crypto.ChunkOpener;
import dev.hayate.transfer.crypto.ChunkSealer;
import dev.hayate.transfer.crypto.CipherSuite;
import dev.hayate.transfer.crypto.FrameKinds;
import dev.hayate.transfer.crypto.Role;
import dev.hayate.transfer.crypto.SessionKeys;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-chunk costs of the transfer engine's payload layer: AEAD seal and open of one chunk on direct or heap
 * buffers (both suites, 64 KiB and 1 MiB), LZ4 on text and on random data (a full attempt, and the adaptive state once it
 * has given up), and the chunk digests. The score is chunks per second: multiply by the chunk size for bytes per
 * second. Run with {@code -prof gc} to see the allocation per chunk.
 *
 * <pre>
 * ./hayate bench jmh TransferCryptoBench -prof gc
 * </pre>
 *
 * <p>Opening needs frames in sequence order, so the open benchmark cycles through a ring of frames sealed in
 * setup and takes a fresh opener each time the ring wraps; that opener's allocation is spread over the ring
 * ({@value #RING_BYTES} bytes of frames) and shows in its B/op.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
public class TransferCryptoBench
{
    static final int RING_BYTES = 32 * 1024 * 1024;

    /**
     * Keys, a sealer and a ring of sealed frames for one suite and chunk size.
     */
    @State(Scope.Thread)
    public static class Aead
    {
        /** The AEAD. */
        @Param({"AES_256_GCM", "CHACHA20_POLY1305"})
        public CipherSuite suite;

        /** Chunk size in bytes. */
        @Param({"65536", "1048576"})
        public int chunkSize;

        /** Direct or heap buffers: on JDK 17 the JDK's AEADs allocate more for direct buffers. */
        @Param({"direct", "heap"})
        public String buffers;

        SessionKeys receiverKeys;
        ChunkSealer sealer;
        ByteBuffer plaintext;
        ByteBuffer sealed;
        ByteBuffer[] ring;
        ByteBuffer opened;
        ChunkOpener opener;
        int next;

        /**
         * Derives keys from a fixed secret and seals the ring.
         */
        @Setup
        public void setUp()
        {
            final byte[] secret = new byte[32];
            new Random(1).nextBytes(secret);
            final byte[] context = "bench".getBytes(StandardCharsets.US_ASCII);
            final SessionKeys senderKeys = SessionKeys.fromSharedSecret(secret, context, Role.SENDER);
            receiverKeys = SessionKeys.fromSharedSecret(secret, context, Role.RECEIVER);
            sealer = senderKeys.sealer(suite);
            plaintext = allocate(chunkSize);
            final byte[] bytes = new byte[chunkSize];
            new Random(2).nextBytes(bytes);
            plaintext.put(bytes).flip();
            sealed = allocate(chunkSize + CipherSuite.TAG_LENGTH);
            opened = allocate(chunkSize);

            final ChunkSealer ringSealer = senderKeys.sealer(suite);
            ring = new ByteBuffer[Math.max(4, RING_BYTES / chunkSize)];
            for (int i = 0; i < ring.length; i++)
            {
                ring[i] = allocate(chunkSize + CipherSuite.TAG_LENGTH);
                plaintext.clear();
                ringSealer.seal(ringSealer.nextSequence(), FrameKinds.CHUNK, 0, i, ChunkFlags.NONE, plaintext, ring[i]);
                ring[i].flip();
            }
            plaintext.clear();
            opener = receiverKeys.opener(suite);
        }

        private ByteBuffer allocate(final int capacity)
        {
            return "heap".equals(buffers) ? ByteBuffer.allocate(capacity) : ByteBuffer.allocateDirect(capacity);
        }
    }

    /**
     * Text and random chunks for LZ4 and the digests.
     */
    @State(Scope.Thread)
    public static class Payload
    {
        /** Chunk size in bytes. */
        @Param({"65536"})
        public int chunkSize;

        ChunkCompressor compressor;
        ChunkCompressor.FileState gaveUp;
        ByteBuffer text;
        ByteBuffer random;
        ByteBuffer compressed;
        ChunkHasher xxh64;
        ChunkHasher sha256;
        byte[] digest;

        /**
         * Builds the chunks and an adaptive state that has already given up on random data.
         */
        @Setup
        public void setUp()
        {
            compressor = new ChunkCompressor();
            text = ByteBuffer.allocateDirect(chunkSize);
            final String[] words = {"the ", "quick ", "brown ", "fox ", "jumps ", "over ", "a ", "lazy ", "dog; ",
                "chunks ", "of ", "files ", "travel ", "sealed ", "and ", "compressed.\n"};
            final Random seeded = new Random(3);
            while (text.hasRemaining())
            {
                final byte[] word = words[seeded.nextInt(words.length)].getBytes(StandardCharsets.US_ASCII);
                text.put(word, 0, Math.min(word.length, text.remaining()));
            }
            text.flip();
            random = ByteBuffer.allocateDirect(chunkSize);
            final byte[] bytes = new byte[chunkSize];
            seeded.nextBytes(bytes);
            random.put(bytes).flip();
            compressed = ByteBuffer.allocateDirect(compressor.maxCompressedLength(chunkSize));
            gaveUp = compressor.newFileState("random.bin");
            for (int i = 0; i < ChunkCompressor.MAX_CONSECUTIVE_MISSES; i++)
            {
                compressed.clear();
                compressor.compress(gaveUp, random.duplicate(), compressed);
            }
            xxh64 = ChecksumAlgorithm.XXH64.newChunkHasher();
            sha256 = ChecksumAlgorithm.SHA256.newChunkHasher();
            digest = new byte[32];
        }
    }

    /**
     * @param state the sealer and buffers.
     * @return bytes written.
     */
    @Benchmark
    public int seal(final Aead state)
    {
        state.plaintext.clear();
        state.sealed.clear();
        return state.sealer.seal(state.sealer.nextSequence(), FrameKinds.CHUNK, 0, 0, ChunkFlags.NONE,
            state.plaintext, state.sealed);
    }

    /**
     * @param state the ring of sealed frames and the opener.
     * @return plaintext bytes.
     * @throws ChunkIntegrityException never: the frames are authentic and in order.
     */
    @Benchmark
    public int open(final Aead state) throws ChunkIntegrityException
    {
        if (state.next == state.ring.length)
        {
            state.next = 0;
            state.opener = state.receiverKeys.opener(state.suite);
        }
        final int i = state.next++;
        final ByteBuffer frame = state.ring[i];
        frame.rewind();
        state.opened.clear();
        return state.opener.open(i, FrameKinds.CHUNK, 0, i, ChunkFlags.NONE, frame, state.opened);
    }

    /**
     * @param state the chunks.
     * @return the compressed length.
     */
    @Benchmark
    public int compressText(final Payload state)
    {
        state.text.rewind();
        state.compressed.clear();
        return state.compressor.compress(state.text, state.compressed);
    }

    /**
     * @param state the chunks.
     * @return -1: random data does not compress.
     */
    @Benchmark
    public int compressRandomAttempt(final Payload state)
    {
        state.random.rewind();
        state.compressed.clear();
        return state.compressor.compress(state.random, state.compressed);
    }

    /**
     * @param state the chunks.
     * @return -1 at once: the file's adaptive state has given up.
     */
    @Benchmark
    public int compressRandomAdaptive(final Payload state)
    {
        state.random.rewind();
        state.compressed.clear();
        return state.compressor.compress(state.gaveUp, state.random, state.compressed);
    }

    /**
     * @param state the chunks.
     * @return the first digest byte.
     */
    @Benchmark
    public byte xxh64(final Payload state)
    {
        state.xxh64.digest(state.random, state.digest, 0);
        return state.digest[0];
    }

    /**
     * @param state the chunks.
     * @return the first digest byte.
     */
    @Benchmark
    public byte sha256(final Payload state)
    {
        state.sha256.digest(state.random, state.digest, 0);
        return state.digest[0];
    }
}
