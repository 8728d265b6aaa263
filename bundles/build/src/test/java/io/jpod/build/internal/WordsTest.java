package io.jpod.build.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import io.jpod.api.JpodException;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.Test;

public class WordsTest {
    private static final Map<String, String> VARS = Map.of("A", "alpha", "E", "", "P", "/usr/bin");
    private static final Function<String, String> V = VARS::get;

    private static String w(String s) {
        return Words.word(s, '\\', V);
    }

    @Test
    public void variables() {
        assertEquals("alpha", w("$A"));
        assertEquals("alpha-x", w("${A}-x"));
        assertEquals("/usr/bin:/bin", w("$P:/bin"));
        assertEquals("", w("$NOPE"));
        assertEquals("$", w("$"));
        assertEquals("a$ b", w("a$ b"));
    }

    @Test
    public void modifiers() {
        assertEquals("alpha", w("${A:-d}"));
        assertEquals("d", w("${NOPE:-d}"));
        assertEquals("d", w("${E:-d}"));
        assertEquals("", w("${E-d}"));
        assertEquals("set", w("${A:+set}"));
        assertEquals("", w("${NOPE:+set}"));
        assertEquals("", w("${E:+set}"));
        assertEquals("set", w("${E+set}"));
        assertEquals("x-alpha", w("${NOPE:-x-$A}"));
        JpodException e = assertThrows(JpodException.class, () -> w("${NOPE:?must be set}"));
        assertEquals("NOPE: must be set", e.getMessage());
    }

    @Test
    public void quotesAndEscapes() {
        assertEquals("$A", w("'$A'"));
        assertEquals("alpha b", w("\"$A b\""));
        assertEquals("$A", w("\\$A"));
        assertEquals("$A", w("\"\\$A\""));
        assertEquals("a\\b", w("\"a\\b\""));
        assertEquals("ab", w("a\\b"));
        assertEquals("$A", Words.word("`$A", '`', V));
    }

    @Test
    public void splitting() {
        assertEquals(List.of("a", "alpha b", "c"), Words.words("a \"$A b\"  c", '\\', V));
        assertEquals(List.of("a b", "c"), Words.words("a\\ b c", '\\', V));
        assertEquals(List.of("A=\"x y\"", "B=z"), Words.rawWords("A=\"x y\" B=z", '\\'));
        assertEquals(List.of("A=x\\ y"), Words.rawWords("A=x\\ y", '\\'));
    }

    @Test
    public void unterminatedQuotesAreErrors() {
        assertThrows(JpodException.class, () -> w("\"abc"));
        assertThrows(JpodException.class, () -> w("'abc"));
        assertThrows(JpodException.class, () -> w("${A"));
        assertThrows(JpodException.class, () -> w("${A%%x}"));
    }
}
