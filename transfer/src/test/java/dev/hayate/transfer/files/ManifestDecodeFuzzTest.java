package dev.hayate.transfer.files;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Locale;

import com.code_intelligence.jazzer.junit.FuzzTest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Jazzer target for {@link Manifest#decode}: arbitrary bytes either fail with the documented
 * {@link ManifestException} or decode to a manifest that is within the limits and whose every path is harmless by
 * rules written here independently of {@link SafePaths} — relative, no {@code ..}, {@code .} or empty component,
 * no backslash, drive letter, control or bidirectional-override character or lone surrogate, and resolving
 * strictly inside an output folder. An accepted manifest re-encodes to exactly the bytes it came from (the wire
 * form has one spelling), and decoding allocates in proportion to the input (a bound per input byte), never to a
 * claimed count.
 *
 * <p>The committed corpus in {@code ManifestDecodeFuzzTestInputs} starts from valid manifests and hostile
 * paths; plain {@code mvn test} replays it, {@code .ci/fuzz} fuzzes for a bounded time.
 *
 * <p>Thread-safety: a test; one thread.
 */
class ManifestDecodeFuzzTest
{
    private static final Manifest.Limits LIMITS = new Manifest.Limits(1000, SafePaths.MAX_PATH_BYTES, 1L << 40);
    private static final Path OUTPUT = Path.of("out").toAbsolutePath();
    /** While fuzzing, the coverage instrumentation allocates on this thread too. */
    private static final long ALLOCATION_SLACK = System.getenv("JAZZER_FUZZ") == null ? 64 * 1024 : 1024 * 1024;
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    @FuzzTest(maxDuration = "5m")
    void shouldNeverAcceptAHostilePathOrAnythingOutOfBounds(final byte[] input)
    {
        // Measured on a second decode of the same input: the first may load classes for its paths, once per JVM.
        decodeOrNull(input);
        final long before = THREADS.getCurrentThreadAllocatedBytes();
        final Manifest manifest = decodeOrNull(input);
        final long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        // Linear in the input: paths become strings, and a refusal escapes each byte of the path it quotes (about
        // 2 KB per byte with the instrumentation on). Anything sized from a claimed count (up to 2^31) would be more.
        final long bound = ALLOCATION_SLACK + 4096L * input.length;
        assertTrue(allocated <= bound, () -> "decoding " + input.length + " bytes allocated " + allocated);
        if (null == manifest)
        {
            return;
        }

        assertTrue(manifest.size() <= LIMITS.maxEntries(), "more entries than the limit");
        assertTrue(manifest.totalBytes() >= 0 && manifest.totalBytes() <= LIMITS.maxTotalBytes(), "total size");
        for (final ManifestEntry entry : manifest.entries())
        {
            assertHarmless(entry.path());
            assertTrue(entry.size() >= 0 && (entry.isFile() || entry.size() == 0), () -> "size of " + entry);
            assertTrue(entry.mode() >= 0 && entry.mode() <= 0777, () -> "mode of " + entry);
        }
        assertArrayEquals(input, manifest.encode(), "an accepted manifest must re-encode to its own bytes");
    }

    private static Manifest decodeOrNull(final byte[] input)
    {
        try
        {
            return Manifest.decode(input, 0, input.length, LIMITS);
        }
        catch (final ManifestException refused)
        {
            assertNotNull(refused.getMessage(), "a refusal says why");
            return null;
        }
    }

    private static void assertHarmless(final String path)
    {
        assertTrue(!path.isEmpty() && path.charAt(0) != '/', () -> "not relative: " + escaped(path));
        assertTrue(path.indexOf('\\') < 0, () -> "backslash: " + escaped(path));
        assertTrue(!(path.length() >= 2 && path.charAt(1) == ':' && Character.isLetter(path.charAt(0))),
            () -> "drive letter: " + escaped(path));
        for (int i = 0; i < path.length(); i++)
        {
            final char c = path.charAt(i);
            if (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0) || (c >= 0x202A && c <= 0x202E) ||
                (c >= 0x2066 && c <= 0x2069))
            {
                fail("control or bidi character U+" + Integer.toHexString(c).toUpperCase(Locale.ROOT) + " in " +
                    escaped(path));
            }
            if (Character.isHighSurrogate(c) && i + 1 < path.length() && Character.isLowSurrogate(path.charAt(i + 1)))
            {
                i++;
            }
            else if (Character.isSurrogate(c))
            {
                fail("lone surrogate in " + escaped(path));
            }
        }
        for (final String component : path.split("/", -1))
        {
            assertTrue(!component.isEmpty() && !component.equals(".") && !component.equals(".."),
                () -> "component '" + component + "' in " + escaped(path));
        }
        final Path resolved = OUTPUT.resolve(path).normalize();
        assertTrue(resolved.startsWith(OUTPUT) && !resolved.equals(OUTPUT), () -> escaped(path) + " resolves to " +
            resolved + ", outside " + OUTPUT);
        assertEquals(OUTPUT.getNameCount() + path.split("/").length, resolved.getNameCount(),
            () -> escaped(path) + " does not keep its components");
    }

    private static String escaped(final String path)
    {
        final StringBuilder out = new StringBuilder("\"");
        path.codePoints().forEach(c -> out.append(c >= 0x20 && c < 0x7F ? Character.toString(c) :
            String.format("\\u{%X}", c)));
        return out.append('"').toString();
    }
}
