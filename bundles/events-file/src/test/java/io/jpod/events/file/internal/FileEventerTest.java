package io.jpod.events.file.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jpod.api.ErrorCode;
import io.jpod.api.Event;
import io.jpod.api.JpodException;
import io.jpod.api.EventReadOptions;
import io.jpod.spi.events.Eventer;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class FileEventerTest {
    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00.123456789Z");

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private Path file() {
        return tmp.getRoot().toPath().resolve("run/jpod/events/events.log");
    }

    private Eventer open(long maxSize) {
        return new FileEventerProvider().open(Contexts.file(file().toString(), maxSize));
    }

    private static Event ctr(String status, Instant t, String id, String name, Map<String, String> labels) {
        return new Event(Event.Type.CONTAINER, status, t, id, name, "docker.io/library/busybox:latest", null, labels);
    }

    private static List<Event> readAll(Eventer e, String... filters) throws InterruptedException {
        return read(e, new EventReadOptions(List.of(filters), null, null, false));
    }

    private static List<Event> read(Eventer e, EventReadOptions o) throws InterruptedException {
        List<Event> out = new ArrayList<>();
        e.read(o, out::add);
        return out;
    }

    @Test
    public void theEventsFileAndItsDirectoryAreRootsOnly() throws Exception {
        try (Eventer e = open(600)) {
            for (int i = 0; i < 20; i++) {
                e.write(ctr("create", T0.plusSeconds(i), "id" + i, "n" + i, Map.of()));
            }
        }
        Path rotated = Path.of(file() + ".1");
        assertTrue("the file was rotated", Files.exists(rotated));
        for (Path p : List.of(file(), rotated, Path.of(file() + ".lock"))) {
            assertEquals(p.toString(), "rw-------",
                    java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
        }
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(file().getParent())));
    }

    @Test
    public void anEventsFileWrittenOpenIsMadeRootsOnly() throws Exception {
        Files.createDirectories(file().getParent());
        Files.writeString(file(), "");
        Files.setPosixFilePermissions(file(), java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        try (Eventer e = open(0)) {
            e.write(ctr("create", T0, "id", "n", Map.of()));
        }
        assertEquals("rw-------",
                java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file())));
    }

    @Test
    public void roundTripKeepsEveryFieldAndUsesPodmansNames() throws Exception {
        Map<String, String> attrs = new LinkedHashMap<>();
        attrs.put("app", "web");
        attrs.put("quote", "a \"b\"\nc");
        Event died = new Event(Event.Type.CONTAINER, "died", T0, "0123456789abcdef", "web",
                "docker.io/library/busybox:latest", 137, attrs);
        Event sys = new Event(Event.Type.SYSTEM, "refresh", T0.plusSeconds(1), null, null, null, null, Map.of());
        try (Eventer e = open(0)) {
            assertEquals("file", e.name());
            e.write(died);
            e.write(sys);
            assertEquals(List.of(died, sys), readAll(e));
        }
        List<String> lines = Files.readAllLines(file());
        assertEquals(2, lines.size());
        JsonNode n = new ObjectMapper().readTree(lines.get(0));
        assertEquals("0123456789abcdef", n.get("ID").asText());
        assertEquals("docker.io/library/busybox:latest", n.get("Image").asText());
        assertEquals("web", n.get("Name").asText());
        assertEquals("died", n.get("Status").asText());
        assertEquals("2026-11-28T10:00:00.123456789Z", n.get("Time").asText());
        assertEquals("container", n.get("Type").asText());
        assertEquals(137, n.get("ContainerExitCode").asInt());
        assertEquals("web", n.get("Attributes").get("app").asText());
        JsonNode s = new ObjectMapper().readTree(lines.get(1));
        assertNull(s.get("ID"));
        assertNull(s.get("ContainerExitCode"));
        assertEquals("2026-11-28T10:00:01.123456789Z", s.get("Time").asText());
    }

    @Test
    public void timeIsRfc3339NanoAsGoWritesIt() {
        assertEquals("2026-11-28T10:00:00Z", io.jpod.spi.events.EventTimes.format(Instant.parse("2026-11-28T10:00:00Z")));
        assertEquals("2026-11-28T10:00:00.5Z", io.jpod.spi.events.EventTimes.format(Instant.parse("2026-11-28T10:00:00.500Z")));
        assertEquals(Instant.parse("2026-11-28T09:00:00.25Z"), io.jpod.spi.events.EventTimes.parse("2026-11-28T10:00:00.25+01:00"));
    }

    @Test
    public void readsPodmansOwnLines() {
        Event e = EventJson.parse("{\"ID\":\"abc\",\"Image\":\"quay.io/x\",\"Name\":\"n\",\"Status\":\"start\","
                + "\"Time\":\"2023-05-04T12:01:02.123456789+02:00\",\"Type\":\"container\","
                + "\"Attributes\":{\"image\":\"quay.io/x\",\"name\":\"n\"},\"network\":\"podman\"}");
        assertEquals(Event.Type.CONTAINER, e.type());
        assertEquals("start", e.status());
        assertEquals(Instant.parse("2023-05-04T10:01:02.123456789Z"), e.time());
        assertEquals("n", e.attributes().get("name"));
        assertNull(e.exitCode());
    }

    @Test
    public void everyFilterKind() throws Exception {
        try (Eventer e = open(0)) {
            e.write(ctr("create", T0, "aaaa1111", "web", Map.of("app", "web", "tier", "front")));
            e.write(ctr("start", T0.plusSeconds(10), "aaaa1111", "web", Map.of("app", "web")));
            e.write(ctr("start", T0.plusSeconds(20), "bbbb2222", "db", Map.of("app", "db")));
            e.write(new Event(Event.Type.POD, "create", T0.plusSeconds(30), "cccc3333", "pod1", null, null, Map.of()));
            e.write(new Event(Event.Type.VOLUME, "create", T0.plusSeconds(40), null, "vol1", null, null, Map.of()));
            e.write(new Event(Event.Type.SYSTEM, "refresh", T0.plusSeconds(50), null, null, null, null, Map.of()));

            assertEquals(6, readAll(e).size());
            assertEquals(3, readAll(e, "type=container").size());
            assertEquals(4, readAll(e, "type=container", "type=pod").size());
            assertEquals(2, readAll(e, "event=start").size());
            assertEquals(1, readAll(e, "type=container", "event=create").size());
            assertEquals(2, readAll(e, "container=web").size());
            assertEquals(2, readAll(e, "container=aaaa").size());
            assertEquals(1, readAll(e, "container=bbbb2222").size());
            assertEquals(0, readAll(e, "container=pod1").size());
            assertEquals(1, readAll(e, "pod=pod1").size());
            assertEquals(1, readAll(e, "volume=vol1").size());
            assertEquals(3, readAll(e, "label=app").size());
            assertEquals(2, readAll(e, "label=app=web").size());
            assertEquals(1, readAll(e, "label=tier=front").size());
            assertEquals(0, readAll(e, "label=app=nope").size());
            assertEquals(1, readAll(e, "image=docker.io/library/busybox:latest", "event=create").size());

            List<Event> window = read(e, new EventReadOptions(List.of(), T0.plusSeconds(10), T0.plusSeconds(30),
                    false));
            assertEquals(List.of("start", "start", "create"),
                    window.stream().map(Event::status).collect(Collectors.toList()));
            assertEquals(2, read(e, new EventReadOptions(List.of("type=container"), T0.plusSeconds(5), null, false))
                    .size());

            try {
                readAll(e, "colour=red");
                fail("unknown filter accepted");
            } catch (JpodException ex) {
                assertEquals(ErrorCode.INVALID_ARG, ex.code());
            }
        }
    }

    @Test
    public void corruptLinesAreSkipped() throws Exception {
        try (Eventer e = open(0)) {
            e.write(ctr("create", T0, "a1", "one", Map.of()));
            Files.writeString(file(), "not json at all\n{\"Type\":\"container\"\n"
                    + "{\"Type\":\"spaceship\",\"Status\":\"x\",\"Time\":\"2026-01-01T00:00:00Z\"}\n"
                    + "{\"Type\":\"container\",\"Status\":\"x\",\"Time\":\"yesterday\"}\n[1,2]\n\n",
                    StandardOpenOption.APPEND);
            e.write(ctr("start", T0.plusSeconds(1), "a1", "one", Map.of()));
            List<Event> got = readAll(e);
            assertEquals(List.of("create", "start"), got.stream().map(Event::status).collect(Collectors.toList()));
        }
    }

    @Test
    public void missingFileReadsNothing() throws Exception {
        try (Eventer e = open(0)) {
            assertTrue(readAll(e).isEmpty());
            assertTrue(Files.isDirectory(file().getParent()));
        }
    }

    @Test
    public void blankPathIsAConfigError() {
        try {
            new FileEventerProvider().open(Contexts.file(" ", 0));
            fail("blank path accepted");
        } catch (JpodException ex) {
            assertEquals(ErrorCode.CONFIG_INVALID, ex.code());
            assertTrue(ex.getMessage(), ex.getMessage().contains("events_logfile_path"));
        }
    }

    @Test
    public void rotationKeepsTheNewestEventsInOrder() throws Exception {
        long max = 1000;
        int n = 40;
        try (Eventer e = open(max)) {
            for (int i = 0; i < n; i++) {
                e.write(ctr("start", T0.plusSeconds(i), "id" + i, "c" + i, Map.of()));
            }
            Path rotated = Path.of(file() + ".1");
            assertTrue(Files.exists(rotated));
            assertTrue(Files.size(file()) <= max);
            assertTrue(Files.size(rotated) <= max);

            List<Event> got = readAll(e, "type=container");
            assertTrue("kept " + got.size(), got.size() >= 5 && got.size() < n);
            // the kept events are the newest ones, contiguous and in order: none lost between .1 and the file
            int first = n - got.size();
            for (int i = 0; i < got.size(); i++) {
                assertEquals("id" + (first + i), got.get(i).id());
            }
            List<Event> rotations = readAll(e, "type=system", "event=log-rotation");
            assertFalse(rotations.isEmpty());
        }
    }

    @Test(timeout = 20000)
    public void followGetsNewEventsAndStopsWhenTheSinkSaysSo() throws Exception {
        try (Eventer e = open(0)) {
            e.write(ctr("create", T0, "old", "old", Map.of()));
            List<Event> seen = new CopyOnWriteArrayList<>();
            CountDownLatch first = new CountDownLatch(1);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread reader = new Thread(() -> {
                try {
                    e.read(new EventReadOptions(List.of("type=container"), null, null, true), ev -> {
                        seen.add(ev);
                        first.countDown();
                        return seen.size() < 4;
                    });
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            reader.start();
            assertTrue(first.await(5, TimeUnit.SECONDS));
            e.write(ctr("start", Instant.now(), "new1", "n1", Map.of()));
            e.write(new Event(Event.Type.SYSTEM, "refresh", Instant.now(), null, null, null, null, Map.of()));
            Thread.sleep(250);
            e.write(ctr("start", Instant.now(), "new2", "n2", Map.of()));
            e.write(ctr("start", Instant.now(), "new3", "n3", Map.of()));
            e.write(ctr("start", Instant.now(), "new4", "n4", Map.of()));
            reader.join(5000);
            assertFalse("reader still running", reader.isAlive());
            assertNull(failure.get());
            assertEquals(List.of("old", "new1", "new2", "new3"),
                    seen.stream().map(Event::id).collect(Collectors.toList()));
        }
    }

    @Test(timeout = 20000)
    public void followStopsWhenInterrupted() throws Exception {
        try (Eventer e = open(0)) {
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread reader = new Thread(() -> {
                try {
                    e.read(new EventReadOptions(List.of(), null, null, true), ev -> true);
                } catch (Throwable t) {
                    thrown.set(t);
                }
            });
            reader.start();
            Thread.sleep(300);
            assertTrue(reader.isAlive());
            reader.interrupt();
            reader.join(5000);
            assertFalse(reader.isAlive());
            assertTrue(String.valueOf(thrown.get()), thrown.get() instanceof InterruptedException);
        }
    }

    @Test(timeout = 20000)
    public void followStopsWhenUntilPassesAndWhenClosed() throws Exception {
        Eventer e = open(0);
        long t = System.nanoTime();
        e.read(new EventReadOptions(List.of(), null, Instant.now().plusMillis(300), true), ev -> true);
        assertTrue(System.nanoTime() - t >= TimeUnit.MILLISECONDS.toNanos(250));

        Thread reader = new Thread(() -> {
            try {
                e.read(new EventReadOptions(List.of(), null, null, true), ev -> true);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        });
        reader.start();
        Thread.sleep(200);
        e.close();
        reader.join(5000);
        assertFalse(reader.isAlive());
    }

    @Test(timeout = 30000)
    public void followAcrossRotationLosesNothing() throws Exception {
        try (Eventer e = open(1200)) {
            List<String> seen = new CopyOnWriteArrayList<>();
            Thread reader = new Thread(() -> {
                try {
                    e.read(new EventReadOptions(List.of("type=container"), null, null, true), ev -> {
                        seen.add(ev.id());
                        return !"last".equals(ev.id());
                    });
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            });
            reader.start();
            Thread.sleep(200);
            List<String> written = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                String id = i == 29 ? "last" : "r" + i;
                e.write(ctr("start", Instant.now(), id, "c", Map.of()));
                written.add(id);
                Thread.sleep(40);
            }
            reader.join(5000);
            assertFalse(reader.isAlive());
            assertTrue(Files.exists(Path.of(file() + ".1")));
            assertEquals(written, seen);
        }
    }

    @Test(timeout = 60000)
    public void concurrentThreadsWriteWholeLines() throws Exception {
        int threads = 4;
        int each = 150;
        String pad = "p".repeat(3000);
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String tag = "t" + t;
            Eventer e = open(0); // one eventer per thread: the JVM lock is per file, not per eventer
            ts.add(new Thread(() -> {
                for (int i = 0; i < each; i++) {
                    e.write(ctr("start", Instant.now(), tag + "-" + i, tag, Map.of("pad", pad)));
                }
            }));
        }
        ts.forEach(Thread::start);
        for (Thread t : ts) {
            t.join();
        }
        assertWholeLines(threads * each, pad);
    }

    @Test(timeout = 120000)
    public void concurrentProcessesWriteWholeLines() throws Exception {
        int each = 300;
        int padLength = 5000;
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> ps = new ArrayList<>();
        for (String tag : List.of("p1", "p2")) {
            ps.add(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    "-Dorg.slf4j.simpleLogger.logFile=System.err", WriterMain.class.getName(), file().toString(), tag,
                    String.valueOf(each), String.valueOf(padLength)).redirectErrorStream(true)
                    .redirectOutput(new File(tmp.getRoot(), tag + ".out")).start());
        }
        for (Process p : ps) {
            assertTrue(p.waitFor(100, TimeUnit.SECONDS));
            assertEquals(Files.readString(tmp.getRoot().toPath().resolve("p1.out")), 0, p.exitValue());
        }
        assertWholeLines(2 * each, "x".repeat(padLength));
    }

    private void assertWholeLines(int expected, String pad) throws Exception {
        List<String> lines = Files.readAllLines(file(), StandardCharsets.UTF_8);
        assertEquals(expected, lines.size());
        Set<String> ids = new HashSet<>();
        for (String line : lines) {
            Event ev = EventJson.parse(line); // throws on a torn line
            assertEquals(pad, ev.attributes().get("pad"));
            ids.add(ev.id());
        }
        assertEquals(expected, ids.size());
        try (Eventer e = open(0)) {
            assertEquals(expected, readAll(e).size());
        }
    }
}
