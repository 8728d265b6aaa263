package io.jpod.runtime.internal;

import io.jpod.api.HealthState;
import io.jpod.util.internal.AtomicFiles;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The containers' health as it was last recorded, one {@code healthcheck.log} per container under the engine's
 * tmp dir (as podman keeps one in the container's run dir), so that a restarted service shows and goes on from
 * what it found. Root-only files; written whole, atomically.
 */
final class HealthLog {
    private static final Logger LOG = LoggerFactory.getLogger(HealthLog.class);
    /** More than this is no file of ours. */
    private static final long MAX_BYTES = 1 << 20;

    private final Path dir;

    HealthLog(Path tmpDir) {
        this.dir = tmpDir.resolve("healthcheck");
    }

    Path file(String id) {
        if (id == null || !id.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("not a container ID: " + id);
        }
        return dir.resolve(id).resolve("healthcheck.log");
    }

    void write(String id, HealthState s) {
        Properties p = new Properties();
        p.setProperty("status", s.status());
        p.setProperty("failingStreak", Integer.toString(s.failingStreak()));
        for (int i = 0; i < s.log().size(); i++) {
            HealthState.Result r = s.log().get(i);
            p.setProperty("log." + i + ".start", r.start().toString());
            p.setProperty("log." + i + ".end", r.end().toString());
            p.setProperty("log." + i + ".exitCode", Integer.toString(r.exitCode()));
            p.setProperty("log." + i + ".output", r.output());
        }
        StringWriter w = new StringWriter();
        try {
            p.store(w, null);
            Path f = file(id);
            Files.createDirectories(f.getParent(), PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
            AtomicFiles.write(f, w.toString().getBytes(StandardCharsets.UTF_8), AtomicFiles.OWNER_ONLY);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the health of container " + id + ": " + e.getMessage(), e);
        }
    }

    /** What was recorded, or empty when nothing was (or what is there is no health log of ours). */
    Optional<HealthState> read(String id) {
        Path f = file(id);
        try {
            if (Files.size(f) > MAX_BYTES) {
                LOG.warn("ignoring the health log {}: larger than {} bytes", f, MAX_BYTES);
                return Optional.empty();
            }
            Properties p = new Properties();
            p.load(new StringReader(Files.readString(f, StandardCharsets.UTF_8)));
            String status = p.getProperty("status", "");
            if (!List.of(HealthState.STARTING, HealthState.HEALTHY, HealthState.UNHEALTHY).contains(status)) {
                return Optional.empty();
            }
            List<HealthState.Result> log = new ArrayList<>();
            for (int i = 0; i < HealthState.MAX_LOG && p.containsKey("log." + i + ".start"); i++) {
                String at = "log." + i + ".";
                log.add(new HealthState.Result(Instant.parse(p.getProperty(at + "start")),
                        Instant.parse(p.getProperty(at + "end")), Integer.parseInt(p.getProperty(at + "exitCode")),
                        p.getProperty(at + "output", "")));
            }
            return Optional.of(new HealthState(status, Math.max(0, Integer.parseInt(p.getProperty("failingStreak",
                    "0"))), log));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | IllegalArgumentException | DateTimeParseException | NullPointerException e) {
            LOG.warn("ignoring the health log {}: {}", f, e.toString());
            return Optional.empty();
        }
    }

    void remove(String id) {
        Path f = file(id);
        try {
            Files.deleteIfExists(f);
            Files.deleteIfExists(f.getParent());
        } catch (IOException e) {
            LOG.warn("cannot remove the health log {}: {}", f, e.getMessage());
        }
    }
}
