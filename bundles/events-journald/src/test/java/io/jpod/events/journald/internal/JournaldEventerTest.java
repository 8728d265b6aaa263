package io.jpod.events.journald.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpod.api.ErrorCode;
import io.jpod.api.Event;
import io.jpod.api.JpodException;
import io.jpod.api.EventReadOptions;
import io.jpod.spi.events.Eventer;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.Assume;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class JournaldEventerTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00.123456789Z");

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static Event died() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("app", "web");
        labels.put("note", "two\nlines");
        return new Event(Event.Type.CONTAINER, "died", T0, "0123abcd", "web", "docker.io/library/busybox:latest", 3,
                labels);
    }

    private static String journalLine(Event e) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("__REALTIME_TIMESTAMP", "1764324000123456");
        n.put("_PID", "42");
        JournalFields.of(e).forEach(n::put);
        return n.toString();
    }

    private Path script(String name, String body) throws Exception {
        Path p = tmp.getRoot().toPath().resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    // ------------------------------------------------------------ availability

    @Test
    public void missingSocketIsAClearConfigError() {
        Path socket = tmp.getRoot().toPath().resolve("run/systemd/journal/socket");
        try {
            JournaldEventerProvider.open(socket, System.getenv("PATH"));
            fail("opened without a journal");
        } catch (JpodException ex) {
            assertEquals(ErrorCode.CONFIG_INVALID, ex.code());
            assertEquals("events_logger \"journald\" needs systemd-journald, but " + socket
                    + " does not exist: set engine.events_logger to \"file\" or \"none\"", ex.getMessage());
        }
    }

    @Test
    public void theProviderChecksTheRealSocket() {
        Assume.assumeFalse(Files.exists(Path.of(JournaldEventerProvider.JOURNAL_SOCKET)));
        try {
            new JournaldEventerProvider().open(null);
            fail("opened without a journal");
        } catch (JpodException ex) {
            assertEquals(ErrorCode.CONFIG_INVALID, ex.code());
            assertEquals("events_logger \"journald\" needs systemd-journald, but /run/systemd/journal/socket does"
                    + " not exist: set engine.events_logger to \"file\" or \"none\"", ex.getMessage());
        }
    }

    @Test
    public void aFileIsNotASocket() throws Exception {
        Path socket = tmp.newFile("socket").toPath();
        try {
            JournaldEventerProvider.open(socket, System.getenv("PATH"));
            fail("opened with a plain file");
        } catch (JpodException ex) {
            assertEquals(ErrorCode.CONFIG_INVALID, ex.code());
            assertTrue(ex.getMessage(), ex.getMessage().contains("is not a socket"));
        }
    }

    @Test
    public void aSocketAndBothToolsAreNeeded() throws Exception {
        Path socket = tmp.getRoot().toPath().resolve("journal.sock");
        try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            s.bind(UnixDomainSocketAddress.of(socket));
            Path empty = tmp.newFolder("emptybin").toPath();
            try {
                JournaldEventerProvider.open(socket, empty.toString());
                fail("opened without logger");
            } catch (JpodException ex) {
                assertEquals(ErrorCode.CONFIG_INVALID, ex.code());
                assertTrue(ex.getMessage(), ex.getMessage().contains("logger is not on the PATH"));
            }
            Path onlyLogger = tmp.newFolder("onlylogger").toPath();
            script("onlylogger/logger", "exit 0");
            try {
                JournaldEventerProvider.open(socket, onlyLogger.toString());
                fail("opened without journalctl");
            } catch (JpodException ex) {
                assertTrue(ex.getMessage(), ex.getMessage().contains("journalctl is not on the PATH"));
            }
            script("onlylogger/journalctl", "exit 0");
            try (Eventer e = JournaldEventerProvider.open(socket, onlyLogger.toString())) {
                assertEquals("journald", e.name());
            }
        }
    }

    // ------------------------------------------------------------ fields

    @Test
    public void fieldsRoundTrip() throws Exception {
        Event e = died();
        Map<String, String> f = JournalFields.of(e);
        assertEquals("jpod", f.get("SYSLOG_IDENTIFIER"));
        assertEquals("died", f.get("JPOD_EVENT"));
        assertEquals("container", f.get("JPOD_TYPE"));
        assertEquals("2026-11-28T10:00:00.123456789Z", f.get("JPOD_TIME"));
        assertEquals("0123abcd", f.get("JPOD_ID"));
        assertEquals("web", f.get("JPOD_NAME"));
        assertEquals("docker.io/library/busybox:latest", f.get("JPOD_IMAGE"));
        assertEquals("3", f.get("JPOD_EXIT_CODE"));
        f.values().forEach(v -> assertFalse(v, v.contains("\n")));
        assertEquals(e, JournalFields.fromJournal(MAPPER.readTree(journalLine(e))));

        Event sys = new Event(Event.Type.SYSTEM, "refresh", T0, null, null, null, null, Map.of());
        assertEquals(sys, JournalFields.fromJournal(MAPPER.readTree(journalLine(sys))));
    }

    // ------------------------------------------------------------ write and read through the commands

    @Test
    public void writeHandsOneFieldPerLineToLogger() throws Exception {
        Path out = tmp.getRoot().toPath().resolve("fields.txt");
        Path logger = script("logger", "cat > '" + out + "'");
        try (Eventer e = new JournaldEventer(List.of(logger.toString()), List.of("false"))) {
            e.write(died());
        }
        List<String> lines = Files.readAllLines(out);
        assertTrue(lines.contains("SYSLOG_IDENTIFIER=jpod"));
        assertTrue(lines.contains("JPOD_EVENT=died"));
        assertTrue(lines.contains("JPOD_LABELS={\"app\":\"web\",\"note\":\"two\\nlines\"}"));
        assertEquals(JournalFields.of(died()).size(), lines.size());
    }

    @Test
    public void aFailingLoggerIsAnError() throws Exception {
        Path logger = script("logger", "echo 'no journal' >&2; exit 1");
        try (Eventer e = new JournaldEventer(List.of(logger.toString()), List.of("false"))) {
            e.write(died());
            fail("write reported success");
        } catch (JpodException ex) {
            assertEquals(ErrorCode.INTERNAL, ex.code());
            assertTrue(ex.getMessage(), ex.getMessage().contains("no journal"));
        }
    }

    @Test
    public void readParsesFiltersAndSkipsForeignEntries() throws Exception {
        Path entries = tmp.getRoot().toPath().resolve("entries.json");
        Path args = tmp.getRoot().toPath().resolve("args.txt");
        Event create = new Event(Event.Type.CONTAINER, "create", T0, "aaaa", "web", "busybox", null,
                Map.of("app", "web"));
        Event pod = new Event(Event.Type.POD, "create", T0.plusSeconds(1), "bbbb", "pod1", null, null, Map.of());
        Files.write(entries, List.of(journalLine(create), "{\"MESSAGE\":\"something else\",\"SYSLOG_IDENTIFIER\":\"jpod\"}",
                "{\"MESSAGE\":[1,2,3],\"JPOD_TYPE\":[1,2]}", "not json", journalLine(pod), journalLine(died())));
        Path journalctl = script("journalctl", "echo \"$@\" > '" + args + "'\ncat '" + entries + "'");
        try (JournaldEventer e = new JournaldEventer(List.of("false"), List.of(journalctl.toString()))) {
            List<Event> all = new ArrayList<>();
            e.read(EventReadOptions.all(), all::add);
            assertEquals(List.of(create, pod, died()), all);
            assertEquals("-o json --no-pager SYSLOG_IDENTIFIER=jpod", Files.readString(args).trim());

            List<Event> ctrs = new ArrayList<>();
            e.read(new EventReadOptions(List.of("type=container", "label=app=web"), T0, null, false), ctrs::add);
            assertEquals(List.of(create, died()), ctrs);
            assertEquals("-o json --no-pager --since=@" + T0.getEpochSecond() + " SYSLOG_IDENTIFIER=jpod",
                    Files.readString(args).trim());
        }
    }

    @Test
    public void aFailingJournalctlIsAnError() throws Exception {
        Path journalctl = script("journalctl", "echo 'No journal files were found.' >&2; exit 1");
        try (JournaldEventer e = new JournaldEventer(List.of("false"), List.of(journalctl.toString()))) {
            e.read(EventReadOptions.all(), ev -> true);
            fail("read reported success");
        } catch (JpodException ex) {
            assertEquals(ErrorCode.INTERNAL, ex.code());
            assertTrue(ex.getMessage(), ex.getMessage().contains("No journal files were found."));
        }
    }

    private Path followingJournalctl(Event... events) throws Exception {
        Path entries = tmp.getRoot().toPath().resolve("follow-" + UUID.randomUUID() + ".json");
        List<String> lines = new ArrayList<>();
        for (Event ev : events) {
            lines.add(journalLine(ev));
        }
        Files.write(entries, lines);
        return script("journalctl-" + UUID.randomUUID(), "cat '" + entries + "'\nexec sleep 60");
    }

    @Test(timeout = 20000)
    public void followStopsWhenTheSinkSaysSo() throws Exception {
        Path journalctl = followingJournalctl(died(), died(), died());
        try (JournaldEventer e = new JournaldEventer(List.of("false"), List.of(journalctl.toString()))) {
            assertTrue(e.readCommand(new EventReadOptions(List.of(), null, null, true)).containsAll(
                    List.of("-f", "--no-tail")));
            List<Event> seen = new ArrayList<>();
            e.read(new EventReadOptions(List.of(), null, null, true), ev -> {
                seen.add(ev);
                return seen.size() < 2;
            });
            assertEquals(2, seen.size());
        }
    }

    @Test(timeout = 20000)
    public void followStopsWhenInterruptedOrUntilPasses() throws Exception {
        Path journalctl = followingJournalctl(died());
        try (JournaldEventer e = new JournaldEventer(List.of("false"), List.of(journalctl.toString()))) {
            List<Event> seen = new CopyOnWriteArrayList<>();
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread reader = new Thread(() -> {
                try {
                    e.read(new EventReadOptions(List.of(), null, null, true), seen::add);
                } catch (Throwable t) {
                    thrown.set(t);
                }
            });
            reader.start();
            long deadline = System.currentTimeMillis() + 5000;
            while (seen.isEmpty() && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(1, seen.size());
            assertTrue(reader.isAlive());
            reader.interrupt();
            reader.join(5000);
            assertFalse(reader.isAlive());
            assertTrue(String.valueOf(thrown.get()), thrown.get() instanceof InterruptedException);

            long t = System.nanoTime();
            e.read(new EventReadOptions(List.of(), null, Instant.now().plusMillis(300), true), ev -> true);
            assertTrue((System.nanoTime() - t) / 1_000_000 >= 250);
        }
    }

    // ------------------------------------------------------------ the real journal, where there is one

    @Test(timeout = 60000)
    public void realJournalRoundTrip() throws Exception {
        Assume.assumeTrue("no systemd-journald here", Files.exists(Path.of(JournaldEventerProvider.JOURNAL_SOCKET)));
        String id = UUID.randomUUID().toString().replace("-", "");
        Event e = new Event(Event.Type.CONTAINER, "start", Instant.now(), id, "jpod-test", "busybox", null,
                Map.of("app", "test"));
        try (Eventer ev = new JournaldEventerProvider().open(null)) {
            ev.write(e);
            List<Event> seen = new ArrayList<>();
            for (int i = 0; i < 50 && seen.isEmpty(); i++) {
                ev.read(new EventReadOptions(List.of("id=" + id), e.time().minusSeconds(5), null, false), seen::add);
                if (seen.isEmpty()) {
                    Thread.sleep(100);
                }
            }
            assertEquals(List.of(e), seen.stream().collect(Collectors.toList()));
        }
    }

    @Test(timeout = 60000)
    public void realJournalFollow() throws Exception {
        Assume.assumeTrue("no systemd-journald here", Files.exists(Path.of(JournaldEventerProvider.JOURNAL_SOCKET)));
        String name = "jpod-follow-" + UUID.randomUUID();
        Instant start = Instant.now();
        try (Eventer ev = new JournaldEventerProvider().open(null)) {
            List<String> seen = new CopyOnWriteArrayList<>();
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread reader = new Thread(() -> {
                try {
                    ev.read(new EventReadOptions(List.of("name=" + name), start.minusSeconds(2), null, true), e -> {
                        seen.add(e.status());
                        return seen.size() < 2;
                    });
                } catch (Throwable t) {
                    thrown.set(t);
                }
            });
            reader.start();
            Thread.sleep(500);
            ev.write(new Event(Event.Type.CONTAINER, "create", Instant.now(), "f1", name, "busybox", null, Map.of()));
            ev.write(new Event(Event.Type.CONTAINER, "start", Instant.now(), "f1", name, "busybox", null, Map.of()));
            reader.join(20000);
            assertFalse(reader.isAlive());
            assertEquals(null, thrown.get());
            assertEquals(List.of("create", "start"), seen);
        }
    }
}
