package io.jpod.build.internal;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;

/** A Dockerfile that cannot be built, naming the line. */
final class DockerfileException {
    private DockerfileException() {
    }

    static JpodException at(int line, String message) {
        return new JpodException(ErrorCode.INVALID_ARG, "Dockerfile parse error line " + line + ": " + message);
    }
}
