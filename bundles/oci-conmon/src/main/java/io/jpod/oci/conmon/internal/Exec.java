package io.jpod.oci.conmon.internal;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs a short-lived helper (the OCI runtime's command line) and collects its output. */
final class Exec {
    private Exec() {
    }

    record Result(int exit, String out, String err) {
        boolean ok() {
            return exit == 0;
        }
    }

    static Result run(List<String> cmd, long timeoutSeconds) {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(new File("/dev/null"));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new JpodException(ErrorCode.OCI_RUNTIME, "cannot run " + cmd.get(0) + ": " + e.getMessage(), e);
        }
        try {
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()), Io.POOL);
            String out = drain(p.getInputStream());
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new JpodException(ErrorCode.OCI_RUNTIME, String.join(" ", cmd) + " did not finish within "
                        + timeoutSeconds + " seconds");
            }
            return new Result(p.exitValue(), out, err.join());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new JpodException(ErrorCode.OCI_RUNTIME, "interrupted while running " + cmd.get(0), e);
        }
    }

    private static String drain(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
