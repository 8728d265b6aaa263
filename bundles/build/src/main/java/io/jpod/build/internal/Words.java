package io.jpod.build.internal;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Docker's word processing for instruction arguments: single quotes keep everything, double quotes keep
 * everything but variables and escapes of {@code $ " escape}, the escape character outside quotes takes the next
 * character as it is, and {@code $VAR}, {@code ${VAR}}, {@code ${VAR:-word}}, {@code ${VAR-word}},
 * {@code ${VAR:+word}}, {@code ${VAR+word}}, {@code ${VAR:?msg}} are substituted from the variables given (an
 * unknown variable is empty).
 */
final class Words {
    private final char escape;
    private final Function<String, String> vars;
    private String s;
    private int pos;

    private Words(char escape, Function<String, String> vars) {
        this.escape = escape;
        this.vars = vars;
    }

    /** The whole text as one word, quotes removed, variables substituted. */
    static String word(String text, char escape, Function<String, String> vars) {
        List<String> w = new Words(escape, vars).run(text, false);
        return w.isEmpty() ? "" : w.get(0);
    }

    /** The text split at unquoted white space, each word processed as {@link #word}. */
    static List<String> words(String text, char escape, Function<String, String> vars) {
        return new Words(escape, vars).run(text, true);
    }

    /** The text split at unquoted, unescaped white space, quotes and escapes kept (for NAME=VALUE pairs). */
    static List<String> rawWords(String text, char escape) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        char quote = 0;
        boolean inWord = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote == 0 && Character.isWhitespace(c)) {
                if (inWord) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    inWord = false;
                }
                continue;
            }
            inWord = true;
            cur.append(c);
            if (c == escape && quote != '\'' && i + 1 < text.length()) {
                cur.append(text.charAt(++i));
            } else if (quote == 0 && (c == '\'' || c == '"')) {
                quote = c;
            } else if (c == quote) {
                quote = 0;
            }
        }
        if (inWord) {
            out.add(cur.toString());
        }
        return out;
    }

    private List<String> run(String text, boolean split) {
        s = text;
        pos = 0;
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inWord = false;
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (split && Character.isWhitespace(c)) {
                pos++;
                if (inWord) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    inWord = false;
                }
                continue;
            }
            inWord = true;
            if (c == '\'') {
                pos++;
                int end = s.indexOf('\'', pos);
                if (end < 0) {
                    throw new JpodException(ErrorCode.INVALID_ARG, "unexpected end of statement while looking for "
                            + "matching single-quote in: " + text);
                }
                cur.append(s, pos, end);
                pos = end + 1;
            } else if (c == '"') {
                pos++;
                doubleQuoted(cur, text);
            } else if (c == escape) {
                pos++;
                if (pos < s.length()) {
                    cur.append(s.charAt(pos++));
                }
            } else if (c == '$') {
                cur.append(variable());
            } else {
                cur.append(c);
                pos++;
            }
        }
        if (inWord || !split) {
            out.add(cur.toString());
        }
        return out;
    }

    private void doubleQuoted(StringBuilder cur, String text) {
        while (true) {
            if (pos >= s.length()) {
                throw new JpodException(ErrorCode.INVALID_ARG, "unexpected end of statement while looking for "
                        + "matching double-quote in: " + text);
            }
            char c = s.charAt(pos);
            if (c == '"') {
                pos++;
                return;
            }
            if (c == '$') {
                cur.append(variable());
            } else if (c == escape && pos + 1 < s.length() && "$\"".indexOf(s.charAt(pos + 1)) >= 0
                    || c == escape && pos + 1 < s.length() && s.charAt(pos + 1) == escape) {
                cur.append(s.charAt(pos + 1));
                pos += 2;
            } else {
                cur.append(c);
                pos++;
            }
        }
    }

    /** At a {@code $}: the variable's value, or the {@code $} itself when no name follows. */
    private String variable() {
        pos++;
        if (pos >= s.length()) {
            return "$";
        }
        char c = s.charAt(pos);
        if (c == '{') {
            pos++;
            String name = name();
            if (name.isEmpty()) {
                throw new JpodException(ErrorCode.INVALID_ARG, "missing variable name in ${...} in: " + s);
            }
            if (pos >= s.length()) {
                throw new JpodException(ErrorCode.INVALID_ARG, "missing '}' in: " + s);
            }
            char m = s.charAt(pos);
            if (m == '}') {
                pos++;
                return value(name);
            }
            boolean colon = m == ':';
            if (colon) {
                pos++;
                m = pos < s.length() ? s.charAt(pos) : 0;
            }
            if (m != '-' && m != '+' && m != '?') {
                throw new JpodException(ErrorCode.INVALID_ARG, "unsupported modifier (" + (colon ? ":" : "") + m
                        + ") in substitution: " + s);
            }
            pos++;
            String word = modifierWord();
            String v = vars.apply(name);
            boolean set = colon ? v != null && !v.isEmpty() : v != null;
            return switch (m) {
                case '-' -> set ? v : word;
                case '+' -> set ? word : "";
                default -> {
                    if (!set) {
                        throw new JpodException(ErrorCode.INVALID_ARG, name + ": " + (word.isEmpty()
                                ? "is not allowed to be unset" : word));
                    }
                    yield v;
                }
            };
        }
        String name = name();
        if (name.isEmpty()) {
            return "$";
        }
        return value(name);
    }

    /** The word of a modifier up to its closing brace, itself processed (quotes, escapes, variables). */
    private String modifierWord() {
        StringBuilder w = new StringBuilder();
        while (true) {
            if (pos >= s.length()) {
                throw new JpodException(ErrorCode.INVALID_ARG, "missing '}' in: " + s);
            }
            char c = s.charAt(pos);
            if (c == '}') {
                pos++;
                return w.toString();
            }
            if (c == '$') {
                w.append(variable());
            } else if (c == escape && pos + 1 < s.length()) {
                w.append(s.charAt(pos + 1));
                pos += 2;
            } else if (c == '\'') {
                int end = s.indexOf('\'', pos + 1);
                if (end < 0) {
                    throw new JpodException(ErrorCode.INVALID_ARG, "unexpected end of statement while looking for "
                            + "matching single-quote in: " + s);
                }
                w.append(s, pos + 1, end);
                pos = end + 1;
            } else if (c == '"') {
                pos++;
                doubleQuoted(w, s);
            } else {
                w.append(c);
                pos++;
            }
        }
    }

    private String name() {
        int start = pos;
        while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_')) {
            pos++;
        }
        return s.substring(start, pos);
    }

    private String value(String name) {
        String v = vars.apply(name);
        return v == null ? "" : v;
    }
}
