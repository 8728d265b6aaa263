package io.jpod.config.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The errors found while mapping and checking, each a line of the form
 * {@code FILE:LINE: section.key = VALUE is invalid: WHAT IS EXPECTED}.
 */
final class Problems {

    private static final Pattern BARE_KEY = Pattern.compile("[A-Za-z0-9_\\-]+");
    private static final int MAX_VALUE_CHARS = 100;

    /** One problem, sorted by the order files were read in, then by line; overrides come last. */
    private record Problem(int fileIndex, int line, String message) {
    }

    private static final java.util.Comparator<Problem> ORDER = java.util.Comparator.comparingInt(Problem::fileIndex)
            .thenComparingInt(Problem::line);

    private final Map<List<String>, ConfigFile> origins;
    private final List<ConfigFile> files;
    private final List<Problem> problems = new ArrayList<>();

    /**
     * @param origins the file that set each key
     * @param files   the files in the order they were read
     */
    Problems(Map<List<String>, ConfigFile> origins, List<ConfigFile> files) {
        this.origins = origins;
        this.files = files;
    }

    /** An invalid value at {@code path} of the merged tree; the file that set it is named with the line. */
    void invalid(List<String> path, JsonNode value, String expected) {
        ConfigFile file = origins.get(path);
        StringBuilder sb = new StringBuilder();
        int fileIndex = files.size();
        int line = 0;
        if (file != null) {
            fileIndex = files.indexOf(file);
            sb.append(file.name());
            line = LineLocator.find(file.text(), path);
            if (line > 0) {
                sb.append(':').append(line);
            }
            sb.append(": ");
        } else {
            sb.append("built-in default: ");
        }
        sb.append(keyPath(path)).append(" = ").append(render(value)).append(" is invalid: ").append(expected);
        problems.add(new Problem(fileIndex, line, sb.toString()));
    }

    /** An invalid override (a start option or component property). */
    void invalidOverride(String key, String value, String expected) {
        problems.add(new Problem(Integer.MAX_VALUE, 0, "override " + key + " = " + render(com.fasterxml.jackson.databind.node.TextNode.valueOf(value))
                + " is invalid: " + expected));
    }

    boolean isEmpty() {
        return problems.isEmpty();
    }

    /** The messages, in the order of the files and lines they are about. */
    List<String> messages() {
        return problems.stream().sorted(ORDER).map(Problem::message).toList();
    }

    /** Throws CONFIG_INVALID with every problem found, one a line, if there is any. */
    void throwIfAny() {
        if (!problems.isEmpty()) {
            throw new JpodException(ErrorCode.CONFIG_INVALID, String.join("\n", messages()));
        }
    }

    static String keyPath(List<String> path) {
        StringBuilder sb = new StringBuilder();
        for (String p : path) {
            if (sb.length() > 0) {
                sb.append('.');
            }
            sb.append(BARE_KEY.matcher(p).matches() ? p : quote(p));
        }
        return sb.toString();
    }

    /** The value as TOML would write it, shortened when long. */
    static String render(JsonNode v) {
        String s = renderFull(v);
        return s.length() > MAX_VALUE_CHARS ? s.substring(0, MAX_VALUE_CHARS - 3) + "..." : s;
    }

    private static String renderFull(JsonNode v) {
        if (v == null || v.isMissingNode() || v.isNull()) {
            return "(nothing)";
        }
        if (v.isTextual()) {
            return quote(v.textValue());
        }
        if (v.isArray()) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < v.size(); i++) {
                sb.append(i == 0 ? "" : ", ").append(renderFull(v.get(i)));
            }
            return sb.append(']').toString();
        }
        if (v.isObject()) {
            StringBuilder sb = new StringBuilder("{");
            Iterator<Map.Entry<String, JsonNode>> it = v.fields();
            boolean first = true;
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                sb.append(first ? "" : ", ").append(BARE_KEY.matcher(e.getKey()).matches() ? e.getKey() : quote(e.getKey()))
                        .append(" = ").append(renderFull(e.getValue()));
                first = false;
            }
            return sb.append('}').toString();
        }
        return v.asText();
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format("\\u%04X", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
