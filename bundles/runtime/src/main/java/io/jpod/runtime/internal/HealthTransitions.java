package io.jpod.runtime.internal;

import io.jpod.api.HealthState;
import io.jpod.api.Healthcheck;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * How one check's result changes a container's health, as Docker's handleProbeResult: a pass makes it healthy and
 * clears the streak; a failure adds to the streak unless it is still starting within its start period, and
 * {@code retries} failures in a row make it unhealthy. The log keeps the last {@link HealthState#MAX_LOG} results.
 */
final class HealthTransitions {
    private HealthTransitions() {
    }

    static HealthState apply(HealthState before, HealthState.Result result, Healthcheck hc, Instant startedAt) {
        HealthState s = before == null ? HealthState.starting() : before;
        String status = s.status();
        int streak = s.failingStreak();
        if (result.exitCode() == 0) {
            status = HealthState.HEALTHY;
            streak = 0;
        } else {
            boolean inStartPeriod = HealthState.STARTING.equals(status) && hc.startPeriod() > 0 && startedAt != null
                    && result.start().isBefore(startedAt.plusNanos(hc.startPeriod()));
            if (!inStartPeriod) {
                streak++;
                if (streak >= hc.effectiveRetries()) {
                    status = HealthState.UNHEALTHY;
                }
            }
        }
        List<HealthState.Result> log = new ArrayList<>(s.log());
        log.add(result);
        while (log.size() > HealthState.MAX_LOG) {
            log.remove(0);
        }
        return new HealthState(status, streak, log);
    }
}
