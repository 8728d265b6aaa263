package io.jpod.state.memory.internal;

import static io.jpod.state.memory.internal.AbstractStateContractTest.ctr;
import static io.jpod.state.memory.internal.AbstractStateContractTest.expect;
import static io.jpod.state.memory.internal.AbstractStateContractTest.id;
import static io.jpod.state.memory.internal.AbstractStateContractTest.pod;
import static io.jpod.state.memory.internal.AbstractStateContractTest.vol;
import static io.jpod.state.memory.internal.AbstractStateContractTest.volMount;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

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

/**
 * What every file-backed state does: survive close and SIGKILL, refuse a second process, report a directory it cannot
 * make and a damaged file (kept as it was). A store's own test adds what only it does.
 */
public abstract class AbstractStateDurabilityTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private final List<Process> children = new ArrayList<>();
    private final String dbFileName;
    private final Class<?> childClass;

    /**
     * @param dbFileName the database file's name in the static directory
     * @param childClass the test process's main class, which hands its arguments to {@link StateChild#run}
     */
    protected AbstractStateDurabilityTest(String dbFileName, Class<?> childClass) {
        this.dbFileName = dbFileName;
        this.childClass = childClass;
    }

    /** Opens the state in {@code staticDir}, waiting up to {@code lockWait} for its lock. */
    protected abstract State open(Path staticDir, Duration lockWait);

    /** The database file in {@code staticDir}. */
    protected Path dbFile(Path staticDir) {
        return staticDir.resolve(dbFileName);
    }

    /** JVM options of the test process. */
    protected List<String> childJvmOptions() throws Exception {
        return List.of();
    }

    @After
    public void killChildren() throws Exception {
        for (Process p : children) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    protected State open(Path dir) {
        return open(dir, Duration.ofSeconds(2));
    }

    protected Process child(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(childJvmOptions());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), childClass.getName()));
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
            assertEquals(List.of(a.id(), b.id()), s.allContainers().stream().map(Container::id).sorted().toList());
            assertEquals(ContainerStatus.RUNNING, s.container(a.id()).state().status());
            assertEquals(Instant.parse("2026-05-06T07:08:09.5Z"), s.container(a.id()).state().startedAt());
            assertEquals(a.config(), s.container(a.id()).config());
            assertEquals(b, s.lookupContainer("b"));
            assertEquals(Set.of(a.id()), s.podContainers(id("dd")));
            assertEquals(List.of(a.id()), s.volumeInUse("data"));
            assertEquals(1, s.volume("data").mountCount());
            assertFalse(s.hasVolume("gone"));
            assertEquals(OptionalInt.of(42), s.containerExitCode(id("ee")));
            expect(ErrorCode.CTR_EXISTS, () -> s.addContainer(ctr("ff", "a")));
            expect(ErrorCode.CTR_IN_USE, () -> s.removePod(id("dd")));
            s.refresh();
        }
        try (State s = open(dir)) {
            assertEquals(ContainerStatus.EXITED, s.container(a.id()).state().status());
            assertEquals(0, s.volume("data").mountCount());
            expect(ErrorCode.DB_BAD_CONFIG, () -> s.validateDBConfig(new DBConfig("/elsewhere", "/run/jpod", "/g",
                    "/r", "overlay", "/v")));
        }
    }

    @Test
    public void aRenameSurvivesReopen() throws Exception {
        Path dir = tmp.newFolder("static").toPath();
        Container a = ctr("aa", "before");
        try (State s = open(dir)) {
            s.addContainer(a);
            s.renameContainer(a.id(), "after");
        }
        try (State s = open(dir)) {
            assertEquals(a.id(), s.lookupContainer("after").id());
            assertEquals("after", s.container(a.id()).name());
            expect(ErrorCode.NO_SUCH_CTR, () -> s.lookupContainer("before"));
            // the old name was freed on disk too, the new one is held
            s.addContainer(ctr("bb", "before"));
            expect(ErrorCode.CTR_EXISTS, () -> s.addContainer(ctr("cc", "after")));
        }
    }

    @Test
    public void killedWriterLosesNothingThatWasAnswered() throws Exception {
        for (int killAfter : new int[] {2, 7, 300}) {
            killWriterAfter(killAfter);
        }
    }

    /** Kills (SIGKILL) a child after {@code killAfter} answered changes, then checks every one of them is stored. */
    private void killWriterAfter(int killAfter) throws Exception {
        Path dir = tmp.newFolder().toPath().resolve("static");
        Process p = child("changes", dir.toString(), "100000");
        List<String> answered = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                answered.add(line);
                if (answered.size() == killAfter) {
                    p.destroyForcibly(); // SIGKILL, in the middle of the next change
                    break;
                }
            }
        }
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals("the child should have been killed, not have finished", killAfter, answered.size());
        try (State s = open(dir)) {
            for (String line : answered) {
                String[] change = line.split(" ");
                String id = change[1];
                int i = Integer.parseInt(id.substring(1, 8), 16);
                assertTrue("container " + id + " was added but is missing after the kill", s.hasContainer(id));
                switch (change[0]) {
                    case "running" -> {
                        assertEquals(line, ContainerStatus.RUNNING, s.container(id).state().status());
                        assertEquals(line, 1000 + i, s.container(id).state().pid());
                    }
                    case "exit" -> assertEquals(line, OptionalInt.of(i % 256), s.containerExitCode(id));
                    default -> assertEquals("added", change[0]);
                }
            }
            // the state is usable after the kill
            s.addContainer(ctr("ffff", "after-kill"));
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
        JpodException e = expect(ErrorCode.INTERNAL, () -> open(dir, Duration.ofMillis(500)));
        assertTrue(e.getMessage(), e.getMessage().contains("in use by another jpod service"));
        assertTrue(e.getMessage(), e.getMessage().contains(dbFile(dir).toString()));
        assertTrue(e.getMessage(), e.getMessage().contains("static_dir"));
        // the lock dies with its process
        holder.destroyForcibly();
        holder.waitFor(10, TimeUnit.SECONDS);
        try (State s = open(dir)) {
            assertTrue(s.allContainers().isEmpty());
        }
    }

    @Test
    public void staticDirThatCannotBeCreatedIsAClearError() throws Exception {
        File notADir = tmp.newFile("plain-file");
        Path dir = notADir.toPath().resolve("static");
        JpodException e = expect(ErrorCode.INTERNAL, () -> open(dir));
        assertTrue(e.getMessage(), e.getMessage().contains(dir.toString()) || e.getMessage().contains(notADir.toString()));
        assertTrue(e.getMessage(), e.getMessage().contains("Not a directory") || e.getMessage().contains("File exists"));
    }

    @Test
    public void damagedFileIsReportedAndKept() throws Exception {
        Path dir = tmp.newFolder("static").toPath();
        try (State s = open(dir)) {
            s.addContainer(ctr("aa", "a"));
        }
        Path file = dbFile(dir);
        byte[] junk = new byte[(int) Math.max(Files.size(file), 4096)];
        new Random(1).nextBytes(junk);
        Files.write(file, junk);
        JpodException e = expect(ErrorCode.INTERNAL, () -> open(dir));
        assertTrue(e.getMessage(), e.getMessage().contains(file.toString()));
        assertTrue(e.getMessage(), e.getMessage().contains("cannot be read"));
        assertArrayEquals("the damaged file must be kept as it was", junk, Files.readAllBytes(file));
    }

    @Test
    public void garbageInsteadOfADatabaseIsReportedAndKept() throws Exception {
        Path dir = tmp.newFolder("static").toPath();
        Path file = dbFile(dir);
        byte[] text = "this is not a database, but a file of text long enough to be read as a header\n"
                .repeat(8).getBytes(StandardCharsets.UTF_8);
        Files.write(file, text);
        JpodException e = expect(ErrorCode.INTERNAL, () -> open(dir));
        assertTrue(e.getMessage(), e.getMessage().contains(file.toString()));
        assertTrue(e.getMessage(), e.getMessage().contains("cannot be read"));
        assertArrayEquals(text, Files.readAllBytes(file));
    }
}
