package io.jpod.state.mapdb.internal;

import static io.jpod.state.memory.internal.AbstractStateContractTest.ctr;
import static io.jpod.state.memory.internal.AbstractStateContractTest.expect;
import static io.jpod.state.memory.internal.AbstractStateContractTest.id;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.jpod.api.Container;
import io.jpod.api.ContainerConfig;
import io.jpod.api.ContainerState;
import io.jpod.api.ContainerStatus;
import io.jpod.api.DBConfig;
import io.jpod.api.ErrorCode;
import io.jpod.api.Mount;
import io.jpod.api.Pod;
import io.jpod.api.Volume;
import io.jpod.spi.state.State;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A database of format 1, as jpod wrote it before its state logic was split by resource (src/test/resources/format1),
 * opens with everything in it: the file format is what a user's upgrade depends on.
 */
public class MapdbFormatTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private Path copyOfFormat1() throws Exception {
        Path dir = tmp.newFolder("engine").toPath();
        for (String name : List.of("jpod.db", "jpod.db.p", "jpod.db.t")) {
            try (InputStream in = getClass().getResourceAsStream("/format1/" + name)) {
                Files.copy(in, dir.resolve(name));
            }
        }
        return dir;
    }

    private static State open(Path dir) {
        return new MapdbStateProvider(Duration.ofSeconds(2)).open(MapdbStateTest.context(dir));
    }

    @Test
    public void formatOneOpensWithEverythingInIt() throws Exception {
        Path dir = copyOfFormat1();
        ContainerConfig uno = ContainerConfig.builder().id(id("aa")).name("uno").namespace("").pod(id("dd")).lockId(1)
                .image("busybox").command(List.of("sh", "-c", "echo hi")).env(List.of("A=B")).labels(Map.of("k", "v"))
                .mounts(List.of(new Mount("volume", "data", "/data", List.of("rw"))))
                .created(Instant.parse("2026-01-02T03:04:05.123456789Z")).annotations(Map.of("a", "b"))
                .networks(List.of("jpod")).build();
        ContainerState running = ContainerState.configured().withStatus(ContainerStatus.RUNNING).withProcess(5, 4)
                .withStarted(Instant.parse("2026-05-06T07:08:09.5Z"));
        try (State s = open(dir)) {
            assertEquals(new DBConfig("/var/lib/jpod/engine", "/run/t", "/g", "/r", "vfs", "/v"), s.dbConfig());
            assertEquals(new Container(uno, running), s.lookupContainer("uno"));
            assertEquals(3, s.allContainers().size());
            assertEquals("ns1", s.lookupContainer("two").config().namespace());
            assertEquals(id("ac"), s.lookupContainer("three").id());
            assertFalse("removed before the file was written", s.hasContainer(id("ad")));

            Pod p1 = new Pod(id("dd"), "p1", "", 7, Map.of("l", "1"), Instant.parse("2026-01-02T03:04:05Z"), null);
            assertEquals(p1, s.lookupPod("p1"));
            assertEquals(12, s.lookupPod("p2b").lockId());
            assertEquals(Set.of(id("aa")), s.podContainers(id("dd")));
            assertEquals(Set.of(id("ab")), s.podContainers(id("de")));

            assertEquals(new Volume("data", "local", "/var/lib/jpod/volumes/data/_data", Map.of(), Map.of("o", "x"), "", 3,
                    Instant.parse("2026-01-02T03:04:05Z"), 0), s.volume("data"));
            assertEquals(2, s.volume("data2").mountCount());
            assertFalse(s.hasVolume("gone"));
            assertEquals(List.of(id("aa")), s.volumeInUse("data"));

            assertEquals(OptionalInt.of(42), s.containerExitCode(id("ad")));
            assertEquals(OptionalInt.of(0), s.containerExitCode(id("ae")));

            // the names it holds are taken, and it takes new records
            expect(ErrorCode.POD_EXISTS, () -> s.addContainer(ctr("ff", "p2b")));
            expect(ErrorCode.CTR_IN_USE, () -> s.removePod(id("dd")));
            s.addContainer(ctr("ff", "after-upgrade"));
        }
        try (State s = open(dir)) {
            assertTrue(s.hasContainer(id("ff")));
            assertEquals(4, s.allContainers().size());
        }
    }
}
