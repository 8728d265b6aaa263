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
        Files.deleteIfExists(dir.resolve("ctr.log.tmp"));
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
        try (LogFollower f = new LogFollower(log)) {
            f.read(o, () -> false, l -> got.add(l.stream() + ":" + l.text()), 10);
        }
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

    @Test
    public void aTailIsFoundFromTheEndAcrossChunksAndPartialLines() throws Exception {
        // lines of 1000 bytes, so that the 64 KiB chunks read backwards end in the middle of lines
        String pad = "x".repeat(950);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            if (i % 7 == 0) {
                b.append(at(i % 60)).append(" stdout P part").append(i).append('-').append('\n');
            }
            b.append(at(i % 60)).append(i % 2 == 0 ? " stdout F " : " stderr F ").append(i).append(pad).append('\n');
        }
        b.append(at(59)).append(" stdout F being writ"); // no newline yet: not part of the tail
        Files.writeString(log, b, StandardCharsets.UTF_8);
        List<String> got = read(new LogOptions(10, null, null, false));
        assertEquals(10, got.size());
        for (int k = 0; k < 10; k++) {
            int i = 2990 + k;
            String text = (i % 7 == 0 ? "part" + i + "-" : "") + i + pad;
            assertEquals((i % 2 == 0 ? "stdout:" : "stderr:") + text, got.get(k));
        }
        assertEquals(3000, read(LogOptions.all()).size());
        assertEquals(3000, read(new LogOptions(5000, null, null, false)).size());
        assertEquals(List.of(), read(new LogOptions(0, null, null, false)));
        assertEquals(List.of("stdout:part0-0" + pad), read(new LogOptions(3000, null, null, false)).subList(0, 1));
    }

    @Test
    public void aFollowerReadsTheRestOfTheOldFileThenTheOneRenamedOverIt() throws Exception {
        append(at(1) + " stdout F one");
        try (LogFollower f = new LogFollower(log)) {
            assertEquals(List.of("one"), f.next().stream().map(LogFollower.Entry::text).toList());
            append(at(2) + " stdout F two");
            // as conmon at log_size_max: a new file renamed over the log, which then grows past the old offset
            Path fresh = dir.resolve("ctr.log.tmp");
            Files.writeString(fresh, at(3) + " stdout F three-" + "y".repeat(200) + "\n", StandardCharsets.UTF_8);
            Files.move(fresh, log, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            List<String> texts = f.next().stream().map(LogFollower.Entry::text).toList();
            assertEquals(List.of("two", "three-" + "y".repeat(200)), texts);
            append(at(4) + " stdout F four");
            assertEquals(List.of("four"), f.next().stream().map(LogFollower.Entry::text).toList());
        }
    }

    @Test
    public void aLineWithoutEndIsGivenOutInPiecesOfBoundedLength() throws Exception {
        String piece = "z".repeat(8192);
        StringBuilder b = new StringBuilder();
        int pieces = LogFollower.MAX_JOINED / piece.length() + 3;
        for (int i = 0; i < pieces; i++) {
            b.append(at(1)).append(" stdout P ").append(piece).append('\n');
        }
        b.append(at(1)).append(" stdout F end\n");
        Files.writeString(log, b, StandardCharsets.UTF_8);
        List<LogLine> got = new ArrayList<>();
        try (LogFollower f = new LogFollower(log)) {
            f.read(LogOptions.all(), () -> false, got::add, 10);
        }
        assertEquals(2, got.size());
        assertEquals(LogFollower.MAX_JOINED, got.get(0).text().length());
        assertEquals((long) pieces * piece.length() + 3, got.stream().mapToLong(l -> l.text().length()).sum());
    }
}
