package io.jpod.image.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpod.api.Healthcheck;
import io.jpod.api.JpodException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code HEALTHCHECK} instruction ({@code [--interval=D] [--timeout=D] [--start-period=D] [--retries=N] CMD
 * command} or {@code NONE}) and the image config's {@code Healthcheck} object it becomes, as Docker stores it:
 * {@code Test}, and durations in nanoseconds.
 */
final class HealthcheckInstruction {
    private static final Pattern FLAG = Pattern.compile("--([a-z-]+)=(\\S*)");
    private static final Pattern GO_DURATION = Pattern.compile("([0-9]*\\.?[0-9]+)(ns|us|µs|ms|s|m|h)");

    private HealthcheckInstruction() {
    }

    static Healthcheck parse(String change, String value) {
        String rest = value.strip();
        long interval = 0, timeout = 0, startPeriod = 0;
        int retries = 0;
        while (rest.startsWith("--")) {
            int end = rest.indexOf(' ');
            String flag = end < 0 ? rest : rest.substring(0, end);
            rest = end < 0 ? "" : rest.substring(end).strip();
            Matcher m = FLAG.matcher(flag);
            if (!m.matches()) {
                throw invalid(change, "the option " + flag + " is not one of --interval=, --timeout=, "
                        + "--start-period=, --retries=");
            }
            switch (m.group(1)) {
                case "interval" -> interval = duration(change, flag, m.group(2));
                case "timeout" -> timeout = duration(change, flag, m.group(2));
                case "start-period" -> startPeriod = duration(change, flag, m.group(2));
                case "retries" -> {
                    if (!m.group(2).matches("[0-9]{1,9}")) {
                        throw invalid(change, flag + " is not a whole number of retries");
                    }
                    retries = Integer.parseInt(m.group(2));
                }
                default -> throw invalid(change, "the option --" + m.group(1) + " is not one of --interval, "
                        + "--timeout, --start-period, --retries");
            }
        }
        int cut = 0;
        while (cut < rest.length() && !Character.isWhitespace(rest.charAt(cut))) {
            cut++;
        }
        String kind = rest.substring(0, cut).toUpperCase(java.util.Locale.ROOT);
        String command = rest.substring(cut).strip();
        if (kind.equals("NONE")) {
            if (!command.isEmpty()) {
                throw invalid(change, "HEALTHCHECK NONE takes no command");
            }
            return Healthcheck.NONE;
        }
        if (!kind.equals("CMD") || command.isEmpty()) {
            throw invalid(change, "give HEALTHCHECK [OPTIONS] CMD command, or HEALTHCHECK NONE");
        }
        List<String> test = new ArrayList<>();
        if (command.startsWith("[")) {
            test.add("CMD");
            test.addAll(jsonStrings(change, command));
            if (test.size() < 2) {
                throw invalid(change, "the command is empty");
            }
        } else {
            test.add("CMD-SHELL");
            test.add(command);
        }
        return new Healthcheck(test, interval, timeout, retries, startPeriod);
    }

    private static List<String> jsonStrings(String change, String value) {
        JsonNode n;
        try {
            n = new ObjectMapper().readTree(value);
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

    /** A Go duration ({@code 30s}, {@code 1m30s}, {@code 500ms}) in nanoseconds, 0 or at least 1 ms as Docker wants. */
    static long duration(String change, String flag, String text) {
        if (text.equals("0")) {
            return 0;
        }
        Matcher m = GO_DURATION.matcher(text);
        int at = 0;
        BigDecimal nanos = BigDecimal.ZERO;
        while (at < text.length()) {
            if (!m.find(at) || m.start() != at) {
                throw invalid(change, flag + " is not a duration such as 30s, 1m30s or 500ms");
            }
            long unit = switch (m.group(2)) {
                case "ns" -> 1L;
                case "us", "µs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                default -> 3_600_000_000_000L;
            };
            nanos = nanos.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit)));
            at = m.end();
        }
        if (nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw invalid(change, flag + " is too long");
        }
        long n = nanos.longValue();
        if (n != 0 && n < 1_000_000L) {
            throw invalid(change, flag + " is shorter than 1ms");
        }
        return n;
    }

    /** The config's {@code Healthcheck} object. */
    static ObjectNode toConfig(ObjectMapper json, Healthcheck hc) {
        ObjectNode o = json.createObjectNode();
        hc.test().forEach(o.putArray("Test")::add);
        if (hc.interval() > 0) {
            o.put("Interval", hc.interval());
        }
        if (hc.timeout() > 0) {
            o.put("Timeout", hc.timeout());
        }
        if (hc.startPeriod() > 0) {
            o.put("StartPeriod", hc.startPeriod());
        }
        if (hc.retries() > 0) {
            o.put("Retries", hc.retries());
        }
        return o;
    }

    /**
     * An image config's {@code Healthcheck}, or null for none. The image is not trusted: what is not of its type
     * (a test that is no list of strings, a negative or fractional duration) makes the image have none.
     */
    static Healthcheck fromConfig(JsonNode n) {
        if (n == null || !n.isObject() || !n.path("Test").isArray() || n.path("Test").isEmpty()) {
            return null;
        }
        List<String> test = new ArrayList<>();
        for (JsonNode e : n.path("Test")) {
            if (!e.isTextual()) {
                return null;
            }
            test.add(e.asText());
        }
        long interval = nanos(n.get("Interval")), timeout = nanos(n.get("Timeout")),
                start = nanos(n.get("StartPeriod")), retries = nanos(n.get("Retries"));
        if (interval < 0 || timeout < 0 || start < 0 || retries < 0 || retries > Integer.MAX_VALUE) {
            return null;
        }
        return new Healthcheck(test, interval, timeout, (int) retries, start);
    }

    private static long nanos(JsonNode n) {
        if (n == null || n.isNull()) {
            return 0;
        }
        return n.isIntegralNumber() && n.canConvertToLong() ? n.asLong() : -1;
    }

    private static JpodException invalid(String change, String why) {
        return ImageErrors.invalid("invalid change \"" + change + "\": " + why);
    }
}
