package io.jpod.rest.internal;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * Sizes as docker's go-units writes them, which podman's tables use: {@code HumanSize} (decimal, kB, MB...) and
 * {@code BytesSize} (binary, KiB, MiB...), with Go's {@code %.Ng} (N significant digits, no trailing zeros).
 */
final class HumanUnits {
    private static final String[] DECIMAL = {"B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"};
    private static final String[] BINARY = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"};

    private HumanUnits() {
    }

    static String humanSize(double size, int precision) {
        return custom(size, 1000.0, DECIMAL, precision);
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
        return g(size, precision) + units[i];
    }

    /** Go's {@code %.<precision>g} for the values sizes take (no exponent below 10^precision). */
    static String g(double v, int precision) {
        if (v == 0) {
            return "0";
        }
        BigDecimal d = new BigDecimal(v).round(new MathContext(precision));
        if (d.compareTo(BigDecimal.TEN.pow(precision)) >= 0) {
            return String.format(java.util.Locale.ROOT, "%." + (precision - 1) + "e", v).replaceAll("\\.?0+e", "e");
        }
        return d.stripTrailingZeros().toPlainString();
    }

    /** podman's percentages: two decimals and a sign, {@code --} for none. */
    static String percent(double v) {
        return v == 0 || Double.isNaN(v) ? "--" : String.format(java.util.Locale.ROOT, "%.2f%%", v);
    }
}
