package io.jpod.runtime.internal;

import io.jpod.api.ContainerStats.BlockIo;
import io.jpod.api.ContainerStats.Cpu;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A container's cgroup v2 directory, read as runc's cgroups/fs2 package reads it: cpu.stat (microseconds),
 * memory.current, memory.peak, memory.max and memory.stat, io.stat, pids.current and pids.max.
 */
final class CgroupV2Stats {
    private CgroupV2Stats() {
    }

    static CgroupReading read(Path dir) throws IOException {
        Map<String, Long> cpu = CgroupFiles.keyed(dir, "cpu.stat");
        Cpu c = new Cpu(micros(cpu, "usage_usec"), List.of(), micros(cpu, "user_usec"), micros(cpu, "system_usec"),
                cpu.getOrDefault("nr_periods", 0L), cpu.getOrDefault("nr_throttled", 0L),
                micros(cpu, "throttled_usec"));
        return new CgroupReading(c, CgroupFiles.number(dir, "memory.current"), CgroupFiles.number(dir, "memory.peak"),
                CgroupFiles.number(dir, "memory.max"), CgroupFiles.keyed(dir, "memory.stat"), blockIo(dir),
                CgroupFiles.number(dir, "pids.current"), CgroupV1Stats.limit(CgroupFiles.number(dir, "pids.max")));
    }

    private static long micros(Map<String, Long> stat, String key) {
        return stat.getOrDefault(key, 0L) * 1000;
    }

    /** {@code 8:0 rbytes=4096 wbytes=0 rios=1 ...}: bytes read and written per device, as docker's "read"/"write". */
    static List<BlockIo> blockIo(Path dir) throws IOException {
        List<BlockIo> out = new ArrayList<>();
        for (String line : CgroupFiles.lines(dir, "io.stat")) {
            String[] f = line.trim().split("\\s+");
            String[] dev = f[0].split(":");
            if (dev.length != 2 || !dev[0].matches("\\d+") || !dev[1].matches("\\d+")) {
                continue;
            }
            long major = Long.parseLong(dev[0]);
            long minor = Long.parseLong(dev[1]);
            for (int i = 1; i < f.length; i++) {
                String[] kv = f[i].split("=", 2);
                if (kv.length != 2 || !kv[1].matches("\\d+")) {
                    continue;
                }
                if (kv[0].equals("rbytes")) {
                    out.add(new BlockIo(major, minor, "read", CgroupFiles.parse(kv[1])));
                } else if (kv[0].equals("wbytes")) {
                    out.add(new BlockIo(major, minor, "write", CgroupFiles.parse(kv[1])));
                }
            }
        }
        return out;
    }
}
