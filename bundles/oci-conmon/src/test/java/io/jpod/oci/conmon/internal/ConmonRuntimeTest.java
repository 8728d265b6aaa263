package io.jpod.oci.conmon.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.jpod.api.Container;
import io.jpod.api.ContainerConfig;
import io.jpod.api.ContainerState;
import io.jpod.api.ContainerStatus;
import io.jpod.api.ErrorCode;
import io.jpod.api.ExecConfig;
import io.jpod.api.JpodException;
import io.jpod.api.Mount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.BeforeClass;
import org.junit.Test;

/** Real containers: runc under conmon on a busybox-static root filesystem. Skipped where either is missing. */
public class ConmonRuntimeTest extends RealContainers {
    private static Path rootfs;

    @BeforeClass
    public static void makeRootfs() throws IOException {
        rootfs = rootfs(List.of("sh", "echo", "true", "false", "sleep", "cat", "id", "hostname", "pwd", "env", "ls",
                "touch", "tr"));
        Files.writeString(rootfs.resolve("bin/notexec"), "#!/bin/sh\necho no\n");
        Files.setPosixFilePermissions(rootfs.resolve("bin/notexec"), PosixFilePermissions.fromString("rw-r--r--"));
    }

    private Container container(ContainerConfig.Builder b) {
        return container(b, rootfs);
    }

    private Container run(ContainerConfig.Builder b) {
        return run(b, rootfs);
    }

    private String log(Container c) throws IOException {
        return Files.readString(rt.logPath(c.id()));
    }

    @Test
    public void echoHello() throws Exception {
        Container c = waitExit(run(ContainerConfig.builder().command(List.of("echo", "hello"))));
        assertEquals(0, c.state().exitCode());
        assertTrue(log(c), log(c).contains(" stdout F hello"));
        rt.deleteContainer(c);
        assertFalse(Files.exists(rt.runDir(c.id())));
    }

