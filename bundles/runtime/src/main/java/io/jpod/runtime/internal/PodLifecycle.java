package io.jpod.runtime.internal;

import io.jpod.api.Container;
import io.jpod.api.ContainerStatus;
import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.api.Pod;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A pod's start, stop, restart, kill, pause and unpause over its containers, as libpod's pod_api.go: the
 * infra container first when starting and last when stopping, each container under its own lock; the
 * errors of the containers that failed are returned, the others act.
 */
final class PodLifecycle {
    private final Parts parts;
    private final Lifecycle lifecycle;

    PodLifecycle(Parts parts, Lifecycle lifecycle) {
        this.parts = parts;
        this.lifecycle = lifecycle;
    }

    /** The pod's containers, the infra container first. */
    List<Container> containers(Pod pod) {
        List<Container> out = new ArrayList<>();
        for (String id : parts.state().podContainers(pod.id())) {
            out.add(parts.state().container(id));
        }
        out.sort(Comparator.comparing((Container c) -> !c.id().equals(pod.infraContainerId()))
                .thenComparing(c -> c.config().created() == null ? java.time.Instant.EPOCH : c.config().created()));
        return out;
    }

    Map<String, String> act(Pod pod, String action, long timeout, int signal) {
        List<Container> ctrs = containers(pod);
        Map<String, String> errors = new LinkedHashMap<>();
        switch (action) {
            case "start" -> each(ctrs, errors, c -> running(c) ? c : lifecycle.start(c));
            case "stop" -> each(reversed(ctrs), errors, c -> running(c) || status(c) == ContainerStatus.CREATED
                    ? lifecycle.stop(c, timeout) : c);
            case "restart" -> {
                each(reversed(ctrs), errors, c -> running(c) ? lifecycle.stop(c, timeout) : c);
                each(ctrs, errors, c -> running(c) ? c : lifecycle.start(c));
            }
            case "kill" -> {
                if (ctrs.stream().noneMatch(c -> status(c) == ContainerStatus.RUNNING)) {
                    throw new JpodException(ErrorCode.POD_STATE_INVALID, "cannot kill a pod with no running "
                            + "containers: " + pod.id());
                }
                each(reversed(ctrs), errors, c -> {
                    if (status(c) == ContainerStatus.RUNNING) {
                        lifecycle.kill(c, signal);
                    }
                    return c;
                });
            }
            case "pause" -> each(ctrs, errors, c -> status(c) == ContainerStatus.RUNNING ? lifecycle.pause(c) : c);
            case "unpause" -> each(ctrs, errors, c -> status(c) == ContainerStatus.PAUSED ? lifecycle.unpause(c) : c);
            default -> throw new JpodException(ErrorCode.INVALID_ARG, "unknown pod action " + action
                    + ": use start, stop, restart, kill, pause or unpause");
        }
        return errors;
    }

    private void each(List<Container> ctrs, Map<String, String> errors, Function<Container, Container> step) {
        for (Container c : ctrs) {
            if (errors.containsKey(c.id())) {
                continue;
            }
            try {
                lifecycle.locked(c.id(), step);
            } catch (JpodException e) {
                errors.put(c.id(), e.getMessage());
            }
        }
    }

    private static boolean running(Container c) {
        ContainerStatus s = status(c);
        return s == ContainerStatus.RUNNING || s == ContainerStatus.PAUSED;
    }

    private static ContainerStatus status(Container c) {
        return c.state().status();
    }

    private static List<Container> reversed(List<Container> ctrs) {
        List<Container> r = new ArrayList<>(ctrs);
        java.util.Collections.reverse(r);
        return r;
    }
}
