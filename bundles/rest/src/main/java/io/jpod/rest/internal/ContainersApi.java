package io.jpod.rest.internal;

import static io.jpod.rest.internal.ContainerStates.NOT_RUNNING;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpod.api.Container;
import io.jpod.api.ContainerStatus;
import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.api.Signals;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Containers: list, inspect, lifecycle, removal and prune, in the Docker and the libpod shapes. */
final class ContainersApi {
    private final Services services;
    private final Shapes shapes;
    private final ContainerView view;

    ContainersApi(Services services, Shapes shapes) {
        this.services = services;
        this.shapes = shapes;
        this.view = new ContainerView(shapes);
    }

    void register(Router docker, Router libpod) {
        docker.add("GET", "/containers/json", this::dockerList);
        docker.add("POST", "/containers/prune", this::dockerPrune);
        docker.add("GET", "/containers/{id}/json", this::dockerInspect);
        docker.add("DELETE", "/containers/{id}", this::dockerRemove);
        libpod.add("GET", "/containers/json", this::libpodList);
        libpod.add("POST", "/containers/prune", this::libpodPrune);
        libpod.add("GET", "/containers/{id}/json", this::libpodInspect);
        libpod.add("GET", "/containers/{id}/exists", x -> {
            services.containers().container(x.param("id"));
            x.empty(204);
        });
        // podman init: created in the runtime (conmon and runc init waiting) without starting; 304 when it is
        // already, as libpod's InitContainer answers a CtrStateInvalid
        libpod.add("POST", "/containers/{id}/init", x -> {
            try {
                services.containers().init(x.param("id"));
            } catch (JpodException e) {
                if (!JpodException.is(e, ErrorCode.CTR_STATE_INVALID)) {
                    throw e;
                }
                x.empty(304);
                return;
            }
            x.empty(204);
        });
        libpod.add("DELETE", "/containers/{id}", this::libpodRemove);
        for (Router r : List.of(docker, libpod)) {
            r.add("POST", "/containers/{id}/start", this::start);
            r.add("POST", "/containers/{id}/stop", this::stop);
            r.add("POST", "/containers/{id}/restart", this::restart);
            r.add("POST", "/containers/{id}/kill", this::kill);
            r.add("POST", "/containers/{id}/pause", x -> {
                services.containers().pause(x.param("id"));
                x.empty(204);
            });
            r.add("POST", "/containers/{id}/unpause", x -> {
                services.containers().unpause(x.param("id"));
                x.empty(204);
            });
            r.add("POST", "/containers/{id}/resize", x -> {
                services.containers().resizeTerminal(x.param("id"), Inputs.terminalSize(x, "h"), Inputs.terminalSize(x, "w"));
                x.empty(200);
            });
        }
    }

    // ------------------------------------------------------------------------------------ list, inspect

    private void dockerList(Exchange x) throws IOException {
        List<Container> list = list(x, true);
        list.sort(Comparator.comparing((Container c) -> c.config().created(),
                Comparator.nullsFirst(Comparator.naturalOrder())).reversed());
        long limit = x.longQuery("limit", -1);
        ArrayNode a = shapes.array();
        Instant now = Instant.now();
        io.jpod.api.ContainerHealth health = services.engine().health();
        for (Container c : list) {
            if (limit > 0 && a.size() >= limit) {
                break;
            }
            ObjectNode item = view.dockerListItem(c, now);
            item.put("Status", HealthView.dockerStatus(item.path("Status").asText(), HealthView.of(health, c)));
            a.add(item);
        }
        x.json(200, a);
    }

    private void libpodList(Exchange x) throws IOException {
        List<Container> list = list(x, false);
        long limit = x.longQuery("limit", -1);
        if (limit > 0) {
            list.sort(Comparator.comparing((Container c) -> c.config().created(),
                    Comparator.nullsFirst(Comparator.naturalOrder())).reversed());
        }
        ArrayNode a = shapes.array();
        io.jpod.api.ContainerHealth health = services.engine().health();
        for (Container c : list) {
            if (limit > 0 && a.size() >= limit) {
                break;
            }
            // libpod's list gives the health status as Status, which podman's ps adds to its state
            a.add(view.libpodListItem(c).put("Status", HealthView.of(health, c).map(h -> h.status()).orElse("")));
        }
        x.json(200, a);
    }

    private List<Container> list(Exchange x, boolean docker) {
        boolean all = x.bool("all", false) || x.longQuery("limit", -1) > 0;
        JsonNode filters = Filters.parse(x.query("filters"), x.json);
        // health needs the engine's healthchecks, which the other filters do not
        JsonNode byHealth = filters instanceof ObjectNode o ? o.remove("health") : null;
        var match = byHealth == null ? Filters.containers(filters, docker) : Filters.containers(filters, docker)
                .and(HealthView.filter(Filters.values(byHealth), services.engine().health()));
        boolean byStatus = filters.has("status");
        return new ArrayList<>(services.containers().containers(c -> (all || byStatus
                || c.state().status() == ContainerStatus.RUNNING || c.state().status() == ContainerStatus.PAUSED)
                && match.test(c)));
    }

