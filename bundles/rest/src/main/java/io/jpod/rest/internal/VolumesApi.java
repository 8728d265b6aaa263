package io.jpod.rest.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpod.api.Container;
import io.jpod.api.JpodException;
import io.jpod.api.Mount;
import io.jpod.api.Volume;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Named volumes in both shapes. */
final class VolumesApi {
    private final Services services;
    private final Shapes shapes;
    private final VolumeView view;

    VolumesApi(Services services, Shapes shapes) {
        this.services = services;
        this.shapes = shapes;
        this.view = new VolumeView(shapes);
    }

    void register(Router docker, Router libpod) {
        docker.add("GET", "/volumes", x -> {
            ObjectNode o = shapes.object();
            ArrayNode a = o.putArray("Volumes");
            for (Volume v : filtered(x, false)) {
                a.add(view.docker(v));
            }
            o.putArray("Warnings");
            x.json(200, o);
        });
        libpod.add("GET", "/volumes/json", x -> {
            ArrayNode a = shapes.array();
            for (Volume v : filtered(x, false)) {
                a.add(view.libpod(v));
            }
            x.json(200, a);
        });
        docker.add("POST", "/volumes/create", x -> x.json(201, view.docker(create(x.body(), "Name", "Driver", "Labels",
                "DriverOpts"))));
        libpod.add("POST", "/volumes/create", x -> x.json(201, view.libpod(create(x.body(), "Name", "Driver", "Label",
                "Options"))));
        docker.add("GET", "/volumes/{name}", x -> x.json(200, view.docker(services.volumes().volume(x.param("name")))));
        libpod.add("GET", "/volumes/{name}/json", x -> x.json(200, view.libpod(services.volumes().volume(x.param("name")))));
        libpod.add("GET", "/volumes/{name}/exists", x -> {
            services.volumes().volume(x.param("name"));
            x.empty(204);
        });
        for (Router r : List.of(docker, libpod)) {
            r.add("DELETE", "/volumes/{name}", x -> {
                services.volumes().removeVolume(x.param("name"), x.bool("force", false));
                x.empty(204);
            });
            r.add("POST", "/volumes/prune", x -> {
                List<String> removed = prune(filtered(x, true));
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
        Map<String, String> l = Inputs.stringMap(body.get(labels), labels);
        // libpod: "Labels" is the preferred field and wins over "Label"
        if (body.hasNonNull("Labels") && !labels.equals("Labels")) {
            l = Inputs.stringMap(body.get("Labels"), "Labels");
        }
        return services.volumes().createVolume(new Volume(body.path(name).asText(""), "local", null,
                l, Inputs.stringMap(body.get(options), options), null, 0, null, 0));
    }

    /**
     * The volumes the filters select, as podman's: name (a regular expression), driver, scope, label, opt,
     * until, dangling; for prune only label and until. Every value must match.
     */
    private List<Volume> filtered(Exchange x, boolean prune) {
        EngineServices e = services.engine();
        JsonNode f = Filters.parse(x.query("filters"), x.json);
        Predicate<Volume> p = v -> true;
        Set<String> used = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = f.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> en = it.next();
            String key = en.getKey();
            if (prune && !key.equals("label") && !key.equals("until")) {
                throw ApiException.badRequest("\"" + key + "\" is an invalid volume filter");
            }
            for (String val : Filters.values(en.getValue())) {
                p = p.and(switch (key) {
                    case "name" -> {
                        Pattern re;
                        try {
                            re = Pattern.compile(val);
                        } catch (PatternSyntaxException bad) {
                            throw ApiException.badRequest("invalid name filter " + val + ": " + bad.getDescription());
                        }
                        yield v -> re.matcher(v.name()).find();
                    }
                    case "driver" -> v -> v.driver().equals(val);
                    case "scope" -> v -> val.equals("local");
                    case "label" -> v -> Filters.label(v.labels(), val);
                    case "opt" -> v -> Filters.label(v.options(), val);
                    case "until" -> {
                        Predicate<java.time.Instant> before = Filters.until(val);
                        yield v -> before.test(v.created());
                    }
                    case "dangling" -> {
                        boolean want = switch (val.toLowerCase(Locale.ROOT)) {
                            case "true", "1" -> true;
                            case "false", "0" -> false;
                            default -> throw ApiException.badRequest("\"" + val + "\" is not a valid value for the "
                                    + "\"dangling\" filter - must be true or false");
                        };
                        if (used == null) {
                            used = usedVolumes(e);
                        }
                        Set<String> u = used;
                        yield v -> u.contains(v.name()) != want;
                    }
                    default -> throw ApiException.badRequest("\"" + key + "\" is an invalid volume filter");
                });
            }
        }
        return e.volumes().volumes().stream().filter(p).toList();
    }

    /** Names of the volumes that some container mounts. */
    private static Set<String> usedVolumes(EngineServices e) {
        Set<String> used = new HashSet<>();
        for (Container c : e.containers().containers(c -> true)) {
            for (Mount m : c.config().mounts()) {
                if ("volume".equals(m.type()) && m.source() != null) {
                    used.add(m.source());
                }
            }
        }
        return used;
    }

    /** Of the given volumes, those no container mounts. */
    private List<String> prune(List<Volume> candidates) {
        EngineServices e = services.engine();
        List<String> removed = new ArrayList<>();
        for (Volume v : candidates) {
            try {
                e.volumes().removeVolume(v.name(), false);
                removed.add(v.name());
            } catch (JpodException inUse) {
                // mounted by a container: kept
            }
        }
        return removed;
    }
}
