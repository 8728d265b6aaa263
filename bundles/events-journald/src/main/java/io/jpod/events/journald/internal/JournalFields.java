package io.jpod.events.journald.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jpod.api.Event;
import io.jpod.spi.events.EventTimes;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * An event as journal fields, as libpod's journal eventer sends them, with {@code JPOD_} in place of
 * {@code PODMAN_}: {@code SYSLOG_IDENTIFIER=jpod}, {@code JPOD_EVENT} (the status), {@code JPOD_TYPE},
 * {@code JPOD_TIME} (RFC 3339 with nanoseconds), {@code JPOD_ID}, {@code JPOD_NAME},
 * {@code JPOD_IMAGE}, {@code JPOD_EXIT_CODE}, {@code JPOD_LABELS} (the attributes as a JSON object),
 * and a human-readable {@code MESSAGE}.
 */
final class JournalFields {
    static final String IDENTIFIER = "jpod";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {
    };

    private JournalFields() {
    }

    /** The fields to send, in order; values never contain a newline. */
    static Map<String, String> of(Event e) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("MESSAGE", oneLine(message(e)));
        m.put("PRIORITY", "6"); // LOG_INFO, as libpod's journal.PriInfo
        m.put("SYSLOG_IDENTIFIER", IDENTIFIER);
        m.put("JPOD_EVENT", oneLine(e.status()));
        m.put("JPOD_TYPE", e.type().word());
        m.put("JPOD_TIME", EventTimes.format(e.time()));
        putIfNotEmpty(m, "JPOD_ID", e.id());
        putIfNotEmpty(m, "JPOD_NAME", e.name());
        putIfNotEmpty(m, "JPOD_IMAGE", e.image());
        if (e.exitCode() != null) {
            m.put("JPOD_EXIT_CODE", e.exitCode().toString());
        }
        if (!e.attributes().isEmpty()) {
            try {
                m.put("JPOD_LABELS", MAPPER.writeValueAsString(new TreeMap<>(e.attributes())));
            } catch (JsonProcessingException ex) {
                throw new IllegalStateException("cannot write labels as JSON", ex);
            }
        }
        return m;
    }

    /**
     * The event of one entry of {@code journalctl -o json}.
     *
     * @throws IllegalArgumentException if the entry is not a jpod event
     */
    static Event fromJournal(JsonNode entry) {
        if (entry == null || !entry.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        String type = text(entry, "JPOD_TYPE");
        String status = text(entry, "JPOD_EVENT");
        if (type == null || status == null) {
            throw new IllegalArgumentException("JPOD_TYPE or JPOD_EVENT missing");
        }
        try {
            Instant time;
            String t = text(entry, "JPOD_TIME");
            if (t != null) {
                time = OffsetDateTime.parse(t, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
            } else {
                long micros = Long.parseLong(text(entry, "__REALTIME_TIMESTAMP"));
                time = Instant.ofEpochSecond(micros / 1_000_000, micros % 1_000_000 * 1000);
            }
            String code = text(entry, "JPOD_EXIT_CODE");
            String labels = text(entry, "JPOD_LABELS");
            Map<String, String> attrs = labels == null || labels.isEmpty() ? Map.of()
                    : MAPPER.readValue(labels, STRING_MAP);
            return new Event(Event.Type.parse(type), status, time, text(entry, "JPOD_ID"), text(entry, "JPOD_NAME"),
                    text(entry, "JPOD_IMAGE"), code == null || code.isEmpty() ? null : Integer.valueOf(code), attrs);
        } catch (JsonProcessingException ex) {
            throw new IllegalArgumentException("JPOD_LABELS is not a JSON object of strings", ex);
        } catch (RuntimeException ex) {
            throw new IllegalArgumentException(String.valueOf(ex.getMessage()), ex);
        }
    }

    /** What journalctl shows, as libpod's Event.ToHumanReadable. */
    static String message(Event e) {
        StringBuilder sb = new StringBuilder();
        sb.append(EventTimes.format(e.time())).append(' ').append(e.type().word()).append(' ').append(e.status());
        if (e.id() != null && !e.id().isEmpty()) {
            sb.append(' ').append(e.id());
        }
        StringBuilder details = new StringBuilder();
        if (e.image() != null && !e.image().isEmpty()) {
            details.append("image=").append(e.image());
        }
        if (e.name() != null && !e.name().isEmpty()) {
            details.append(details.length() > 0 ? ", " : "").append("name=").append(e.name());
        }
        if (e.exitCode() != null) {
            details.append(details.length() > 0 ? ", " : "").append("exitCode=").append(e.exitCode());
        }
        if (details.length() > 0) {
            sb.append(" (").append(details).append(')');
        }
        return sb.toString();
    }

    private static String oneLine(String s) {
        return s.replace('\n', ' ').replace('\r', ' ');
    }

    private static void putIfNotEmpty(Map<String, String> m, String key, String value) {
        if (value != null && !value.isEmpty()) {
            m.put(key, oneLine(value));
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v != null && v.isTextual() ? v.textValue() : null;
    }
}
