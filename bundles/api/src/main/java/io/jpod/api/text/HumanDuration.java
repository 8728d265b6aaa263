package io.jpod.api.text;

import java.time.Duration;
import java.time.Instant;

/** A duration as go-units' HumanDuration words it ("Less than a second", "5 seconds", "About a minute"...). */
public final class HumanDuration {

    private HumanDuration() {
    }

    /** The words for {@code d}; a negative duration (a clock that went back) reads as none. */
    public static String of(Duration d) {
        long s = Math.max(0, d.getSeconds());
        if (s < 1) {
            return "Less than a second";
        } else if (s == 1) {
            return "1 second";
        } else if (s < 60) {
            return s + " seconds";
        }
        long min = s / 60;
        if (min == 1) {
            return "About a minute";
        } else if (min < 60) {
            return min + " minutes";
        }
        long h = Math.round(s / 3600.0);
        if (h == 1) {
            return "About an hour";
        } else if (h < 48) {
            return h + " hours";
        } else if (h < 24 * 7 * 2) {
            return h / 24 + " days";
        } else if (h < 24 * 30 * 2) {
            return h / 24 / 7 + " weeks";
        } else if (h < 24 * 365 * 2) {
            return h / 24 / 30 + " months";
        }
        return h / 24 / 365 + " years";
    }

    /** "5 seconds ago": the time from {@code then} to {@code now}. */
    public static String ago(Instant then, Instant now) {
        return of(Duration.between(then, now)) + " ago";
    }
}
