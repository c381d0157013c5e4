package dev.hayate.transfer.files;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Seeded random mutations of valid manifests: decode must either accept (and then round-trip) or refuse with
 * {@link ManifestException}, never anything else. Run with {@code -Dhayate.fuzz.seed=N} to replay a failure and
 * {@code -Dhayate.fuzz.iterations=N} to run longer.
 */
class ManifestFuzzTest
{
    private static final int[] EDGE_INTS = {0, 1, -1, 0x7FFFFFFF, 0x80000000, 0xFFFF, 0x10000, 4096, 4097, 21, 22};

    @Test
    void shouldOnlyEverThrowManifestExceptionOnMutatedInput() throws ManifestException
    {
        final long seed = Long.getLong("hayate.fuzz.seed", System.nanoTime());
        final int iterations = Integer.getInteger("hayate.fuzz.iterations", 20_000);
        final List<byte[]> seeds = List.of(
            ManifestTest.rawEncode(List.of()),
            ManifestTest.rawEncode(List.of(ManifestTest.file("a.txt", 5))),
            ManifestTest.rawEncode(List.of(ManifestTest.directory("photos"), ManifestTest.directory("photos/2024"),
                ManifestTest.file("photos/2024/\u65e5\u672c.jpg", 1L << 33), ManifestTest.file("photos/x", 0),
                ManifestTest.directory("photos/empty"), ManifestTest.file("readme \uD83D\uDE00.md", 77))));
        final SplittableRandom random = new SplittableRandom(seed);
        final Manifest.Limits limits = new Manifest.Limits(1000, 4096, 1L << 40);
        int accepted = 0;
        for (int i = 0; i < iterations; i++)
        {
            final byte[] input = mutate(seeds.get(random.nextInt(seeds.size())), random);
            try
            {
                final Manifest manifest = Manifest.decode(input, 0, input.length, limits);
                accepted++;
                for (final ManifestEntry entry : manifest.entries())
                {
                    SafePaths.validate(entry.path());
                }
                final byte[] again = manifest.encode();
                assertEquals(manifest.entries(), Manifest.decode(again, 0, again.length, limits).entries());
            }
            catch (final ManifestException expected)
            {
                // The only acceptable refusal.
            }
            catch (final Throwable unexpected)
            {
                fail("seed " + seed + ", iteration " + i + ": " + unexpected + " on input " +
                    Arrays.toString(input), unexpected);
            }
        }
        System.out.println("ManifestFuzzTest seed " + seed + ": " + iterations + " inputs, " + accepted + " accepted");
    }

    private static byte[] mutate(final byte[] original, final SplittableRandom random)
    {
        byte[] bytes = original.clone();
        final int mutations = 1 + random.nextInt(4);
        for (int m = 0; m < mutations; m++)
        {
            switch (random.nextInt(7))
            {
                case 0:
                    if (bytes.length > 0)
                    {
                        bytes[random.nextInt(bytes.length)] ^= (byte)(1 << random.nextInt(8));
                    }
                    break;
                case 1:
                    if (bytes.length > 0)
                    {
                        bytes[random.nextInt(bytes.length)] = (byte)random.nextInt(256);
                    }
                    break;
                case 2:
                    bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
                    break;
                case 3:
                    if (bytes.length >= 4)
                    {
                        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(random.nextInt(bytes.length - 3),
                            EDGE_INTS[random.nextInt(EDGE_INTS.length)]);
                    }
                    break;
                case 4:
                    if (bytes.length >= 2)
                    {
                        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putShort(
                            random.nextInt(bytes.length - 1), (short)EDGE_INTS[random.nextInt(EDGE_INTS.length)]);
                    }
                    break;
                case 5:
                {
                    final int at = random.nextInt(bytes.length + 1);
                    final byte[] inserted = new byte[1 + random.nextInt(8)];
                    for (int k = 0; k < inserted.length; k++)
                    {
                        inserted[k] = (byte)random.nextInt(256);
                    }
                    final byte[] grown = new byte[bytes.length + inserted.length];
                    System.arraycopy(bytes, 0, grown, 0, at);
                    System.arraycopy(inserted, 0, grown, at, inserted.length);
                    System.arraycopy(bytes, at, grown, at + inserted.length, bytes.length - at);
                    bytes = grown;
                    break;
                }
                default:
                    if (bytes.length > 8)
                    {
                        // Replace a byte with one that makes paths hostile: '/', '.', '\\', NUL, ':'.
                        final byte[] nasty = {'/', '.', '\\', 0, ':', (byte)0xE2, (byte)0x80, (byte)0xAE};
                        bytes[8 + random.nextInt(bytes.length - 8)] = nasty[random.nextInt(nasty.length)];
                    }
                    break;
            }
        }
        return bytes;
    }
}
