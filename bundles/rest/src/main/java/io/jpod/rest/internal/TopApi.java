package io.jpod.rest.internal;

import io.jpod.api.Container;
import io.jpod.api.ContainerStatus;
import java.util.List;

/**
 * A container's processes: Docker's and libpod's {@code GET /containers/{id}/top}, read from /proc by
 * {@link ProcessTable} as a pod's are. {@code ps_args} names descriptors; no ps runs, so ps options (which
 * podman would hand to a ps inside the container) are refused by name, but docker's default {@code -ef}.
 */
final class TopApi {
    private final Services services;
    private final Shapes shapes;

    TopApi(Services services, Shapes shapes) {
        this.services = services;
        this.shapes = shapes;
    }

    void register(Router docker, Router libpod) {
        docker.add("GET", "/containers/{id}/top", x -> top(x, true));
        libpod.add("GET", "/containers/{id}/top", x -> top(x, false));
    }

    private void top(Exchange x, boolean docker) throws Exception {
        if (x.bool("stream", false)) {
            throw ApiException.badRequest("top's stream is not supported by jpod: call top again");
        }
        Container c = services.engine().containers().container(x.param("id"));
        if (c.state().status() != ContainerStatus.RUNNING || c.state().pid() <= 0) {
            throw new ApiException(409, docker ? "Container " + c.id() + " is not running"
                    : "top can only be used on running containers");
        }
        String args = String.join(",", x.queryAll("ps_args"));
        x.json(200, ProcessTable.top(shapes, List.of(c), psArgs(args)));
    }

    /** Descriptors as ProcessTable takes them; docker's default ps arguments mean the default descriptors. */
    static String psArgs(String args) {
        String a = args == null ? "" : args.trim();
        if (a.isEmpty() || a.equals("-ef") || a.equals("-e -f")) {
            return null;
        }
        for (String word : a.split("[,\\s]+")) {
            if (word.startsWith("-") || !word.matches("[a-z]+")) {
                throw ApiException.badRequest("ps option " + word + " is not supported by jpod: jpod reads the "
                        + "processes itself and runs no ps; give descriptors such as "
                        + String.join(",", ProcessTable.DESCRIPTORS));
            }
        }
        return a;
    }
}
