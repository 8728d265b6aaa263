package io.jpod.rest.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpod.api.Container;
import io.jpod.api.ContainerStatus;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The {@code filters} query parameter: JSON {@code {"key": ["v1", "v2"]}}, or the older
 * {@code {"key": {"v1": true}}} that some clients still send.
 */
final class Filters {
    private Filters() {
    }

    static JsonNode parse(String raw, ObjectMapper json) {
        if (raw == null || raw.isBlank()) {
            return json.createObjectNode();
        }
        try {
            JsonNode n = json.readTree(raw);
            if (!(n instanceof ObjectNode)) {
                throw ApiException.badRequest("filters=" + raw + " must be a JSON object such as {\"status\":[\"running\"]}");
            }
            return n;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw ApiException.badRequest("filters=" + raw + " is not JSON: " + e.getOriginalMessage());
        }
    }

    static List<String> values(JsonNode v) {
        List<String> out = new ArrayList<>();
        if (v.isArray()) {
            v.forEach(e -> out.add(e.asText()));
        } else if (v.isObject()) {
            v.fieldNames().forEachRemaining(out::add);
        } else {
            out.add(v.asText());
        }
        return out;
    }

    /**
     * Container filters as both APIs take them: id, name, status, label, ancestor, exited. Values of
     * one key are alternatives, but for label, whose values must all match (as Docker's and podman's); keys must
     * all match.
     */
    static Predicate<Container> containers(JsonNode filters, boolean docker) {
        Predicate<Container> p = c -> true;
        for (Iterator<Map.Entry<String, JsonNode>> it = filters.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            List<String> vals = values(e.getValue());
            boolean all = e.getKey().equals("label");
            Predicate<Container> combined = all ? c -> true : c -> false;
            for (String v : vals) {
                combined = all ? combined.and(one(e.getKey(), v, docker)) : combined.or(one(e.getKey(), v, docker));
            }
            p = p.and(combined);
        }
        return p;
    }

    private static Predicate<Container> one(String key, String v, boolean docker) {
        return switch (key) {
            case "id" -> c -> c.id().startsWith(v);
            case "name" -> c -> c.name().matches(".*" + v + ".*") || c.name().equals(v.replaceFirst("^/", ""));
            case "status" -> {
                String want = v.toLowerCase(java.util.Locale.ROOT);
                List<String> known = List.of("created", "restarting", "running", "removing", "paused", "exited",
                        "dead", "configured", "stopped", "unknown", "stopping");
                if (!known.contains(want)) {
                    throw ApiException.badRequest("invalid filter status=" + v + ": use one of " + String.join(", ", known));
                }
                yield c -> want.equals(ContainerView.dockerState(c.state().status()))
                        || want.equals(c.state().status().word())
                        || want.equals("exited") && c.state().status() == ContainerStatus.STOPPED;
            }
            case "label" -> {
                int eq = v.indexOf('=');
                yield eq < 0 ? c -> c.config().labels().containsKey(v)
                        : c -> v.substring(eq + 1).equals(c.config().labels().get(v.substring(0, eq)));
            }
            case "ancestor" -> c -> v.equals(c.config().image()) || matchesShort(c.config().image(), v)
                    || c.config().imageId() != null && Shapes.bare(c.config().imageId()).startsWith(Shapes.bare(v));
            case "exited" -> {
                int code;
                try {
                    code = Integer.parseInt(v);
                } catch (NumberFormatException e) {
                    throw ApiException.badRequest("invalid filter exited=" + v + ": give an exit code");
                }
                yield c -> c.state().exited() && c.state().exitCode() == code
                        && c.state().status() != ContainerStatus.RUNNING;
            }
            default -> throw ApiException.badRequest("invalid filter " + key + ": jpod filters containers by id, name, "
                    + "status, label, ancestor and exited");
        };
    }

    /** A label filter as podman's: {@code key} or {@code key=value}. */
    static boolean label(Map<String, String> labels, String filter) {
        int eq = filter.indexOf('=');
        return eq < 0 ? labels.containsKey(filter) : filter.substring(eq + 1).equals(labels.get(filter.substring(0, eq)));
    }

    /** The {@code until} filter of prune: made before that time. */
    static Predicate<java.time.Instant> until(String v) {
        java.time.Instant t = Inputs.parseTime(v, "until");
        return created -> t == null || created != null && created.isBefore(t);
    }

    private static boolean matchesShort(String image, String v) {
        if (image == null) {
            return false;
        }
        String a = image.contains(":") && image.lastIndexOf(':') > image.lastIndexOf('/') ? image : image + ":latest";
        String b = v.contains(":") && v.lastIndexOf(':') > v.lastIndexOf('/') ? v : v + ":latest";
        return a.equals(b) || a.endsWith("/" + b);
    }
}
