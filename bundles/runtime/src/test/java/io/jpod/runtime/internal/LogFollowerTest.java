package io.jpod.runtime.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.jpod.api.LogLine;
import io.jpod.api.LogOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

public class LogFollowerTest {
    private Path dir, log;

    @Before
    public void file() throws Exception {
        dir = Files.createTempDirectory("jpod-logs-");
        log = dir.resolve("ctr.log");
    }

    @After
    public void remove() throws Exception {
        Files.deleteIfExists(log);
        Files.deleteIfExists(dir);
    }

    private void append(String... lines) throws Exception {
        StringBuilder b = new StringBuilder();
        for (String l : lines) {
            b.append(l).append('\n');
        }
        Files.writeString(log, b, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static String at(int second) {
        return "2026-11-28T10:00:%02d.000000000+00:00".formatted(second);
    }

    private List<String> read(LogOptions o) throws Exception {
        List<String> got = new ArrayList<>();
        new LogFollower(log).read(o, () -> false, l -> got.add(l.stream() + ":" + l.text()), 10);
        return got;
    }

    @Test
    public void partialLinesAreJoinedAndTailCountsWholeLines() throws Exception {
        append(at(1) + " stdout F one", at(2) + " stdout P tw", at(2) + " stdout F o", at(3) + " stderr F three",
                at(4) + " stdout F ");
        assertEquals(List.of("stdout:one", "stdout:two", "stderr:three", "stdout:"), read(LogOptions.all()));
        assertEquals(List.of("stderr:three", "stdout:"), read(new LogOptions(2, null, null, false)));
        assertEquals(List.of(), read(new LogOptions(0, null, null, false)));
    }

    @Test
    public void sinceAndUntilBoundTheLines() throws Exception {
        append(at(1) + " stdout F a", at(2) + " stdout F b", at(3) + " stdout F c", at(4) + " stdout F d");
        Instant two = Instant.parse("2026-11-28T10:00:02Z"), four = Instant.parse("2026-11-28T10:00:04Z");
        assertEquals(List.of("stdout:b", "stdout:c", "stdout:d"), read(new LogOptions(-1, two, null, false)));
        assertEquals(List.of("stdout:b", "stdout:c"), read(new LogOptions(-1, two, four, false)));
        assertEquals(List.of("stdout:c"), read(new LogOptions(1, two, four, false)));
    }

    @Test
    public void aLineBeingWrittenWaitsForItsEndAndAShrunkFileIsReadAgain() throws Exception {
        LogFollower f = new LogFollower(log);
        assertEquals(List.of(), f.next());
        Files.writeString(log, at(1) + " stdout F hal", StandardCharsets.UTF_8, StandardOpenOption.CREATE);
        assertEquals(List.of(), f.next());
        Files.writeString(log, "f\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        List<LogFollower.Entry> e = f.next();
        assertEquals(1, e.size());
        assertEquals("half", e.get(0).text());
        assertEquals("half\n", new String(e.get(0).bytes(), StandardCharsets.UTF_8));
        Files.writeString(log, at(2) + " stdout P new\n", StandardCharsets.UTF_8);
        e = f.next();
        assertEquals("new", e.get(0).text());
        assertEquals("new", new String(e.get(0).bytes(), StandardCharsets.UTF_8));
    }

    @Test
    public void followReadsUntilTheWriterStopsAndTheLogIsDrained() throws Exception {
        append(at(1) + " stdout F first");
        AtomicBoolean running = new AtomicBoolean(true);
        List<String> got = new java.util.concurrent.CopyOnWriteArrayList<>();
        CompletableFuture<Void> done = CompletableFuture.runAsync(() -> {
            try {
                new LogFollower(log).read(new LogOptions(-1, null, null, true), running::get,
                        l -> got.add(l.text()), 10);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        for (int i = 2; i < 20; i++) {
            append(at(i) + " stdout F line" + i);
            Thread.sleep(5);
        }
        Thread.sleep(50);
        assertTrue("still following while the container runs", !done.isDone());
        append(at(30) + " stdout F last");
        running.set(false);
        done.get(5, TimeUnit.SECONDS);
        assertEquals(20, got.size());
        assertEquals("first", got.get(0));
        assertEquals("last", got.get(19));
    }

    @Test
    public void followEndsWhenTheSinkSaysSoOrTheThreadIsInterrupted() throws Exception {
        append(at(1) + " stdout F a", at(2) + " stdout F b");
        List<LogLine> got = new ArrayList<>();
        new LogFollower(log).read(new LogOptions(-1, null, null, true), () -> true, l -> got.add(l) && false, 10);
        assertEquals(1, got.size());
        Thread t = Thread.currentThread();
        CompletableFuture.runAsync(() -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
            t.interrupt();
        });
        try {
            new LogFollower(log).read(new LogOptions(-1, null, null, true), () -> true, l -> true, 10);
            throw new AssertionError("not interrupted");
        } catch (InterruptedException expected) {
            assertTrue(true);
        }
    }
}
