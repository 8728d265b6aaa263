package io.jpod.storage.common.internal;

import io.jpod.util.internal.HelperProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The host tools the drivers and their tests still run (cp, umount), without a shell, through
 * {@link HelperProcess}, whose timeout fires whatever the tool prints.
 */
public final class Exec {
    /** How long a tool may run unless the caller says otherwise. */
    public static final Duration TIMEOUT = Duration.ofMinutes(2);

    private Exec() {
    }

    /** Runs {@code command} in {@code dir} (null: the current one) within {@link #TIMEOUT}; throws with its output when it fails. */
    public static String run(Path dir, List<String> command) throws IOException {
        return run(dir, command, TIMEOUT);
    }

    /** Runs {@code command} in {@code dir} (null: the current one) within {@code timeout}; throws with its output when it fails. */
    public static String run(Path dir, List<String> command, Duration timeout) throws IOException {
        return HelperProcess.of(command).directory(dir).mergeErrors().timeout(timeout).runChecked().out();
    }
}
