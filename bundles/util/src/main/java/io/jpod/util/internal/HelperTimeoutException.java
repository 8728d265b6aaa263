package io.jpod.util.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/** A helper process ran past its timeout and was killed (with the processes it had started). */
public final class HelperTimeoutException extends IOException {
    private final transient List<String> command;
    private final transient Duration timeout;

    HelperTimeoutException(List<String> command, Duration timeout) {
        super(String.join(" ", command) + " did not finish within " + HelperProcess.describe(timeout)
                + ": it was killed");
        this.command = List.copyOf(command);
        this.timeout = timeout;
    }

    /** The command line that was run. */
    public List<String> command() {
        return command;
    }

    /** The timeout it ran past. */
    public Duration timeout() {
        return timeout;
    }
}
