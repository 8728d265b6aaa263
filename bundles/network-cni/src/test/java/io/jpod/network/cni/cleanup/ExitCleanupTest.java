package io.jpod.network.cni.cleanup;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The exit command's entry point: what it refuses, what it does without a cache, and DEL from the cache. */
public class ExitCleanupTest {
    private static final String ID = "0123456789abcdef".repeat(4);
    private static final String OTHER = "fedcba9876543210".repeat(4);

    @Rule
    public final TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void anIdThatIsNotAFullContainerIdIsRefusedAndTouchesNothing() throws IOException {
        Path tmpDir = tmp.getRoot().toPath();
        Path theirs = cache(tmpDir, OTHER, "/nonexistent/ns");
        for (String bad : new String[] {null, "", "0123456789ab", ID.substring(1), ID + "0", ID.toUpperCase(),
                "*", ID.substring(0, 63) + "*", ID.substring(0, 63) + "g", "../" + ID.substring(3),
                ID.substring(0, 32) + "-" + ID.substring(33)}) {
            IllegalArgumentException e = assertThrows(String.valueOf(bad), IllegalArgumentException.class,
                    () -> ExitCleanup.teardown(bad, List.of(), null, tmpDir));
            assertTrue(e.getMessage(), e.getMessage().contains("is not a full container ID"));
        }
        assertTrue("another container's cache stays", Files.exists(theirs));
    }

    @Test
    public void withoutATmpDirOrPluginDirsItIsRefused() {
        assertThrows(NullPointerException.class, () -> ExitCleanup.teardown(ID, List.of(), null, null));
        assertThrows(NullPointerException.class, () -> ExitCleanup.teardown(ID, null, null,
                tmp.getRoot().toPath()));
    }

    @Test
    public void noCacheIsNothingToDo() throws IOException {
        Path tmpDir = tmp.getRoot().toPath();
        assertEquals(0, ExitCleanup.teardown(ID, List.of(), null, tmpDir));
        assertEquals(0, ExitCleanup.teardown(ID, List.of(), null, tmpDir.resolve("never-made")));
        assertFalse("nothing made", Files.exists(tmpDir.resolve("cni")));
        Files.createDirectories(tmpDir.resolve("cni/results"));
        assertEquals(0, ExitCleanup.teardown(ID, List.of(), tmpDir.resolve("net.d"), tmpDir));
        // a cache entry of another container is none of this one's
        Path theirs = cache(tmpDir, OTHER, "/nonexistent/ns");
        assertEquals(0, ExitCleanup.teardown(ID, List.of(), null, tmpDir));
        assertTrue(Files.exists(theirs));
    }

    @Test
    public void aCachedAttachmentIsDeletedWithItsCachedConfigAndTheCacheFileRemoved() throws IOException {
        Path tmpDir = tmp.getRoot().toPath();
        Path plugins = Files.createDirectories(tmpDir.resolve("plugins"));
        Path seen = tmpDir.resolve("seen");
        Path plugin = plugins.resolve("jpodfake");
        Files.writeString(plugin, "#!/bin/sh\necho \"$CNI_COMMAND $CNI_CONTAINERID $CNI_IFNAME [$CNI_NETNS]\" >> "
                + seen + "\ncat >/dev/null\n");
        Files.setPosixFilePermissions(plugin, PosixFilePermissions.fromString("rwx------"));
        Path mine = cache(tmpDir, ID, "/nonexistent/ns");
        Path theirs = cache(tmpDir, OTHER, "/nonexistent/ns");

        assertEquals(1, ExitCleanup.teardown(ID, List.of(plugins), null, tmpDir));
        // the cached namespace is gone: DEL is run without one, as the spec allows
        assertEquals(List.of("DEL " + ID + " eth0 []"), Files.readAllLines(seen));
        assertFalse(Files.exists(mine));
        assertTrue(Files.exists(theirs));
        // again: nothing left to do
        assertEquals(0, ExitCleanup.teardown(ID, List.of(plugins), null, tmpDir));
        assertEquals(1, Files.readAllLines(seen).size());
    }

    /** A result cache file as the backend writes it, of network "fakenet" with the one plugin "jpodfake". */
    private static Path cache(Path tmpDir, String id, String netns) throws IOException {
        Path f = tmpDir.resolve("cni/results/fakenet-" + id + "-eth0.json");
        Files.createDirectories(f.getParent());
        Files.writeString(f, """
                {"kind":"cniCacheV1","containerId":"%s","network":"fakenet","ifName":"eth0","netns":"%s",
                 "config":{"cniVersion":"1.0.0","name":"fakenet","plugins":[{"type":"jpodfake"}]},
                 "result":{"ips":[{"address":"10.93.9.2/24"}]}}
                """.formatted(id, netns));
        return f;
    }
}
