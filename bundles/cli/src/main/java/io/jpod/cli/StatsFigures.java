package io.jpod.cli;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/**
 * How podman 4.3's tables write stats figures: sizes as go-units' HumanSize (decimal, four significant
 * digits) and BytesSize (binary), percentages with two decimals, durations as Go's Duration.String.
 */
final class StatsFigures {
    private static final String[] DECIMAL = {"B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"};
    private static final String[] BINARY = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"};

    private StatsFigures() {
    }

    static String humanSize(double size) {
        return custom(size, 1000.0, DECIMAL, 4);
    }

    static String bytesSize(double size) {
        return custom(size, 1024.0, BINARY, 4);
    }

    private static String custom(double size, double base, String[] units, int precision) {
        int i = 0;
        while (size >= base && i < units.length - 1) {
            size /= base;
            i++;
        }
        if (size == 0) {
            return "0" + units[i];
        }
        BigDecimal d = new BigDecimal(size).round(new MathContext(precision));
        if (d.compareTo(BigDecimal.TEN.pow(precision)) >= 0) {
            // Go's %g turns to an exponent there (9999.5 at four digits is 1e+04)
            return String.format(Locale.ROOT, "%." + (precision - 1) + "e", size).replaceAll("\\.?0+e", "e")
                    + units[i];
        }
        return d.stripTrailingZeros().toPlainString() + units[i];
    }

    static String pair(long a, long b) {
        return humanSize(a) + " / " + humanSize(b);
    }

    static String bytesPair(long a, long b) {
        return bytesSize(a) + " / " + bytesSize(b);
    }

    static String percent(double v) {
        return String.format(Locale.ROOT, "%.2f%%", v);
    }

    /** Go's time.Duration.String(): {@code 0s}, {@code 1.5µs}, {@code 12.345ms}, {@code 1m2.003s}, {@code 1h0m0s}. */
    static String duration(long nanos) {
        if (nanos == 0) {
            return "0s";
        }
        boolean neg = nanos < 0;
        long n = Math.abs(nanos);
        String s;
        if (n < 1_000) {
            s = n + "ns";
        } else if (n < 1_000_000) {
            s = fraction(n, 1_000) + "µs";
        } else if (n < 1_000_000_000) {
            s = fraction(n, 1_000_000) + "ms";
        } else {
            long h = n / 3_600_000_000_000L;
            long m = n / 60_000_000_000L % 60;
            long rest = n % 60_000_000_000L;
            String secs = fraction(rest, 1_000_000_000) + "s";
            s = h > 0 ? h + "h" + m + "m" + secs : m > 0 ? m + "m" + secs : secs;
        }
        return neg ? "-" + s : s;
    }

    private static String fraction(long n, long unit) {
        return new BigDecimal(n).divide(new BigDecimal(unit)).stripTrailingZeros().toPlainString();
    }
}
