package io.jpod.rest.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpod.api.Container;
import io.jpod.api.ContainerChanges;
import io.jpod.api.FileChange;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * {@code docker diff} and {@code docker export} (and podman's): {@code GET /containers/{id}/changes}, the paths
 * the container changed as {@code [{"Path","Kind"}]} (0 changed, 1 added, 2 deleted), and
 * {@code GET /containers/{id}/export}, its root filesystem as a tar.
 */
final class ChangesApi {
    static final String TAR = "application/x-tar";

    private final Services services;
    private final Shapes shapes;

    ChangesApi(Services services, Shapes shapes) {
        this.services = services;
        this.shapes = shapes;
    }

    void register(Router docker, Router libpod) {
        for (Router r : List.of(docker, libpod)) {
            r.add("GET", "/containers/{id}/changes", this::changes);
            r.add("GET", "/containers/{id}/export", this::export);
        }
    }

    /** The service, or 501 when the engine has none (an older runtime bundle). */
    static ContainerChanges of(Services services) {
        ContainerChanges c = services.engine().changes();
        if (c == null) {
            throw new ApiException(501, "this engine cannot read a container's changes: update its runtime bundle");
        }
        return c;
    }

    private void changes(Exchange x) throws IOException {
        String parent = x.query("parent");
        if (parent != null && !parent.isEmpty()) {
            throw ApiException.badRequest("parent is not supported: jpod lists a container's changes against its "
                    + "own image only; leave parent out");
        }
        String type = x.query("diffType");
        if (type != null && !type.isEmpty() && !type.equals("all") && !type.equals("container")) {
            throw ApiException.badRequest("diffType " + type + " is not supported here: use all or container");
        }
        ArrayNode a = shapes.array();
        for (FileChange c : of(services).changes(x.param("id"))) {
            ObjectNode o = a.addObject();
            o.put("Path", c.path());
            o.put("Kind", c.kind());
        }
        x.json(200, a);
    }

    private void export(Exchange x) throws IOException {
        ContainerChanges changes = of(services);
        Container c = services.containers().container(x.param("id"));
        x.noIdleTimeout();
        // closed only after success: a failure before the first byte is answered as an error
        OutputStream out = new FirstWriteStream(x, TAR);
        changes.exportRootfs(c.id(), out);
        out.close();
    }
}
