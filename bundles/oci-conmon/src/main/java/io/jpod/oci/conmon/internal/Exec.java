package io.jpod.oci.conmon.internal;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.util.internal.HelperProcess;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/** Runs a short-lived helper (the OCI runtime's command line) through jpod-util and collects its output. */
final class Exec {
    private Exec() {
    }

    record Result(int exit, String out, String err) {
        boolean ok() {
            return exit == 0;
        }
    }

    static Result run(List<String> cmd, long timeoutSeconds) {
        try {
            HelperProcess.Result r = HelperProcess.of(cmd).timeout(Duration.ofSeconds(timeoutSeconds)).run();
            return new Result(r.exitCode(), r.out(), r.err());
        } catch (IOException e) {
            // a helper that cannot start, or that outlived its timeout (and was killed): the message names it
            throw new JpodException(ErrorCode.OCI_RUNTIME, e.getMessage(), e);
        }
    }
}
