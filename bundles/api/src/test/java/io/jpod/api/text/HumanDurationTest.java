package io.jpod.api.text;

import static org.junit.Assert.assertEquals;

import java.time.Duration;
import java.time.Instant;
import org.junit.Test;

public class HumanDurationTest {
    @Test
    public void humanDurationsAsGoUnits() {
        assertEquals("Less than a second", HumanDuration.of(Duration.ofMillis(900)));
        assertEquals("1 second", HumanDuration.of(Duration.ofSeconds(1)));
        assertEquals("59 seconds", HumanDuration.of(Duration.ofSeconds(59)));
        assertEquals("About a minute", HumanDuration.of(Duration.ofSeconds(61)));
        assertEquals("36 minutes", HumanDuration.of(Duration.ofMinutes(36)));
        assertEquals("About an hour", HumanDuration.of(Duration.ofMinutes(80)));
        assertEquals("2 hours", HumanDuration.of(Duration.ofMinutes(100)));
        assertEquals("3 days", HumanDuration.of(Duration.ofHours(72)));
        assertEquals("3 weeks", HumanDuration.of(Duration.ofDays(21)));
        assertEquals("3 months", HumanDuration.of(Duration.ofDays(95)));
        assertEquals("2 years", HumanDuration.of(Duration.ofDays(800)));
    }

    @Test
    public void agoAndAClockThatWentBack() {
        Instant now = Instant.parse("2026-01-01T12:00:00Z");
        assertEquals("5 seconds ago", HumanDuration.ago(now.minusSeconds(5), now));
        assertEquals("Less than a second", HumanDuration.of(Duration.ofSeconds(-30)));
    }
}
