package io.jpod.state.mapdb.internal;

import static io.jpod.state.memory.internal.AbstractStateContractTest.expect;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeFalse;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.spi.state.State;
import io.jpod.state.memory.internal.AbstractStateDurabilityTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.Test;

/** What only a file-backed state does, on MapDB: and a second open in one process, an unwritable directory. */
public class MapdbDurabilityTest extends AbstractStateDurabilityTest {
    public MapdbDurabilityTest() {
        super(MapdbStore.DB_FILE, Child.class);
    }

    @Override
    protected State open(Path dir, Duration lockWait) {
        return new MapdbStateProvider(lockWait).open(MapdbStateTest.context(dir));
    }

    @Test
    public void secondOpenInTheSameProcessWaitsForTheFirstToClose() throws Exception {
        Path dir = tmp.newFolder("static").toPath();
        State first = open(dir);
        JpodException e = expect(ErrorCode.INTERNAL, () -> open(dir, Duration.ofMillis(300)));
        assertTrue(e.getMessage(), e.getMessage().contains("in use"));
        Thread closer = new Thread(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
            first.close();
        });
        closer.start();
        try (State second = open(dir, Duration.ofSeconds(10))) {
            assertTrue(second.allContainers().isEmpty());
        }
        closer.join();
    }

    @Test
    public void unwritableStaticDirIsAClearError() throws Exception {
        assumeFalse("root writes everywhere", "root".equals(System.getProperty("user.name")));
        Path dir = tmp.newFolder("ro").toPath();
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            JpodException e = expect(ErrorCode.INTERNAL, () -> open(dir));
            assertTrue(e.getMessage(), e.getMessage().contains(dir.toString()));
            assertTrue(e.getMessage(), e.getMessage().contains("Permission denied"));
        } finally {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }
}
