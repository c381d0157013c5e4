package dev.hayate.transfer.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class CodePhraseTest
{
    @Test
    void shouldLoadExactly1024DistinctLowerCaseWords()
    {
        final List<String> words = CodePhrase.words();
        assertEquals(1024, words.size());
        assertEquals(words.size(), new HashSet<>(words).size());
        for (final String word : words)
        {
            assertTrue(word.matches("[a-z]{3,8}"), word);
        }
    }

    @Test
    void shouldNotHoldAWordAndItsPlural()
    {
        final Set<String> words = new HashSet<>(CodePhrase.words());
        for (final String word : words)
        {
            assertTrue(!words.contains(word + "s") && !words.contains(word + "es"), word);
        }
    }

    @Test
    void shouldRoundTripGeneratedPhrases()
    {
        final SecureRandom random = new SecureRandom();
        for (int i = 0; i < 200; i++)
        {
            final CodePhrase code = CodePhrase.generate(random);
            assertTrue(code.toString().matches("[0-9]{1,3}(-[a-z]{3,8}){3}"), code.toString());
            assertEquals(code, CodePhrase.parse(code.toString()));
        }
    }

    @Test
    void shouldAcceptSpacesMixedCaseAndSurroundingWhiteSpace()
    {
        final CodePhrase code = CodePhrase.parse("  7 Amber-FALCON   river \n");
        assertEquals("7-amber-falcon-river", code.toString());
        assertEquals(7, code.number());
        assertEquals(CodePhrase.parse("007-amber-falcon-river"), code);
    }

    @Test
    void shouldRejectUnknownWordNamingIt()
    {
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> CodePhrase.parse("7-amber-falcon-xyzzy"));
        assertTrue(ex.getMessage().contains("xyzzy"), ex.getMessage());
    }

    @Test
    void shouldRejectBadNumberOrPartCount()
    {
        assertThrows(IllegalArgumentException.class, () -> CodePhrase.parse("1000-amber-falcon-river"));
        assertThrows(IllegalArgumentException.class, () -> CodePhrase.parse("-1-amber-falcon-river"));
        assertThrows(IllegalArgumentException.class, () -> CodePhrase.parse("x-amber-falcon-river"));
        assertThrows(IllegalArgumentException.class, () -> CodePhrase.parse("7-amber-falcon"));
        assertThrows(IllegalArgumentException.class, () -> CodePhrase.parse("7-amber-falcon-river-apple"));
        assertThrows(IllegalArgumentException.class, () -> CodePhrase.parse("   "));
    }

    @Test
    void shouldExposeCanonicalSecretAndEntropy()
    {
        final CodePhrase code = CodePhrase.parse("42 Apple Tiger Zebra");
        assertArrayEquals("42-apple-tiger-zebra".getBytes(StandardCharsets.UTF_8), code.secret());
        assertNotEquals(CodePhrase.parse("42-apple-tiger-zoom"), code);
        final double expected = Math.log(1000) / Math.log(2) + 30;
        assertEquals(expected, CodePhrase.entropyBits(), 1e-9);
        assertTrue(CodePhrase.entropyBits() > 39.9);
    }
}
