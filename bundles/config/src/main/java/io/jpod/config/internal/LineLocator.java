package io.jpod.config.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the line on which a key is set, for an error message. It does not parse TOML (the parser has
 * done that and the document is valid): it follows the {@code [table]} headers and looks for the
 * {@code key =} line of the key's path within them.
 */
final class LineLocator {

    private static final Pattern HEADER = Pattern.compile("^\\s*\\[\\[?\\s*([^\\[\\]]+?)\\s*\\]\\]?\\s*(#.*)?$");
    private static final Pattern KEY = Pattern.compile("^\\s*((?:[A-Za-z0-9_\\-]+|\"(?:[^\"\\\\]|\\\\.)*\"|'[^']*')"
            + "(?:\\s*\\.\\s*(?:[A-Za-z0-9_\\-]+|\"(?:[^\"\\\\]|\\\\.)*\"|'[^']*'))*)\\s*=");

    private LineLocator() {
    }

    /**
     * The 1-based line where {@code path} is set in {@code text}, or, when it is not set there itself
     * (e.g. inside an inline table), where its nearest enclosing key or table is; 0 if none is found.
     */
    static int find(String text, List<String> path) {
        String[] lines = text.split("\r?\n", -1);
        for (int len = path.size(); len > 0; len--) {
            int n = findExact(lines, path.subList(0, len));
            if (n > 0) {
                return n;
            }
        }
        return 0;
    }

    private static int findExact(String[] lines, List<String> target) {
        List<String> table = List.of();
        int depth = 0; // nesting of [ and { of a multi-line value, so its lines are not taken for keys
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (depth == 0) {
                Matcher h = HEADER.matcher(line);
                if (h.matches()) {
                    table = splitDotted(h.group(1));
                    if (table.equals(target)) {
                        return i + 1;
                    }
                    continue;
                }
                Matcher k = KEY.matcher(line);
                if (k.find()) {
                    List<String> full = new ArrayList<>(table);
                    full.addAll(splitDotted(k.group(1)));
                    if (full.equals(target)) {
                        return i + 1;
                    }
                    depth = nesting(line.substring(k.end()), 0);
                }
            } else {
                depth = nesting(line, depth);
            }
        }
        return 0;
    }

    /** Follows brackets and braces outside strings and comments, to know where a multi-line array ends. */
    private static int nesting(String s, int depth) {
        char quote = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == '\\' && quote == '"') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '#') {
                break;
            } else if (c == '[' || c == '{') {
                depth++;
            } else if (c == ']' || c == '}') {
                depth = Math.max(0, depth - 1);
            }
        }
        return depth;
    }

    /** Splits a dotted key such as {@code engine."a.b".c} into its parts, without quotes. */
    static List<String> splitDotted(String key) {
        List<String> parts = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        char quote = 0;
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (quote != 0) {
                if (c == '\\' && quote == '"' && i + 1 < key.length()) {
                    cur.append(key.charAt(++i));
                } else if (c == quote) {
                    quote = 0;
                } else {
                    cur.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '.') {
                parts.add(cur.toString().strip());
                cur.setLength(0);
            } else if (!Character.isWhitespace(c)) {
                cur.append(c);
            }
        }
        parts.add(cur.toString().strip());
        return parts;
    }

    /** The last line before {@code line} (1-based) that has something besides blanks and a comment; 0 if none. */
    static int previousContentLine(String text, int line) {
        String[] lines = text.split("\r?\n", -1);
        for (int i = Math.min(line - 1, lines.length) - 1; i >= 0; i--) {
            String s = lines[i].strip();
            if (!s.isEmpty() && !s.startsWith("#")) {
                return i + 1;
            }
        }
        return 0;
    }

    /** The key set on {@code line} (1-based), as written, or null. */
    static String keyOnLine(String text, int line) {
        String[] lines = text.split("\r?\n", -1);
        if (line < 1 || line > lines.length) {
            return null;
        }
        Matcher k = KEY.matcher(lines[line - 1]);
        return k.find() ? k.group(1).strip() : null;
    }
}