    @Test
    public void conmonRunsTheExitCommandWhenTheContainerExits() throws Exception {
        Path dir = Files.createTempDirectory(base, "exit");
        Path seen = dir.resolve("args");
        Path program = dir.resolve("exited");
        Files.writeString(program, "#!/bin/sh\nprintf '%s\\n' \"$@\" > " + seen + ".part && mv " + seen + ".part " + seen + "\n");
        Files.setPosixFilePermissions(program, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        rt.exitCommand(program);
        Container c = waitExit(run(ContainerConfig.builder().command(List.of("sh", "-c", "exit 4"))));
        assertEquals(4, c.state().exitCode());
        long end = System.currentTimeMillis() + 10_000;
        while (!Files.exists(seen) && System.currentTimeMillis() < end) {
            Thread.sleep(50);
        }
        assertTrue("conmon ran " + program, Files.exists(seen));
        List<String> args = Files.readAllLines(seen);
        assertEquals("the service's PID first", Long.toString(ProcessHandle.current().pid()), args.get(0));
        assertEquals(c.id(), args.get(args.size() - 1));
        String line = String.join(" ", args);
        assertTrue(line, line.contains(" container cleanup --tmpdir " + context.tmpDir() + " "));
        assertTrue(line, line.contains(" --cni-plugin-dir /usr/lib/cni"));
    }

    @Test
    public void exitCode() throws Exception {
        Container c = waitExit(run(ContainerConfig.builder().command(List.of("sh", "-c", "exit 3"))));
        assertEquals(3, c.state().exitCode());
    }

    @Test
    public void stopKillsAfterTimeout() throws Exception {
        Container c = run(ContainerConfig.builder().command(List.of("sleep", "100")));
        long t0 = System.nanoTime();
        ContainerState s = rt.stopContainer(c, 1, false);
        assertEquals(ContainerStatus.EXITED, s.status());
        assertTrue("exit " + s.exitCode(), s.exitCode() == 137 || s.exitCode() == 143);
        assertTrue((System.nanoTime() - t0) / 1_000_000 < 8000);
    }

    @Test
    public void stopWithSigterm() throws Exception {
        Container c = run(ContainerConfig.builder().command(List.of("sh", "-c",
                "trap 'exit 143' TERM; while true; do sleep 0.1; done")));
        Thread.sleep(200);
        ContainerState s = rt.stopContainer(c, 10, false);
        assertEquals(143, s.exitCode());
    }

    @Test
    public void killWithSigkill() throws Exception {
        Container c = run(ContainerConfig.builder().command(List.of("sleep", "100")));
        rt.killContainer(c, 9, false);
        c = waitExit(c);
        assertEquals(137, c.state().exitCode());
    }

    @Test
    public void pauseAndUnpause() throws Exception {
        Container c = run(ContainerConfig.builder().command(List.of("sleep", "100")));
        c = c.withState(rt.pauseContainer(c));
        assertEquals(ContainerStatus.PAUSED, c.state().status());
        assertEquals(ContainerStatus.PAUSED, rt.updateContainerStatus(c).status());
        c = c.withState(rt.unpauseContainer(c));
        assertEquals(ContainerStatus.RUNNING, rt.updateContainerStatus(c).status());
        assertEquals(137, rt.stopContainer(c, 0, false).exitCode());
    }

    @Test
    public void missingCommandIsNotFound() {
        try {
            create(container(ContainerConfig.builder().command(List.of("nonexistent-cmd"))));
            fail("created");
        } catch (JpodException e) {
            assertEquals(e.getMessage(), ErrorCode.OCI_RUNTIME_NOT_FOUND, e.code());
            assertTrue(e.getMessage(), e.getMessage().contains("executable file not found in $PATH"));
        }
    }

    @Test
    public void nonExecutableIsPermissionDenied() {
        try {
            create(container(ContainerConfig.builder().command(List.of("/bin/notexec"))));
            fail("created");
        } catch (JpodException e) {
            assertEquals(e.getMessage(), ErrorCode.OCI_RUNTIME_PERMISSION_DENIED, e.code());
            assertTrue(e.getMessage(), e.getMessage().contains("permission denied"));
        }
    }

    @Test
    public void envWorkdirUserHostname() throws Exception {
        Container c = waitExit(run(ContainerConfig.builder().command(List.of("sh", "-c",
                "echo foo=$FOO; pwd; echo uid=$(id -u) gid=$(id -g); hostname; echo home=$HOME"))
                .env(List.of("FOO=bar")).workingDir("/tmp").user("app").hostname("myhost")));
        String log = log(c);
        assertEquals(log, 0, c.state().exitCode());
        for (String want : List.of("foo=bar", "F /tmp", "uid=1000 gid=1000", "F myhost", "home=/home/app")) {
            assertTrue(want + " in " + log, log.contains(want));
        }
    }

    @Test
    public void readOnlyBindMount() throws Exception {
        Path host = Files.createTempDirectory(base, "data");
        Files.writeString(host.resolve("f"), "from-host\n");
        Container c = waitExit(run(ContainerConfig.builder().command(List.of("sh", "-c",
                "cat /data/f; touch /data/g 2>/dev/null && echo writable || echo read-only"))
                .mounts(List.of(new Mount("bind", host.toString(), "/data", List.of("ro"))))));
        String log = log(c);
        assertTrue(log, log.contains("from-host"));
        assertTrue(log, log.contains("read-only"));
        assertFalse(Files.exists(host.resolve("g")));
    }

    @Test
    public void containerOutlivesTheRuntimeObject() throws Exception {
        Container c = run(ContainerConfig.builder().command(List.of("sleep", "100")));
        rt.close();
        rt = (ConmonRuntime) provider.open(context);
        assertEquals(ContainerStatus.RUNNING, rt.updateContainerStatus(c).status());
        assertTrue(ConmonRuntime.isConmon(c.state().conmonPid()));
        ContainerState s = rt.stopContainer(c, 0, false);
        assertEquals(137, s.exitCode());
        rt.deleteContainer(c.withState(s));
        assertFalse(ConmonRuntime.isConmon(c.state().conmonPid()));
    }

    @Test
    public void createdContainerCanBeDeleted() throws Exception {
        Container c = create(container(ContainerConfig.builder().command(List.of("true"))));
        assertEquals(ContainerStatus.CREATED, rt.updateContainerStatus(c).status());
        rt.deleteContainer(c);
        assertFalse(Files.exists(rt.runDir(c.id())));
    }

    /** Its own create is trusted for a moment (no runc state before the start), but never over conmon's word. */
    @Test
    public void aCreatedContainerWhoseInitDiesIsSeenExitedAtOnce() throws Exception {
        Container c = create(container(ContainerConfig.builder().command(List.of("true"))));
        assertEquals(ContainerStatus.CREATED, rt.updateContainerStatus(c).status());
        new ProcessBuilder("kill", "-9", String.valueOf(c.state().pid())).start().waitFor();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!Files.exists(rt.exitFile(c.id())) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue("conmon wrote no exit file", Files.exists(rt.exitFile(c.id())));
        ContainerState s = rt.updateContainerStatus(c);
        assertEquals(ContainerStatus.EXITED, s.status());
        assertEquals(137, s.exitCode());
        rt.deleteContainer(c.withState(s));
    }

    @Test
    public void execRunsInTheContainer() throws Exception {
        Container c = run(ContainerConfig.builder().command(List.of("sleep", "100")).env(List.of("A=1"))
                .hostname("exechost"));
        int pid = rt.execContainer(c, "s1", new ExecConfig(List.of("sh", "-c",
                "echo exec $A $B $(hostname) $(id -u) $(pwd); exit 4"), List.of("B=2"), false, false, "1:1", "/tmp",
                false));
        assertTrue(pid > 0);
        java.util.OptionalInt code = java.util.OptionalInt.empty();
        for (int i = 0; i < 200 && code.isEmpty(); i++) {
            Thread.sleep(25);
            code = rt.execExitCode(c.id(), "s1");
        }
        assertEquals(4, code.getAsInt());
        String log = Files.readString(rt.execLogPath(c.id(), "s1"));
        assertTrue(log, log.contains("exec 1 2 exechost 1 /tmp"));
        try {
            rt.execContainer(c, "s2", new ExecConfig(List.of("no-such-cmd"), null, false, false, null, null, false));
            fail("exec'd");
        } catch (JpodException e) {
            assertEquals(e.getMessage(), ErrorCode.OCI_RUNTIME_NOT_FOUND, e.code());
        }
        assertEquals(137, rt.stopContainer(c, 0, false).exitCode());
    }

    @Test
    public void execStdinReachesTheProcessAndItsEndClosesIt() throws Exception {
        Container c = run(ContainerConfig.builder().command(List.of("sleep", "100")));
        rt.execContainer(c, "in1", new ExecConfig(List.of("sh", "-c", "tr a-z A-Z; echo done"), null, false, true,
                null, null, false));
        AutoCloseable feeding = rt.execStdin(c, "in1", new java.io.ByteArrayInputStream(
                "piped in\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        try {
            assertEquals("the process saw the end of its input", 0, awaitExec(c, "in1").getAsInt());
        } finally {
            feeding.close();
        }
        String log = Files.readString(rt.execLogPath(c, "in1"));
        assertTrue(log, log.contains("PIPED IN") && log.contains("done"));
        rt.execRemove(c, "in1");
        assertFalse(Files.exists(rt.execDir(c.id(), "in1")));
        assertEquals(137, rt.stopContainer(c, 0, false).exitCode());
    }

    @Test
    public void attachBeforeStartGetsAllOutputOnItsStreams() throws Exception {
        Container c = create(container(ContainerConfig.builder().stdin(true).command(List.of("sh", "-c",
                "echo out; echo err >&2; cat; echo end"))));
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.util.concurrent.CompletableFuture<ContainerState> started = new java.util.concurrent.CompletableFuture<>();
        Container created = c;
        rt.attach(c, new io.jpod.api.AttachStreams(new java.io.ByteArrayInputStream(
                "fed\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)), out, err,
                () -> started.complete(rt.startContainer(created))));
        assertEquals(ContainerStatus.RUNNING, started.get().status());
        assertEquals("out\nfed\nend\n", out.toString(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals("err\n", err.toString(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    public void withATerminalAllOutputGoesToStdout() throws Exception {
        Container c = create(container(ContainerConfig.builder().terminal(true).command(List.of("sh", "-c",
                "echo out; echo err >&2"))));
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        rt.attach(c, new io.jpod.api.AttachStreams(null, out, err, () -> rt.startContainer(c)));
        String o = out.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(o, o.contains("out\r\n") && o.contains("err\r\n"));
        assertEquals("", err.toString(java.nio.charset.StandardCharsets.UTF_8));
    }

    private java.util.OptionalInt awaitExec(Container c, String session) throws InterruptedException {
        java.util.OptionalInt code = java.util.OptionalInt.empty();
        for (int i = 0; i < 400 && code.isEmpty(); i++) {
            Thread.sleep(25);
            code = rt.execExitCode(c, session);
        }
        return code;
    }

    @Test
    public void privilegedExecHasEveryCapabilityAndATerminalWhenAsked() throws Exception {
        Container c = run(ContainerConfig.builder().command(List.of("sleep", "100")));
        rt.execContainer(c, "priv", new ExecConfig(List.of("cat", "/proc/self/status"), null, false, false, null, null,
                true));
        rt.execContainer(c, "plain", new ExecConfig(List.of("cat", "/proc/self/status"), null, false, false, null,
                null, false));
        rt.execContainer(c, "tty", new ExecConfig(List.of("sh", "-c", "test -t 0 && test -t 1 && echo on-a-tty"),
                null, true, false, null, null, false));
        for (String s : List.of("priv", "plain", "tty")) {
            assertEquals(s, 0, awaitExec(c, s).getAsInt());
        }
        int last = Integer.parseInt(Files.readString(Path.of("/proc/sys/kernel/cap_last_cap")).trim());
        String all = "CapEff:\t" + String.format("%016x", (1L << (last + 1)) - 1);
        String priv = Files.readString(rt.execLogPath(c, "priv"));
        String plain = Files.readString(rt.execLogPath(c, "plain"));
        assertTrue(priv, priv.contains(all));
        assertTrue(plain, plain.contains("CapEff:") && !plain.contains(all));
        String tty = Files.readString(rt.execLogPath(c, "tty"));
        assertTrue(tty, tty.contains("on-a-tty"));
        assertEquals(137, rt.stopContainer(c, 0, false).exitCode());
    }

    @Test
    public void anAttachedClientIsInterruptibleAndTheContainerRunsOn() throws Exception {
        Container c = run(ContainerConfig.builder().command(List.of("sleep", "100")));
        java.util.concurrent.CompletableFuture<Throwable> ended = new java.util.concurrent.CompletableFuture<>();
        java.util.concurrent.CountDownLatch attached = new java.util.concurrent.CountDownLatch(1);
        Thread t = new Thread(() -> {
            try {
                rt.attach(c, new io.jpod.api.AttachStreams(null, java.io.OutputStream.nullOutputStream(), null,
                        attached::countDown));
                ended.complete(null);
            } catch (Throwable e) {
                ended.complete(e);
            }
        });
        t.start();
        assertTrue(attached.await(10, java.util.concurrent.TimeUnit.SECONDS));
        t.interrupt();
        assertTrue(ended.get(5, java.util.concurrent.TimeUnit.SECONDS) instanceof InterruptedException);
        assertEquals(ContainerStatus.RUNNING, rt.updateContainerStatus(c).status());
        assertEquals(137, rt.stopContainer(c, 0, false).exitCode());
    }

    @Test
    public void terminal() throws Exception {
        Container c = waitExit(run(ContainerConfig.builder().terminal(true).command(List.of("sh", "-c",
                "test -t 1 && echo is-a-tty $TERM"))));
        assertEquals(0, c.state().exitCode());
        assertTrue(log(c), log(c).contains("is-a-tty xterm"));
    }

    @Test
    public void terminalsOfContainersAndExecSessionsFollowAResize() throws Exception {
        Container c = run(ContainerConfig.builder().terminal(true).command(List.of("sh", "-c",
                "while true; do stty size; sleep 0.1; done")));
        rt.resizeTerminal(c, 33, 111);
        assertTrue(log(c), awaitText(() -> log(c), "33 111"));
        rt.execContainer(c, "sized", new ExecConfig(List.of("sh", "-c", "for i in $(seq 100); do stty size; sleep 0.1; done"),
                null, true, false, null, null, false));
        java.util.concurrent.Callable<String> execLog = () -> Files.readString(rt.execLogPath(c, "sized"));
        assertTrue("the exec session is running", awaitText(execLog, " "));
        rt.execResizeTerminal(c, "sized", 44, 122);
        assertTrue(execLog.call(), awaitText(execLog, "44 122"));
        assertEquals(137, rt.stopContainer(c, 0, false).exitCode());
        try {
            rt.resizeTerminal(c, 20, 80);
            fail("resized the terminal of a container whose conmon is gone");
        } catch (JpodException e) {
            assertEquals(e.getMessage(), ErrorCode.CTR_STATE_INVALID, e.code());
            assertTrue(e.getMessage(), e.getMessage().contains(c.id()));
        }
    }

    private static boolean awaitText(java.util.concurrent.Callable<String> text, String wanted) throws Exception {
        for (int i = 0; i < 200; i++) {
            try {
                if (text.call().contains(wanted)) {
                    return true;
                }
            } catch (java.nio.file.NoSuchFileException notYet) {
                // the log appears with the first output
            }
            Thread.sleep(50);
        }
        return false;
    }

    @Test
    public void killOfACreatedContainerThenStop() throws Exception {
        Container c = create(container(ContainerConfig.builder().command(List.of("sleep", "100"))));
        rt.killContainer(c, 9, false);
        ContainerState s = rt.stopContainer(c, 5, false);
        assertEquals(ContainerStatus.EXITED, s.status());
        assertEquals(137, s.exitCode());
    }

    @Test
    public void aFailingConmonIsAClearErrorNotAHang() throws Exception {
        Path fake = Files.createTempFile(base, "conmon", ".sh");
        for (String script : List.of("echo 'conmon: bad option' >&2; exit 1", "exit 0")) {
            Files.writeString(fake, "#!/bin/sh\n" + script + "\n");
            Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
            ConmonRuntime broken = new ConmonRuntime("runc", rt.path(), fake, context.config(), context.tmpDir(),
                    context.staticDir());
            Container c = container(ContainerConfig.builder().command(List.of("true")));
            try {
                broken.createContainer(c);
                fail("created");
            } catch (JpodException e) {
                assertEquals(e.getMessage(), ErrorCode.OCI_RUNTIME, e.code());
                assertTrue(e.getMessage(), script.startsWith("exit 0") ? e.getMessage().contains("no logs from conmon")
                        : e.getMessage().contains("bad option"));
            }
        }
    }
}
