package io.jpod.build.internal;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The patterns of a {@code .dockerignore} (or {@code .containerignore}) as Docker reads them: one a line,
 * {@code #} comments, a leading {@code /} ignored, {@code *} and {@code ?} within one path component,
 * {@code **} across any number of them, {@code [...]} classes, {@code \} escapes, and {@code !} for an
 * exception. A path is excluded when the last pattern that matches it or one of its parent directories is no
 * exception.
 */
final class IgnorePatterns {
    private record Rule(Pattern regex, boolean exception, String text) {
    }

    private final List<Rule> rules;

    private IgnorePatterns(List<Rule> rules) {
        this.rules = rules;
    }

    static IgnorePatterns none() {
        return new IgnorePatterns(List.of());
    }

    static IgnorePatterns parse(String text) {
        List<Rule> rules = new ArrayList<>();
        for (String raw : text.replace("\r\n", "\n").split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            boolean exception = line.startsWith("!");
            if (exception) {
                line = line.substring(1).strip();
            }
            String p = clean(line);
            if (p.isEmpty()) {
                continue;
            }
            try {
                rules.add(new Rule(Pattern.compile(regex(p)), exception, line));
            } catch (PatternSyntaxException e) {
                throw new JpodException(ErrorCode.INVALID_ARG, "invalid .dockerignore pattern " + line + ": "
                        + e.getDescription());
            }
        }
        return new IgnorePatterns(rules);
    }

    boolean isEmpty() {
        return rules.isEmpty();
    }

    /** Whether {@code path} (relative to the context, {@code /} separated) is left out. */
    boolean excluded(String path) {
        String p = clean(path);
        if (p.isEmpty()) {
            return false;
        }
        List<String> candidates = new ArrayList<>();
        candidates.add(p);
        for (int i = p.lastIndexOf('/'); i > 0; i = p.lastIndexOf('/', i - 1)) {
            candidates.add(p.substring(0, i));
        }
        boolean excluded = false;
        for (Rule r : rules) {
            boolean match = false;
            for (String c : candidates) {
                if (r.regex.matcher(c).matches()) {
                    match = true;
                    break;
                }
            }
            if (match) {
                excluded = !r.exception;
            }
        }
        return excluded;
    }

    /** Whether an exception could bring back something below {@code dir}, so an excluded directory is walked. */
    boolean hasExceptions() {
        return rules.stream().anyMatch(Rule::exception);
    }

    /** As Go's filepath.Clean, without a leading slash: {@code ./a//b/../c} is {@code a/c}. */
    static String clean(String path) {
        List<String> out = new ArrayList<>();
        for (String c : path.split("/")) {
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                if (!out.isEmpty()) {
                    out.remove(out.size() - 1);
                }
                continue;
            }
            out.add(c);
        }
        return String.join("/", out);
    }

    private static String regex(String p) {
        StringBuilder re = new StringBuilder("^");
        boolean inClass = false;
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (inClass) {
                if (c == ']') {
                    inClass = false;
                } else if (c == '\\' && i + 1 < p.length()) {
                    re.append(c);
                    c = p.charAt(++i);
                }
                re.append(c);
            } else if (c == '[') {
                inClass = true;
                re.append(c);
                if (i + 1 < p.length() && p.charAt(i + 1) == '^') {
                    re.append('^');
                    i++;
                }
            } else if (c == '*') {
                if (i + 1 < p.length() && p.charAt(i + 1) == '*') {
                    i++;
                    if (i + 1 < p.length() && p.charAt(i + 1) == '/') {
                        i++;
                    }
                    re.append(i + 1 == p.length() ? ".*" : "(.*/)?");
                } else {
                    re.append("[^/]*");
                }
            } else if (c == '?') {
                re.append("[^/]");
            } else if (c == '\\' && i + 1 < p.length()) {
                re.append(Pattern.quote(String.valueOf(p.charAt(++i))));
            } else if (Character.isLetterOrDigit(c) || c == '/' || c == '_') {
                re.append(c);
            } else {
                re.append('\\').append(c);
            }
        }
        return re.append('$').toString();
    }
}
