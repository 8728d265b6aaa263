package io.jpod.runtime.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The host's side of a stats reading: its CPU time since boot, all CPUs together (the first line of
 * /proc/stat, as docker's system_cpu_usage), how many CPUs are online, and its memory (a container without
 * a memory limit is limited by that).
 */
final class HostCpu {
    /** USER_HZ, which /proc/stat counts in on every architecture Linux runs containers on. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    private HostCpu() {
    }

    static long systemCpuNanos() throws IOException {
        return systemCpuNanos(Files.readAllLines(Path.of("/proc/stat")));
    }

    /** The {@code cpu} line's user, nice, system, idle, iowait, irq, softirq and steal, in nanoseconds. */
    static long systemCpuNanos(List<String> procStat) {
        for (String line : procStat) {
            String[] f = line.trim().split("\\s+");
            if (f[0].equals("cpu")) {
                long ticks = 0;
                for (int i = 1; i < Math.min(f.length, 9); i++) {
                    ticks += Long.parseLong(f[i]);
                }
                return ticks * NANOS_PER_TICK;
            }
        }
        return 0;
    }

    static int onlineCpus() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** MemTotal of /proc/meminfo, in bytes. */
    static long memTotal() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemTotal:")) {
                String[] f = line.split("\\s+");
                return Long.parseLong(f[1]) * 1024;
            }
        }
        return 0;
    }
}
