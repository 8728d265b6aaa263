package io.jpod.rest.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpod.api.ContainerHealth;
import io.jpod.api.ErrorCode;
import io.jpod.api.HealthState;
import io.jpod.api.JpodException;
import java.io.IOException;

/**
 * libpod's {@code /containers/{id}/healthcheck}: runs the container's check now, as {@code podman healthcheck
 * run} asks. The status is this run's ({@code healthy} when it passed, else {@code unhealthy}), as libpod answers;
 * 409 for a container without a healthcheck or that does not run.
 */
final class HealthcheckApi {
    private final Services services;
    private final Shapes shapes;

    HealthcheckApi(Services services, Shapes shapes) {
        this.services = services;
        this.shapes = shapes;
    }

    void register(Router libpod) {
        libpod.add("GET", "/containers/{id}/healthcheck", this::run);
        libpod.add("POST", "/containers/{id}/healthcheck", this::run);
    }

    private void run(Exchange x) throws IOException {
        ContainerHealth health = services.engine().health();
        if (health == null) {
            throw new ApiException(503, "the engine runs no healthchecks: its runtime bundle is older than this API");
        }
        HealthState after;
        try {
            after = health.run(x.param("id"));
        } catch (JpodException e) {
            if (JpodException.is(e, ErrorCode.INVALID_ARG) || JpodException.is(e, ErrorCode.CTR_STATE_INVALID)) {
                throw new ApiException(409, e.getMessage());
            }
            throw e;
        }
        HealthState.Result last = after.log().isEmpty() ? null : after.log().get(after.log().size() - 1);
        ObjectNode o = shapes.object();
        o.put("Status", last != null && last.exitCode() == 0 ? HealthState.HEALTHY : HealthState.UNHEALTHY);
        o.put("FailingStreak", after.failingStreak());
        ArrayNode log = o.putArray("Log");
        for (HealthState.Result r : after.log()) {
            ObjectNode e = log.addObject();
            e.put("Start", Shapes.time(r.start()));
            e.put("End", Shapes.time(r.end()));
            e.put("ExitCode", r.exitCode());
            e.put("Output", r.output());
        }
        x.json(200, o);
    }
}
