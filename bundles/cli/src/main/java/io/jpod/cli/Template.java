package io.jpod.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The subset of Go's text/template that podman's --format is used with: {@code {{.Field}}},
 * {@code {{.Map.key}}}, {@code {{json .X}}}, {@code {{upper/lower/title .X}}}, {@code {{index .Map "k"}}},
 * {@code {{join .List ","}}}, {@code {{len .X}}}, {@code {{.X | json}}}, and the {@code table} prefix
 * (a header row, columns aligned as podman's tabwriter does). Rows are maps of Go field names to values.
 */
final class Template {
    private static final Pattern ACTION = Pattern.compile("\\{\\{-?\\s*(.*?)\\s*-?}}", Pattern.DOTALL);
    private static final Pattern TOKEN = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"|(\\S+)");

    final boolean table;
    private final String text;

    /** The format as given; a literal \t or \n becomes the character, and a line ends with a newline. */
    Template(String format) {
        String f = format;
        boolean t = false;
        if (f.startsWith("table")) {
            t = true;
            // podman's table splits columns at the spaces between actions as well as at tabs
            f = f.substring(5).trim().replaceAll("}}\\s+\\{\\{", "}}\t{{");
        }
        f = f.replace("\\t", "\t").replace("\\n", "\n");
        if (!f.endsWith("\n")) {
            f += "\n";
        }
        this.table = t;
        this.text = f;
    }

    /** The header row of a table: each field's name in capitals, camel case split ("CreatedAt" → "CREATED AT"). */
    String header(Map<String, String> overrides) {
        StringBuilder out = new StringBuilder();
        Matcher m = ACTION.matcher(text);
        int at = 0;
        while (m.find()) {
            out.append(text, at, m.start());
            String field = lastField(m.group(1));
            String h = overrides.get(field);
            out.append(h != null ? h : field == null ? "" : splitCamel(field).toUpperCase(Locale.ROOT));
            at = m.end();
        }
        out.append(text.substring(at));
        return out.toString();
    }

    private static String lastField(String action) {
        Matcher t = TOKEN.matcher(action);
        String field = null;
        while (t.find()) {
            String tok = t.group(2);
            if (tok != null && tok.startsWith(".") && tok.length() > 1) {
                field = tok.substring(tok.lastIndexOf('.') + 1);
            }
        }
        return field;
    }

    static String splitCamel(String s) {
        // "ImageID" → "Image ID", "CreatedAt" → "Created At"
        return s.replaceAll("(?<=[a-z0-9])(?=[A-Z])", " ");
    }

    /** One row. IllegalArgumentException for an unknown field or function, as Go's template would fail. */
    String render(Map<String, Object> row) {
        return render(text, row);
    }

    /** {@code {{range .X}}...{{end}}} renders its body once per element (a map's values in key order), with dot the element. */
    private String render(String t, Object dot) {
        StringBuilder out = new StringBuilder();
        Matcher m = ACTION.matcher(t);
        int at = 0;
        while (m.find(at)) {
            out.append(t, at, m.start());
            String action = m.group(1);
            if (action.startsWith("range ")) {
                int depth = 1;
                Matcher e = ACTION.matcher(t);
                int from = m.end();
                while (depth > 0) {
                    if (!e.find(from)) {
                        throw new IllegalArgumentException("template: unexpected EOF: {{range}} without {{end}}");
                    }
                    String a = e.group(1);
                    depth += a.startsWith("range ") ? 1 : a.equals("end") ? -1 : 0;
                    from = e.end();
                }
                String body = t.substring(m.end(), e.start());
                Object items = eval(action.substring(6).trim(), dot);
                Collection<?> all = items instanceof Map<?, ?> map ? new TreeMap<>(map).values()
                        : items instanceof Collection<?> c ? c : List.of();
                if (items != null && !(items instanceof Map) && !(items instanceof Collection) && items != NO_VALUE) {
                    throw new IllegalArgumentException("template: range can't iterate over " + text(items));
                }
                for (Object item : all) {
                    out.append(render(body, item));
                }
                at = e.end();
                continue;
            }
            out.append(text(eval(action, dot)));
            at = m.end();
        }
        out.append(t.substring(at));
        return out.toString();
    }

    private Object eval(String action, Object row) {
        Object value = null;
        boolean first = true;
        for (String part : action.split("\\|")) {
            List<Object> args = new ArrayList<>();
            String fn = null;
            Matcher t = TOKEN.matcher(part.trim());
            while (t.find()) {
                if (t.group(1) != null) {
                    args.add(t.group(1).replace("\\\"", "\"").replace("\\\\", "\\"));
                } else if (t.group(2).startsWith(".")) {
                    args.add(field(row, t.group(2)));
                } else if (fn == null && args.isEmpty()) {
                    fn = t.group(2);
                } else {
                    args.add(t.group(2));
                }
            }
            if (!first) {
                args.add(value);
            }
            first = false;
            if (fn == null) {
                if (args.size() != 1) {
                    throw new IllegalArgumentException("template: can't evaluate \"" + action + "\"");
                }
                value = args.get(0);
            } else {
                value = call(fn, args);
            }
        }
        return value;
    }

    private static Object field(Object row, String path) {
        if (path.equals(".")) {
            return row;
        }
        Object v = row;
        for (String name : path.substring(1).split("\\.")) {
            if (v instanceof Map<?, ?> map) {
                if (!map.containsKey(name)) {
                    if (map == row) {
                        throw new IllegalArgumentException("template: can't evaluate field " + name);
                    }
                    return NO_VALUE;
                }
                v = map.get(name);
            } else {
                throw new IllegalArgumentException("template: can't evaluate field " + name + " in a " + typeName(v));
            }
        }
        return v;
    }

    private static final Object NO_VALUE = new Object() {
        @Override
        public String toString() {
            return "<no value>";
        }
    };

    private static String typeName(Object v) {
        return v == null ? "nil" : v instanceof String ? "string" : v instanceof Collection ? "slice" : v.getClass().getSimpleName();
    }

    private static Object call(String fn, List<Object> args) {
        switch (fn) {
            case "json":
                return json(arg(args, 0, fn));
            case "upper":
                return text(arg(args, 0, fn)).toUpperCase(Locale.ROOT);
            case "lower":
                return text(arg(args, 0, fn)).toLowerCase(Locale.ROOT);
            case "title": {
                String s = text(arg(args, 0, fn));
                return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
            }
            case "len": {
                Object v = arg(args, 0, fn);
                return v instanceof Collection<?> c ? c.size() : v instanceof Map<?, ?> mp ? mp.size() : text(v).length();
            }
            case "index": {
                Object v = arg(args, 0, fn);
                Object k = arg(args, 1, fn);
                if (v instanceof Map<?, ?> mp) {
                    Object r = mp.get(text(k));
                    return r == null ? "" : r;
                }
                if (v instanceof List<?> l) {
                    return l.get(Integer.parseInt(text(k)));
                }
                throw new IllegalArgumentException("template: can't index item of type " + typeName(v));
            }
            case "join": {
                Object v = arg(args, 0, fn);
                String sep = text(arg(args, 1, fn));
                List<String> parts = new ArrayList<>();
                if (v instanceof Collection<?> c) {
                    c.forEach(o -> parts.add(text(o)));
                } else {
                    parts.add(text(v));
                }
                return String.join(sep, parts);
            }
            case "print":
            case "println": {
                StringBuilder b = new StringBuilder();
                for (Object o : args) {
                    b.append(text(o));
                }
                return fn.equals("println") ? b.append('\n').toString() : b.toString();
            }
            default:
                throw new IllegalArgumentException("template: function \"" + fn + "\" not defined");
        }
    }

    private static Object arg(List<Object> args, int i, String fn) {
        if (args.size() <= i) {
            throw new IllegalArgumentException("template: wrong number of args for " + fn);
        }
        return args.get(i);
    }

    static String json(Object v) {
        try {
            return Api.JSON.writeValueAsString(v == NO_VALUE ? null : v);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** Go's %v: maps as map[k:v] with sorted keys, slices as [a b], nil as <nil>. */
    static String text(Object v) {
        if (v == null) {
            return "<nil>";
        }
        if (v instanceof Map<?, ?> map) {
            StringBuilder b = new StringBuilder("map[");
            boolean first = true;
            for (Map.Entry<?, ?> e : new TreeMap<>(map).entrySet()) {
                b.append(first ? "" : " ").append(text(e.getKey())).append(':').append(text(e.getValue()));
                first = false;
            }
            return b.append(']').toString();
        }
        if (v instanceof Collection<?> c) {
            List<String> parts = new ArrayList<>();
            c.forEach(o -> parts.add(text(o)));
            return "[" + String.join(" ", parts) + "]";
        }
        return v.toString();
    }

    /**
     * Aligns tab-separated cells as Go's tabwriter with podman's settings (minwidth 12, padding 2,
     * spaces): a column is as wide as its widest cell plus 2, at least 12; the last cell of a line is not padded.
     */
    static String align(String text) {
        String[] lines = text.split("\n", -1);
        List<String[]> rows = new ArrayList<>();
        int columns = 0;
        for (String line : lines) {
            String[] cells = line.split("\t", -1);
            rows.add(cells);
            columns = Math.max(columns, cells.length);
        }
        int[] width = new int[columns];
        for (String[] cells : rows) {
            for (int i = 0; i < cells.length - 1; i++) {
                width[i] = Math.max(width[i], Math.max(12, cells[i].codePointCount(0, cells[i].length()) + 2));
            }
        }
        StringBuilder out = new StringBuilder();
        for (int r = 0; r < rows.size(); r++) {
            String[] cells = rows.get(r);
            for (int i = 0; i < cells.length; i++) {
                out.append(cells[i]);
                if (i < cells.length - 1) {
                    out.append(" ".repeat(width[i] - cells[i].codePointCount(0, cells[i].length())));
                }
            }
            if (r < rows.size() - 1) {
                out.append('\n');
            }
        }
        return out.toString();
    }
}
