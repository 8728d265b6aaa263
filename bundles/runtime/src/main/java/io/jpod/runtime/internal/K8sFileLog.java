package io.jpod.runtime.internal;

import io.jpod.api.LogLine;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/** Reads conmon's k8s-file logs: {@code <RFC3339 time> <stream> <F|P> <text>}, P marking a partial line. */
final class K8sFileLog {
    private K8sFileLog() {
    }

    /** The whole log, partial lines joined: the last {@code tail} lines when positive, those at or after {@code since}. */
    static List<LogLine> read(Path file, int tail, Instant since) throws IOException {
        LogFollower f = new LogFollower(file);
        List<LogLine> lines = f.join(f.next()).stream().filter(l -> since == null || !l.time().isBefore(since))
                .toList();
        return tail > 0 && lines.size() > tail ? lines.subList(lines.size() - tail, lines.size()) : lines;
    }
}
