package io.jpod.rest.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpod.api.Container;
import io.jpod.api.ContainerStatus;
import io.jpod.api.Pod;
import io.jpod.api.Pods;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** libpod's pod routes (pods_api.go's handlers): create, list, inspect, exists, lifecycle, rm, prune, top. */
final class PodsApi {
    private static final List<String> ACTIONS = List.of("start", "stop", "restart", "kill", "pause", "unpause");

    private final Services services;
    private final Shapes shapes;
    private final PodView view;

    PodsApi(Services services, Shapes shapes) {
        this.services = services;
        this.shapes = shapes;
        this.view = new PodView(shapes);
    }

    void register(Router libpod) {
        libpod.add("POST", "/pods/create", x -> {
            Pod pod = pods().createPod(PodCreateRequest.read(x.body(), services.networks().defaultNetwork()));
            x.json(201, shapes.object().put("Id", pod.id()));
        });
        libpod.add("GET", "/pods/json", this::list);
        libpod.add("POST", "/pods/prune", x -> {
            ArrayNode a = shapes.array();
            for (String id : pods().prunePods()) {
                a.addObject().putNull("Err").put("Id", id);
            }
            x.json(200, a);
        });
        libpod.add("GET", "/pods/{name}/json", x -> {
            Pods p = pods();
            Pod pod = p.pod(x.param("name"));
            x.json(200, view.inspect(pod, p.podContainers(pod.id()), defaultNetwork()));
        });
        libpod.add("GET", "/pods/{name}/exists", x -> {
            pods().pod(x.param("name"));
            x.empty(204);
        });
        libpod.add("GET", "/pods/{name}/top", x -> {
            Pods p = pods();
            Pod pod = p.pod(x.param("name"));
            List<Container> running = p.podContainers(pod.id()).stream()
                    .filter(c -> c.state().status() == ContainerStatus.RUNNING && c.state().pid() > 0).toList();
            if (running.isEmpty()) {
                throw new ApiException(409, "pod top can only be used on pods with at least one running container");
            }
            x.json(200, ProcessTable.top(shapes, running, x.query("ps_args")));
        });
        for (String action : ACTIONS) {
            libpod.add("POST", "/pods/{name}/" + action, x -> act(x, action));
        }
        libpod.add("DELETE", "/pods/{name}", x -> {
            Pods p = pods();
            Pod pod = p.pod(x.param("name"));
            p.removePod(pod.id(), x.bool("force", false));
            x.json(200, shapes.object().putNull("Err").put("Id", pod.id()));
        });
    }

    private Pods pods() {
        return services.engine().pods();
    }

    private String defaultNetwork() {
        return services.networks().defaultNetwork();
    }

    /** A lifecycle action: 304 when the pod is already where it would go, 409 with each container's error. */
    private void act(Exchange x, String action) throws IOException {
        Pods p = pods();
        Pod pod = p.pod(x.param("name"));
        String status = PodView.status(p.podContainers(pod.id()));
        if (action.equals("start") && status.equals("Running")
                || action.equals("stop") && !status.equals("Running") && !status.equals("Degraded")
                        && !status.equals("Paused")) {
            x.empty(304);
            return;
        }
        String sig = x.query("signal");
        int signal = action.equals("kill") ? CreateFields.signal(sig == null || sig.isEmpty() ? "SIGKILL" : sig,
                "signal") : 0;
        long timeout = x.longQuery("t", x.longQuery("timeout", -1));
        Map<String, String> errors = p.podAction(pod.id(), action, timeout, signal);
        ObjectNode o = shapes.object();
        if (errors.isEmpty()) {
            o.putNull("Errs");
        } else {
            ArrayNode a = o.putArray("Errs");
            errors.forEach((id, message) -> a.add(action + "ing container " + id + ": " + message));
        }
        o.put("Id", pod.id());
        x.json(errors.isEmpty() ? 200 : 409, o);
    }

    private void list(Exchange x) throws IOException {
        Pods p = pods();
        Predicate<PodEntry> keep = filter(Filters.parse(x.query("filters"), x.json));
        String dflt = defaultNetwork();
        ArrayNode a = shapes.array();
        for (Pod pod : p.pods()) {
            List<Container> ctrs;
            try {
                ctrs = p.podContainers(pod.id());
            } catch (io.jpod.api.JpodException gone) {
                continue; // removed meanwhile
            }
            PodEntry e = new PodEntry(pod, ctrs, PodView.networks(PodView.infra(pod, ctrs), dflt));
            if (keep.test(e)) {
                a.add(view.list(pod, ctrs, dflt));
            }
        }
        x.json(200, a);
    }

    record PodEntry(Pod pod, List<Container> ctrs, List<String> networks) {
    }

    /** podman's pod filters: id, name, label, status, network, until, ctr-names, ctr-ids, ctr-status, ctr-number. */
    static Predicate<PodEntry> filter(JsonNode filters) {
        Predicate<PodEntry> all = e -> true;
        for (Iterator<Map.Entry<String, JsonNode>> it = filters.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> en = it.next();
            String key = en.getKey();
            Predicate<PodEntry> any = e -> false;
            for (String v : Filters.values(en.getValue())) {
                any = any.or(one(key, v));
            }
            all = all.and(any);
        }
        return all;
    }

    private static Predicate<PodEntry> one(String key, String v) {
        return switch (key) {
            case "id" -> e -> e.pod().id().startsWith(v);
            case "name" -> {
                Pattern re = regex(v, key);
                yield e -> re.matcher(e.pod().name()).find();
            }
            case "label" -> e -> Filters.label(e.pod().labels(), v);
            case "status" -> {
                List<String> known = List.of("stopped", "running", "paused", "exited", "dead", "created", "degraded");
                if (!known.contains(v.toLowerCase(java.util.Locale.ROOT))) {
                    throw ApiException.badRequest("pod status " + v + " is not one of " + String.join(", ", known));
                }
                yield e -> PodView.status(e.ctrs()).equalsIgnoreCase(v);
            }
            case "network" -> e -> e.networks().contains(v);
            case "until" -> {
                Predicate<java.time.Instant> before = Filters.until(v);
                yield e -> before.test(e.pod().created());
            }
            case "ctr-names" -> {
                Pattern re = regex(v, key);
                yield e -> e.ctrs().stream().anyMatch(c -> re.matcher(c.name()).find());
            }
            case "ctr-ids" -> e -> e.ctrs().stream().anyMatch(c -> c.id().startsWith(v));
            case "ctr-status" -> {
                ContainerStatus want = ContainerStatus.parse(v);
                yield e -> e.ctrs().stream().anyMatch(c -> c.state().status() == want
                        || want == ContainerStatus.CREATED && c.state().status() == ContainerStatus.CONFIGURED);
            }
            case "ctr-number" -> {
                int n;
                try {
                    n = Integer.parseInt(v);
                } catch (NumberFormatException bad) {
                    throw ApiException.badRequest("ctr-number filter " + v + " must be a number");
                }
                yield e -> e.ctrs().size() == n;
            }
            default -> throw ApiException.badRequest("\"" + key + "\" is an invalid pod filter: use id, name, label, "
                    + "status, network, until, ctr-names, ctr-ids, ctr-status or ctr-number");
        };
    }

    private static Pattern regex(String v, String key) {
        try {
            return Pattern.compile(v);
        } catch (PatternSyntaxException bad) {
            throw ApiException.badRequest("invalid " + key + " filter " + v + ": " + bad.getDescription());
        }
    }
}
