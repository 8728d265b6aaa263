package io.jpod.webconsole.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.Test;

public class BasicLoginTest {
    private static String basic(String userColonPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userColonPassword.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    public void theHeaderGivesUserAndPasswordWithColonsKeptInThePassword() {
        assertArrayEquals(new String[] {"admin", "a:b c"}, BasicLogin.credentials(basic("admin:a:b c")));
        assertArrayEquals("the scheme is case-insensitive", new String[] {"ops", "pw"},
                BasicLogin.credentials("  basic " + basic("ops:pw").substring(6) + " "));
        assertArrayEquals("UTF-8", new String[] {"jörg", "pässwörd"}, BasicLogin.credentials(basic("jörg:pässwörd")));
        assertArrayEquals("an empty password is a password", new String[] {"admin", ""}, BasicLogin.credentials(basic("admin:")));
    }

    @Test
    public void anythingElseGivesNone() {
        assertNull(BasicLogin.credentials(null));
        assertNull(BasicLogin.credentials(""));
        assertNull(BasicLogin.credentials("Basic"));
        assertNull(BasicLogin.credentials("Bearer " + basic("admin:pw").substring(6)));
        assertNull("no colon", BasicLogin.credentials(basic("adminpw")));
        assertNull("not base64", BasicLogin.credentials("Basic ***"));
    }
}
