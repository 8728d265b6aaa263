package io.jpod.runtime.internal;

import io.jpod.api.ContainerStats.BlockIo;
import io.jpod.api.ContainerStats.Cpu;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A container's cgroup v1 controllers, read as runc's cgroups/fs package reads them: cpuacct's usage files,
 * cpu.stat's throttling, memory's usage, max usage, limit and memory.stat, blkio's
 * throttle.io_service_bytes_recursive, pids.current and pids.max.
 */
final class CgroupV1Stats {
    /** USER_HZ: cpuacct.stat counts in these. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    private CgroupV1Stats() {
    }

    static CgroupReading read(Map<String, Path> controllers) throws IOException {
        Path cpuacct = controllers.get("cpuacct");
        Path cpu = controllers.get("cpu");
        Path memory = controllers.get("memory");
        Path blkio = controllers.get("blkio");
        Path pids = controllers.get("pids");
        return new CgroupReading(cpu(cpuacct, cpu), CgroupFiles.number(memory, "memory.usage_in_bytes"),
                CgroupFiles.number(memory, "memory.max_usage_in_bytes"),
                CgroupFiles.number(memory, "memory.limit_in_bytes"), CgroupFiles.keyed(memory, "memory.stat"),
                blockIo(blkio), CgroupFiles.number(pids, "pids.current"), limit(CgroupFiles.number(pids, "pids.max")));
    }

    private static Cpu cpu(Path cpuacct, Path cpu) throws IOException {
        long total = CgroupFiles.number(cpuacct, "cpuacct.usage");
        List<Long> perCpu = new ArrayList<>();
        String percpu = CgroupFiles.text(cpuacct, "cpuacct.usage_percpu");
        if (percpu != null && !percpu.isEmpty()) {
            for (String v : percpu.split("\\s+")) {
                perCpu.add(CgroupFiles.parse(v));
            }
        }
        long user;
        long kernel;
        String userNanos = CgroupFiles.text(cpuacct, "cpuacct.usage_user");
        if (userNanos != null) {
            user = CgroupFiles.parse(userNanos);
            kernel = CgroupFiles.number(cpuacct, "cpuacct.usage_sys");
        } else {
            // older kernels: only cpuacct.stat, in ticks
            Map<String, Long> stat = CgroupFiles.keyed(cpuacct, "cpuacct.stat");
            user = stat.getOrDefault("user", 0L) * NANOS_PER_TICK;
            kernel = stat.getOrDefault("system", 0L) * NANOS_PER_TICK;
        }
        Map<String, Long> throttling = CgroupFiles.keyed(cpu, "cpu.stat");
        return new Cpu(total, perCpu, user, kernel, throttling.getOrDefault("nr_periods", 0L),
                throttling.getOrDefault("nr_throttled", 0L), throttling.getOrDefault("throttled_time", 0L));
    }

    /** {@code 8:0 Read 4096} lines; the closing {@code Total} line has no device and is left out, as runc does. */
    static List<BlockIo> blockIo(Path blkio) throws IOException {
        List<String> lines = CgroupFiles.lines(blkio, "blkio.throttle.io_service_bytes_recursive");
        if (lines.isEmpty()) {
            lines = CgroupFiles.lines(blkio, "blkio.io_service_bytes_recursive");
        }
        List<BlockIo> out = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            if (f.length != 3) {
                continue;
            }
            String[] dev = f[0].split(":");
            if (dev.length != 2 || !dev[0].matches("\\d+") || !dev[1].matches("\\d+")) {
                continue;
            }
            out.add(new BlockIo(Long.parseLong(dev[0]), Long.parseLong(dev[1]), f[1], CgroupFiles.parse(f[2])));
        }
        return out;
    }

    static long limit(long max) {
        return max == Long.MAX_VALUE ? 0 : max;
    }
}
