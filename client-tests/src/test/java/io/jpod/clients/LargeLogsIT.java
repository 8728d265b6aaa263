package io.jpod.clients;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.jpod.clients.JpodService.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.Test;

/**
 * Container logs larger than the service should ever hold: a tail of a 200 MB log is read from its end and the
 * whole of it is streamed (by logs, and by an attach that replays it), the service's memory not growing by the
 * log's size; and with {@code log_size_max}
 * the log file stays bounded while a follow still sees every line, across conmon's new files.
 */
public class LargeLogsIT {
    /** 1.4 million lines of 121 bytes: with conmon's 46 bytes of time and stream per line, ~230 MB of log. */
    private static final int LINES = 1_400_000;
    /** What reading the log may add to the service's peak resident memory: far below the log's size. */
    private static final long MEMORY_BOUND = 64L << 20;

    @Test(timeout = 900_000)
    public void aTailOfAHugeLogIsReadFromItsEndAndTheWholeOfItIsStreamedByLogsAndAttach() throws Exception {
        try (JpodService jpod = new JpodService()) {
            String id = ok(jpod, "run", "-d", "--network", "none", "busybox", "awk",
                    "BEGIN { pad = sprintf(\"%0100d\", 0); for (i = 1; i <= " + LINES
                            + "; i++) printf \"line %08d %s\\n\", i, pad }").out();
            assertEquals("0", ok(jpod, "wait", id).out());
            Path log = logPath(jpod, id);
            long size = Files.size(log);
            assertTrue("the log is over 200 MB: " + size, size > 200_000_000L);

            long before = peakResident(jpod);
            Result tail = ok(jpod, "logs", "--tail", "10", id);
            List<String> expected = new ArrayList<>();
            for (int i = LINES - 9; i <= LINES; i++) {
                expected.add("line %08d %s".formatted(i, "0".repeat(100)));
            }
            assertEquals(expected, tail.out().lines().toList());
            long afterTail = peakResident(jpod);
            assertTrue("logs --tail 10 of a " + (size >> 20) + " MiB log grew the service's peak resident memory by "
                    + ((afterTail - before) >> 20) + " MiB", afterTail - before < MEMORY_BOUND);

            // all of it, through the API as the docker CLI reads it: streamed, not gathered
            Result all = jpod.run(List.of("sh", "-c", "docker logs " + id + " | wc -l"), 600);
            assertEquals(all.toString(), Integer.toString(LINES), all.out().trim());
            // and as an attach replays it (libpod's, a 200 whose body is the frames up to the connection's end)
            Result attach = jpod.run(List.of("sh", "-c", "curl -sS --unix-socket " + jpod.socket + " -X POST "
                    + "'http://d/v4.3.1/libpod/containers/" + id + "/attach?logs=1&stream=0&stdout=1&stderr=1' | wc -c"),
                    600);
            // each line a frame: 8 bytes of header, 114 of text and its newline
            assertEquals(attach.toString(), Long.toString(LINES * 123L), attach.out().trim());
            long afterAll = peakResident(jpod);
            System.out.printf("log %d MiB; the service's peak resident memory %d MiB before, %d after the tail, %d after"
                    + " the whole log by logs and attach%n", size >> 20, before >> 20, afterTail >> 20, afterAll >> 20);
            assertTrue("logs of a " + (size >> 20) + " MiB log grew the service's peak resident memory by "
                    + ((afterAll - before) >> 20) + " MiB", afterAll - before < MEMORY_BOUND);
        }
    }

    @Test(timeout = 600_000)
    public void withLogSizeMaxTheFileStaysBoundedAndAFollowSeesEveryLine() throws Exception {
        long max = 1 << 20;
        try (JpodService jpod = new JpodService("[containers]\nlog_size_max = " + max + "\n")) {
            // ~2.6 MB of log in batches of 500 lines (a new file every second or so), after a second in which
            // the follow below begins
            String id = ok(jpod, "run", "-d", "--network", "none", "busybox", "sh", "-c",
                    "sleep 1; pad=$(printf '%0200d' 0); i=0; while [ $i -lt 10000 ]; do echo \"line $i $pad\"; "
                            + "i=$((i+1)); [ $((i % 500)) -eq 0 ] && sleep 0.2; done; true").out();
            Result followed = jpod.run(List.of("docker", "logs", "-f", id), 120);
            assertEquals(followed.toString(), 0, followed.code());
            List<String> lines = followed.out().lines().toList();
            String pad = "0".repeat(200);
            List<String> missing = new ArrayList<>();
            for (int i = 0; i < 10000; i++) {
                if (i >= lines.size() || !lines.get(i).equals("line " + i + " " + pad)) {
                    missing.add("line " + i + (i < lines.size() ? " (got " + abbreviated(lines.get(i)) + ")" : ""));
                }
            }
            assertEquals("the follow saw every line once, in order (" + lines.size() + " lines)",
                    List.of(), missing.stream().limit(5).toList());
            assertEquals(10000, lines.size());

            assertEquals("0", ok(jpod, "wait", id).out());
            long size = Files.size(logPath(jpod, id));
            assertTrue("the log file is bounded by log_size_max " + max + ": " + size, size <= max);
            // what the newest file holds is read as usual
            Result tail = ok(jpod, "logs", "--tail", "2", id);
            assertEquals(List.of("line 9998 " + pad, "line 9999 " + pad), tail.out().lines().toList());
        }
    }

    private static String abbreviated(String s) {
        return s.length() > 20 ? s.substring(0, 20) + "..." : s;
    }

    private static Result ok(JpodService jpod, String... args) throws Exception {
        Result r = jpod.docker(args);
        assertEquals("docker " + String.join(" ", args) + ": " + r, 0, r.code());
        return r;
    }

    /** The container's k8s-file log: conmon's {@code <static_dir>/containers/<id>/ctr.log}. */
    private static Path logPath(JpodService jpod, String id) throws Exception {
        Path log = jpod.dir.resolve("engine/containers").resolve(id).resolve("ctr.log");
        assertTrue("the log of " + id + " is at " + log, Files.isRegularFile(log));
        return log;
    }

    /** The service's peak resident memory so far (VmHWM), in bytes. */
    private static long peakResident(JpodService jpod) throws Exception {
        for (String l : Files.readAllLines(Path.of("/proc", Long.toString(jpod.pid()), "status"))) {
            if (l.startsWith("VmHWM:")) {
                return Long.parseLong(l.replaceAll("\\D", "")) * 1024;
            }
        }
        throw new AssertionError("no VmHWM in /proc/" + jpod.pid() + "/status");
    }
}
