package io.jpod.runtime.internal;

import io.jpod.api.LogLine;
import io.jpod.api.LogOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * Reads a k8s-file log (conmon's {@code <RFC3339 time> <stream> <F|P> <text>} lines) as it grows: each
 * {@link #next()} returns the whole lines written since the one before. A line being written is left for the
 * next call; a file that shrank (conmon truncates it at log_size_max) is read again from its start.
 */
final class LogFollower {

    /** One line of the file; {@code partial} when conmon cut the output line there (a {@code P} line). */
    record Entry(Instant time, String stream, boolean partial, String text) {

        /** The bytes the process wrote: the text, and the newline a full line ended with. */
        byte[] bytes() {
            return (partial ? text : text + "\n").getBytes(StandardCharsets.UTF_8);
        }
    }

    private static final int CHUNK = 64 * 1024;
    private final Path file;
    private long offset;
    private final StringBuilder joining = new StringBuilder();

    LogFollower(Path file) {
        this.file = file;
    }

    /** The whole lines appended since the last call; empty when there are none or no file yet. */
    List<Entry> next() throws IOException {
        List<Entry> out = new ArrayList<>();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < offset) {
                offset = 0;
            }
            ByteBuffer buf = ByteBuffer.allocate(CHUNK);
            java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
            long pos = offset;
            while (pos < size) {
                buf.clear();
                int n = ch.read(buf, pos);
                if (n <= 0) {
                    break;
                }
                byte[] b = buf.array();
                for (int i = 0; i < n; i++) {
                    if (b[i] == '\n') {
                        parse(line.toString(StandardCharsets.UTF_8), out);
                        line.reset();
                        offset = pos + i + 1;
                    } else {
                        line.write(b[i]);
                    }
                }
                pos += n;
            }
        } catch (NoSuchFileException e) {
            return List.of();
        }
        return out;
    }

    static void parse(String raw, List<Entry> out) {
        String[] f = raw.split(" ", 4);
        if (f.length < 3) {
            return;
        }
        try {
            Instant time = OffsetDateTime.parse(f[0]).toInstant();
            out.add(new Entry(time, f[1], f[2].startsWith("P"), f.length == 4 ? f[3] : ""));
        } catch (DateTimeParseException e) {
            // not a log line
        }
    }

    /** The log lines the entries complete, partial lines joined to the line that ends them. */
    List<LogLine> join(List<Entry> entries) {
        List<LogLine> lines = new ArrayList<>();
        for (Entry e : entries) {
            joining.append(e.text());
            if (!e.partial()) {
                lines.add(new LogLine(e.time(), e.stream(), joining.toString()));
                joining.setLength(0);
            }
        }
        return lines;
    }

    /**
     * Reads the log into {@code sink} as {@link io.jpod.api.Containers#logs(String, LogOptions, Predicate)} says:
     * the lines present now (the last {@code tail} of them when not negative, those in [since, until)); with
     * follow, then the lines that come, until {@code running} says the writer stopped (the log is read once
     * more after that, so nothing written before the exit is missed), {@code until} passes, the sink returns
     * false or the thread is interrupted.
     */
    void read(LogOptions o, BooleanSupplier running, Predicate<LogLine> sink, long pollMillis)
            throws IOException, InterruptedException {
        boolean alive = o.follow() && running.getAsBoolean();
        Deque<LogLine> first = new ArrayDeque<>();
        for (LogLine l : join(next())) {
            if (wanted(l, o)) {
                first.addLast(l);
                if (o.tail() >= 0 && first.size() > o.tail()) {
                    first.removeFirst();
                }
            }
        }
        for (LogLine l : first) {
            if (!sink.test(l)) {
                return;
            }
        }
        while (alive) {
            if (o.until() != null && !Instant.now().isBefore(o.until())) {
                return;
            }
            Thread.sleep(pollMillis);
            alive = running.getAsBoolean();
            for (LogLine l : join(next())) {
                if (o.until() != null && !l.time().isBefore(o.until())) {
                    return;
                }
                if (wanted(l, o) && !sink.test(l)) {
                    return;
                }
            }
        }
    }

    private static boolean wanted(LogLine l, LogOptions o) {
        return (o.since() == null || !l.time().isBefore(o.since()))
                && (o.until() == null || l.time().isBefore(o.until()));
    }
}
