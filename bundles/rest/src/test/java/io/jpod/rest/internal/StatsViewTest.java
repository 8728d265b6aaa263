package io.jpod.rest.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpod.api.ContainerStats.BlockIo;
import io.jpod.api.ContainerStats.Cpu;
import io.jpod.api.ContainerStats.Memory;
import io.jpod.api.ContainerStats.NetworkIo;
import io.jpod.api.ContainerStats.Sample;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/** The stats shapes: what the docker CLI computes from Docker's, podman 4.3's fields and figures. */
public class StatsViewTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final StatsView VIEW = new StatsView(new Shapes(JSON));
    private static final String ID = "7eaec61e2e6217680884806d10e18044f6ecc8d8f5e8c0d3306d829bdc7d2938";
    private static final Instant T0 = Instant.parse("2026-12-02T04:00:00Z");

    private static Sample sample(Instant at, long cpuNanos, long systemNanos, long mem) {
        return new Sample(ID, "web", at, true, T0.minusSeconds(10), new Cpu(cpuNanos, List.of(cpuNanos / 2,
                cpuNanos / 2), cpuNanos / 4, cpuNanos / 4, 0, 0, 0), systemNanos, 2,
                new Memory(mem, mem + 100, 64L << 20, Map.of("total_inactive_file", 4096L)),
                Map.of("eth0", new NetworkIo(1000, 10, 0, 0, 500, 5, 0, 0)),
                List.of(new BlockIo(8, 0, "Read", 4096), new BlockIo(8, 0, "Write", 8192)), 3, 2048);
    }

    /** docker's calculateCPUPercentUnix and calculateMemUsageUnixNoCache, over the shape's fields. */
    private static double dockerCpuPercent(JsonNode o) {
        double cpuDelta = o.at("/cpu_stats/cpu_usage/total_usage").asDouble()
                - o.at("/precpu_stats/cpu_usage/total_usage").asDouble();
        double systemDelta = o.at("/cpu_stats/system_cpu_usage").asDouble()
                - o.at("/precpu_stats/system_cpu_usage").asDouble();
        return systemDelta > 0 && cpuDelta > 0 ? cpuDelta / systemDelta * o.at("/cpu_stats/online_cpus").asDouble()
                * 100 : 0;
    }

    @Test
    public void dockerShapeGivesTheCliItsFigures() throws Exception {
        Sample pre = sample(T0, 1_000_000_000L, 100_000_000_000L, 10_000_000);
        // a second later: half a CPU's second used of 2 CPUs' 2 seconds
        Sample now = sample(T0.plusSeconds(1), 1_500_000_000L, 102_000_000_000L, 20_000_000);
        JsonNode o = JSON.readTree(JSON.writeValueAsString(VIEW.docker(now, pre)));
        assertEquals(50.0, dockerCpuPercent(o), 1e-9);
        assertEquals("2026-12-02T04:00:01Z", o.path("read").asText());
        assertEquals("2026-12-02T04:00:00Z", o.path("preread").asText());
        assertEquals(20_000_000 - 4096, o.at("/memory_stats/usage").asLong()
                - o.at("/memory_stats/stats/total_inactive_file").asLong());
        assertEquals(64L << 20, o.at("/memory_stats/limit").asLong());
        assertEquals(1000, o.at("/networks/eth0/rx_bytes").asLong());
        assertEquals(5, o.at("/networks/eth0/tx_packets").asLong());
        assertEquals("Write", o.at("/blkio_stats/io_service_bytes_recursive/1/op").asText());
        assertEquals(8192, o.at("/blkio_stats/io_service_bytes_recursive/1/value").asLong());
        assertEquals(3, o.at("/pids_stats/current").asLong());
        assertEquals(2048, o.at("/pids_stats/limit").asLong());
        assertEquals(2, o.at("/cpu_stats/cpu_usage/percpu_usage").size());
        assertEquals("/web", o.path("name").asText());
        assertEquals(ID, o.path("id").asText());
    }

    @Test
    public void dockerShapeOfAStoppedContainerIsDockersZeroShape() throws Exception {
        JsonNode o = JSON.readTree(JSON.writeValueAsString(VIEW.docker(Sample.stopped(ID, "web", T0), null)));
        assertEquals("0001-01-01T00:00:00Z", o.path("read").asText());
        assertEquals("0001-01-01T00:00:00Z", o.path("preread").asText());
        assertEquals(0, o.path("memory_stats").size());
        assertEquals(0, o.path("pids_stats").size());
        assertTrue(o.at("/blkio_stats/io_service_bytes_recursive").isNull());
        assertEquals(0, o.at("/cpu_stats/cpu_usage/total_usage").asLong());
        assertFalse(o.has("networks"));
        assertEquals(0.0, dockerCpuPercent(o), 0);
    }

    @Test
    public void libpodShapeHasPodman43sFieldsInItsOrder() {
        ObjectNode o = VIEW.libpod(Sample.stopped(ID, "web", T0), StatsView.Previous.since(null)).json();
        List<String> names = new ArrayList<>();
        o.fieldNames().forEachRemaining(names::add);
        // as podman 4.3.1 answers for a container that does not run
        assertEquals(List.of("AvgCPU", "ContainerID", "Name", "PerCPU", "CPU", "CPUNano", "CPUSystemNano",
                "SystemNano", "MemUsage", "MemLimit", "MemPerc", "NetInput", "NetOutput", "BlockInput",
                "BlockOutput", "PIDs", "UpTime", "Duration"), names);
        assertTrue(o.path("PerCPU").isNull());
        assertEquals(0, o.path("CPUNano").asLong());
    }

    @Test
    public void libpodCpuIsTheShareOfWallTimeAndItsAverageRuns() {
        // started 10 s before T0, 1 s of CPU by T0: 10 % since start
        Sample first = sample(T0, 1_000_000_000L, 0, 1000);
        StatsView.Libpod a = VIEW.libpod(first, StatsView.Previous.since(first.startedAt()));
        assertEquals(10.0, a.cpu(), 1e-6);
        assertEquals(10.0, a.json().path("AvgCPU").asDouble(), 1e-6);
        // then 1.5 s of CPU in 1 s: 150 % (podman does not divide by the CPUs)
        StatsView.Libpod b = VIEW.libpod(sample(T0.plusSeconds(1), 2_500_000_000L, 0, 1000), a.next());
        assertEquals(150.0, b.cpu(), 1e-6);
        assertEquals(80.0, b.json().path("AvgCPU").asDouble(), 1e-6);
        assertEquals(1000, b.json().path("NetInput").asLong());
        assertEquals(500, b.json().path("NetOutput").asLong());
        assertEquals(4096, b.json().path("BlockInput").asLong());
        assertEquals(8192, b.json().path("BlockOutput").asLong());
        assertEquals(1000.0 / (64 << 20) * 100, b.json().path("MemPerc").asDouble(), 1e-9);
        assertEquals(2_500_000_000L, b.json().path("UpTime").asLong());
    }

    @Test
    public void podReportIsPodmansStrings() {
        Sample s = sample(T0, 1_000_000_000L, 0, 20_590_000);
        StatsView.Libpod l = VIEW.libpod(s, StatsView.Previous.since(s.startedAt()));
        JsonNode r = VIEW.podReport("abcdef0123456789", s, l);
        assertEquals("10.00%", r.path("CPU").asText());
        assertEquals("20.59MB / 67.11MB", r.path("MemUsage").asText());
        assertEquals("19.64MiB / 64MiB", r.path("MemUsageBytes").asText());
        assertEquals("30.68%", r.path("Mem").asText());
        assertEquals("1kB / 500B", r.path("NetIO").asText());
        assertEquals("4.096kB / 8.192kB", r.path("BlockIO").asText());
        assertEquals("3", r.path("PIDS").asText());
        assertEquals("abcdef012345", r.path("Pod").asText());
        assertEquals(ID.substring(0, 12), r.path("CID").asText());
        assertEquals("web", r.path("Name").asText());
    }

    @Test
    public void humanUnitsAsGoUnits() {
        assertEquals("0B", HumanUnits.humanSize(0, 4));
        assertEquals("999B", HumanUnits.humanSize(999, 4));
        assertEquals("1.016kB", HumanUnits.humanSize(1016, 4));
        assertEquals("20.6MB", HumanUnits.humanSize(20_590_000, 3));
        assertEquals("10kB", HumanUnits.humanSize(9999.9, 4));
        assertEquals("Go's %.3g turns to an exponent", "1e+03B", HumanUnits.humanSize(999.9, 3));
        assertEquals("64MiB", HumanUnits.bytesSize(64 << 20));
        assertEquals("--", HumanUnits.percent(0));
    }
}
