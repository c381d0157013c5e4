package dev.hayate.benchmarks.transfer;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One row of {@code bench transfer}: one implementation moving the file once (the best of {@code --runs}).
 *
 * @param impl            row name ({@code hayate}, {@code hayate-nocompress}, {@code raw-tcp}, {@code scp} ...)
 * @param seconds         first byte to verified end on the receiving side; NaN when skipped
 * @param bytes           file content moved
 * @param wireBytes       bytes the sender put on the wire for the content (hayate: frames after compression and
 *                        sealing), or -1 when not known
 * @param cpuSender       sender's CPU seconds, user + system, whole process
 * @param cpuReceiver     receiver's CPU seconds, user + system, whole process
 * @param cpuSenderXfer   sender's CPU seconds during the transfer only (NaN when not known)
 * @param cpuReceiverXfer receiver's CPU seconds during the transfer only (NaN when not known)
 * @param rssSender       sender's peak resident set, MiB
 * @param rssReceiver     receiver's peak resident set, MiB
 * @param finishSeconds   part of {@code seconds} spent after the last byte arrived (flush to disk, checksum,
 *                        rename), or NaN
 * @param note            why the row was skipped or failed, or null when it ran
 *
 * <p>Immutable and thread-safe.
 */
public record Row(String impl, double seconds, long bytes, long wireBytes, double cpuSender, double cpuReceiver,
                  double cpuSenderXfer, double cpuReceiverXfer, double rssSender, double rssReceiver,
                  double finishSeconds, String note) {
    /**
     * @param impl row name
     * @param note why it did not run
     * @return a row with no numbers
     */
    public static Row skipped(final String impl, final String note) {
        return new Row(impl, Double.NaN, 0, -1, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                Double.NaN, Double.NaN, note);
    }

    /**
     * @return whether the row has numbers
     */
    public boolean ran() {
        return note == null;
    }

    /**
     * @return 10^6 bytes of file content per second, NaN when skipped
     */
    public double mbPerS() {
        return ran() && seconds > 0 ? bytes / seconds / 1e6 : Double.NaN;
    }

    /**
     * @param sizeMib   the file size asked for
     * @param transport {@code tcp} or {@code quic}
     * @return the keys of the JSON line, in order
     */
    public Map<String, Object> toMap(final long sizeMib, final String transport) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("impl", impl);
        m.put("mb_per_s", mbPerS());
        m.put("cpu_s_sender", cpuSender);
        m.put("cpu_s_receiver", cpuReceiver);
        m.put("rss_mib_sender", rssSender);
        m.put("rss_mib_receiver", rssReceiver);
        m.put("size_mib", sizeMib);
        m.put("transport", transport);
        m.put("seconds", seconds);
        m.put("finish_s", finishSeconds);
        m.put("cpu_s_sender_xfer", cpuSenderXfer);
        m.put("cpu_s_receiver_xfer", cpuReceiverXfer);
        m.put("wire_bytes", wireBytes < 0 ? null : wireBytes);
        m.put("note", note);
        return m;
    }
}
