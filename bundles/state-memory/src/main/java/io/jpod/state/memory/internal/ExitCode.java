package io.jpod.state.memory.internal;

import java.time.Instant;

/** An exit code recorded for a container, with the time it was recorded (stored as JSON: its field names are the format). */
public record ExitCode(int code, Instant at) {
}
