package io.jpod.api;

import java.util.List;

/**
 * A container's healthcheck, as Docker's container.HealthConfig and podman's {@code --health-*} flags give it.
 * Durations are in nanoseconds; 0 means the default (Docker's: 30 s interval, 30 s timeout, 3 retries, no start
 * period).
 *
 * @param test        {@code ["CMD", arg...]}, {@code ["CMD-SHELL", command]}, {@code ["NONE"]} (disabled), or an
 *                    argv run as it is; empty inherits the image's
 * @param interval    time between two checks; negative for none at all, only checks run on demand (podman's
 *                    {@code --health-interval disable})
 * @param timeout     time a check may take before it is killed and counts as failed
 * @param retries     consecutive failures that make the container unhealthy
 * @param startPeriod time after the start in which failures do not count while it is still starting
 * @param onFailure   what to do once it is unhealthy: {@code none}, {@code kill}, {@code restart}, {@code stop}
 */
public record Healthcheck(List<String> test, long interval, long timeout, int retries, long startPeriod,
        String onFailure) {
    public static final long DEFAULT_INTERVAL = 30_000_000_000L;
    public static final long DEFAULT_TIMEOUT = 30_000_000_000L;
    public static final int DEFAULT_RETRIES = 3;
    /** Podman's actions on an unhealthy container. */
    public static final List<String> ON_FAILURE = List.of("none", "kill", "restart", "stop");
    /** The disabled healthcheck ({@code --no-healthcheck}, {@code HEALTHCHECK NONE}). */
    public static final Healthcheck NONE = new Healthcheck(List.of("NONE"), 0, 0, 0, 0, "none");

    public Healthcheck {
        test = test == null ? List.of() : List.copyOf(test);
        onFailure = onFailure == null || onFailure.isEmpty() ? "none" : onFailure;
    }

    public Healthcheck(List<String> test, long interval, long timeout, int retries, long startPeriod) {
        this(test, interval, timeout, retries, startPeriod, "none");
    }

    /** {@code ["NONE"]}: no checks run, not even the image's. */
    public boolean disabled() {
        return !test.isEmpty() && "NONE".equals(test.get(0));
    }

    /** Whether checks run: a test that is neither empty nor disabled. */
    public boolean active() {
        return !command().isEmpty();
    }

    /** The argv to run in the container: CMD's arguments, CMD-SHELL's through {@code /bin/sh -c}; none if none. */
    public List<String> command() {
        if (test.isEmpty() || disabled() || test.get(0).isEmpty()) {
            return List.of();
        }
        return switch (test.get(0)) {
            case "CMD" -> test.subList(1, test.size());
            case "CMD-SHELL" -> test.size() < 2 ? List.of()
                    : List.of("/bin/sh", "-c", String.join(" ", test.subList(1, test.size())));
            default -> test;
        };
    }

    /** The time between two checks; negative when they run only on demand. */
    public long effectiveInterval() {
        return interval > 0 ? interval : interval < 0 ? -1 : DEFAULT_INTERVAL;
    }

    public long effectiveTimeout() {
        return timeout > 0 ? timeout : DEFAULT_TIMEOUT;
    }

    public int effectiveRetries() {
        return retries > 0 ? retries : DEFAULT_RETRIES;
    }

    /** This one with the zero fields (and an empty test) taken from {@code image}'s, as Docker merges them. */
    public Healthcheck over(Healthcheck image) {
        if (image == null) {
            return this;
        }
        return new Healthcheck(test.isEmpty() ? image.test : test, interval != 0 ? interval : image.interval,
                timeout > 0 ? timeout : image.timeout, retries > 0 ? retries : image.retries,
                startPeriod > 0 ? startPeriod : image.startPeriod, onFailure);
    }
}
