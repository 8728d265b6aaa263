package io.jpod.rest.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import io.jpod.spi.events.EventTimes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What clients send, read the same way by every route: JSON bodies, times, terminal sizes. */
final class Inputs {
    private Inputs() {
    }

    static JsonNode requireObject(JsonNode b) {
        if (!b.isObject()) {
            throw ApiException.badRequest("the request body must be a JSON object");
        }
        return b;
    }

    /**
     * A field that, when given, must be of one JSON type: a client that sends another (a string for
     * HostConfig) gets a 400 naming the field, as Docker's and podman's JSON decoders answer, rather than
     * having it ignored.
     */
    static void expect(JsonNode parent, String prefix, String field, JsonNodeType type) {
        JsonNode n = parent.get(field);
        if (n != null && !n.isNull() && n.getNodeType() != type) {
            throw ApiException.badRequest(prefix + field + " must be " + (type == JsonNodeType.OBJECT ? "an object"
                    : "a list") + ", not " + switch (n.getNodeType()) {
                        case STRING -> "a string";
                        case NUMBER -> "a number";
                        case BOOLEAN -> "a boolean";
                        case ARRAY -> "a list";
                        case OBJECT -> "an object";
                        default -> n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
                    });
        }
    }

    static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    static List<String> nonEmpty(List<String> l) {
        return l.stream().filter(s -> !s.isEmpty()).toList();
    }

    /** A list of strings; a single string counts as one element, as Docker's strslice does. */
    static List<String> strings(JsonNode n, String field) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return List.of();
        }
        if (n.isTextual()) {
            return List.of(n.asText());
        }
        if (!n.isArray()) {
            throw ApiException.badRequest(field + " must be a list of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : n) {
            if (!e.isValueNode()) {
                throw ApiException.badRequest(field + " must be a list of strings");
            }
            out.add(e.asText());
        }
        return out;
    }

    static Map<String, String> stringMap(JsonNode n, String field) {
        Map<String, String> out = new LinkedHashMap<>();
        if (n == null || n.isNull() || n.isMissingNode()) {
            return out;
        }
        if (!n.isObject()) {
            throw ApiException.badRequest(field + " must be an object of strings");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asText());
        }
        return out;
    }

    static Instant parseTime(String v, String name) {
        if (v == null || v.isBlank()) {
            return null;
        }
        String t = v.trim();
        try {
            if (t.matches("\\d+(\\.\\d{1,9})?")) {
                int dot = t.indexOf('.');
                long secs = Long.parseLong(dot < 0 ? t : t.substring(0, dot));
                long nanos = dot < 0 ? 0 : Long.parseLong((t.substring(dot + 1) + "000000000").substring(0, 9));
                return Instant.ofEpochSecond(secs, nanos);
            }
            // podman's ParseInputTime: RFC 3339, a date, or a Go duration back from now ("10m")
            return EventTimes.parseInput(t, Instant.now());
        } catch (RuntimeException e) {
            throw ApiException.badRequest(name + "=" + v + " is not a time: give unix seconds (with a fraction), "
                    + "RFC 3339 or a duration such as 10m");
        }
    }

    /** Go's zero time, which podman-remote sends for a since or until its user did not give. */
    private static final Instant GO_ZERO_TIME = Instant.parse("0001-01-01T00:00:00Z");

    /** As {@link #parseTime}, with Unix time 0 and Go's zero time meaning none, as podman reads them. */
    static Instant optionalTime(String v, String name) {
        Instant t = parseTime(v, name);
        return t == null || t.equals(Instant.EPOCH) || !t.isAfter(GO_ZERO_TIME) ? null : t;
    }

    /** h (rows) or w (columns) of a resize call; both are required, as the Docker daemon requires them. */
    static int terminalSize(Exchange x, String name) {
        long v = x.longQuery(name, -1);
        if (v < 0) {
            throw ApiException.badRequest("query parameter " + name + " (the terminal's " + (name.equals("h") ? "rows"
                    : "columns") + ") is required: resize takes h and w");
        }
        return (int) Math.min(v, Integer.MAX_VALUE);
    }
}
