package io.jpod.spi.events;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Event times as podman writes them, shared by the events loggers. */
public final class EventTimes {
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");

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
}
