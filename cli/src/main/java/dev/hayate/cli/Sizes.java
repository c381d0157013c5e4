package dev.hayate.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Byte sizes and rates as people type and read them: {@code 10MiB}, {@code 50MB}, {@code 1.5GiB}, {@code 800k}.
 *
 * <p>Thread-safety: stateless.
 */
final class Sizes
{
    private static final Pattern SIZE = Pattern.compile("\\s*([0-9]+(?:\\.[0-9]+)?)\\s*([kmgt]?)(i?)(b?)\\s*(/s)?\\s*",
        Pattern.CASE_INSENSITIVE);

    private Sizes()
    {
    }

    /**
     * @param text a size: a number, then an optional unit k/M/G/T (decimal) or KiB/MiB/GiB/TiB (binary), B optional.
     * @return bytes.
     * @throws IllegalArgumentException if it does not parse or is not positive.
     */
    static long parse(final String text)
    {
        final Matcher m = SIZE.matcher(text);
        if (!m.matches())
        {
            throw new IllegalArgumentException("not a size: '" + text + "' (try 10MiB or 50MB)");
        }
        final double number = Double.parseDouble(m.group(1));
        final boolean binary = !m.group(3).isEmpty();
        final int power = "kmgt".indexOf(m.group(2).toLowerCase(Locale.ROOT)) + 1;
        final double base = binary ? 1024 : 1000;
        final double bytes = number * Math.pow(base, power);
        if (bytes < 1 || bytes > Long.MAX_VALUE / 2)
        {
            throw new IllegalArgumentException("size out of range: '" + text + "'");
        }
        return (long)bytes;
    }

    /**
     * @param bytes a count.
     * @return it in binary units, e.g. {@code 1.5 GiB}.
     */
    static String format(final long bytes)
    {
        if (bytes < 1024)
        {
            return bytes + " B";
        }
        final String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1)
        {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, value >= 100 ? "%.0f %s" : "%.1f %s", value, units[unit]);
    }
}
