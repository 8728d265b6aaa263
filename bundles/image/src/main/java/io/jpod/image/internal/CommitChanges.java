package io.jpod.image.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;

/**
 * The changes a commit applies to the config: what {@link Changes} applies for {@code import}, and ONBUILD (the
 * trigger kept as written, as docker keeps it) and SHELL (a JSON array), which only a commit and a build set.
 */
final class CommitChanges {
    private static final List<String> BAD_TRIGGERS = List.of("ONBUILD", "FROM", "MAINTAINER");

    private CommitChanges() {
    }

    static void apply(ObjectMapper json, ObjectNode config, List<String> changes) {
        for (String change : changes) {
            String c = change == null ? "" : change.strip();
            int cut = 0;
            while (cut < c.length() && !Character.isWhitespace(c.charAt(cut)) && c.charAt(cut) != '=') {
                cut++;
            }
            String instruction = c.substring(0, cut).toUpperCase(Locale.ROOT);
            String value = cut < c.length() ? c.substring(cut + 1).strip() : "";
            switch (instruction) {
                case "ONBUILD" -> onbuild(config, change, value);
                case "SHELL" -> config.set("Shell", shell(json, change, value));
                default -> Changes.apply(json, config, List.of(change));
            }
        }
    }

    private static void onbuild(ObjectNode config, String change, String value) {
        if (value.isEmpty()) {
            throw invalid(change, "ONBUILD needs an instruction to run at the next build");
        }
        String trigger = value.split("\\s+", 2)[0].toUpperCase(Locale.ROOT);
        if (BAD_TRIGGERS.contains(trigger)) {
            throw invalid(change, trigger + " isn't allowed as an ONBUILD trigger");
        }
        JsonNode old = config.get("OnBuild");
        ArrayNode triggers = old instanceof ArrayNode a ? a : config.putArray("OnBuild");
        triggers.add(value);
    }

    private static ArrayNode shell(ObjectMapper json, String change, String value) {
        JsonNode n;
        try {
            n = json.readTree(value);
        } catch (JsonProcessingException e) {
            n = null;
        }
        if (n == null || !n.isArray() || n.isEmpty()) {
            throw invalid(change, "SHELL requires the arguments to be in JSON form, e.g. [\"/bin/sh\", \"-c\"]");
        }
        for (JsonNode e : n) {
            if (!e.isTextual()) {
                throw invalid(change, "SHELL requires a JSON array of strings");
            }
        }
        return (ArrayNode) n;
    }

    private static io.jpod.api.JpodException invalid(String change, String why) {
        return ImageErrors.invalid("invalid change \"" + change + "\": " + why);
    }
}
