package io.jpod.network.cni.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Runs host commands for the tests. */
final class Sh {
    private Sh() {
    }

    record Out(int exit, String text) {
    }

    static Out run(String... cmd) {
        try {
            Process p = new ProcessBuilder(List.of(cmd)).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Out(p.waitFor(), text);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + List.of(cmd), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
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
