package io.jpod.runtime.internal;

import io.jpod.api.LogLine;
import io.jpod.api.LogOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * Reads a k8s-file log (conmon's {@code <RFC3339 time> <stream> <F|P> <text>} lines) as it grows: each
 * {@link #next()} gives the whole lines written since the one before. A line being written is left for the
 * next call. Nothing is held but the line being read: a log of any size is streamed, and a tail is found by
 * reading from the file's end backwards.
 *
 * <p>At {@code log_size_max} conmon starts a new file and renames it over the log: the follower keeps the
 * file it has open, reads it to its end, then goes on with the new one from its start. A file truncated in
 * place is read again from its start.
 */
final class LogFollower implements AutoCloseable {

    /** One line of the file; {@code partial} when conmon cut the output line there (a {@code P} line). */
    record Entry(Instant time, String stream, boolean partial, String text) {

        /** The bytes the process wrote: the text, and the newline a full line ended with. */
        byte[] bytes() {
            return (partial ? text : text + "\n").getBytes(StandardCharsets.UTF_8);
        }
    }

    /** Where entries of the log go; false stops the reading. */
    @FunctionalInterface
    interface EntrySink {
        boolean accept(Entry e);
    }

    private static final int CHUNK = 64 * 1024;
    /** A header (time, stream, F/P) fits in this; a line's text is not needed to find a tail. */
    private static final int HEADER = 96;
    /**
     * A line joined from partial lines is given out at this length even without its end: a process that
     * never writes a newline must not make the reader hold all it wrote.
     */
    static final int MAX_JOINED = 1 << 20;

    private final Path file;
    private FileChannel channel;
    private Object fileKey;
    private long offset;
    private final StringBuilder joining = new StringBuilder();
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    LogFollower(Path file) {
        this.file = file;
    }

    /** The whole lines appended since the last call; empty when there are none or no file yet. */
    List<Entry> next() throws IOException {
        List<Entry> out = new ArrayList<>();
        next(out::add);
        return out;
    }

    /** Gives the whole lines appended since the last call to {@code sink}; false if the sink stopped it. */
    boolean next(EntrySink sink) throws IOException {
        if (channel == null && !open()) {
            return true;
        }
        while (true) {
            if (channel.size() < offset) {
                offset = 0; // truncated in place
            }
            if (!drain(sink)) {
                return false;
            }
            // the whole of the open file is read: has a new one taken its name?
            Object now = keyOf(file);
            if (Objects.equals(now, fileKey)) {
                return true;
            }
            // conmon closes the old file before it renames the new one over it: all of it is there now
            if (!drain(sink)) {
                return false;
            }
            close();
            if (now == null || !open()) {
                return true;
            }
        }
    }

    private boolean open() throws IOException {
        while (true) {
            Object before = keyOf(file);
            if (before == null) {
                return false;
            }
            FileChannel ch;
            try {
                ch = FileChannel.open(file, StandardOpenOption.READ);
            } catch (NoSuchFileException e) {
                return false;
            }
            // the key names the file opened only when no rename came between
            if (Objects.equals(before, keyOf(file))) {
                channel = ch;
                fileKey = before;
                offset = 0;
                line.reset();
                return true;
            }
            ch.close();
        }
    }

    private static Object keyOf(Path file) throws IOException {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Reads the open file from the offset to its end, line by line. */
    private boolean drain(EntrySink sink) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(CHUNK);
        long pos = offset + line.size();
        while (true) {
            buf.clear();
            int n = channel.read(buf, pos);
            if (n <= 0) {
                return true;
            }
            byte[] b = buf.array();
            int from = 0;
            for (int i = 0; i < n; i++) {
                if (b[i] == '\n') {
                    line.write(b, from, i - from);
                    from = i + 1;
                    offset = pos + i + 1;
                    Entry e = parse(line.toString(StandardCharsets.UTF_8));
                    line.reset();
                    if (e != null && !sink.accept(e)) {
                        return false;
                    }
                }
            }
            line.write(b, from, n - from);
            pos += n;
        }
    }

    static Entry parse(String raw) {
        String[] f = raw.split(" ", 4);
        if (f.length < 3) {
            return null;
        }
        try {
            Instant time = OffsetDateTime.parse(f[0]).toInstant();
            return new Entry(time, f[1], f[2].startsWith("P"), f.length == 4 ? f[3] : "");
        } catch (DateTimeParseException e) {
            return null; // not a log line
        }
    }

    /** The log lines the entries complete, partial lines joined to the line that ends them. */
    List<LogLine> join(List<Entry> entries) {
        List<LogLine> lines = new ArrayList<>();
        for (Entry e : entries) {
            LogLine l = join(e);
            if (l != null) {
                lines.add(l);
            }
        }
        return lines;
    }

    /** The log line this entry completes, or null while a line is still partial. */
    private LogLine join(Entry e) {
        joining.append(e.text());
        if (e.partial() && joining.length() < MAX_JOINED) {
            return null;
        }
        LogLine l = new LogLine(e.time(), e.stream(), joining.toString());
        joining.setLength(0);
        return l;
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
        if (o.tail() >= 0 && open()) {
            offset = tailStart(o.tail(), o.since(), o.until());
        }
        boolean[] past = {false};
        EntrySink first = e -> {
            LogLine l = join(e);
            return l == null || !wanted(l, o) || sink.test(l);
        };
        if (!next(first)) {
            return;
        }
        long[] read = {0};
        EntrySink more = e -> {
            read[0]++;
            LogLine l = join(e);
            if (l == null) {
                return true;
            }
            if (o.until() != null && !l.time().isBefore(o.until())) {
                past[0] = true;
                return false;
            }
            return !wanted(l, o) || sink.test(l);
        };
        while (alive) {
            if (o.until() != null && !Instant.now().isBefore(o.until())) {
                return;
            }
            // a log that grows is looked at again soon: conmon may start a new file at log_size_max, and the
            // one before is lost to a follower that looks only after the next one too was started
            Thread.sleep(read[0] > 0 ? Math.max(1, pollMillis / 10) : pollMillis);
            read[0] = 0;
            alive = running.getAsBoolean();
            if (!next(more) || past[0]) {
                return;
            }
        }
    }

    /**
     * Where the last {@code tail} whole lines in [since, until) of the open file begin, read from its end
     * backwards: just after the full line before them, or the file's start.
     */
    private long tailStart(int tail, Instant since, Instant until) throws IOException {
        long end = channel.size();
        int counted = 0;
        ByteBuffer buf = ByteBuffer.allocate(CHUNK);
        // the end of the last whole line: a line being written is not part of the tail
        long lineEnd = -1;
        long pos = end;
        while (pos > 0) {
            int len = (int) Math.min(CHUNK, pos);
            long at = pos - len;
            buf.clear().limit(len);
            while (buf.hasRemaining()) {
                if (channel.read(buf, at + buf.position()) < 0) {
                    break;
                }
            }
            byte[] b = buf.array();
            for (int i = buf.position() - 1; i >= 0; i--) {
                if (b[i] != '\n') {
                    continue;
                }
                long nl = at + i;
                if (lineEnd >= 0) {
                    // the line in (nl, lineEnd) is whole
                    Entry e = header(nl + 1, lineEnd);
                    if (e != null && !e.partial() && (until == null || e.time().isBefore(until))) {
                        if (counted == tail || (since != null && e.time().isBefore(since))) {
                            return lineEnd + 1;
                        }
                        counted++;
                    }
                }
                lineEnd = nl;
            }
            pos = at;
        }
        if (lineEnd >= 0) {
            Entry e = header(0, lineEnd);
            if (e != null && !e.partial() && (until == null || e.time().isBefore(until))
                    && (counted == tail || (since != null && e.time().isBefore(since)))) {
                return lineEnd + 1;
            }
        }
        return 0;
    }

    /** The entry of the line in [from, to) without its text (only its header is read). */
    private Entry header(long from, long to) throws IOException {
        ByteBuffer h = ByteBuffer.allocate((int) Math.min(HEADER, to - from));
        while (h.hasRemaining()) {
            if (channel.read(h, from + h.position()) < 0) {
                break;
            }
        }
        String s = new String(h.array(), 0, h.position(), StandardCharsets.UTF_8);
        String[] f = s.split(" ", 4);
        if (f.length < 3 || f[2].isEmpty()) {
            return null;
        }
        return parse(f[0] + " " + f[1] + " " + f[2]);
    }

    private static boolean wanted(LogLine l, LogOptions o) {
        return (o.since() == null || !l.time().isBefore(o.since()))
                && (o.until() == null || l.time().isBefore(o.until()));
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
            fileKey = null;
        }
    }
}
