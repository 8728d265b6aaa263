package io.jpod.rest.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpod.api.Container;
import io.jpod.api.ContainerStats;
import io.jpod.api.ContainerStats.Sample;
import io.jpod.api.ContainerStatus;
import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.api.Pod;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stats: Docker's {@code GET /containers/{id}/stats} (one reading a second, or one with the reading a second
 * before it; libpod serves the same under its prefix), libpod's {@code GET /containers/stats} (podman's shape,
 * every {@code interval} seconds) and {@code GET /pods/stats}. A stream ends when the client goes.
 */
final class StatsApi {
    /** Docker's collector reads once a second. */
    private static final long DOCKER_INTERVAL_MS = 1000;

    private final Services services;
    private final StatsView view;

    StatsApi(Services services, Shapes shapes) {
        this.services = services;
        this.view = new StatsView(shapes);
    }

    void register(Router docker, Router libpod) {
        docker.add("GET", "/containers/{id}/stats", this::dockerStats);
        libpod.add("GET", "/containers/{id}/stats", this::dockerStats);
        libpod.add("GET", "/containers/stats", this::libpodStats);
        libpod.add("GET", "/pods/stats", this::podStats);
    }

    private ContainerStats stats() {
        return services.engine().stats();
    }

    private void dockerStats(Exchange x) throws Exception {
        boolean stream = x.bool("stream", true);
        boolean oneShot = x.bool("one-shot", false);
        if (oneShot && stream) {
            throw ApiException.badRequest("cannot have stream=true and one-shot=true: give stream=false with one-shot");
        }
        ContainerStats stats = stats();
        Sample first = stats.sample(x.param("id"));
        String id = first.id();
        if (!stream) {
            Sample pre = null;
            Sample now = first;
            // as docker: the answer carries the reading a second before, so the CPU share can be told
            if (!oneShot && first.running()) {
                Runnable unwatch = x.interruptWhenClientGoes();
                try {
                    Thread.sleep(DOCKER_INTERVAL_MS);
                } catch (InterruptedException clientGone) {
                    return;
                } finally {
                    unwatch.run();
                }
                pre = first;
                now = stats.sample(id);
            }
            x.json(200, view.docker(now, pre));
            return;
        }
        x.noIdleTimeout();
        Runnable unwatch = x.interruptWhenClientGoes();
        try (OutputStream out = x.startStream(200, "application/json")) {
            Sample pre = null;
            Sample now = first;
            while (true) {
                Streams.jsonLine(x, out, view.docker(now, pre));
                Thread.sleep(DOCKER_INTERVAL_MS);
                pre = now;
                now = stats.sample(id);
            }
        } catch (InterruptedException | IOException clientGone) {
            // the client went: the stream is over
        } catch (JpodException gone) {
            // the container was removed or the engine went down: the stream ends as docker's does
        } finally {
            unwatch.run();
        }
    }

    private void libpodStats(Exchange x) throws Exception {
        boolean stream = x.bool("stream", true);
        long interval = x.longQuery("interval", 5);
        if (interval < 1) {
            throw ApiException.badRequest("interval=" + interval + " is not a positive number of seconds");
        }
        List<String> wanted = new ArrayList<>();
        x.queryAll("containers").forEach(c -> {
            for (String part : c.split(",")) {
                if (!part.isBlank()) {
                    wanted.add(part.trim());
                }
            }
        });
        EngineServices e = services.engine();
        List<String> ids = new ArrayList<>();
        boolean all = x.bool("all", false);
        if (wanted.isEmpty()) {
            // as podman: without names, the running containers (all of them with all=true)
            e.containers().containers(c -> all || c.state().status() == ContainerStatus.RUNNING)
                    .forEach(c -> ids.add(c.id()));
        } else {
            for (String w : wanted) {
                ids.add(e.containers().container(w).id());
            }
        }
        Map<String, StatsView.Previous> previous = new HashMap<>();
        if (!stream) {
            x.json(200, report(e, ids, previous));
            return;
        }
        x.noIdleTimeout();
        Runnable unwatch = x.interruptWhenClientGoes();
        try (OutputStream out = x.startStream(200, "application/json")) {
            while (true) {
                Streams.jsonLine(x, out, report(e, ids, previous));
                Thread.sleep(interval * 1000);
            }
        } catch (InterruptedException | IOException clientGone) {
            // the client went: the stream is over
        } finally {
            unwatch.run();
        }
    }

    /** podman's entities.ContainerStatsReport: the readings, or the error that ended them. */
    private ObjectNode report(EngineServices e, List<String> ids, Map<String, StatsView.Previous> previous) {
        ObjectNode o = view.shapesObject();
        ArrayNode list = view.shapesArray();
        try {
            for (String id : ids) {
                Sample s = e.stats().sample(id);
                StatsView.Previous prev = previous.computeIfAbsent(id, k -> StatsView.Previous.since(s.startedAt()));
                StatsView.Libpod l = view.libpod(s, prev);
                previous.put(id, l.next());
                list.add(l.json());
            }
            o.putNull("Error");
            o.set("Stats", list);
        } catch (JpodException err) {
            o.putObject("Error").put("Message", err.getMessage());
            o.putNull("Stats");
        }
        return o;
    }

    private void podStats(Exchange x) throws Exception {
        boolean all = x.bool("all", false);
        List<String> names = new ArrayList<>();
        x.queryAll("namesOrIDs").forEach(n -> {
            for (String part : n.split(",")) {
                if (!part.isBlank()) {
                    names.add(part.trim());
                }
            }
        });
        if (all && !names.isEmpty()) {
            throw ApiException.badRequest("--all, --latest and arguments cannot be used together");
        }
        EngineServices e = services.engine();
        Map<String, Pod> pods = new LinkedHashMap<>();
        if (names.isEmpty()) {
            e.pods().pods().forEach(p -> pods.put(p.id(), p));
        } else {
            for (String n : names) {
                Pod p = e.pods().pod(n);
                pods.put(p.id(), p);
            }
        }
        ArrayNode out = view.shapesArray();
        for (Pod p : pods.values()) {
            for (Container c : e.pods().podContainers(p.id())) {
                if (c.state().status() != ContainerStatus.RUNNING) {
                    continue;
                }
                Sample s;
                try {
                    s = e.stats().sample(c.id());
                } catch (JpodException gone) {
                    if (JpodException.is(gone, ErrorCode.NO_SUCH_CTR)) {
                        continue;
                    }
                    throw gone;
                }
                StatsView.Libpod l = view.libpod(s, StatsView.Previous.since(s.startedAt()));
                out.add(view.podReport(p.id(), s, l));
            }
        }
        x.json(200, out);
    }
}
