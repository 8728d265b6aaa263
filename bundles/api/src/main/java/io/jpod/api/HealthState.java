package io.jpod.api;

import java.time.Instant;
import java.util.List;

/**
 * A running container's health, as Docker's State.Health and podman's HealthCheckResults.
 *
 * @param status        {@code starting}, {@code healthy} or {@code unhealthy}
 * @param failingStreak consecutive failed checks that counted
 * @param log           the last {@link #MAX_LOG} results, oldest first
 */
public record HealthState(String status, int failingStreak, List<Result> log) {
    public static final String STARTING = "starting", HEALTHY = "healthy", UNHEALTHY = "unhealthy";
    /** Results kept, as Docker and podman keep them. */
    public static final int MAX_LOG = 5;

    public HealthState {
        log = log == null ? List.of() : List.copyOf(log);
    }

    public static HealthState starting() {
        return new HealthState(STARTING, 0, List.of());
    }

    /**
     * One check's result.
     *
     * @param start    when it started
     * @param end      when it ended
     * @param exitCode its exit code; -1 when it timed out or could not run
     * @param output   its stdout and stderr, cut at 4 KiB
     */
    public record Result(Instant start, Instant end, int exitCode, String output) {
    }
}
