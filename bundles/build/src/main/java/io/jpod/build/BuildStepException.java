package io.jpod.build;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;

/** A RUN step whose command exited with a non-zero code: the build stopped there. */
public class BuildStepException extends JpodException {
    private static final long serialVersionUID = 1L;
    private final int exitCode;

    public BuildStepException(String command, int exitCode) {
        super(ErrorCode.INVALID_ARG, "The command '" + command + "' returned a non-zero code: " + exitCode);
        this.exitCode = exitCode;
    }

    /** The command's exit code. */
    public int exitCode() {
        return exitCode;
    }
}
