package io.jpod.config.internal;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes written as podman accepts them for {@code events_logfile_max_size}: a number of bytes with an
 * optional decimal unit ({@code b}, {@code k}, {@code m}, {@code g}, {@code t}, {@code p}, each optionally
 * followed by {@code b} or {@code ib}), case-insensitive: {@code "1m"} is 1000000, {@code "10MB"} 10000000.
 */
final class Sizes {

    private static final Pattern SIZE = Pattern.compile("^\\s*(\\d+(?:\\.\\d*)?|\\.\\d+)\\s*([a-zA-Z]{0,3})\\s*$");

    private Sizes() {
    }

    /** The bytes {@code s} stands for, or -1 if it is not a size. */
    static long parse(String s) {
        Matcher m = SIZE.matcher(s);
        if (!m.matches()) {
            return -1;
        }
        BigDecimal n = new BigDecimal(m.group(1).startsWith(".") ? "0" + m.group(1) : m.group(1));
        String unit = m.group(2).toLowerCase(Locale.ROOT);
        long mul;
        if (unit.isEmpty() || unit.equals("b")) {
            mul = 1;
        } else {
            mul = switch (unit.charAt(0)) {
                case 'k' -> 1_000L;
                case 'm' -> 1_000_000L;
                case 'g' -> 1_000_000_000L;
                case 't' -> 1_000_000_000_000L;
                case 'p' -> 1_000_000_000_000_000L;
                default -> 0;
            };
            String rest = unit.substring(1);
            if (mul == 0 || !(rest.isEmpty() || rest.equals("b") || rest.equals("ib"))) {
                return -1;
            }
        }
        BigDecimal bytes = n.multiply(BigDecimal.valueOf(mul));
        if (bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            return -1;
        }
        return bytes.longValue();
    }
}
