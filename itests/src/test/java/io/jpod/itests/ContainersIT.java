package io.jpod.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.jpod.api.Container;
import io.jpod.api.ContainerConfig;
import io.jpod.api.ContainerStatus;
import io.jpod.api.EngineSystem;
import io.jpod.api.ErrorCode;
import io.jpod.api.ImageInfo;
import io.jpod.api.Images;
import io.jpod.api.JpodException;
import io.jpod.api.Mount;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * Real containers: runc under conmon, a vfs root filesystem from an image imported from Debian's
 * busybox-static, state in MapDB. Network is the stand-in: these containers have none.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ContainersIT extends ItestSupport {

    private EngineServices engine;
    private Images images;

    private void startEngine() throws Exception {
        configure("mapdb", "shm", "file", "runc", "vfs", "", Map.of());
        engine = awaitEngine();
        images = images();
        Path root = busyboxRootfs(List.of("sh", "echo", "true", "false", "sleep", "cat", "id", "hostname", "env",
                "pwd"));
        Files.createDirectories(root.resolve("tmp"));
        ImageInfo img = importBusybox(root, "CMD [\"sh\"]", "ENV FROM_IMAGE=yes");
        assertEquals(List.of("localhost/busybox:latest"), img.names());
    }

    private Container run(ContainerConfig.Builder spec) throws Exception {
        // the stand-in network provider sets nothing up: these containers have only lo
        Container c = engine.containers().createContainer(images.withImageDefaults(spec.image("busybox").networkMode("none")
                .build()));
        engine.containers().start(c.id());
        return c;
    }

    @Test
    public void containersRunToTheirExitCodes() throws Exception {
        startEngine();
        Path out = dir.resolve("out");
        Files.createDirectories(out);
        Container c = run(ContainerConfig.builder().name("hello")
                .command(List.of("sh", "-c", "echo hello $FROM_IMAGE $MINE > /out/said; exit 3"))
                .env(List.of("MINE=mine"))
                .mounts(List.of(new Mount("bind", out.toString(), "/out", List.of("rbind", "rw")))));
        assertEquals(3, engine.containers().waitFor(c.id(), Set.of(), 50));
        assertEquals("hello yes mine", Files.readString(out.resolve("said")).trim());
        Container after = engine.containers().container("hello");
        assertEquals(ContainerStatus.EXITED, after.state().status());
        assertEquals(3, after.state().exitCode());

        // started again from exited, then removed
        engine.containers().start("hello");
        assertEquals(3, engine.containers().waitFor("hello", Set.of(), 50));
        engine.containers().removeContainer("hello", false);
        assertTrue(engine.containers().containers(null).isEmpty());
    }

    @Test
    public void stopKillsAfterTheTimeoutAndRunningContainersNeedForce() throws Exception {
        startEngine();
        Container c = run(ContainerConfig.builder().name("sleeper").command(List.of("sleep", "300")));
        assertEquals(ContainerStatus.RUNNING, engine.containers().container("sleeper").state().status());
        try {
            engine.containers().removeContainer("sleeper", false);
            fail("a running container is not removed without force");
        } catch (JpodException e) {
            assertEquals(ErrorCode.CTR_STATE_INVALID, e.code());
        }
        Container stopped = engine.containers().stop(c.id(), 1);
        assertEquals(ContainerStatus.EXITED, stopped.state().status());
        assertTrue("exit code " + stopped.state().exitCode(), stopped.state().exitCode() == 137
                || stopped.state().exitCode() == 143);
        engine.containers().removeContainer(c.id(), false);

        Container forced = run(ContainerConfig.builder().name("forced").command(List.of("sleep", "300")));
        engine.containers().removeContainer(forced.id(), true);
        assertTrue(engine.containers().containers(null).isEmpty());
        assertFalse("no conmon of this test is left", conmonsRunning(dir));
    }

    @Test
    public void exitsAreActedOnWithoutAClientAsking() throws Exception {
        startEngine();
        Container gone = run(ContainerConfig.builder().name("rm-by-itself").autoRemove(true)
                .command(List.of("true")));
        Container retried = run(ContainerConfig.builder().name("retried").restartPolicy("on-failure")
                .restartRetries(2).command(List.of("sh", "-c", "exit 1")));
        long end = System.currentTimeMillis() + TIMEOUT_MS;
        while (System.currentTimeMillis() < end && (!engine.containers().containers(c -> c.id().equals(gone.id())).isEmpty()
                || engine.containers().containers(c -> c.id().equals(retried.id()) && c.state().restartCount() == 2
                        && c.state().status() == ContainerStatus.EXITED).isEmpty())) {
            Thread.sleep(100);
        }
        assertTrue("--rm removed the container once it exited",
                engine.containers().containers(c -> c.id().equals(gone.id())).isEmpty());
        Container r = engine.containers().containers(c -> c.id().equals(retried.id())).get(0);
        assertEquals("on-failure:2 restarted it twice", 2, r.state().restartCount());
        assertEquals(ContainerStatus.EXITED, r.state().status());
        assertEquals(1, r.state().exitCode());
    }

    @Test
    public void logsHoldWhatTheContainerWrote() throws Exception {
        startEngine();
        Container c = run(ContainerConfig.builder().name("talker")
                .command(List.of("sh", "-c", "echo one; echo two >&2; echo three")));
        assertEquals(0, engine.containers().waitFor(c.id(), Set.of(), 50));
        List<io.jpod.api.LogLine> lines = engine.containers().logs("talker", 0, null);
        // conmon reads stdout and stderr from two pipes: order holds within a stream only
        assertEquals(List.of("one", "three"), lines.stream().filter(l -> l.stream().equals("stdout"))
                .map(io.jpod.api.LogLine::text).toList());
        assertEquals(List.of("two"), lines.stream().filter(l -> l.stream().equals("stderr"))
                .map(io.jpod.api.LogLine::text).toList());
        assertEquals(1, engine.containers().logs("talker", 1, null).size());
    }

    @Test
    public void autoRemovedContainersKeepTheirExitCodeForWait() throws Exception {
        startEngine();
        Container c = run(ContainerConfig.builder().name("gone").autoRemove(true)
                .command(List.of("sh", "-c", "exit 7")));
        assertEquals(7, engine.containers().waitFor(c.id(), Set.of(), 50));
        // the container is gone once its exit was seen
        long end = System.currentTimeMillis() + TIMEOUT_MS;
        while (!engine.containers().containers(x -> x.id().equals(c.id())).isEmpty() && System.currentTimeMillis() < end) {
            engine.containers().waitFor(c.id(), Set.of(), 50);
            Thread.sleep(50);
        }
        assertTrue(engine.containers().containers(x -> x.id().equals(c.id())).isEmpty());
        assertEquals(7, engine.containers().waitFor(c.id(), Set.of(), 50));
    }

    // ------------------------------------------------------------------ attach, exec, followed logs

    private static String text(java.io.ByteArrayOutputStream b) {
        return b.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static java.io.InputStream input(String s) {
        return new java.io.ByteArrayInputStream(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private Container created(ContainerConfig.Builder spec) {
        return engine.containers().createContainer(images.withImageDefaults(spec.image("busybox").networkMode("none").build()));
    }

    @Test
    public void attachBeforeStartGetsAllTheOutput() throws Exception {
        startEngine();
        Container c = created(ContainerConfig.builder().name("attached")
                .command(List.of("sh", "-c", "echo hello; echo oops >&2")));
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        // as docker run: attach, then start once attached; attach returns when the container's output ends
        engine.containers().attach("attached", new io.jpod.api.AttachStreams(null, out, err, () -> engine.containers().start(c.id())));
        assertEquals("hello\n", text(out));
        assertEquals("oops\n", text(err));
        assertEquals(0, engine.containers().waitFor(c.id(), Set.of(), 50));

        // attaching to an exited container initialises it again: started, it runs once more
        java.io.ByteArrayOutputStream again = new java.io.ByteArrayOutputStream();
        engine.containers().attach("attached", new io.jpod.api.AttachStreams(null, again, again, () -> engine.containers().start(c.id())));
        assertTrue(text(again), text(again).contains("hello\n") && text(again).contains("oops\n"));
    }

    @Test
    public void stdinIsPipedThroughAttachAndItsEndClosesIt() throws Exception {
        startEngine();
        Container c = created(ContainerConfig.builder().name("cat").stdin(true).command(List.of("cat")));
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        engine.containers().attach(c.id(), new io.jpod.api.AttachStreams(input("one\ntwo\n"), out, out,
                () -> engine.containers().start(c.id())));
        assertEquals("one\ntwo\n", text(out));
        assertEquals("cat saw the end of its input and exited", 0, engine.containers().waitFor(c.id(), Set.of(), 50));
    }

    @Test
    public void execRunsInARunningContainer() throws Exception {
        startEngine();
        Container c = run(ContainerConfig.builder().name("host").command(List.of("sleep", "300")));
        String hi = engine.execs().execCreate("host", new io.jpod.api.ExecConfig(List.of("echo", "hi"), null, false, false,
                null, null, false));
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        assertEquals(0, engine.execs().execStart(hi, new io.jpod.api.AttachStreams(null, out, err)));
        assertEquals("hi\n", text(out));
        assertEquals("", text(err));
        io.jpod.api.ExecSession s = engine.execs().execSession(hi);
        assertEquals(c.id(), s.containerId());
        assertFalse(s.running());
        assertEquals(0, s.exitCode());
        assertTrue(s.pid() > 0);

        String three = engine.execs().execCreate(c.id(), new io.jpod.api.ExecConfig(List.of("sh", "-c",
                "echo $WHO in $(pwd) as $(id -u) >&2; exit 3"), List.of("WHO=me"), false, false, "1000", "/tmp",
                false));
        assertEquals(3, engine.execs().execStart(three, new io.jpod.api.AttachStreams(null, out, err)));
        assertEquals("me in /tmp as 1000\n", text(err));

        String fed = engine.execs().execCreate(c.id(), new io.jpod.api.ExecConfig(List.of("cat"), null, false, true, null,
                null, false));
        java.io.ByteArrayOutputStream catOut = new java.io.ByteArrayOutputStream();
        assertEquals(0, engine.execs().execStart(fed, new io.jpod.api.AttachStreams(input("fed to cat\n"), catOut, null)));
        assertEquals("fed to cat\n", text(catOut));

        // detached: -1 at once, the exit code comes with the session
        String detached = engine.execs().execCreate(c.id(), new io.jpod.api.ExecConfig(List.of("sh", "-c", "exit 5"), null,
                false, false, null, null, false));
        assertEquals(-1, engine.execs().execStart(detached, null));
        long end = System.currentTimeMillis() + TIMEOUT_MS;
        while (engine.execs().execSession(detached).running() && System.currentTimeMillis() < end) {
            Thread.sleep(50);
        }
        assertEquals(5, engine.execs().execSession(detached).exitCode());

        try {
            engine.execs().execStart(hi, null);
            fail("a session runs once");
        } catch (JpodException e) {
            assertEquals(ErrorCode.CTR_STATE_INVALID, e.code());
        }
        engine.containers().removeContainer(c.id(), true);
        try {
            engine.execs().execSession(hi);
            fail("the sessions go with their container");
        } catch (JpodException e) {
            assertEquals(ErrorCode.NO_SUCH_EXEC_SESSION, e.code());
        }
        assertFalse("no conmon of this test is left", conmonsRunning(dir));
    }

    @Test
    public void execIsRefusedAsLibpodRefusesIt() throws Exception {
        startEngine();
        Container c = run(ContainerConfig.builder().name("short").command(List.of("sleep", "300")));
        String early = engine.execs().execCreate(c.id(), new io.jpod.api.ExecConfig(List.of("true"), null, false, false, null,
                null, false));
        try {
            engine.execs().execCreate(c.id(), new io.jpod.api.ExecConfig(List.of(), null, false, false, null, null, false));
            fail("empty command");
        } catch (JpodException e) {
            assertEquals(ErrorCode.INVALID_ARG, e.code());
            assertTrue(e.getMessage(), e.getMessage().contains("non-empty command"));
        }
        engine.containers().stop(c.id(), 0);
        try {
            engine.execs().execCreate("short", new io.jpod.api.ExecConfig(List.of("true"), null, false, false, null, null,
                    false));
            fail("exec in a stopped container");
        } catch (JpodException e) {
            assertEquals(ErrorCode.CTR_STATE_INVALID, e.code());
            assertTrue(e.getMessage(), e.getMessage().contains("current state: exited"));
        }
        try {
            engine.execs().execStart(early, new io.jpod.api.AttachStreams(null, null, null));
            fail("a session whose container stopped");
        } catch (JpodException e) {
            assertEquals(ErrorCode.CTR_STATE_INVALID, e.code());
            assertTrue(e.getMessage(), e.getMessage().contains("exited"));
        }
        try {
            engine.execs().execSession("0123456789abcdef");
            fail("unknown session");
        } catch (JpodException e) {
            assertEquals(ErrorCode.NO_SUCH_EXEC_SESSION, e.code());
        }
        try {
            engine.execs().execCreate("no-such-container", new io.jpod.api.ExecConfig(List.of("true"), null, false, false,
                    null, null, false));
            fail("unknown container");
        } catch (JpodException e) {
            assertEquals(ErrorCode.NO_SUCH_CTR, e.code());
        }
    }

    @Test
    public void followedLogsEndWhenTheContainerExits() throws Exception {
        startEngine();
        Container c = run(ContainerConfig.builder().name("printer").command(List.of("sh", "-c",
                "for i in 1 2 3 4 5 6 7 8 9 10; do echo line$i; sleep 0.1; done")));
        List<String> got = new java.util.ArrayList<>();
        long t0 = System.nanoTime();
        engine.containers().logs("printer", new io.jpod.api.LogOptions(-1, null, null, true), l -> got.add(l.text()));
        long took = (System.nanoTime() - t0) / 1_000_000;
        List<String> all = List.of("line1", "line2", "line3", "line4", "line5", "line6", "line7", "line8", "line9",
                "line10");
        assertEquals(all, got);
        assertEquals(ContainerStatus.EXITED, engine.containers().container(c.id()).state().status());
        assertTrue("returned " + took + " ms after it started following", took < 10_000);

        // started again: the same log goes on
        engine.containers().start(c.id());
        List<String> twice = new java.util.ArrayList<>();
        engine.containers().logs("printer", new io.jpod.api.LogOptions(-1, null, null, true), l -> twice.add(l.text()));
        assertEquals(20, twice.size());
        assertEquals(all, twice.subList(10, 20));

        List<io.jpod.api.LogLine> lines = new java.util.ArrayList<>();
        engine.containers().logs("printer", io.jpod.api.LogOptions.all(), lines::add);
        List<String> tail = new java.util.ArrayList<>();
        engine.containers().logs("printer", new io.jpod.api.LogOptions(3, null, null, false), l -> tail.add(l.text()));
        assertEquals(List.of("line8", "line9", "line10"), tail);
        List<String> since = new java.util.ArrayList<>();
        engine.containers().logs("printer", new io.jpod.api.LogOptions(-1, lines.get(15).time(), null, false),
                l -> since.add(l.text()));
        assertEquals(all.subList(5, 10), since);
        List<String> until = new java.util.ArrayList<>();
        engine.containers().logs("printer", new io.jpod.api.LogOptions(-1, null, lines.get(10).time(), false),
                l -> until.add(l.text()));
        assertEquals(all, until);
    }

    @org.junit.After
    public void removeContainers() {
        if (engine == null) {
            return;
        }
        for (Container c : engine.containers().containers(null)) {
            try {
                engine.containers().removeContainer(c.id(), true);
            } catch (JpodException e) {
                System.err.println("cleanup of " + c.name() + ": " + e.getMessage());
            }
        }
    }
}
