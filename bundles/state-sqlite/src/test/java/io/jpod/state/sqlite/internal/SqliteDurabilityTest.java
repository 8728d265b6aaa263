package io.jpod.state.sqlite.internal;

import static io.jpod.state.memory.internal.AbstractStateContractTest.ctr;
import static io.jpod.state.memory.internal.AbstractStateContractTest.expect;
import static io.jpod.state.memory.internal.AbstractStateContractTest.id;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.spi.state.State;
import io.jpod.state.memory.internal.AbstractStateDurabilityTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.Test;

/** What only a file-backed state does, on SQLite: and its WAL, its closed state, a damaged page. */
public class SqliteDurabilityTest extends AbstractStateDurabilityTest {
    public SqliteDurabilityTest() {
        super(StateFiles.DB_FILE, Child.class);
    }

    @Override
    protected State open(Path dir, Duration lockWait) {
        return new SqliteStateProvider(lockWait).open(SqliteStateTest.context(dir));
    }

    @Override
    protected List<String> childJvmOptions() throws Exception {
        // a killed JVM leaves the native library sqlite-jdbc extracted: into a folder the test removes
        return List.of("-Dorg.sqlite.tmpdir=" + tmp.newFolder());
    }

    @Test
    public void databaseIsInWalModeAndReadableByItsOwnerOnly() throws Exception {
        Path dir = tmp.getRoot().toPath().resolve("made").resolve("static");
        Path file = dir.resolve(StateFiles.DB_FILE);
        try (State s = open(dir)) {
            s.addContainer(ctr("aa", "a"));
            Path wal = dir.resolve(StateFiles.DB_FILE + "-wal");
            assertTrue("a WAL file while open", Files.exists(wal));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(wal)));
            assertFalse("no shared-memory file in the exclusive locking mode",
                    Files.exists(dir.resolve(StateFiles.DB_FILE + "-shm")));
        }
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                dir.resolve(StateFiles.LOCK_FILE))));
        byte[] header = Files.readAllBytes(file);
        assertEquals("SQLite format 3", new String(header, 0, 15, StandardCharsets.US_ASCII));
        assertEquals("file format write version 2 is WAL", 2, header[18]);
        assertEquals("file format read version 2 is WAL", 2, header[19]);
        // a file another tool left readable is tightened when opened
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        try (State s = open(dir)) {
            assertTrue(s.hasContainer(id("aa")));
        }
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    public void closedStateSaysSo() throws Exception {
        Path dir = tmp.newFolder("static").toPath();
        State s = open(dir);
        s.close();
        s.close();
        JpodException e = expect(ErrorCode.DB_CLOSED, () -> s.allContainers());
        assertTrue(e.getMessage(), e.getMessage().contains(dir.resolve(StateFiles.DB_FILE).toString()));
        expect(ErrorCode.DB_CLOSED, () -> s.addContainer(ctr("aa", "a")));
    }

    @Test
    public void damagedPageBehindAGoodHeaderIsReportedAtOpenAndKept() throws Exception {
        Path dir = tmp.newFolder("static").toPath();
        try (State s = open(dir)) {
            for (int i = 0; i < 300; i++) {
                s.addContainer(ctr(String.format("c%07x", i), "ctr-" + i));
            }
        }
        Path file = dir.resolve(StateFiles.DB_FILE);
        assertFalse("closed, the WAL is checkpointed into the file", Files.exists(dir.resolve(StateFiles.DB_FILE + "-wal")));
        byte[] data = Files.readAllBytes(file);
        assertTrue("several pages: " + data.length, data.length > 16 * 4096);
        byte[] junk = new byte[4096 * 4];
        new Random(2).nextBytes(junk);
        // the last four pages: rows of the containers table, which opening the database does not read
        System.arraycopy(junk, 0, data, data.length - junk.length, junk.length);
        Files.write(file, data);
        JpodException e = expect(ErrorCode.INTERNAL, () -> open(dir));
        assertTrue(e.getMessage(), e.getMessage().contains(file.toString()));
        assertTrue(e.getMessage(), e.getMessage().contains("cannot be read"));
        assertArrayEquals("the damaged file must be kept as it was", data, Files.readAllBytes(file));
    }
}
