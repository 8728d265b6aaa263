package io.jpod.webconsole.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
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

    private InitialPassword initial() {
        return new InitialPassword(tmp.getRoot().toPath().resolve("data/webconsole"));
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

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
        String pw = ConsoleCredentials.ensureInFile(f, initial(), "8090");
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
        assertNull(ConsoleCredentials.ensureInFile(f, initial(), "8090"));
        assertEquals("username = ops\npassword = chosen\n", Files.readString(f));
        Path g = tmp.getRoot().toPath().resolve("other.cfg");
        ConsoleCredentials.ensureInFile(g, initial(), "8090");
        assertNull("the second start finds the generated one", ConsoleCredentials.ensureInFile(g, initial(), "8090"));
    }

    @Test
    public void anEmptyPasswordIsReplacedAndTheOperatorsLinesKept() throws Exception {
        Path f = tmp.getRoot().toPath().resolve("io.jpod.webconsole.cfg");
        Files.writeString(f, "# mine\nusername = ops\npassword =\n");
        String pw = ConsoleCredentials.ensureInFile(f, initial(), "8090");
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

    @Test
    public void theGeneratedPasswordIsNeverLoggedButWrittenToAnOwnerOnlyFile() throws Exception {
        Path f = tmp.getRoot().toPath().resolve("deploy/io.jpod.webconsole.cfg");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        String pw;
        // slf4j-simple writes to whatever System.err is at the time of the call
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            pw = ConsoleCredentials.ensureInFile(f, initial(), "8090");
        } finally {
            System.setErr(saved);
        }
        assertNotNull(pw);
        String log = err.toString(StandardCharsets.UTF_8);
        assertFalse("the log does not hold the password: " + log, log.contains(pw));
        Path secret = initial().file();
        assertTrue("the log says where the password is: " + log, log.contains(secret.toString()));
        assertTrue("and where its hash is: " + log, log.contains(f.toString()));
        assertEquals(pw + "\n", Files.readString(secret));
        assertEquals("rw-------", mode(secret));
        assertEquals("rwx------", mode(secret.getParent()));
        assertTrue("the file's password opens the console", Passwords.matches(load(f).getProperty("password"), Files.readString(secret).strip()));
    }

    @Test
    public void anExistingDirectoryIsClosedToOthers() throws Exception {
        Path dir = Files.createDirectories(tmp.getRoot().toPath().resolve("data/webconsole"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        ConsoleCredentials.ensureInFile(tmp.getRoot().toPath().resolve("io.jpod.webconsole.cfg"), initial(), "8090");
        assertEquals("rwx------", mode(dir));
        assertEquals("rw-------", mode(initial().file()));
    }

    @Test
    public void theInitialPasswordFileGoesOnceThePasswordIsAnotherOne() throws Exception {
        Path f = tmp.getRoot().toPath().resolve("io.jpod.webconsole.cfg");
        String pw = ConsoleCredentials.ensureInFile(f, initial(), "8090");
        assertNull(ConsoleCredentials.ensureInFile(f, initial(), "8090"));
        assertEquals("kept while it is the console's password", pw + "\n", Files.readString(initial().file()));
        Files.writeString(f, "username = admin\npassword = my own\n");
        assertNull(ConsoleCredentials.ensureInFile(f, initial(), "8090"));
        assertFalse("removed once the operator chose another", Files.exists(initial().file()));
    }
}
