package io.jpod.api;

import java.util.List;

/** A pod's status as libpod derives it from its containers' (define.PodState*): one word, as podman shows it. */
public final class PodStatus {
    private PodStatus() {
    }

    /** {@code Created}, {@code Running}, {@code Degraded}, {@code Paused}, {@code Exited}, {@code Stopped} or {@code Error}. */
    public static String of(List<Container> containers) {
        if (containers.isEmpty()) {
            return "Created";
        }
        int running = 0;
        int paused = 0;
        int stopped = 0;
        int errored = 0;
        for (Container c : containers) {
            switch (c.state().status()) {
                case RUNNING, STOPPING -> running++;
                case PAUSED -> paused++;
                case EXITED, STOPPED -> stopped++;
                case UNKNOWN -> errored++;
                default -> { }
            }
        }
        int n = containers.size();
        if (running == n) {
            return "Running";
        }
        if (running > 0) {
            return "Degraded";
        }
        if (paused == n) {
            return "Paused";
        }
        if (stopped == n) {
            return "Exited";
        }
        if (stopped > 0) {
            return "Stopped";
        }
        if (errored > 0) {
            return "Error";
        }
        return "Created";
    }
}
