package io.jpod.api;

import java.time.Instant;

/**
 * One line a container wrote.
 *
 * @param time   when conmon read it
 * @param stream {@code stdout} or {@code stderr}
 * @param text   the line, without its newline
 */
public record LogLine(Instant time, String stream, String text) {
}
