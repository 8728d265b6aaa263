package io.jpod.state.mapdb.internal;

import static io.jpod.state.memory.internal.AbstractStateContractTest.ctr;
import static io.jpod.state.memory.internal.AbstractStateContractTest.id;
import static io.jpod.state.memory.internal.AbstractStateContractTest.pod;
import static io.jpod.state.memory.internal.AbstractStateContractTest.vol;
import static io.jpod.state.memory.internal.AbstractStateContractTest.volMount;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.junit.Assume.assumeFalse;

import io.jpod.api.Container;
import io.jpod.api.ContainerStatus;
import io.jpod.api.DBConfig;
import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.spi.state.State;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** What only a file-backed state does: survive close, crashes, other processes and bad directories. */
public class MapdbDurabilityTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private final List<Process> children = new ArrayList<>();

    @After
    public void killChildren() throws Exception {
        for (Process p : children) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private State open(Path dir) {
        return new MapdbStateProvider(Duration.ofSeconds(2)).open(MapdbStateTest.context(dir));
    }

    private Process child(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Child.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(tmp.newFile().toPath().toFile()).start();
        children.add(p);
        return p;
    }

    @Test
    public void everythingSurvivesCloseAndReopen() throws Exception {
        Path dir = tmp.newFolder("static").toPath();
        DBConfig cfg = new DBConfig(dir.toString(), "/run/jpod", "/g", "/r", "overlay", "/v");
        Container a = ctr("aa", "a", "", id("dd"), volMount("data"));
        Container b = ctr("bb", "b", "ns1", null);
        try (State s = open(dir)) {
            s.validateDBConfig(cfg);
            s.addPod(pod("dd", "p"));
            s.addContainer(a);
            s.addContainer(b);
            s.saveContainer(a.withState(a.state().withStatus(ContainerStatus.RUNNING).withProcess(5, 4)
                    .withStarted(Instant.parse("2026-05-06T07:08:09.5Z"))));
            s.addVolume(vol("data").withMountCount(1));
            s.addVolume(vol("gone"));
            s.removeVolume("gone");
            s.addContainerExitCode(id("ee"), 42);
        }
        try (State s = open(dir)) {
            assertEquals(cfg, s.dbConfig());
            assertEquals(2, s.allContainers().size());
            assertEquals(ContainerStatus.RUNNING, s.container(a.id()).state().status());
            assertEquals(Instant.parse("2026-05-06T07:08:09.5Z"), s.container(a.id()).state().startedAt());
            assertEquals(a.config(), s.container(a.id()).config());
            assertEquals(b, s.lookupContainer("b"));
            assertEquals(Set.of(a.id()), s.podContainers(id("dd")));
            assertEquals(List.of(a.id()), s.volumeInUse("data"));
            assertEquals(1, s.volume("data").mountCount());
            assertFalse(s.hasVolume("gone"));
            assertEquals(OptionalInt.of(42), s.containerExitCode(id("ee")));
            expectCode(ErrorCode.CTR_EXISTS, () -> s.addContainer(ctr("ff", "a")));
            expectCode(ErrorCode.CTR_IN_USE, () -> s.removePod(id("dd")));
            s.refresh();
        }
        try (State s = open(dir)) {
            assertEquals(ContainerStatus.EXITED, s.container(a.id()).state().status());
            assertEquals(0, s.volume("data").mountCount());
            expectCode(ErrorCode.DB_BAD_CONFIG, () -> s.validateDBConfig(new DBConfig("/elsewhere", "/run/jpod", "/g",
                    "/r", "overlay", "/v")));
        }
    }

    @Test
    public void killedWriterLosesNothingThatWasCommitted() throws Exception {
        for (int killAfter : new int[] {3, 150}) {
            killWriterAfter(killAfter);
        }
    }

    private void killWriterAfter(int killAfter) throws Exception {
        Path dir = tmp.newFolder().toPath().resolve("static");
        Process p = child("add", dir.toString(), "100000");
        List<String> committed = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                committed.add(line);
                if (committed.size() == killAfter) {
                    p.destroyForcibly(); // SIGKILL, in the middle of the next add
                    break;
                }
            }
        }
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals("the child should have been killed, not have finished", killAfter, committed.size());
        try (State s = open(dir)) {
            Set<String> stored = new java.util.HashSet<>();
            s.allContainers().forEach(c -> stored.add(c.id()));
            for (String id : committed) {
                assertTrue("container " + id + " was committed but is missing after the crash", stored.contains(id));
            }
            // the state is usable after the crash
            s.addContainer(ctr("ffff", "after-crash"));
        }
        try (State s = open(dir)) {
            assertTrue(s.hasContainer(id("ffff")));
        }
    }

    @Test
    public void secondProcessIsRefusedWithAClearMessage() throws Exception {
        Path dir = tmp.newFolder("static").toPath();
        Process holder = child("hold", dir.toString());
        BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("open", out.readLine());
        JpodException e = expectCode(ErrorCode.INTERNAL, () -> new MapdbStateProvider(Duration.ofMillis(500))
                .open(MapdbStateTest.context(dir)));
        assertTrue(e.getMessage(), e.getMessage().contains("in use by another jpod service"));
        assertTrue(e.getMessage(), e.getMessage().contains(dir.resolve("jpod.db").toString()));
        assertTrue(e.getMessage(), e.getMessage().contains("static_dir"));
        // the lock dies with its process
        holder.destroyForcibly();
        holder.waitFor(10, TimeUnit.SECONDS);
        try (State s = open(dir)) {
            assertTrue(s.allContainers().isEmpty());
        }
    }

    @Test
    public void secondOpenInTheSameProcessWaitsForTheFirstToClose() throws Exception {
        Path dir = tmp.newFolder("static").toPath();
        State first = open(dir);
        JpodException e = expectCode(ErrorCode.INTERNAL, () -> new MapdbStateProvider(Duration.ofMillis(300))
                .open(MapdbStateTest.context(dir)));
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
        try (State second = new MapdbStateProvider(Duration.ofSeconds(10)).open(MapdbStateTest.context(dir))) {
            assertTrue(second.allContainers().isEmpty());
        }
        closer.join();
    }

    @Test
    public void staticDirThatCannotBeCreatedIsAClearError() throws Exception {
        File notADir = tmp.newFile("plain-file");
        Path dir = notADir.toPath().resolve("static");
        JpodException e = expectCode(ErrorCode.INTERNAL, () -> open(dir));
        assertTrue(e.getMessage(), e.getMessage().contains(dir.toString()) || e.getMessage().contains(notADir.toString()));
        assertTrue(e.getMessage(), e.getMessage().contains("Not a directory") || e.getMessage().contains("File exists"));
    }

    @Test
    public void unwritableStaticDirIsAClearError() throws Exception {
        assumeFalse("root writes everywhere", "root".equals(System.getProperty("user.name")));
        Path dir = tmp.newFolder("ro").toPath();
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            JpodException e = expectCode(ErrorCode.INTERNAL, () -> open(dir));
            assertTrue(e.getMessage(), e.getMessage().contains(dir.toString()));
            assertTrue(e.getMessage(), e.getMessage().contains("Permission denied"));
        } finally {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    public void damagedFileIsReportedAndKept() throws Exception {
        Path dir = tmp.newFolder("static").toPath();
        try (State s = open(dir)) {
            s.addContainer(ctr("aa", "a"));
        }
        Path file = dir.resolve("jpod.db");
        byte[] junk = new byte[(int) Math.max(Files.size(file), 4096)];
        new Random(1).nextBytes(junk);
        Files.write(file, junk);
        JpodException e = expectCode(ErrorCode.INTERNAL, () -> open(dir));
        assertTrue(e.getMessage(), e.getMessage().contains(file.toString()));
        assertTrue(e.getMessage(), e.getMessage().contains("cannot be read"));
        assertArrayEquals("the damaged file must be kept as it was", junk, Files.readAllBytes(file));
    }

    @Test
    public void garbageInsteadOfADatabaseIsReportedAndKept() throws Exception {
        Path dir = tmp.newFolder("static").toPath();
        Path file = dir.resolve("jpod.db");
        byte[] text = "this is not a database\n".getBytes(StandardCharsets.UTF_8);
        Files.write(file, text);
        JpodException e = expectCode(ErrorCode.INTERNAL, () -> open(dir));
        assertTrue(e.getMessage(), e.getMessage().contains(file.toString()));
        assertArrayEquals(text, Files.readAllBytes(file));
    }

    static JpodException expectCode(ErrorCode code, Runnable r) {
        try {
            r.run();
        } catch (JpodException e) {
            assertEquals(e.getMessage(), code, e.code());
            return e;
        }
        fail("expected JpodException " + code);
        return null;
    }
}
