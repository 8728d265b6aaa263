package io.jpod.cli;

import java.time.Instant;
import java.util.Map;
import picocli.CommandLine.Option;

/** podman's log flags, which {@code logs} and {@code pod logs} share, and the logs call's query they make. */
final class LogFlags {
    @Option(names = {"-f", "--follow"}, description = "Follow log output")
    boolean follow;
    @Option(names = "--tail", description = "Output the specified number of LINES at the end of the logs",
            defaultValue = "-1")
    int tail;
    @Option(names = "--since", description = "Show logs since TIMESTAMP")
    String since;
    @Option(names = "--until", description = "Show logs until TIMESTAMP")
    String until;
    @Option(names = {"-t", "--timestamps"}, description = "Output the timestamps in the log")
    boolean timestamps;

    /** The query of {@code GET /containers/{id}/logs}: both streams, times read as podman reads them. */
    Map<String, Object> query() {
        Instant now = Instant.now();
        return Api.query("follow", follow ? "true" : null, "stdout", "true", "stderr", "true",
                "tail", tail >= 0 ? tail : null,
                "since", since == null ? null : Times.unix(Times.parseInputTime(since, now)),
                "until", until == null ? null : Times.unix(Times.parseInputTime(until, now)),
                "timestamps", timestamps ? "true" : null);
    }
}
