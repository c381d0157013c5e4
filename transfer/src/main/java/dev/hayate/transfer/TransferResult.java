package dev.hayate.transfer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What a completed transfer moved. Every file listed matched its whole-file checksum on both sides.
 *
 * @param files         one entry per file, in manifest order.
 * @param directories   directories created (receiver) or offered (sender), relative paths.
 * @param bytes         bytes of file content in the offer.
 * @param bytesResumed  bytes that were already at the receiver and were not sent again.
 * @param bytesOnWire   frame bytes sent for the file content (after compression, with seal overhead).
 * @param elapsed       from connecting to done.
 * @param negotiated    cipher suite, checksum, chunk size and options in force.
 */
public record TransferResult(List<FileResult> files, List<String> directories, long bytes, long bytesResumed,
    long bytesOnWire, Duration elapsed, Negotiated negotiated)
{
    /**
     * One file.
     *
     * @param path     relative path as in the manifest.
     * @param location where it is: the source (sender) or the final target (receiver).
     * @param size     bytes.
     * @param checksum whole-file checksum, lower-case hex (see {@code ChecksumAlgorithm} for its definition).
     * @param resumed  bytes that were not sent again.
     */
    public record FileResult(String path, Path location, long size, String checksum, long resumed)
    {
    }

    /** @return bytes per second of file content over the elapsed time. */
    public double bytesPerSecond()
    {
        final double seconds = elapsed.toNanos() / 1e9;
        return seconds <= 0 ? 0 : (bytes - bytesResumed) / seconds;
    }
}
