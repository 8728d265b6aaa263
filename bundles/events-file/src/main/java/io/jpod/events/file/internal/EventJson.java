package io.jpod.events.file.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpod.api.Event;
import io.jpod.spi.events.EventTimes;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One event as one JSON line, with the field names of podman's events.Event as its file logger writes
 * them: {@code ContainerExitCode}, {@code ID}, {@code Image}, {@code Name} (omitted when empty),
 * {@code Status}, {@code Time} (RFC 3339 with nanoseconds, as Go's time.Time), {@code Type},
 * {@code Attributes}.
 */
final class EventJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private EventJson() {
    }

    /** The line for {@code e}, with its terminating newline. */
    static byte[] toLine(Event e) {
        ObjectNode n = MAPPER.createObjectNode();
        if (e.exitCode() != null) {
            n.put("ContainerExitCode", e.exitCode().intValue());
        }
        putIfNotEmpty(n, "ID", e.id());
        putIfNotEmpty(n, "Image", e.image());
        putIfNotEmpty(n, "Name", e.name());
        n.put("Status", e.status());
        n.put("Time", EventTimes.format(e.time()));
        n.put("Type", e.type().word());
        ObjectNode attrs = n.putObject("Attributes");
        e.attributes().forEach(attrs::put);
        try {
            String s = MAPPER.writeValueAsString(n) + "\n";
            return s.getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("cannot write an event as JSON", ex);
        }
    }

    /**
     * The event in {@code line}.
     *
     * @throws IllegalArgumentException if the line is not an event
     */
    static Event parse(String line) {
        JsonNode n;
        try {
            n = MAPPER.readTree(line);
        } catch (JsonProcessingException ex) {
            throw new IllegalArgumentException("not JSON: " + ex.getOriginalMessage(), ex);
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        String type = text(n, "Type");
        String status = text(n, "Status");
        String time = text(n, "Time");
        if (type == null || status == null || time == null) {
            throw new IllegalArgumentException("Type, Status or Time missing");
        }
        Event.Type t;
        Instant when;
        try {
            t = Event.Type.parse(type);
            when = EventTimes.parse(time);
        } catch (RuntimeException ex) {
            throw new IllegalArgumentException(ex.getMessage(), ex);
        }
        Integer exit = null;
        JsonNode code = n.get("ContainerExitCode");
        if (code != null && !code.isNull()) {
            if (!code.canConvertToInt()) {
                throw new IllegalArgumentException("ContainerExitCode is not a number");
            }
            exit = code.intValue();
        }
        Map<String, String> attrs = new LinkedHashMap<>();
        JsonNode a = n.get("Attributes");
        if (a != null && a.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> f = it.next();
                attrs.put(f.getKey(), f.getValue().isTextual() ? f.getValue().textValue() : f.getValue().toString());
            }
        }
        return new Event(t, status, when, text(n, "ID"), text(n, "Name"), text(n, "Image"), exit, attrs);
    }

    private static void putIfNotEmpty(ObjectNode n, String field, String value) {
        if (value != null && !value.isEmpty()) {
            n.put(field, value);
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
