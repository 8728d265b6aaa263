package io.jpod.util.internal;

/** A value a client gave, fit to be shown in a message: control characters as escapes, cut when long. */
public final class Printable {
    private static final int MAX = 80;

    private Printable() {
    }

    /** The value in double quotes, as {@link #of}. */
    public static String quoted(String value) {
        return "\"" + of(value) + "\"";
    }

    /** The value with control characters as {@code \\uXXXX} and at most 80 characters of it, then "...". */
    public static String of(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < value.length() && sb.length() < MAX; i++) {
            char c = value.charAt(i);
            sb.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return value.length() > MAX && sb.length() >= MAX ? sb + "..." : sb.toString();
    }
}
