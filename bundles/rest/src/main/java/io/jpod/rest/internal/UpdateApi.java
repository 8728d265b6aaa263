package io.jpod.rest.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpod.api.Container;
import io.jpod.api.ContainerResources;
import java.io.IOException;
import java.util.List;

/**
 * {@code update}: Docker's {@code POST /containers/{id}/update} (HostConfig's resources and RestartPolicy;
 * answers {@code {"Warnings": []}}) and libpod's (the body is the runtime spec's LinuxResources, as podman 4.3
 * sends it; the restart policy in the query, as later podman sends it; answers the container's ID).
 */
final class UpdateApi {
    /** Fields of Docker's update body that cannot change on a created container. */
    private static final List<String> DOCKER_FIXED = List.of("Ulimits", "ShmSize", "Devices");

    private final Services services;
    private final Shapes shapes;

    UpdateApi(Services services, Shapes shapes) {
        this.services = services;
        this.shapes = shapes;
    }

    void register(Router docker, Router libpod) {
        docker.add("POST", "/containers/{id}/update", this::docker);
        libpod.add("POST", "/containers/{id}/update", this::libpod);
    }

    private void docker(Exchange x) throws IOException {
        JsonNode b = Inputs.requireObject(x.body());
        for (String f : DOCKER_FIXED) {
            if (!PodCreateRequest.empty(b.get(f))) {
                throw ApiException.badRequest(f + " cannot be updated: create the container again with it");
            }
        }
        ContainerResources r = LimitFields.dockerResources(b, "");
        JsonNode rp = b.path("RestartPolicy");
        Inputs.expect(b, "", "RestartPolicy", com.fasterxml.jackson.databind.node.JsonNodeType.OBJECT);
        String policy = CreateFields.text(rp, "RestartPolicy.", "Name");
        int retries = CreateFields.int32(rp, "RestartPolicy.", "MaximumRetryCount", 0);
        services.containers().update(x.param("id"), r, policy.isEmpty() ? null : policy, retries);
        ObjectNode o = shapes.object();
        o.set("Warnings", shapes.array());
        x.json(200, o);
    }

    private void libpod(Exchange x) throws IOException {
        JsonNode b = x.body();
        ContainerResources r = b == null || b.isNull() || b.isMissingNode() ? ContainerResources.NONE
                : LimitFields.libpodResources(Inputs.requireObject(b), "");
        if (b != null && b.isObject() && !PodCreateRequest.empty(b.get("devices"))) {
            throw ApiException.badRequest("devices cannot be updated: create the container again with them");
        }
        String policy = x.query("restartPolicy");
        String retriesText = x.query("restartRetries");
        int retries = 0;
        if (retriesText != null && !retriesText.isEmpty()) {
            try {
                retries = Integer.parseInt(retriesText);
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("restartRetries " + retriesText + " is not a number");
            }
        }
        Container c = services.containers().update(x.param("id"), r, policy == null || policy.isEmpty() ? null
                : policy, retries);
        x.json(201, com.fasterxml.jackson.databind.node.TextNode.valueOf(c.id()));
    }
}
