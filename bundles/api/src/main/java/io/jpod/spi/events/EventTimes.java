package io.jpod.spi.events;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Event times as podman writes and reads them, shared by the events loggers, the API and the CLI. */
public final class EventTimes {
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");
    private static final Pattern GO_DURATION = Pattern.compile("([0-9]*\\.?[0-9]+)(ns|us|µs|ms|s|m|h)");
    private static final Pattern NUMBER = Pattern.compile("-?[0-9]+(\\.[0-9]+)?");

    private EventTimes() {
    }

    /** Go's time.RFC3339Nano in UTC: fractional seconds without trailing zeros. */
    public static String format(Instant t) {
        OffsetDateTime u = t.atOffset(ZoneOffset.UTC);
        StringBuilder sb = new StringBuilder(SECONDS.format(u));
        int nanos = u.getNano();
        if (nanos != 0) {
            String frac = String.format("%09d", nanos);
            int end = frac.length();
            while (frac.charAt(end - 1) == '0') {
                end--;
            }
            sb.append('.').append(frac, 0, end);
        }
        return sb.append('Z').toString();
    }

    /** RFC 3339 with any number of fractional digits and any offset. */
    public static Instant parse(String s) {
        return OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    }

    /** A Go duration ("1h30m", "10s", "1.5h"); IllegalArgumentException otherwise. */
    public static Duration goDuration(String s) {
        String in = s.trim();
        boolean negative = in.startsWith("-");
        if (negative || in.startsWith("+")) {
            in = in.substring(1);
        }
        if (in.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = GO_DURATION.matcher(in);
        int at = 0;
        double nanos = 0;
        while (at < in.length()) {
            if (!m.find(at) || m.start() != at) {
                throw new IllegalArgumentException("invalid duration \"" + s + "\"");
            }
            double v = Double.parseDouble(m.group(1));
            nanos += v * switch (m.group(2)) {
                case "ns" -> 1L;
                case "us", "µs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                default -> 3_600_000_000_000L;
            };
            at = m.end();
        }
        if (at == 0) {
            throw new IllegalArgumentException("invalid duration \"" + s + "\"");
        }
        Duration d = Duration.ofNanos((long) nanos);
        return negative ? d.negated() : d;
    }

    /**
     * podman's ParseInputTime: a Unix timestamp (seconds, optionally with a fraction), an RFC 3339 time
     * (with or without zone, or only a date), or a Go duration counted back from now.
     */
    public static Instant parseInput(String s, Instant now) {
        String in = s.trim();
        if (NUMBER.matcher(in).matches()) {
            String[] parts = in.split("\\.");
            long secs = Long.parseLong(parts[0]);
            long nanos = parts.length > 1 ? Long.parseLong((parts[1] + "000000000").substring(0, 9)) : 0;
            return Instant.ofEpochSecond(secs, nanos);
        }
        try {
            return OffsetDateTime.parse(in, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException notThis) {
            // next form
        }
        try {
            return LocalDateTime.parse(in, DateTimeFormatter.ISO_LOCAL_DATE_TIME).atZone(ZoneId.systemDefault()).toInstant();
        } catch (DateTimeParseException notThis) {
            // next form
        }
        try {
            return LocalDate.parse(in).atStartOfDay(ZoneId.systemDefault()).toInstant();
        } catch (DateTimeParseException notThis) {
            // next form
        }
        try {
            return now.minus(goDuration(in));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unable to interpret time value \"" + s + "\": not a timestamp, RFC 3339 time or duration");
        }
    }
}
