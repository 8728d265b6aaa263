package io.jpod.rest.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.jpod.api.JpodException;
import io.jpod.api.Signals;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A create body's fields read with their JSON types checked, as Go's decoder checks them for Docker and podman:
 * a string where a number belongs, a fraction or a number too big for the field is a 400 naming the field, never
 * a value silently read as 0 or cut to fit. What the values mean is the engine's to check.
 */
final class CreateFields {
    private CreateFields() {
    }

    /** A string field; empty when missing or null. */
    static String text(JsonNode parent, String prefix, String field) {
        JsonNode n = parent.get(field);
        if (absent(n)) {
            return "";
        }
        if (!n.isTextual()) {
            throw wrong(prefix + field, "a string", n);
        }
        return n.asText();
    }

    static boolean bool(JsonNode parent, String prefix, String field) {
        JsonNode n = parent.get(field);
        if (absent(n)) {
            return false;
        }
        if (!n.isBoolean()) {
            throw wrong(prefix + field, "true or false", n);
        }
        return n.asBoolean();
    }

    /** A whole number from min to max; {@code dflt} when missing or null. */
    static long integer(JsonNode parent, String prefix, String field, long min, long max, long dflt) {
        JsonNode n = parent.get(field);
        if (absent(n)) {
            return dflt;
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() < min || n.asLong() > max) {
            throw wrong(prefix + field, "a whole number from " + min + " to " + max, n);
        }
        return n.asLong();
    }

    /** A number that Java's int holds, for a field the engine then checks the meaning of. */
    static int int32(JsonNode parent, String prefix, String field, int dflt) {
        return (int) integer(parent, prefix, field, Integer.MIN_VALUE, Integer.MAX_VALUE, dflt);
    }

    /** A signal's name or number as text, e.g. {@code SIGTERM}, {@code TERM}, {@code 15}. */
    static int signal(String text, String field) {
        try {
            return Signals.parse(text);
        } catch (JpodException e) {
            String shown = text.length() > 40 ? text.substring(0, 40) + "..." : text;
            throw ApiException.badRequest(field + " " + shown + " is not a signal: give a name such as SIGTERM or "
                    + "a number from 1 to 64");
        }
    }

    /** A list of strings (a single string counts as one, as Docker's strslice reads it); empty when missing. */
    static List<String> strings(JsonNode n, String field) {
        if (absent(n)) {
            return List.of();
        }
        if (n.isTextual()) {
            return List.of(n.asText());
        }
        if (!n.isArray()) {
            throw wrong(field, "a list of strings", n);
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : n) {
            if (!e.isTextual() && !e.isNull()) {
                throw wrong(field + "[" + out.size() + "]", "a string", e);
            }
            out.add(e.asText(""));
        }
        return out;
    }

    /** An object of strings (null counts as empty); empty when missing. */
    static Map<String, String> stringMap(JsonNode n, String field) {
        Map<String, String> out = new LinkedHashMap<>();
        if (absent(n)) {
            return out;
        }
        if (!n.isObject()) {
            throw wrong(field, "an object of strings", n);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            if (!v.isTextual() && !v.isNull()) {
                throw wrong(field + "." + e.getKey(), "a string", v);
            }
            out.put(e.getKey(), v.asText(""));
        }
        return out;
    }

    /** The elements of a list field that must each be an object; none when missing. */
    static List<JsonNode> objects(JsonNode parent, String field) {
        JsonNode n = parent.get(field);
        if (absent(n)) {
            return List.of();
        }
        if (!n.isArray()) {
            throw wrong(field, "a list of objects", n);
        }
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode e : n) {
            if (!e.isObject()) {
                throw wrong(field + "[" + out.size() + "]", "an object", e);
            }
            out.add(e);
        }
        return out;
    }

    private static boolean absent(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode();
    }

    static ApiException wrong(String field, String expected, JsonNode got) {
        String shown = got.isValueNode() ? got.toString() : got.isArray() ? "a list" : "an object";
        if (shown.length() > 40) {
            shown = shown.substring(0, 40) + "...";
        }
        return ApiException.badRequest(field + " must be " + expected + ", not " + shown);
    }
}
