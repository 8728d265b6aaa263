package io.jpod.network.cni.internal;

import io.jpod.util.internal.HelperProcess;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/** Runs host commands for the tests. */
final class Sh {
    private Sh() {
    }

    record Out(int exit, String text) {
    }

    static Out run(String... cmd) {
        try {
            HelperProcess.Result r = HelperProcess.of(cmd).mergeErrors().timeout(Duration.ofMinutes(2)).run();
            return new Out(r.exitCode(), new String(r.stdout(), java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + List.of(cmd) + ": " + e.getMessage(), e);
        }
    }

    static String ok(String... cmd) {
        Out o = run(cmd);
        if (o.exit() != 0) {
            throw new AssertionError(List.of(cmd) + " failed (" + o.exit() + "): " + o.text());
        }
        return o.text();
    }
}
