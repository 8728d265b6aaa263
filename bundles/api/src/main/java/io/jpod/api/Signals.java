package io.jpod.api;

import java.util.Locale;
import java.util.Map;

/** Linux signal names and numbers (x86-64 and arm64 agree on these), as podman's signal parsing reads them. */
public final class Signals {
    private static final Map<String, Integer> NUMBERS = Map.ofEntries(
            Map.entry("HUP", 1), Map.entry("INT", 2), Map.entry("QUIT", 3), Map.entry("ILL", 4),
            Map.entry("TRAP", 5), Map.entry("ABRT", 6), Map.entry("IOT", 6), Map.entry("BUS", 7),
            Map.entry("FPE", 8), Map.entry("KILL", 9), Map.entry("USR1", 10), Map.entry("SEGV", 11),
            Map.entry("USR2", 12), Map.entry("PIPE", 13), Map.entry("ALRM", 14), Map.entry("TERM", 15),
            Map.entry("STKFLT", 16), Map.entry("CHLD", 17), Map.entry("CLD", 17), Map.entry("CONT", 18),
            Map.entry("STOP", 19), Map.entry("TSTP", 20), Map.entry("TTIN", 21), Map.entry("TTOU", 22),
            Map.entry("URG", 23), Map.entry("XCPU", 24), Map.entry("XFSZ", 25), Map.entry("VTALRM", 26),
            Map.entry("PROF", 27), Map.entry("WINCH", 28), Map.entry("IO", 29), Map.entry("POLL", 29),
            Map.entry("PWR", 30), Map.entry("SYS", 31), Map.entry("RTMIN", 34), Map.entry("RTMAX", 64));

    private Signals() {
    }

    /** {@code SIGTERM}, {@code TERM}, {@code 15}, {@code RTMIN+3} → the number; INVALID_ARG for anything else. */
    public static int parse(String signal) {
        String s = signal == null ? "" : signal.trim().toUpperCase(Locale.ROOT);
        try {
            if (s.matches("\\d{1,2}")) {
                int n = Integer.parseInt(s);
                if (n >= 1 && n <= 64) {
                    return n;
                }
            } else {
                if (s.startsWith("SIG")) {
                    s = s.substring(3);
                }
                Integer n = NUMBERS.get(s);
                if (n != null) {
                    return n;
                }
                if (s.matches("RTMIN\\+\\d{1,2}")) {
                    int v = 34 + Integer.parseInt(s.substring(6));
                    if (v <= 64) {
                        return v;
                    }
                } else if (s.matches("RTMAX-\\d{1,2}")) {
                    int v = 64 - Integer.parseInt(s.substring(6));
                    if (v >= 34) {
                        return v;
                    }
                }
            }
        } catch (NumberFormatException e) {
            // invalid below
        }
        throw new JpodException(ErrorCode.INVALID_ARG, "invalid signal \"" + signal + "\": "
                + ErrorCode.INVALID_ARG.text());
    }

    /** {@code SIGTERM} for 15; the number as text for a signal without a name. */
    public static String name(int signal) {
        String best = null;
        for (Map.Entry<String, Integer> e : NUMBERS.entrySet()) {
            // of aliases (IOT/ABRT, CLD/CHLD, POLL/IO) the longer name is the usual one
            if (e.getValue() == signal && (best == null || e.getKey().length() > best.length()
                    || e.getKey().length() == best.length() && e.getKey().compareTo(best) < 0)) {
                best = e.getKey();
            }
        }
        return best == null ? String.valueOf(signal) : "SIG" + best;
    }
}
