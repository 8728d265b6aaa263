package io.jpod.state.mapdb.internal;

import static io.jpod.state.memory.internal.AbstractStateContractTest.ctr;
import static io.jpod.state.memory.internal.AbstractStateContractTest.id;
import static io.jpod.state.memory.internal.AbstractStateContractTest.pod;
import static io.jpod.state.memory.internal.AbstractStateContractTest.vol;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.jpod.spi.state.State;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The state database is root's alone, as podman's: its files 0600, the directories jpod makes for it 0700. */
public class MapdbFileModesTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static State open(Path dir) {
        return new MapdbStateProvider(Duration.ofSeconds(2)).open(MapdbStateTest.context(dir));
    }

    private static void fill(State s) {
        s.addPod(pod("dd", "p"));
        s.addContainer(ctr("aa", "a", "", id("dd")));
        s.addVolume(vol("data"));
        s.addContainerExitCode(id("ee"), 1);
    }

    /** Every path below {@code root} (itself included) with its mode, e.g. "static/jpod.db" = "rw-------". */
    private static Map<String, String> modes(Path root) throws IOException {
        Map<String, String> modes = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.toList()) {
                modes.put(root.getParent().relativize(p).toString(),
                        PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS)));
            }
        }
        return modes;
    }

    private static void assertMapdbFiles(Map<String, String> modes, String dir, String fileMode) {
        for (String name : List.of("jpod.db", "jpod.db.p", "jpod.db.t", "jpod.db.lock")) {
            assertEquals(modes.toString(), fileMode, modes.get(dir + "/" + name));
        }
    }

    @Test
    public void whatJpodMakesOnlyItsOwnerMayRead() throws Exception {
        Path made = tmp.getRoot().toPath().resolve("lib");
        Path dir = made.resolve("engine");
        try (State s = open(dir)) {
            fill(s);
            Map<String, String> open = modes(made);
            assertMapdbFiles(open, "lib/engine", "rw-------");
            assertEquals(open.toString(), "rwx------", open.get("lib"));
            assertEquals(open.toString(), "rwx------", open.get("lib/engine"));
            for (Map.Entry<String, String> e : open.entrySet()) {
                assertTrue(e.getKey() + " is " + e.getValue(), e.getValue().endsWith("------"));
            }
        }
        Map<String, String> closed = modes(made);
        for (Map.Entry<String, String> e : closed.entrySet()) {
            assertTrue(e.getKey() + " is " + e.getValue() + " after close", e.getValue().endsWith("------"));
        }
        assertMapdbFiles(closed, "lib/engine", "rw-------");
    }

    @Test
    public void filesOthersCouldReadAreTightenedOnOpen() throws Exception {
        Path dir = tmp.newFolder("engine").toPath();
        try (State s = open(dir)) {
            fill(s);
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
            }
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path foreign = Files.writeString(dir.resolve("notes.txt"), "not jpod's");
        Files.setPosixFilePermissions(foreign, PosixFilePermissions.fromString("rw-r--r--"));
        try (State s = open(dir)) {
            assertTrue(s.hasContainer(id("aa")));
            Map<String, String> modes = modes(dir);
            assertMapdbFiles(modes, "engine", "rw-------");
            assertEquals("a directory jpod did not make keeps its mode", "rwxr-xr-x", modes.get("engine"));
            assertEquals("a file not of the database keeps its mode", "rw-r--r--", modes.get("engine/notes.txt"));
        }
    }
}
