package io.jpod.image.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpod.api.JpodException;
import io.jpod.api.Signals;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code podman import --change}: Dockerfile instructions applied to the {@code config} object of an OCI
 * image config. Each change is {@code INSTRUCTION args} or {@code INSTRUCTION=args}.
 */
final class Changes {
    static final String SUPPORTED = "CMD, ENTRYPOINT, ENV, EXPOSE, HEALTHCHECK, LABEL, STOPSIGNAL, USER, VOLUME, WORKDIR";

    private Changes() {
    }

    static void apply(ObjectMapper json, ObjectNode config, List<String> changes) {
        for (String change : changes == null ? List.<String>of() : changes) {
            applyOne(json, config, change);
        }
    }

    private static void applyOne(ObjectMapper json, ObjectNode config, String change) {
        String c = change == null ? "" : change.strip();
        int cut = 0;
        while (cut < c.length() && !Character.isWhitespace(c.charAt(cut)) && c.charAt(cut) != '=') {
            cut++;
        }
        String instruction = c.substring(0, cut).toUpperCase(Locale.ROOT);
        String value = cut < c.length() ? c.substring(cut + 1).strip() : "";
        if (instruction.isEmpty()) {
            throw invalid(change, "no instruction");
        }
        switch (instruction) {
            case "CMD" -> config.set("Cmd", command(json, change, value));
            case "ENTRYPOINT" -> config.set("Entrypoint", command(json, change, value));
            case "ENV" -> env(config, change, value);
            case "WORKDIR" -> {
                requireValue(change, value);
                String dir = unquote(value);
                String old = config.path("WorkingDir").asText("");
                if (!dir.startsWith("/")) {
                    dir = (old.isEmpty() ? "/" : old.endsWith("/") ? old : old + "/") + dir;
                }
                config.put("WorkingDir", dir);
            }
            case "USER" -> {
                requireValue(change, value);
                config.put("User", unquote(value));
            }
            case "LABEL" -> {
                String[] kv = keyValue(change, value);
                ObjectNode labels = object(config, "Labels");
                labels.put(kv[0], kv[1]);
            }
            case "EXPOSE" -> {
                requireValue(change, value);
                ObjectNode ports = object(config, "ExposedPorts");
                for (String p : value.split("\\s+")) {
                    ports.putObject(port(change, p));
                }
            }
            case "VOLUME" -> {
                requireValue(change, value);
                ObjectNode volumes = object(config, "Volumes");
                List<String> paths = value.startsWith("[") ? jsonArray(json, change, value)
                        : List.of(value.split("\\s+"));
                for (String v : paths) {
                    String p = unquote(v);
                    if (!p.startsWith("/")) {
                        throw invalid(change, "the volume path \"" + p + "\" is not absolute");
                    }
                    volumes.putObject(p);
                }
            }
            case "STOPSIGNAL" -> {
                requireValue(change, value);
                String s = unquote(value);
                Signals.parse(s);
                config.put("StopSignal", s);
            }
            case "HEALTHCHECK" -> config.set("Healthcheck", HealthcheckInstruction.toConfig(json,
                    HealthcheckInstruction.parse(change, value)));
            default -> throw invalid(change, instruction + " is not an instruction --change accepts ("
                    + SUPPORTED + ")");
        }
    }

    private static ArrayNode command(ObjectMapper json, String change, String value) {
        requireValue(change, value);
        ArrayNode out = json.createArrayNode();
        if (value.startsWith("[")) {
            jsonArray(json, change, value).forEach(out::add);
        } else {
            out.add("/bin/sh").add("-c").add(value);
        }
        return out;
    }

    private static List<String> jsonArray(ObjectMapper json, String change, String value) {
        JsonNode n;
        try {
            n = json.readTree(value);
        } catch (JsonProcessingException e) {
            throw invalid(change, "not a JSON array of strings: " + e.getOriginalMessage());
        }
        List<String> out = new ArrayList<>();
        if (n == null || !n.isArray()) {
            throw invalid(change, "not a JSON array of strings");
        }
        for (JsonNode e : n) {
            if (!e.isTextual()) {
                throw invalid(change, "not a JSON array of strings");
            }
            out.add(e.asText());
        }
        return out;
    }

    private static void env(ObjectNode config, String change, String value) {
        String[] kv = keyValue(change, value);
        ArrayNode env = config.has("Env") && config.get("Env").isArray() ? (ArrayNode) config.get("Env")
                : config.putArray("Env");
        String prefix = kv[0] + "=";
        for (int i = 0; i < env.size(); i++) {
            if (env.get(i).asText().startsWith(prefix)) {
                env.remove(i);
                i--;
            }
        }
        env.add(prefix + kv[1]);
    }

    /** {@code k=v} (the value may hold spaces and quotes) or {@code k v}. */
    private static String[] keyValue(String change, String value) {
        requireValue(change, value);
        int eq = value.indexOf('=');
        int sp = indexOfSpace(value);
        String k;
        String v;
        if (eq > 0 && (sp < 0 || eq < sp)) {
            k = value.substring(0, eq);
            v = value.substring(eq + 1);
        } else if (sp > 0) {
            k = value.substring(0, sp);
            v = value.substring(sp + 1).strip();
        } else {
            throw invalid(change, "expected KEY=VALUE or KEY VALUE");
        }
        k = unquote(k);
        if (k.isEmpty()) {
            throw invalid(change, "the key is empty");
        }
        return new String[] {k, unquote(v)};
    }

    private static int indexOfSpace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static String port(String change, String p) {
        String[] parts = p.split("/", 2);
        String proto = parts.length == 2 ? parts[1].toLowerCase(Locale.ROOT) : "tcp";
        if (!parts[0].matches("\\d{1,5}(-\\d{1,5})?") || !(proto.equals("tcp") || proto.equals("udp")
                || proto.equals("sctp"))) {
            throw invalid(change, "invalid port \"" + p + "\"");
        }
        for (String n : parts[0].split("-")) {
            int v = Integer.parseInt(n);
            if (v < 1 || v > 65535) {
                throw invalid(change, "invalid port \"" + p + "\"");
            }
        }
        return parts[0] + "/" + proto;
    }

    private static ObjectNode object(ObjectNode config, String field) {
        JsonNode n = config.get(field);
        return n instanceof ObjectNode o ? o : config.putObject(field);
    }

    private static String unquote(String s) {
        String t = s.strip();
        if (t.length() >= 2 && (t.startsWith("\"") && t.endsWith("\"") || t.startsWith("'") && t.endsWith("'"))) {
            return t.substring(1, t.length() - 1);
        }
        return t;
    }

    private static void requireValue(String change, String value) {
        if (value.isEmpty()) {
            throw invalid(change, "the instruction has no value");
        }
    }

    private static JpodException invalid(String change, String why) {
        return ImageErrors.invalid("invalid change \"" + change + "\": " + why);
    }
}