    private void dockerInspect(Exchange x) throws IOException {
        EngineServices e = services.engine();
        Container c = e.containers().container(x.param("id"));
        ObjectNode o = view.dockerInspect(c, null, e.system().dbConfig().graphDriver(),
                e.networks().networkAttachments(c.id()), e.networks().defaultNetwork());
        HealthView.docker(o, c, HealthView.of(e.health(), c));
        x.json(200, o);
    }

    private void libpodInspect(Exchange x) throws IOException {
        EngineServices e = services.engine();
        Container c = e.containers().container(x.param("id"));
        ObjectNode o = view.libpodInspect(c, null, e.system().dbConfig().graphDriver(),
                e.networks().networkAttachments(c.id()), e.system().config().containers().defaultCapabilities());
        HealthView.libpod(o, c, HealthView.of(e.health(), c));
        x.json(200, o);
    }

    // ------------------------------------------------------------------------------------ lifecycle

    private void start(Exchange x) throws IOException {
        EngineServices e = services.engine();
        Container c = e.containers().container(x.param("id"));
        ContainerStatus s = c.state().status();
        if (s == ContainerStatus.RUNNING || s == ContainerStatus.PAUSED) {
            x.empty(304);
            return;
        }
        try {
            e.containers().start(c.id());
        } catch (RuntimeException failed) {
            if (c.config().autoRemove()) {
                // as Docker: a --rm container that cannot start is removed, so waits for its removal end
                try {
                    e.containers().removeContainer(c.id(), true);
                } catch (RuntimeException alsoFailed) {
                    failed.addSuppressed(alsoFailed);
                }
            }
            throw failed;
        }
        x.empty(204);
    }

    private void stop(Exchange x) throws IOException {
        EngineServices e = services.engine();
        Container c = e.containers().container(x.param("id"));
        if (NOT_RUNNING.contains(c.state().status())) {
            x.empty(304);
            return;
        }
        long t = x.longQuery(x.libpod ? "timeout" : "t", x.longQuery("t", -1));
        e.containers().stop(c.id(), t);
        x.empty(204);
    }

    private void restart(Exchange x) throws IOException {
        EngineServices e = services.engine();
        e.containers().restart(x.param("id"), x.longQuery("t", x.longQuery("timeout", -1)));
        x.empty(204);
    }

    private void kill(Exchange x) throws IOException {
        EngineServices e = services.engine();
        Container c = e.containers().container(x.param("id"));
        String sig = x.query("signal");
        int signal = sig == null || sig.isEmpty() ? 9 : Signals.parse(sig);
        ContainerStatus s = c.state().status();
        if (s != ContainerStatus.RUNNING && s != ContainerStatus.PAUSED) {
            throw new ApiException(409, "Cannot kill container: " + x.param("id") + ": container " + c.id()
                    + " is not running (current state: " + s.word() + ")");
        }
        e.containers().kill(c.id(), signal);
        x.empty(204);
    }

    private void dockerRemove(Exchange x) throws IOException {
        EngineServices e = services.engine();
        Container c = e.containers().container(x.param("id"));
        boolean force = x.bool("force", false);
        if (!force && !NOT_RUNNING.contains(c.state().status())) {
            throw new ApiException(409, "You cannot remove a " + ContainerView.dockerState(c.state().status())
                    + " container " + c.id() + ". Stop the container before attempting removal or force remove");
        }
        e.containers().removeContainer(c.id(), force);
        x.empty(204);
    }

    private void libpodRemove(Exchange x) throws IOException {
        EngineServices e = services.engine();
        Container c;
        try {
            c = e.containers().container(x.param("id"));
        } catch (JpodException notThere) {
            if (x.bool("ignore", false) && JpodException.is(notThere, ErrorCode.NO_SUCH_CTR)) {
                x.json(200, shapes.array());
                return;
            }
            throw notThere;
        }
        e.containers().removeContainer(c.id(), x.bool("force", false));
        ArrayNode a = shapes.array();
        a.addObject().putNull("Err").put("Id", c.id());
        x.json(200, a);
    }

    private void dockerPrune(Exchange x) throws IOException {
        ObjectNode o = shapes.object();
        o.set("ContainersDeleted", shapes.strings(prune(x)));
        o.put("SpaceReclaimed", 0);
        x.json(200, o);
    }

    private void libpodPrune(Exchange x) throws IOException {
        ArrayNode a = shapes.array();
        for (String id : prune(x)) {
            a.addObject().put("Id", id).put("Size", 0).putNull("Err");
        }
        x.json(200, a);
    }

    private List<String> prune(Exchange x) {
        EngineServices e = services.engine();
        JsonNode filters = Filters.parse(x.query("filters"), x.json);
        ObjectNode byContainer = filters.deepCopy();
        byContainer.remove("until");
        var match = Filters.containers(byContainer, true);
        Instant until = null;
        if (filters.has("until")) {
            List<String> v = Filters.values(filters.get("until"));
            until = Inputs.parseTime(v.isEmpty() ? "" : v.get(0), "until");
        }
        Instant before = until;
        List<String> removed = new ArrayList<>();
        for (Container c : e.containers().containers(c -> NOT_RUNNING.contains(c.state().status()) && match.test(c)
                && (before == null || c.config().created() == null || c.config().created().isBefore(before)))) {
            try {
                e.containers().removeContainer(c.id(), false);
                removed.add(c.id());
            } catch (JpodException raced) {
                // started or removed meanwhile: not ours to prune
            }
        }
        return removed;
    }
}
