package io.jpod.build.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses a Dockerfile as Docker's reference describes it: parser directives at the top ({@code # escape=},
 * {@code # syntax=}), comment lines, line continuations with the escape character (comment and empty lines inside a
 * continuation dropped), instructions in any case, {@code --flag=value} flags, and the JSON (exec) form where an
 * instruction takes it. Variables are not substituted here: that depends on the stage, when the step runs.
 */
final class DockerfileParser {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DIRECTIVE = Pattern.compile("^#\\s*([a-zA-Z][a-zA-Z0-9]*)\\s*=\\s*(.*?)\\s*$");
    static final Set<String> KEYWORDS = Set.of("FROM", "RUN", "CMD", "LABEL", "MAINTAINER", "EXPOSE", "ENV",
            "ADD", "COPY", "ENTRYPOINT", "VOLUME", "USER", "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK",
            "SHELL");
    private static final Set<String> JSON_FORM = Set.of("RUN", "CMD", "ENTRYPOINT", "SHELL", "COPY", "ADD",
            "VOLUME");
    private static final Map<String, Set<String>> FLAGS = Map.of(
            "FROM", Set.of("platform"),
            "COPY", Set.of("from", "chown", "chmod", "link"),
            "ADD", Set.of("chown", "chmod", "link", "checksum", "keep-git-dir"),
            "RUN", Set.of("mount", "network", "security"),
            "HEALTHCHECK", Set.of("interval", "timeout", "start-period", "start-interval", "retries"));

    private DockerfileParser() {
    }

    static Dockerfile parse(String text) {
        String[] lines = text.replace("\r\n", "\n").split("\n", -1);
        char escape = '\\';
        int i = 0;
        // parser directives: only before anything else, each at most once
        Set<String> seen = new java.util.HashSet<>();
        for (; i < lines.length; i++) {
            Matcher m = DIRECTIVE.matcher(lines[i].strip());
            if (!m.matches()) {
                break;
            }
            String name = m.group(1).toLowerCase(Locale.ROOT);
            if (!name.equals("escape") && !name.equals("syntax") && !name.equals("check")) {
                break;
            }
            if (!seen.add(name)) {
                throw DockerfileException.at(i + 1, "only one " + name + " parser directive can be used");
            }
            if (name.equals("escape")) {
                String v = m.group(2);
                if (!v.equals("\\") && !v.equals("`")) {
                    throw DockerfileException.at(i + 1, "invalid escape token '" + v + "' does not match ` or \\");
                }
                escape = v.charAt(0);
            }
        }
        List<Instruction> out = new ArrayList<>();
        StringBuilder logical = null;
        int start = 0;
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n];
            String stripped = line.strip();
            if (stripped.isEmpty() || stripped.startsWith("#")) {
                // comments, and empty lines, also inside a continuation
                continue;
            }
            if (logical == null) {
                logical = new StringBuilder();
                start = n + 1;
            }
            String trailing = line.stripTrailing();
            if (trailing.charAt(trailing.length() - 1) == escape) {
                logical.append(trailing, 0, trailing.length() - 1);
                continue;
            }
            logical.append(line);
            out.add(instruction(logical.toString(), start, escape, true));
            logical = null;
        }
        if (logical != null && !logical.toString().isBlank()) {
            out.add(instruction(logical.toString(), start, escape, true));
        }
        if (out.isEmpty()) {
            throw new io.jpod.api.JpodException(io.jpod.api.ErrorCode.INVALID_ARG,
                    "the Dockerfile cannot be empty: it needs at least a FROM instruction");
        }
        return new Dockerfile(out, escape);
    }

    private static Instruction instruction(String text, int line, char escape, boolean top) {
        String s = text.strip();
        int sp = firstSpace(s);
        String word = sp < 0 ? s : s.substring(0, sp);
        String keyword = word.toUpperCase(Locale.ROOT);
        String rest = sp < 0 ? "" : s.substring(sp).strip();
        if (!KEYWORDS.contains(keyword)) {
            throw DockerfileException.at(line, "unknown instruction: " + word);
        }
        Map<String, String> flags = new LinkedHashMap<>();
        Set<String> allowed = FLAGS.getOrDefault(keyword, Set.of());
        while (rest.startsWith("--")) {
            int end = firstSpace(rest);
            String flag = end < 0 ? rest : rest.substring(0, end);
            rest = end < 0 ? "" : rest.substring(end).strip();
            int eq = flag.indexOf('=');
            String name = eq < 0 ? flag.substring(2) : flag.substring(2, eq);
            String value = eq < 0 ? "true" : flag.substring(eq + 1);
            if (!allowed.contains(name)) {
                throw DockerfileException.at(line, "unknown flag: " + name + " (" + keyword + " takes "
                        + (allowed.isEmpty() ? "no flags" : String.join(", ", allowed.stream().sorted()
                                .map(f -> "--" + f).toList())) + ")");
            }
            if (flags.put(name, value) != null) {
                throw DockerfileException.at(line, "duplicate flag specified: " + name);
            }
        }
        if (keyword.equals("ONBUILD")) {
            if (rest.isEmpty()) {
                throw DockerfileException.at(line, "ONBUILD requires at least one argument");
            }
            Instruction inner = instruction(rest, line, escape, false);
            if (Set.of("ONBUILD", "FROM", "MAINTAINER").contains(inner.keyword())) {
                throw DockerfileException.at(line, inner.keyword() + " isn't allowed as an ONBUILD trigger");
            }
            return new Instruction(keyword, flags, List.of(rest), false, s, line, inner);
        }
        List<String> args = null;
        boolean json = false;
        if (JSON_FORM.contains(keyword) && rest.startsWith("[")) {
            args = jsonArray(rest);
            json = args != null;
        }
        if (keyword.equals("SHELL") && !json) {
            throw DockerfileException.at(line, "SHELL requires the arguments to be in JSON form, such as "
                    + "SHELL [\"/bin/sh\", \"-c\"]");
        }
        if (args == null) {
            args = rest.isEmpty() ? List.of() : List.of(rest);
        }
        boolean emptyAllowed = json && (keyword.equals("CMD") || keyword.equals("ENTRYPOINT"));
        if (args.isEmpty() && !emptyAllowed) {
            throw DockerfileException.at(line, keyword + " requires at least one argument");
        }
        return new Instruction(keyword, flags, args, json, s, line, null);
    }

    private static int firstSpace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    /** The strings of a JSON array, or null when the text is no JSON array of strings (then it is a shell form). */
    private static List<String> jsonArray(String text) {
        JsonNode n;
        try {
            n = JSON.readerFor(JsonNode.class).with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readValue(text);
        } catch (JsonProcessingException e) {
            return null;
        }
        if (n == null || !n.isArray()) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : n) {
            if (!e.isTextual()) {
                return null;
            }
            out.add(e.asText());
        }
        return out;
    }
}
