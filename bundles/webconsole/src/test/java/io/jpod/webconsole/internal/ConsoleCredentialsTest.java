package io.jpod.webconsole.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class ConsoleCredentialsTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static Properties load(Path f) throws Exception {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(f)) {
            p.load(r);
        }
        return p;
    }

    @Test
    public void theFirstStartGeneratesAPasswordAndStoresOnlyItsHash() throws Exception {
        Path f = tmp.getRoot().toPath().resolve("deploy/io.jpod.webconsole.cfg");
        String pw = ConsoleCredentials.ensureInFile(f);
        assertNotNull(pw);
        String content = Files.readString(f);
        assertFalse("the password itself is not stored", content.contains(pw));
        Properties p = load(f);
        assertEquals("admin", p.getProperty("username"));
        assertTrue(Passwords.matches(p.getProperty("password"), pw));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
    }

    @Test
    public void aStoredPasswordIsKeptAndNothingIsLoggedAgain() throws Exception {
        Path f = tmp.getRoot().toPath().resolve("io.jpod.webconsole.cfg");
        Files.writeString(f, "username = ops\npassword = chosen\n");
        assertNull(ConsoleCredentials.ensureInFile(f));
        assertEquals("username = ops\npassword = chosen\n", Files.readString(f));
        Path g = tmp.getRoot().toPath().resolve("other.cfg");
        ConsoleCredentials.ensureInFile(g);
        assertNull("the second start finds the generated one", ConsoleCredentials.ensureInFile(g));
    }

    @Test
    public void anEmptyPasswordIsReplacedAndTheOperatorsLinesKept() throws Exception {
        Path f = tmp.getRoot().toPath().resolve("io.jpod.webconsole.cfg");
        Files.writeString(f, "# mine\nusername = ops\npassword =\n");
        String pw = ConsoleCredentials.ensureInFile(f);
        assertNotNull(pw);
        Properties p = load(f);
        assertEquals("ops", p.getProperty("username"));
        assertTrue(Passwords.matches(p.getProperty("password"), pw));
        assertTrue(Files.readString(f).startsWith("# mine\n"));
    }

    @Test
    public void theHashTakesThePlainPasswordsPlaceInOneWholeWrite() throws Exception {
        Path f = tmp.getRoot().toPath().resolve("io.jpod.webconsole.cfg");
        Files.writeString(f, "# mine\nusername = ops\npassword = plain-secret\npasswordHint = kept\n");
        String hash = Passwords.hash("plain-secret");
        assertTrue(ConsoleCredentials.replacePassword(f, "plain-secret", hash));
        String content = Files.readString(f);
        assertFalse("the plain password is gone", content.contains("plain-secret"));
        Properties p = load(f);
        assertEquals("ops", p.getProperty("username"));
        assertEquals(hash, p.getProperty("password"));
        assertEquals("a key that only starts alike stays", "kept", p.getProperty("passwordHint"));
        assertTrue(content.startsWith("# mine\n"));
        assertEquals("no temporary file is left beside it", 1, tmp.getRoot().list().length);
        assertFalse("the hash is there already", ConsoleCredentials.replacePassword(f, "plain-secret", Passwords.hash("x")));
        Files.writeString(f, "password = newer\n");
        assertFalse("a newer password is not overwritten", ConsoleCredentials.replacePassword(f, "plain-secret", hash));
        assertEquals("password = newer\n", Files.readString(f));
    }
}
