package io.jpod.events.journald.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jpod.api.ErrorCode;
import io.jpod.api.Event;
import io.jpod.api.JpodException;
import io.jpod.spi.events.EventFilters;
import io.jpod.api.EventReadOptions;
import io.jpod.spi.events.Eventer;
import io.jpod.util.internal.HelperProcess;
import io.jpod.util.internal.HelperTimeoutException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Events in the systemd journal, as libpod's EventJournalD (events/journal_linux.go).
 *
 * <p><b>Writing.</b> Java 17 cannot send unix-domain datagrams, which journald's native protocol needs,
 * so each event is handed to {@code logger --journald} (util-linux; it sends the fields with
 * sd_journal_sendv): one {@code FIELD=value} line per field on its standard input. That costs a process
 * per event; a failure is a {@link JpodException} ({@link ErrorCode#INTERNAL}) that callers log, as
 * libpod's callers of Eventer.Write do.
 *
 * <p><b>Reading.</b> {@code journalctl -o json --no-pager SYSLOG_IDENTIFIER=jpod} (with
 * {@code --since=@<seconds>} when since is set, and {@code -f --no-tail} with follow); each line is one
 * entry, turned into an event, filtered with {@link EventFilters} and handed to the sink. Entries that
 * are not events are skipped with a debug message. With follow it returns when the sink returns false,
 * when {@code until} has passed, when the eventer is closed or when journalctl ends; when the thread is
 * interrupted it throws {@link InterruptedException}. journalctl is ended in every case.
 */
final class JournaldEventer implements Eventer {
    static final long POLL_MILLIS = 100;
    private static final Logger LOG = LoggerFactory.getLogger(JournaldEventer.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** How long logger may take to hand one event to journald. */
    static final Duration WRITE_TIMEOUT = Duration.ofSeconds(10);

    private final List<String> logger;
    private final List<String> journalctl;
    private volatile boolean closed;

    /**
     * @param logger     the command that reads fields from its standard input, e.g. {@code logger --journald}
     * @param journalctl the journalctl command, to which the read's arguments are appended
     */
    JournaldEventer(List<String> logger, List<String> journalctl) {
        this.logger = List.copyOf(logger);
        this.journalctl = List.copyOf(journalctl);
    }

    @Override
    public String name() {
        return "journald";
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public void write(Event event) {
        Objects.requireNonNull(event, "event");
        StringBuilder in = new StringBuilder();
        for (Map.Entry<String, String> f : JournalFields.of(event).entrySet()) {
            in.append(f.getKey()).append('=').append(f.getValue()).append('\n');
        }
        String command = String.join(" ", logger);
        HelperProcess.Result r;
        try {
            // an event is written even by a thread being interrupted (a stop): the wait goes on through it
            r = HelperProcess.of(logger).input(in.toString().getBytes(StandardCharsets.UTF_8))
                    .timeout(WRITE_TIMEOUT).uninterruptible().run();
        } catch (HelperTimeoutException ex) {
            throw new JpodException(ErrorCode.INTERNAL, "cannot write event to the journal: " + command
                    + " did not finish in " + WRITE_TIMEOUT.toSeconds() + "s", ex);
        } catch (IOException ex) {
            throw new JpodException(ErrorCode.INTERNAL, "cannot write event to the journal with " + command + ": "
                    + ex, ex);
        }
        if (!r.ok()) {
            throw new JpodException(ErrorCode.INTERNAL, "cannot write event to the journal: " + command
                    + " exited with " + r.exitCode() + ": " + r.err());
        }
    }

    /** Waits without being cut short by an interrupt, which is handed back afterwards. */
    private static boolean waitFor(Process p, long seconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException ex) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    List<String> readCommand(EventReadOptions options) {
        List<String> cmd = new ArrayList<>(journalctl);
        cmd.add("-o");
        cmd.add("json");
        cmd.add("--no-pager");
        if (options.since() != null) {
            cmd.add("--since=@" + options.since().getEpochSecond());
        }
        if (options.follow()) {
            cmd.add("-f");
            cmd.add("--no-tail");
        }
        cmd.add("SYSLOG_IDENTIFIER=" + JournalFields.IDENTIFIER);
        return cmd;
    }

    @Override
    public void read(EventReadOptions options, Predicate<Event> sink) throws InterruptedException {
        Predicate<Event> filter = EventFilters.of(options);
        if (Thread.interrupted()) {
            throw new InterruptedException("reading events from the journal was interrupted");
        }
        List<String> cmd = readCommand(options);
        Process p = null;
        Path err = null;
        try {
            err = Files.createTempFile("jpod-journalctl", ".err");
            p = new ProcessBuilder(cmd).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE)
                    .start();
            p.getOutputStream().close();
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                if (!pump(r, p, options, filter, sink)) {
                    return;
                }
            }
            if (!options.follow() && waitFor(p, 10) && p.exitValue() != 0) {
                throw new JpodException(ErrorCode.INTERNAL, "cannot read events from the journal: "
                        + String.join(" ", cmd) + " exited with " + p.exitValue() + ": "
                        + Files.readString(err).trim());
            }
        } catch (IOException ex) {
            throw new JpodException(ErrorCode.INTERNAL, "cannot read events from the journal with "
                    + String.join(" ", cmd) + ": " + ex, ex);
        } finally {
            if (p != null) {
                p.destroy();
                if (!waitFor(p, 2)) {
                    p.destroyForcibly();
                }
            }
            if (err != null) {
                try {
                    Files.deleteIfExists(err);
                } catch (IOException ex) {
                    LOG.debug("removing {}: {}", err, ex.toString());
                }
            }
        }
    }

    /** False when it stopped before journalctl's output ended (sink, until, close). */
    private boolean pump(BufferedReader r, Process p, EventReadOptions options, Predicate<Event> filter,
            Predicate<Event> sink) throws IOException, InterruptedException {
        while (true) {
            if (!options.follow() || r.ready()) {
                String line = r.readLine();
                if (line == null) {
                    return true;
                }
                if (!handle(line, filter, sink)) {
                    return false;
                }
                continue;
            }
            // follow and nothing to read now: never block in readLine, so that until, close and
            // interrupts are noticed
            if (!p.isAlive()) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (!handle(line, filter, sink)) {
                        return false;
                    }
                }
                return true;
            }
            if (closed || options.until() != null && Instant.now().isAfter(options.until())) {
                return false;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException("following events in the journal was interrupted");
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    private static boolean handle(String line, Predicate<Event> filter, Predicate<Event> sink) {
        if (line.isBlank()) {
            return true;
        }
        Event e;
        try {
            JsonNode n = MAPPER.readTree(line);
            e = JournalFields.fromJournal(n);
        } catch (IOException | IllegalArgumentException ex) {
            LOG.debug("skipping a journal entry that is not a jpod event ({}): {}", ex.getMessage(),
                    line.length() > 200 ? line.substring(0, 200) + "..." : line);
            return true;
        }
        return !filter.test(e) || sink.test(e);
    }
}
