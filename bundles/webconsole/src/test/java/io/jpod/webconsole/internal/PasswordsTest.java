package io.jpod.webconsole.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class PasswordsTest {

    @Test
    public void aHashMatchesItsPasswordOnly() {
        String h = Passwords.hash("s3cret");
        assertTrue(Passwords.isHashed(h));
        assertFalse(h.contains("s3cret"));
        assertTrue(Passwords.matches(h, "s3cret"));
        assertFalse(Passwords.matches(h, "s3cret "));
        assertFalse(Passwords.matches(h, ""));
        assertNotEquals("salted: two hashes of one password differ", h, Passwords.hash("s3cret"));
    }

    @Test
    public void aPlainValueIsComparedAsIs() {
        assertFalse(Passwords.isHashed("plain"));
        assertTrue(Passwords.matches("plain", "plain"));
        assertFalse(Passwords.matches("plain", "Plain"));
    }

    @Test
    public void nothingMatchesAnEmptyOrBrokenValue() {
        assertFalse(Passwords.matches("", ""));
        assertFalse(Passwords.matches(null, "x"));
        assertFalse(Passwords.matches(Passwords.PREFIX + "x:y", "x"));
        assertFalse(Passwords.matches(Passwords.PREFIX + "0:AAAA:AAAA", "x"));
        assertFalse(Passwords.matches(Passwords.PREFIX + "10:!!:AAAA", "x"));
    }

    @Test
    public void generatedPasswordsAreLongAndDifferent() {
        String a = Passwords.generate();
        assertEquals(24, a.length());
        assertTrue(a.matches("[A-Za-z0-9_-]+"));
        assertNotEquals(a, Passwords.generate());
    }
}
