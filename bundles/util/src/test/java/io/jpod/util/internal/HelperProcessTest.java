package io.jpod.util.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class HelperProcessTest {
    private static final int MB = 1024 * 1024;

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static HelperProcess sh(String script) {
        return HelperProcess.of("sh", "-c", script);
    }

    private static long seconds(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1_000_000_000L;
    }

    @Test
    public void stdoutStderrAndTheExitStatusApart() throws IOException {
        HelperProcess.Result r = sh("echo out; echo err >&2; exit 3").run();
        assertEquals(3, r.exitCode());
        assertFalse(r.ok());
        assertEquals("out", r.out());
        assertEquals("err", r.err());
        assertEquals(List.of("sh", "-c", "echo out; echo err >&2; exit 3"), r.command());
    }

    @Test
    public void mergedErrorsAreInStdout() throws IOException {
        HelperProcess.Result r = sh("echo one; echo two >&2").mergeErrors().run();
        assertEquals("one\ntwo", r.out());
        assertEquals(0, r.stderr().length);
    }

    @Test
    public void aMegabyteOnEachStreamDoesNotBlock() throws IOException {
        // into a pipe that nobody reads before waitFor, 64 KiB would block the child until the timeout
        long t0 = System.nanoTime();
        HelperProcess.Result r = sh("head -c " + MB + " /dev/zero; head -c " + MB + " /dev/zero >&2")
                .timeout(Duration.ofSeconds(30)).run();
        assertTrue(r.ok());
        assertEquals(MB, r.stdout().length);
        assertEquals(MB, r.stderr().length);
        assertTrue("took " + seconds(t0) + " s", seconds(t0) < 10);
    }

    @Test
    public void theTimeoutFiresOnAHelperThatSleepsHoldingItsStdoutOpen() {
        long t0 = System.nanoTime();
        HelperTimeoutException e = assertThrows(HelperTimeoutException.class,
                () -> sh("echo started; sleep 30").timeout(Duration.ofSeconds(1)).run());
        assertTrue("took " + seconds(t0) + " s", seconds(t0) < 10);
        assertEquals("sh -c echo started; sleep 30 did not finish within 1 second: it was killed", e.getMessage());
        assertEquals(Duration.ofSeconds(1), e.timeout());
        assertEquals(List.of("sh", "-c", "echo started; sleep 30"), e.command());
    }

    @Test
    public void theTimeoutKillsWhatTheHelperStarted() throws Exception {
        Path pid = tmp.getRoot().toPath().resolve("pid");
        assertThrows(HelperTimeoutException.class, () -> sh("sleep 31 & echo $! > " + pid + "; wait")
                .timeout(Duration.ofMillis(1500)).run());
        Optional<ProcessHandle> child = ProcessHandle.of(Long.parseLong(Files.readString(pid).strip()));
        for (int i = 0; i < 50 && child.map(ProcessHandle::isAlive).orElse(false); i++) {
            Thread.sleep(100);
        }
        assertFalse("the background sleep survived", child.map(ProcessHandle::isAlive).orElse(false));
    }

    @Test
    public void aProcessLeftBehindHoldingStdoutDoesNotHoldTheCaller() throws IOException {
        long t0 = System.nanoTime();
        HelperProcess.Result r = sh("sleep 30 & echo $!").timeout(Duration.ofSeconds(20)).run();
        try {
            assertTrue(r.ok());
            assertTrue("took " + seconds(t0) + " s", seconds(t0) < 10);
        } finally {
            ProcessHandle.of(Long.parseLong(r.out())).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    public void stdinIsGivenAndALargeOneUnreadDoesNotBlock() throws IOException {
        byte[] in = "the config\n".repeat(1000).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertArrayEquals(in, HelperProcess.of("cat").input(in).run().stdout());
        assertTrue(HelperProcess.of("true").input(new byte[4 * MB]).timeout(Duration.ofSeconds(20)).run().ok());
        assertEquals("", HelperProcess.of("cat").run().out());
    }

    @Test
    public void environmentAndDirectory() throws IOException {
        Path dir = tmp.newFolder("work").toPath().toRealPath();
        HelperProcess.Result r = sh("echo \"$JPOD_A|${HOME-unset}\"; pwd").environment("JPOD_A", "a")
                .environment("HOME", null).directory(dir).run();
        assertEquals("a|unset\n" + dir, r.out());
    }

    @Test
    public void aMissingProgramIsAClearError() {
        IOException e = assertThrows(IOException.class, () -> HelperProcess.of("/nonexistent/helper", "x").run());
        assertTrue(e.getMessage(), e.getMessage().startsWith("cannot run /nonexistent/helper: "));
    }

    @Test
    public void requireSuccessSaysWhatItPrinted() throws IOException {
        IOException e = assertThrows(IOException.class, () -> sh("echo oops >&2; exit 4").runChecked());
        assertEquals("sh -c echo oops >&2; exit 4 failed (exit 4): oops", e.getMessage());
        assertThrows(IOException.class, () -> sh("echo said; exit 1").mergeErrors().runChecked());
        assertEquals("fine", sh("echo fine").runChecked().out());
    }

    @Test
    public void anInterruptKillsTheHelperAndIsKept() throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean stillInterrupted = new AtomicBoolean();
        Thread t = new Thread(() -> {
            try {
                HelperProcess.of("sleep", "30").timeout(Duration.ofSeconds(60)).run();
            } catch (IOException e) {
                thrown.set(e);
                stillInterrupted.set(Thread.currentThread().isInterrupted());
            }
        });
        long t0 = System.nanoTime();
        t.start();
        Thread.sleep(300);
        t.interrupt();
        t.join(15_000);
        assertFalse(t.isAlive());
        assertTrue(String.valueOf(thrown.get()), thrown.get() instanceof InterruptedIOException);
        assertTrue(stillInterrupted.get());
        assertTrue("took " + seconds(t0) + " s", seconds(t0) < 10);
    }

    @Test
    public void uninterruptibleRunsToTheEndAndHandsTheInterruptBack() throws Exception {
        AtomicReference<Object> outcome = new AtomicReference<>();
        AtomicBoolean stillInterrupted = new AtomicBoolean();
        Thread t = new Thread(() -> {
            try {
                outcome.set(sh("sleep 1; echo done").uninterruptible().run().out());
            } catch (IOException e) {
                outcome.set(e);
            }
            stillInterrupted.set(Thread.currentThread().isInterrupted());
        });
        t.start();
        Thread.sleep(200);
        t.interrupt();
        t.join(15_000);
        assertEquals("done", outcome.get());
        assertTrue(stillInterrupted.get());
    }

    @Test
    public void badArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> HelperProcess.of(List.of()));
        assertThrows(IllegalArgumentException.class, () -> HelperProcess.of("x").timeout(Duration.ZERO));
        assertThrows(NullPointerException.class, () -> HelperProcess.of("x", null));
    }
}
