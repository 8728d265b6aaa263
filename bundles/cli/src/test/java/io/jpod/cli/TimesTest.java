package io.jpod.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.time.Duration;
import java.time.Instant;
import org.junit.Test;

public class TimesTest {
    @Test
    public void goDurations() {
        assertEquals(Duration.ofMinutes(90), Times.goDuration("1h30m"));
        assertEquals(Duration.ofSeconds(10), Times.goDuration("10s"));
        assertEquals(Duration.ofMillis(1500), Times.goDuration("1.5s"));
        assertEquals(Duration.ZERO, Times.goDuration("0"));
        assertThrows(IllegalArgumentException.class, () -> Times.goDuration("10"));
        assertThrows(IllegalArgumentException.class, () -> Times.goDuration("abc"));
    }

    @Test
    public void inputTimes() {
        Instant now = Instant.parse("2026-11-28T19:00:00Z");
        assertEquals(Instant.parse("2026-11-28T18:50:00Z"), Times.parseInputTime("10m", now));
        assertEquals(Instant.ofEpochSecond(1795891600), Times.parseInputTime("1795891600", now));
        assertEquals(Instant.ofEpochSecond(1795891600, 500_000_000), Times.parseInputTime("1795891600.5", now));
        assertEquals(Instant.parse("2026-11-28T18:46:40Z"), Times.parseInputTime("2026-11-28T18:46:40Z", now));
        assertEquals(Instant.parse("2026-11-28T17:46:40Z"), Times.parseInputTime("2026-11-28T18:46:40+01:00", now));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Times.parseInputTime("bogus", now));
        assertEquals("unable to interpret time value \"bogus\": not a timestamp, RFC 3339 time or duration", e.getMessage());
    }

    @Test
    public void goTimeString() {
        assertEquals("2026-11-28 18:46:40.419373558 +0000 UTC", Times.goString(Instant.parse("2026-11-28T18:46:40.419373558Z")));
        assertEquals("2026-11-28 18:46:40.4 +0000 UTC", Times.goString(Instant.parse("2026-11-28T18:46:40.400Z")));
        assertEquals("1795891600.000000000", Times.unix(Instant.ofEpochSecond(1795891600)));
    }
}
