package io.jpod.rest.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.Map;

/** What every resource's view builds with: JSON nodes, times and ids as both API families write them. */
final class Shapes {
    static final String ZERO_TIME = "0001-01-01T00:00:00Z";

    private final ObjectMapper json;

    Shapes(ObjectMapper json) {
        this.json = json;
    }

    ObjectNode object() {
        return json.createObjectNode();
    }

    ArrayNode array() {
        return json.createArrayNode();
    }

    ArrayNode strings(Collection<String> values) {
        ArrayNode a = json.createArrayNode();
        values.forEach(a::add);
        return a;
    }

    ObjectNode map(Map<String, String> values) {
        ObjectNode o = json.createObjectNode();
        values.forEach(o::put);
        return o;
    }

    static String time(Instant t) {
        return t == null ? ZERO_TIME : DateTimeFormatter.ISO_INSTANT.format(t);
    }

    static long epoch(Instant t) {
        return t == null ? 0 : t.getEpochSecond();
    }

    static String imageId(String id) {
        return id == null ? "" : id.startsWith("sha256:") ? id : "sha256:" + id;
    }

    static String bare(String id) {
        return id == null ? "" : id.startsWith("sha256:") ? id.substring(7) : id;
    }

    static String goArch() {
        String a = System.getProperty("os.arch");
        return switch (a) {
            case "x86_64", "amd64" -> "amd64";
            case "aarch64" -> "arm64";
            default -> a;
        };
    }
}
