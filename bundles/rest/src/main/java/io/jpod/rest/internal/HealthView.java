package io.jpod.rest.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpod.api.Container;
import io.jpod.api.ContainerHealth;
import io.jpod.api.ContainerStatus;
import io.jpod.api.HealthState;
import io.jpod.api.Healthcheck;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A container's healthcheck and health as both APIs show them: {@code Config.Healthcheck}, {@code State.Health},
 * the list's status, and the {@code health} filter.
 */
final class HealthView {
    private static final List<String> FILTER_VALUES = List.of(HealthState.STARTING, HealthState.HEALTHY,
            HealthState.UNHEALTHY, "none");

    private HealthView() {
    }

    /** The health of a container whose healthcheck is active; empty for the rest, or without the service. */
    static Optional<HealthState> of(ContainerHealth service, Container c) {
        Healthcheck hc = c.config().healthcheck();
        if (service == null || hc == null || !hc.active()) {
            return Optional.empty();
        }
        return service.health(c.id());
    }

    /**
     * Docker's inspect: {@code State.Health} for a container with a healthcheck once it started (starting until
     * the first check ran; unhealthy with no streak once it stopped, as Docker marks it), and
     * {@code Config.Healthcheck}.
     */
    static void docker(ObjectNode inspect, Container c, Optional<HealthState> health) {
        Healthcheck hc = c.config().healthcheck();
        boolean up = c.state().status() == ContainerStatus.RUNNING || c.state().status() == ContainerStatus.PAUSED;
        if (hc != null && hc.active() && (up || health.isPresent())) {
            HealthState h = health.orElse(HealthState.starting());
            state((ObjectNode) inspect.path("State"), up ? h : new HealthState(HealthState.UNHEALTHY, 0, h.log()),
                    false);
        }
        if (hc != null && inspect.path("Config") instanceof ObjectNode conf) {
            conf.set("Healthcheck", config(conf, hc, false));
        }
    }

    /**
     * libpod's inspect: {@code State.Health} always (podman 4.3 shows an empty status and a null log without
     * checks), {@code Config.Healthcheck} and {@code Config.HealthcheckOnFailureAction}.
     */
    static void libpod(ObjectNode inspect, Container c, Optional<HealthState> health) {
        Healthcheck hc = c.config().healthcheck();
        state((ObjectNode) inspect.path("State"), health.orElse(new HealthState("", 0, List.of())), true);
        if (inspect.path("Config") instanceof ObjectNode conf) {
            if (hc != null) {
                conf.set("Healthcheck", config(conf, hc, true));
            }
            conf.put("HealthcheckOnFailureAction", hc == null ? "none" : hc.onFailure());
        }
    }

    private static void state(ObjectNode state, HealthState h, boolean libpod) {
        if (state == null || state.isMissingNode()) {
            return;
        }
        ObjectNode o = state.putObject("Health");
        o.put("Status", h.status());
        o.put("FailingStreak", h.failingStreak());
        if (h.log().isEmpty() && libpod) {
            o.putNull("Log");
            return;
        }
        ArrayNode log = o.putArray("Log");
        for (HealthState.Result r : h.log()) {
            ObjectNode e = log.addObject();
            e.put("Start", Shapes.time(r.start()));
            e.put("End", Shapes.time(r.end()));
            e.put("ExitCode", r.exitCode());
            e.put("Output", r.output());
        }
    }

    /** Docker's container.HealthConfig: zero durations left out, as Go's omitempty leaves them. */
    private static ObjectNode config(ObjectNode parent, Healthcheck hc, boolean libpod) {
        ObjectNode o = parent.objectNode();
        ArrayNode test = o.putArray("Test");
        hc.test().forEach(test::add);
        if (hc.interval() > 0) {
            o.put("Interval", hc.interval());
        }
        if (hc.timeout() > 0) {
            o.put("Timeout", hc.timeout());
        } else if (libpod && !hc.disabled()) {
            o.put("Timeout", Healthcheck.DEFAULT_TIMEOUT);
        }
        if (hc.startPeriod() > 0) {
            o.put("StartPeriod", hc.startPeriod());
        }
        if (hc.retries() > 0) {
            o.put("Retries", hc.retries());
        }
        return o;
    }

    /** Docker's list status after {@code Up ...}: {@code (health: starting)}, {@code (healthy)}, {@code (unhealthy)}. */
    static String dockerStatus(String status, Optional<HealthState> health) {
        if (health.isEmpty() || !status.startsWith("Up ") || status.endsWith("(Paused)")) {
            return status;
        }
        String s = health.get().status();
        return status + (HealthState.STARTING.equals(s) ? " (health: starting)" : " (" + s + ")");
    }

    /** The {@code health} filter: starting, healthy, unhealthy, or none for a container without a healthcheck. */
    static Predicate<Container> filter(List<String> values, ContainerHealth service) {
        Predicate<Container> any = c -> false;
        for (String v : values) {
            String want = v.toLowerCase(Locale.ROOT);
            if (!FILTER_VALUES.contains(want)) {
                throw ApiException.badRequest("Unrecognised filter value for health: " + v + " (use starting, "
                        + "healthy, unhealthy or none)");
            }
            any = any.or(c -> {
                Healthcheck hc = c.config().healthcheck();
                if (hc == null || !hc.active()) {
                    return want.equals("none");
                }
                return want.equals(of(service, c).map(HealthState::status).orElse(HealthState.STARTING));
            });
        }
        return any;
    }
}
