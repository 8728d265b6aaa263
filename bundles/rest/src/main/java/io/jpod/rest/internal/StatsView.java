package io.jpod.rest.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpod.api.ContainerStats.BlockIo;
import io.jpod.api.ContainerStats.NetworkIo;
import io.jpod.api.ContainerStats.Sample;
import java.time.Instant;
import java.util.Map;

/**
 * A stats reading as Docker's types.StatsJSON (what {@code docker stats} reads: the CPU share from this reading
 * and the one before, memory less its inactive page cache) and as podman 4.3's define.ContainerStats.
 */
final class StatsView {
    private final Shapes shapes;

    StatsView(Shapes shapes) {
        this.shapes = shapes;
    }

    ObjectNode shapesObject() {
        return shapes.object();
    }

    ArrayNode shapesArray() {
        return shapes.array();
    }

    /** Docker's shape; {@code pre} is the reading before (null for none: its figures are zeros). */
    ObjectNode docker(Sample s, Sample pre) {
        ObjectNode o = shapes.object();
        o.put("read", s.running() ? Shapes.time(s.read()) : Shapes.time(null));
        o.put("preread", pre != null && pre.running() ? Shapes.time(pre.read()) : Shapes.time(null));
        ObjectNode pids = o.putObject("pids_stats");
        if (s.running()) {
            pids.put("current", s.pids());
            if (s.pidsLimit() > 0) {
                pids.put("limit", s.pidsLimit());
            }
        }
        ObjectNode blkio = o.putObject("blkio_stats");
        if (s.running()) {
            ArrayNode bytes = blkio.putArray("io_service_bytes_recursive");
            for (BlockIo b : s.blockIo()) {
                bytes.addObject().put("major", b.major()).put("minor", b.minor()).put("op", b.op())
                        .put("value", b.value());
            }
        } else {
            blkio.putNull("io_service_bytes_recursive");
        }
        for (String none : new String[] {"io_serviced_recursive", "io_queue_recursive", "io_service_time_recursive",
            "io_wait_time_recursive", "io_merged_recursive", "io_time_recursive", "sectors_recursive"}) {
            blkio.putNull(none);
        }
        o.put("num_procs", 0);
        o.putObject("storage_stats");
        cpu(o.putObject("cpu_stats"), s);
        cpu(o.putObject("precpu_stats"), pre);
        ObjectNode mem = o.putObject("memory_stats");
        if (s.running()) {
            mem.put("usage", s.memory().usage());
            if (s.memory().maxUsage() > 0) {
                mem.put("max_usage", s.memory().maxUsage());
            }
            ObjectNode stats = mem.putObject("stats");
            s.memory().stat().entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(e -> stats.put(e.getKey(), e.getValue()));
            mem.put("limit", s.memory().limit());
        }
        o.put("name", "/" + s.name());
        o.put("id", s.id());
        if (s.running()) {
            ObjectNode nets = o.putObject("networks");
            for (Map.Entry<String, NetworkIo> e : s.networks().entrySet()) {
                NetworkIo n = e.getValue();
                nets.putObject(e.getKey()).put("rx_bytes", n.rxBytes()).put("rx_packets", n.rxPackets())
                        .put("rx_errors", n.rxErrors()).put("rx_dropped", n.rxDropped()).put("tx_bytes", n.txBytes())
                        .put("tx_packets", n.txPackets()).put("tx_errors", n.txErrors())
                        .put("tx_dropped", n.txDropped());
            }
        }
        return o;
    }

    private static void cpu(ObjectNode c, Sample s) {
        boolean on = s != null && s.running();
        ObjectNode usage = c.putObject("cpu_usage");
        usage.put("total_usage", on ? s.cpu().totalNanos() : 0);
        if (on && !s.cpu().perCpuNanos().isEmpty()) {
            ArrayNode per = usage.putArray("percpu_usage");
            s.cpu().perCpuNanos().forEach(per::add);
        }
        usage.put("usage_in_kernelmode", on ? s.cpu().kernelNanos() : 0);
        usage.put("usage_in_usermode", on ? s.cpu().userNanos() : 0);
        if (on) {
            c.put("system_cpu_usage", s.systemCpuNanos());
            c.put("online_cpus", s.onlineCpus());
        }
        c.putObject("throttling_data").put("periods", on ? s.cpu().periods() : 0)
                .put("throttled_periods", on ? s.cpu().throttledPeriods() : 0)
                .put("throttled_time", on ? s.cpu().throttledNanos() : 0);
    }

