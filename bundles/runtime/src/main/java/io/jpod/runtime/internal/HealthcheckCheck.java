package io.jpod.runtime.internal;

import io.jpod.api.ErrorCode;
import io.jpod.api.Healthcheck;
import io.jpod.api.JpodException;

/** What a container's healthcheck may be, whichever client made it: the API's records are checked here. */
final class HealthcheckCheck {
    private HealthcheckCheck() {
    }

    static void check(Healthcheck hc) {
        if (hc == null || hc.disabled()) {
            return;
        }
        if (!hc.test().isEmpty() && hc.command().isEmpty()) {
            throw invalid("healthcheck " + hc.test() + " has no command: give CMD with its arguments, CMD-SHELL "
                    + "with a shell command, or NONE");
        }
        for (String arg : hc.test()) {
            if (arg.indexOf('\0') >= 0) {
                throw invalid("a healthcheck argument has a NUL character: remove it");
            }
        }
        if (hc.timeout() < 0 || hc.startPeriod() < 0 || hc.retries() < 0) {
            throw invalid("healthcheck timeout, start period and retries cannot be negative");
        }
        if (!Healthcheck.ON_FAILURE.contains(hc.onFailure())) {
            throw invalid("healthcheck on-failure action " + hc.onFailure() + " is not one of "
                    + String.join(", ", Healthcheck.ON_FAILURE));
        }
    }

    private static JpodException invalid(String message) {
        return new JpodException(ErrorCode.INVALID_ARG, message);
    }
}
