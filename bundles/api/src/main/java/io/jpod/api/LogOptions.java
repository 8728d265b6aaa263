package io.jpod.api;

import java.time.Instant;

/**
 * Which log lines to read.
 *
 * @param tail   only the last {@code tail} lines present when reading starts; all when negative
 * @param since  only lines written at or after it, or null
 * @param until  only lines written before it, or null; also ends following
 * @param follow keep reading new lines until the container exits (and its log is drained)
 */
public record LogOptions(int tail, Instant since, Instant until, boolean follow) {

    public static LogOptions all() {
        return new LogOptions(-1, null, null, false);
    }
}