    /**
     * What podman keeps of a container's reading before: its CPU time, the wall clock then, and the running
     * average of the CPU share over the readings so far.
     */
    record Previous(long cpuNanos, long systemNanos, double avgCpu, long dataPoints) {
        /** Before the first reading: from the container's start, so a first reading shows its share since then. */
        static Previous since(Instant startedAt) {
            return new Previous(0, startedAt == null ? 0 : startedAt.getEpochSecond() * 1_000_000_000L
                    + startedAt.getNano(), 0, 0);
        }
    }

    /** podman's shape, and the {@link Previous} for the next reading of the same container. */
    record Libpod(ObjectNode json, Previous next, double cpu, double memPercent) {
    }

    Libpod libpod(Sample s, Previous prev) {
        long now = s.read().getEpochSecond() * 1_000_000_000L + s.read().getNano();
        long total = s.running() ? s.cpu().totalNanos() : 0;
        double cpu = 0;
        double cpuDelta = total - prev.cpuNanos();
        double systemDelta = now - prev.systemNanos();
        if (s.running() && cpuDelta > 0 && systemDelta > 0 && prev.systemNanos() > 0) {
            cpu = cpuDelta / systemDelta * 100;
        }
        double avg = (prev.avgCpu() * prev.dataPoints() + cpu) / (prev.dataPoints() + 1);
        long memLimit = s.running() ? s.memory().limit() : 0;
        long memUsage = s.running() ? s.memory().usage() : 0;
        double memPerc = memLimit > 0 ? (double) memUsage / memLimit * 100 : 0;
        ObjectNode o = shapes.object();
        o.put("AvgCPU", avg);
        o.put("ContainerID", s.id());
        o.put("Name", s.name());
        if (s.running() && !s.cpu().perCpuNanos().isEmpty()) {
            ArrayNode per = o.putArray("PerCPU");
            s.cpu().perCpuNanos().forEach(per::add);
        } else {
            o.putNull("PerCPU");
        }
        o.put("CPU", cpu);
        o.put("CPUNano", total);
        o.put("CPUSystemNano", s.running() ? s.cpu().kernelNanos() : 0);
        o.put("SystemNano", s.running() ? now : 0);
        o.put("MemUsage", memUsage);
        o.put("MemLimit", memLimit);
        o.put("MemPerc", memPerc);
        o.put("NetInput", s.netReceived());
        o.put("NetOutput", s.netSent());
        o.put("BlockInput", s.blockRead());
        o.put("BlockOutput", s.blockWritten());
        o.put("PIDs", s.running() ? s.pids() : 0);
        o.put("UpTime", total);
        o.put("Duration", total);
        Previous next = s.running() ? new Previous(total, now, avg, prev.dataPoints() + 1) : prev;
        return new Libpod(o, next, cpu, memPerc);
    }

    /** podman 4.3's entities.PodStatsReport for one container of a pod. */
    ObjectNode podReport(String podId, Sample s, Libpod l) {
        ObjectNode o = shapes.object();
        o.put("CPU", HumanUnits.percent(l.cpu()));
        long usage = l.json().path("MemUsage").asLong();
        long limit = l.json().path("MemLimit").asLong();
        o.put("MemUsage", pair(HumanUnits.humanSize(usage, 4), HumanUnits.humanSize(limit, 4), usage, limit));
        o.put("MemUsageBytes", pair(HumanUnits.bytesSize(usage), HumanUnits.bytesSize(limit), usage, limit));
        o.put("Mem", HumanUnits.percent(l.memPercent()));
        o.put("NetIO", pair(HumanUnits.humanSize(s.netReceived(), 4), HumanUnits.humanSize(s.netSent(), 4),
                s.netReceived(), s.netSent()));
        o.put("BlockIO", pair(HumanUnits.humanSize(s.blockRead(), 4), HumanUnits.humanSize(s.blockWritten(), 4),
                s.blockRead(), s.blockWritten()));
        o.put("PIDS", s.running() && s.pids() > 0 ? Long.toString(s.pids()) : "--");
        o.put("Pod", podId.substring(0, Math.min(12, podId.length())));
        o.put("CID", s.id().substring(0, Math.min(12, s.id().length())));
        o.put("Name", s.name());
        return o;
    }

    private static String pair(String a, String b, long x, long y) {
        return x == 0 && y == 0 ? "-- / --" : a + " / " + b;
    }
}
