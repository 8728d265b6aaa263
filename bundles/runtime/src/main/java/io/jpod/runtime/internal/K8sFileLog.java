package io.jpod.runtime.internal;

import io.jpod.api.LogLine;
import io.jpod.api.LogOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Reads conmon's k8s-file logs: {@code <RFC3339 time> <stream> <F|P> <text>}, P marking a partial line. */
final class K8sFileLog {
    private K8sFileLog() {
    }

    /**
     * The log's lines, partial lines joined: the last {@code tail} lines when positive (found from the file's
     * end), those at or after {@code since}.
     */
    static List<LogLine> read(Path file, int tail, Instant since) throws IOException {
        List<LogLine> lines = new ArrayList<>();
        try (LogFollower f = new LogFollower(file)) {
            f.read(new LogOptions(tail > 0 ? tail : -1, since, null, false), () -> false, lines::add, 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // a read without follow does not wait
        }
        return lines;
    }
}
