package io.jpod.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Two services of one install keep their bundles apart: the second does not wipe the first one's cache. */
public class FrameworkStorageTest {
    @Rule
    public final TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void theFirstTakesTheInstallsCacheAndAnotherOneOfItsOwn() throws Exception {
        Path cache = tmp.getRoot().toPath().resolve("data/cache");
        // what a service that is gone left: removed by the next owner of the install's cache
        Path stale = Files.createDirectories(tmp.getRoot().toPath().resolve("data/cache-2147483646"));
        Path alive = Files.createDirectories(tmp.getRoot().toPath().resolve("data/cache-" + ProcessHandle.current().pid()));
        assertEquals(cache, FrameworkStorage.choose(cache));
        assertFalse(Files.exists(stale));
        assertTrue("a running service's own cache stays", Files.exists(alive));
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(cache.resolveSibling("cache.lock"))));

        // the lock is held: another service (here, a second choice) gets a cache named by its process
        Path second = FrameworkStorage.choose(cache);
        assertEquals(cache.resolveSibling("cache-" + ProcessHandle.current().pid()), second);
    }
}
