package io.jpod.rest.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpod.api.Engine;
import io.jpod.api.JpodException;
import io.jpod.api.Volume;
import java.util.ArrayList;
import java.util.List;

/** Named volumes in both shapes. */
final class VolumesApi {
    private final Services services;
    private final Shapes shapes;

    VolumesApi(Services services, Shapes shapes) {
        this.services = services;
        this.shapes = shapes;
    }

    void register(Router docker, Router libpod) {
        docker.add("GET", "/volumes", x -> {
            ObjectNode o = shapes.object();
            ArrayNode a = o.putArray("Volumes");
            for (Volume v : services.engine().volumes()) {
                a.add(docker(v));
            }
            o.putArray("Warnings");
            x.json(200, o);
        });
        libpod.add("GET", "/volumes/json", x -> {
            ArrayNode a = shapes.array();
            for (Volume v : services.engine().volumes()) {
                a.add(libpod(v));
            }
            x.json(200, a);
        });
        docker.add("POST", "/volumes/create", x -> x.json(201, docker(create(x.body(), "Name", "Driver", "Labels",
                "DriverOpts"))));
        libpod.add("POST", "/volumes/create", x -> x.json(201, libpod(create(x.body(), "Name", "Driver", "Label",
                "Options"))));
        docker.add("GET", "/volumes/{name}", x -> x.json(200, docker(services.engine().volume(x.param("name")))));
        libpod.add("GET", "/volumes/{name}/json", x -> x.json(200, libpod(services.engine().volume(x.param("name")))));
        libpod.add("GET", "/volumes/{name}/exists", x -> {
            services.engine().volume(x.param("name"));
            x.empty(204);
        });
        for (Router r : List.of(docker, libpod)) {
            r.add("DELETE", "/volumes/{name}", x -> {
                services.engine().removeVolume(x.param("name"), x.bool("force", false));
                x.empty(204);
            });
            r.add("POST", "/volumes/prune", x -> {
                List<String> removed = prune();
                if (x.libpod) {
                    ArrayNode a = shapes.array();
                    removed.forEach(n -> a.addObject().put("Id", n).put("Size", 0).putNull("Err"));
                    x.json(200, a);
                } else {
                    ObjectNode o = shapes.object();
                    o.set("VolumesDeleted", shapes.strings(removed));
                    o.put("SpaceReclaimed", 0);
                    x.json(200, o);
                }
            });
        }
    }

    private Volume create(JsonNode b, String name, String driver, String labels, String options) {
        JsonNode body = b.isObject() ? b : shapes.object();
        String d = body.path(driver).asText("local");
        if (!d.isEmpty() && !d.equals("local")) {
            throw ApiException.badRequest("volume driver " + d + " is not supported: use local");
        }
        return services.engine().createVolume(new Volume(body.path(name).asText(""), "local", null,
                ContainersApi.stringMap(body.get(labels), labels), ContainersApi.stringMap(body.get(options), options),
                null, 0, null, 0));
    }

    /** Volumes no container mounts. */
    private List<String> prune() {
        Engine e = services.engine();
        List<String> removed = new ArrayList<>();
        for (Volume v : e.volumes()) {
            try {
                e.removeVolume(v.name(), false);
                removed.add(v.name());
            } catch (JpodException inUse) {
                // mounted by a container: kept
            }
        }
        return removed;
    }

    private ObjectNode docker(Volume v) {
        ObjectNode o = shapes.object();
        o.put("Name", v.name());
        o.put("Driver", v.driver());
        o.put("Mountpoint", v.mountPoint());
        o.put("CreatedAt", Shapes.time(v.created()));
        o.set("Labels", shapes.map(v.labels()));
        o.put("Scope", "local");
        o.set("Options", shapes.map(v.options()));
        return o;
    }

    private ObjectNode libpod(Volume v) {
        ObjectNode o = docker(v);
        o.put("MountCount", v.mountCount());
        o.put("NeedsCopyUp", false);
        o.put("NeedsChown", false);
        return o;
    }
}
