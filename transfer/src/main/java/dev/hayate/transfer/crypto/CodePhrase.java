package dev.hayate.transfer.crypto;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A short code phrase that two people exchange out of band to pair a transfer, for example
 * {@code 7-amber-falcon-river}: a number from 0 to 999 and three words from a curated list of 1024 short,
 * common, distinct English words ({@code words.txt} beside this class, one word per line).
 *
 * <p>The phrase never travels: both sides feed {@link #secret()} into a {@link PakeSession}, so an eavesdropper
 * learns nothing and an active attacker gets one online guess per session, which {@link #entropyBits()}
 * (about 39.9 bits) makes hopeless.
 *
 * <p>Thread-safety: immutable. The word list is loaded once, on first use of this class.
 */
public final class CodePhrase
{
    /** How many words the list holds; a power of two so every word carries exactly 10 bits. */
    public static final int WORD_COUNT = 1024;

    /** How many words a phrase holds after its number. */
    public static final int WORDS_PER_PHRASE = 3;

    /** The number prefix is in {@code [0, NUMBER_BOUND)}. */
    public static final int NUMBER_BOUND = 1000;

    private static final String WORD_RESOURCE = "words.txt";
    private static final List<String> WORDS;
    private static final Map<String, Integer> WORD_INDEX;

    static
    {
        final List<String> words = loadWords();
        final Map<String, Integer> index = new HashMap<>(words.size() * 2);
        for (int i = 0; i < words.size(); i++)
        {
            if (index.put(words.get(i), i) != null)
            {
                throw new IllegalStateException("duplicate word in " + WORD_RESOURCE + ": " + words.get(i));
            }
        }
        if (words.size() != WORD_COUNT)
        {
            throw new IllegalStateException(WORD_RESOURCE + " holds " + words.size() + " words, expected " + WORD_COUNT);
        }
        WORDS = Collections.unmodifiableList(words);
        WORD_INDEX = Collections.unmodifiableMap(index);
    }

    private final int number;
    private final int[] wordIndices;

    private CodePhrase(final int number, final int[] wordIndices)
    {
        this.number = number;
        this.wordIndices = wordIndices;
    }

    /**
     * Draws a fresh phrase.
     *
     * @param random the source of randomness; a {@link SecureRandom} because the phrase is a password.
     * @return a new phrase.
     */
    public static CodePhrase generate(final SecureRandom random)
    {
        Objects.requireNonNull(random, "random");
        final int[] indices = new int[WORDS_PER_PHRASE];
        for (int i = 0; i < WORDS_PER_PHRASE; i++)
        {
            indices[i] = random.nextInt(WORD_COUNT);
        }
        return new CodePhrase(random.nextInt(NUMBER_BOUND), indices);
    }

    /**
     * Reads a phrase typed by a person: surrounding white space is trimmed, letters are lower-cased, and the
     * parts may be separated by hyphens, spaces or both ({@code "7 Amber-falcon  river"} is accepted).
     *
     * @param text what the person typed.
     * @return the phrase.
     * @throws IllegalArgumentException naming what is wrong: a missing or extra part, a number outside 0–999,
     *                                  or a word that is not on the list.
     */
    public static CodePhrase parse(final String text)
    {
        Objects.requireNonNull(text, "text");
        final String normalised = text.trim().toLowerCase(Locale.ROOT);
        if (normalised.isEmpty())
        {
            throw new IllegalArgumentException("empty code phrase: expected <number>-<word>-<word>-<word>");
        }
        final String[] parts = normalised.split("[\\s\\-]+");
        if (parts.length != WORDS_PER_PHRASE + 1)
        {
            throw new IllegalArgumentException("code phrase has " + parts.length + " parts, expected "
                + (WORDS_PER_PHRASE + 1) + ": <number>-<word>-<word>-<word>");
        }
        final int number = parseNumber(parts[0]);
        final int[] indices = new int[WORDS_PER_PHRASE];
        for (int i = 0; i < WORDS_PER_PHRASE; i++)
        {
            final Integer index = WORD_INDEX.get(parts[i + 1]);
            if (index == null)
            {
                throw new IllegalArgumentException("unknown word in code phrase: '" + parts[i + 1] + "'");
            }
            indices[i] = index;
        }
        return new CodePhrase(number, indices);
    }

    /**
     * @return log2 of the number of distinct phrases: {@code log2(1000) + 3 * log2(1024)}, about 39.97.
     */
    public static double entropyBits()
    {
        return Math.log(NUMBER_BOUND) / Math.log(2) + WORDS_PER_PHRASE * (Math.log(WORD_COUNT) / Math.log(2));
    }

    /**
     * @return the word list, in file order (an unmodifiable view).
     */
    public static List<String> words()
    {
        return WORDS;
    }

    /**
     * @return the canonical UTF-8 bytes of {@link #toString()}: the PAKE password. A new array each call; the
     *         caller zeroes it when done.
     */
    public byte[] secret()
    {
        return toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The number part, the only part of a phrase that may ever be shown to the network (for example in a LAN
     * announcement, to let the right receiver find its sender): it carries under 10 of the phrase's bits, while
     * any value derived from the words would let an eavesdropper test guesses offline.
     *
     * @return the number part, 0–999.
     */
    public int number()
    {
        return number;
    }

    /**
     * @return the canonical form, {@code <number>-<word>-<word>-<word>} in lower case.
     */
    @Override
    public String toString()
    {
        final StringBuilder sb = new StringBuilder(32).append(number);
        for (final int index : wordIndices)
        {
            sb.append('-').append(WORDS.get(index));
        }
        return sb.toString();
    }

    /**
     * @param other another object.
     * @return true when it is a phrase with the same canonical form.
     */
    @Override
    public boolean equals(final Object other)
    {
        if (this == other)
        {
            return true;
        }
        if (!(other instanceof CodePhrase))
        {
            return false;
        }
        final CodePhrase that = (CodePhrase)other;
        return number == that.number && Arrays.equals(wordIndices, that.wordIndices);
    }

    /**
     * @return a hash of the canonical form.
     */
    @Override
    public int hashCode()
    {
        return 31 * number + Arrays.hashCode(wordIndices);
    }

    private static int parseNumber(final String part)
    {
        // At most three digits, so "007" is fine but an overflowing or signed number is refused plainly.
        if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9'))
        {
            throw new IllegalArgumentException("code phrase must start with a number from 0 to 999, got '" + part + "'");
        }
        return Integer.parseInt(part);
    }

    private static List<String> loadWords()
    {
        try (InputStream in = CodePhrase.class.getResourceAsStream(WORD_RESOURCE))
        {
            if (in == null)
            {
                throw new IllegalStateException("word list resource missing: " + WORD_RESOURCE);
            }
            final BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            final List<String> words = new ArrayList<>(WORD_COUNT);
            String line;
            while ((line = reader.readLine()) != null)
            {
                final String word = line.trim();
                if (!word.isEmpty())
                {
                    words.add(word);
                }
            }
            return words;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read word list " + WORD_RESOURCE, ex);
        }
    }
}
