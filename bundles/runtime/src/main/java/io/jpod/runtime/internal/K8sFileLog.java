package io.jpod.runtime.internal;

import io.jpod.api.LogLine;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** Reads conmon's k8s-file logs: {@code <RFC3339 time> <stream> <F|P> <text>}, P marking a partial line. */
final class K8sFileLog {
    private K8sFileLog() {
    }

    static List<LogLine> read(Path file, int tail, Instant since) throws IOException {
        Deque<LogLine> lines = new ArrayDeque<>();
        StringBuilder partial = new StringBuilder();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String raw;
            while ((raw = r.readLine()) != null) {
                String[] f = raw.split(" ", 4);
                if (f.length < 3) {
                    continue;
                }
                Instant time;
                try {
                    time = OffsetDateTime.parse(f[0]).toInstant();
                } catch (DateTimeParseException e) {
                    continue;
                }
                partial.append(f.length == 4 ? f[3] : "");
                if (f[2].startsWith("P")) {
                    continue;
                }
                LogLine line = new LogLine(time, f[1], partial.toString());
                partial.setLength(0);
                if (since != null && time.isBefore(since)) {
                    continue;
                }
                lines.addLast(line);
                if (tail > 0 && lines.size() > tail) {
                    lines.removeFirst();
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        }
        return new ArrayList<>(lines);
    }
}
