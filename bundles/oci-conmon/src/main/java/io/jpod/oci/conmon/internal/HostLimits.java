package io.jpod.oci.conmon.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The hard resource limits of this process, from /proc/self/limits: a container's rlimits are
 * clamped to them, since raising a hard limit is refused without CAP_SYS_RESOURCE.
 */
final class HostLimits {
    /** RLIM_INFINITY as the runtime spec writes it. */
    static final long UNLIMITED = -1L;

    private static final Map<String, String> NAMES = Map.ofEntries(
            Map.entry("Max cpu time", "RLIMIT_CPU"), Map.entry("Max file size", "RLIMIT_FSIZE"),
            Map.entry("Max data size", "RLIMIT_DATA"), Map.entry("Max stack size", "RLIMIT_STACK"),
            Map.entry("Max core file size", "RLIMIT_CORE"), Map.entry("Max resident set", "RLIMIT_RSS"),
            Map.entry("Max processes", "RLIMIT_NPROC"), Map.entry("Max open files", "RLIMIT_NOFILE"),
            Map.entry("Max locked memory", "RLIMIT_MEMLOCK"), Map.entry("Max address space", "RLIMIT_AS"),
            Map.entry("Max file locks", "RLIMIT_LOCKS"), Map.entry("Max pending signals", "RLIMIT_SIGPENDING"),
            Map.entry("Max msgqueue size", "RLIMIT_MSGQUEUE"), Map.entry("Max nice priority", "RLIMIT_NICE"),
            Map.entry("Max realtime priority", "RLIMIT_RTPRIO"), Map.entry("Max realtime timeout", "RLIMIT_RTTIME"));

    private final Map<String, Long> hard;

    HostLimits(Map<String, Long> hard) {
        this.hard = Map.copyOf(hard);
    }

    static HostLimits read() {
        try {
            return parse(Files.readAllLines(Path.of("/proc/self/limits")));
        } catch (IOException e) {
            return new HostLimits(Map.of());
        }
    }

    static HostLimits parse(List<String> lines) {
        Map<String, Long> hard = new HashMap<>();
        for (String line : lines) {
            for (Map.Entry<String, String> e : NAMES.entrySet()) {
                if (line.startsWith(e.getKey() + " ")) {
                    String[] f = line.substring(e.getKey().length()).trim().split("\\s+");
                    if (f.length >= 2) {
                        hard.put(e.getValue(), value(f[1]));
                    }
                }
            }
        }
        return new HostLimits(hard);
    }

    private static long value(String s) {
        return s.toLowerCase(Locale.ROOT).equals("unlimited") ? UNLIMITED : Long.parseLong(s);
    }

    /** The hard limit of {@code type} (e.g. {@code RLIMIT_NOFILE}), {@link #UNLIMITED} when none or unknown. */
    long hard(String type) {
        return hard.getOrDefault(type, UNLIMITED);
    }

    /** {@code v} lowered to the hard limit of {@code type}. */
    long clamp(String type, long v) {
        long h = hard(type);
        if (h == UNLIMITED) {
            return v;
        }
        return v == UNLIMITED || Long.compareUnsigned(v, h) > 0 ? h : v;
    }
}
