package io.jpod.runtime.internal;

import static org.junit.Assert.assertEquals;

import io.jpod.api.HealthState;
import io.jpod.api.Healthcheck;
import java.time.Instant;
import java.util.List;
import org.junit.Test;

public class HealthTransitionsTest {
    private static final Instant STARTED = Instant.parse("2026-01-01T00:00:00Z");
    private static final Healthcheck THREE = new Healthcheck(List.of("CMD", "true"), 0, 0, 3, 0);

    private static HealthState.Result result(int code, long secondsAfterStart) {
        Instant at = STARTED.plusSeconds(secondsAfterStart);
        return new HealthState.Result(at, at.plusMillis(10), code, "out " + code);
    }

    @Test
    public void aPassIsHealthyAndClearsTheStreak() {
        HealthState s = HealthTransitions.apply(null, result(1, 1), THREE, STARTED);
        assertEquals(HealthState.STARTING, s.status());
        assertEquals(1, s.failingStreak());
        s = HealthTransitions.apply(s, result(0, 2), THREE, STARTED);
        assertEquals(HealthState.HEALTHY, s.status());
        assertEquals(0, s.failingStreak());
        assertEquals(2, s.log().size());
    }

    @Test
    public void retriesFailuresInARowMakeItUnhealthyAndAPassHealthyAgain() {
        HealthState s = HealthTransitions.apply(HealthState.starting(), result(0, 1), THREE, STARTED);
        for (int i = 0; i < 2; i++) {
            s = HealthTransitions.apply(s, result(1, 2 + i), THREE, STARTED);
            assertEquals("a failure short of the retries keeps it healthy", HealthState.HEALTHY, s.status());
        }
        s = HealthTransitions.apply(s, result(-1, 5), THREE, STARTED);
        assertEquals(HealthState.UNHEALTHY, s.status());
        assertEquals(3, s.failingStreak());
        s = HealthTransitions.apply(s, result(0, 6), THREE, STARTED);
        assertEquals(HealthState.HEALTHY, s.status());
    }

    @Test
    public void zeroRetriesAreDockersThree() {
        Healthcheck zero = new Healthcheck(List.of("CMD", "false"), 0, 0, 0, 0);
        HealthState s = HealthState.starting();
        for (int i = 0; i < 2; i++) {
            s = HealthTransitions.apply(s, result(1, i), zero, STARTED);
        }
        assertEquals(HealthState.STARTING, s.status());
        s = HealthTransitions.apply(s, result(1, 3), zero, STARTED);
        assertEquals(HealthState.UNHEALTHY, s.status());
    }

    @Test
    public void failuresInTheStartPeriodDoNotCountWhileStarting() {
        Healthcheck hc = new Healthcheck(List.of("CMD", "false"), 0, 0, 1, 10_000_000_000L);
        HealthState s = HealthTransitions.apply(HealthState.starting(), result(1, 5), hc, STARTED);
        assertEquals(HealthState.STARTING, s.status());
        assertEquals(0, s.failingStreak());
        assertEquals("the result is logged all the same", 1, s.log().size());
        s = HealthTransitions.apply(s, result(1, 11), hc, STARTED);
        assertEquals(HealthState.UNHEALTHY, s.status());
    }

    @Test
    public void failuresInTheStartPeriodCountOnceItWasHealthy() {
        Healthcheck hc = new Healthcheck(List.of("CMD", "false"), 0, 0, 1, 10_000_000_000L);
        HealthState s = HealthTransitions.apply(HealthState.starting(), result(0, 1), hc, STARTED);
        s = HealthTransitions.apply(s, result(1, 2), hc, STARTED);
        assertEquals(HealthState.UNHEALTHY, s.status());
    }

    @Test
    public void theLogKeepsTheLastFive() {
        HealthState s = HealthState.starting();
        for (int i = 0; i < 8; i++) {
            s = HealthTransitions.apply(s, result(i % 2, i), THREE, STARTED);
        }
        assertEquals(HealthState.MAX_LOG, s.log().size());
        assertEquals(STARTED.plusSeconds(3), s.log().get(0).start());
        assertEquals(STARTED.plusSeconds(7), s.log().get(4).start());
    }
}
