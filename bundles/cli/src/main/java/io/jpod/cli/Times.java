package io.jpod.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import io.jpod.spi.events.EventTimes;
import java.util.Locale;
import io.jpod.api.text.HumanDuration;

/** Times as podman shows and reads them (go-units' HumanDuration, Go durations, --since/--until). */
final class Times {

    private Times() {
    }


    /** "5 seconds ago" for a time in the past. */
    static String ago(Instant t, Instant now) {
        return HumanDuration.ago(t, now);
    }

    /** A Go duration ("1h30m", "10s", "1.5h"); IllegalArgumentException otherwise. */
    static Duration goDuration(String s) {
        return EventTimes.goDuration(s);
    }

    /**
     * podman's ParseInputTime: a Unix timestamp (seconds, optionally with a fraction), an RFC 3339 time
     * (with or without zone, or only a date), or a Go duration counted back from now.
     */
    static Instant parseInputTime(String s, Instant now) {
        return EventTimes.parseInput(s, now);
    }

    /** The form sent to the service: Unix seconds with nanoseconds, as podman's own timestamps. */
    static String unix(Instant t) {
        return String.format(Locale.ROOT, "%d.%09d", t.getEpochSecond(), t.getNano());
    }

    /** Go's time.Time String(): "2026-11-28 18:46:40.419373558 +0000 UTC". */
    static String goString(Instant t) {
        OffsetDateTime o = t.atOffset(ZoneOffset.UTC);
        String frac = "";
        if (t.getNano() != 0) {
            String nanos = Integer.toString(1_000_000_000 + t.getNano()).substring(1);
            int end = nanos.length();
            while (nanos.charAt(end - 1) == '0') {
                end--;
            }
            frac = "." + nanos.substring(0, end);
        }
        return o.format(GO_SECONDS) + frac + " +0000 UTC";
    }

    /** Go's time.String up to the seconds; built once (ps formats a time per row). */
    private static final DateTimeFormatter GO_SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

    /** An RFC 3339 time from the service (or null for none). */
    static Instant parseRfc3339(String s) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
