package io.jpod.runtime.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.jpod.api.HealthState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class HealthLogTest {
    private static final String ID = "a".repeat(64);

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void whatIsWrittenIsReadBackByANewLogRootOnly() throws Exception {
        Path dir = tmp.getRoot().toPath();
        Instant t = Instant.parse("2026-01-02T03:04:05.123456789Z");
        HealthState s = new HealthState(HealthState.UNHEALTHY, 4, List.of(
                new HealthState.Result(t, t.plusSeconds(1), 1, "line one\nline = two: \u00e9\\\n"),
                new HealthState.Result(t.plusSeconds(2), t.plusSeconds(3), -1, "")));
        new HealthLog(dir).write(ID, s);
        assertEquals(s, new HealthLog(dir).read(ID).orElseThrow());
        Path f = new HealthLog(dir).file(ID);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f.getParent())));
    }

    @Test
    public void nothingRecordedOrRemovedIsEmpty() {
        HealthLog log = new HealthLog(tmp.getRoot().toPath());
        assertFalse(log.read(ID).isPresent());
        log.write(ID, HealthState.starting());
        assertTrue(log.read(ID).isPresent());
        log.remove(ID);
        assertFalse(log.read(ID).isPresent());
        assertFalse(Files.exists(log.file(ID).getParent()));
    }

    @Test
    public void aFileThatIsNoHealthLogIsIgnored() throws Exception {
        HealthLog log = new HealthLog(tmp.getRoot().toPath());
        Path f = log.file(ID);
        Files.createDirectories(f.getParent());
        Files.writeString(f, "status=healthy\nfailingStreak=x\n");
        assertFalse(log.read(ID).isPresent());
        Files.writeString(f, "status=dead\n");
        assertFalse(log.read(ID).isPresent());
        Files.writeString(f, "status=healthy\nlog.0.start=yesterday\n");
        assertFalse(log.read(ID).isPresent());
    }

    @Test(expected = IllegalArgumentException.class)
    public void anIdThatIsNoContainersIsRefused() {
        new HealthLog(tmp.getRoot().toPath()).file("../../etc");
    }
}
