package io.jpod.runtime.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.jpod.api.ContainerStats.BlockIo;
import io.jpod.api.ContainerStats.NetworkIo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/** The cgroup v1 and v2 readers, /proc/net/dev and /proc/stat, on files of the fixtures' README. */
public class CgroupStatsTest {
    private static final Path FIXTURES = Path.of("src/test/resources/cgroup-fixtures");
    private static final String ID = "7eaec61e2e6217680884806d10e18044f6ecc8d8f5e8c0d3306d829bdc7d2938";

    private static List<String> lines(String file) throws Exception {
        return Files.readAllLines(FIXTURES.resolve(file));
    }

    @Test
    public void v1PathsComeFromTheProcessCgroupAndTheMountTable() throws Exception {
        CgroupPaths p = CgroupPaths.parse(lines("v1/proc-pid-cgroup"), lines("v1/mountinfo"));
        assertFalse("a hybrid host's empty unified tree is not taken for v2", p.isV2());
        assertEquals(Path.of("/sys/fs/cgroup/memory/jpod_parent/jpod-" + ID), p.v1().get("memory"));
        assertEquals(Path.of("/sys/fs/cgroup/cpuacct/jpod_parent/jpod-" + ID), p.v1().get("cpuacct"));
        assertEquals(Path.of("/sys/fs/cgroup/pids/jpod_parent/jpod-" + ID), p.v1().get("pids"));
        assertFalse("named hierarchies are no controllers", p.v1().containsKey("name=systemd"));
    }

    @Test
    public void v1ControllersMountedTogetherAndUnderARootAreFound() {
        CgroupPaths p = CgroupPaths.parse(List.of("4:cpu,cpuacct:/outer/jpod_parent/jpod-x", "3:memory:/outer/m"),
                List.of("40 31 0:29 /outer /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct",
                        "41 31 0:30 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory"));
        assertEquals(Path.of("/sys/fs/cgroup/cpu,cpuacct/jpod_parent/jpod-x"), p.v1().get("cpuacct"));
        assertEquals(Path.of("/sys/fs/cgroup/cpu,cpuacct/jpod_parent/jpod-x"), p.v1().get("cpu"));
        assertEquals(Path.of("/sys/fs/cgroup/memory/outer/m"), p.v1().get("memory"));
    }

    @Test
    public void aPathClimbingOutOfTheHierarchyStaysInIt() {
        CgroupPaths p = CgroupPaths.parse(List.of("3:memory:/../../etc"),
                List.of("41 31 0:30 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory"));
        assertTrue(p.v1().get("memory").startsWith("/sys/fs/cgroup/memory"));
    }

    @Test
    public void v2PathsOnAUnifiedHost() throws Exception {
        CgroupPaths p = CgroupPaths.parse(lines("v2/proc-pid-cgroup"), lines("v2/mountinfo"));
        assertTrue(p.isV2());
        assertEquals(Path.of("/sys/fs/cgroup/machine.slice/jpod-" + ID), p.unified());
    }

    @Test
    public void v1ReadingOfAContainerWithAMemoryLimit() throws Exception {
        Path v1 = FIXTURES.resolve("v1");
        CgroupReading r = CgroupV1Stats.read(Map.of("memory", v1.resolve("memory"), "cpuacct", v1.resolve("cpuacct"),
                "cpu", v1.resolve("cpu"), "blkio", v1.resolve("blkio"), "pids", v1.resolve("pids")));
        assertEquals(56534023L, r.cpu().totalNanos());
        assertEquals(List.of(56261166L, 272857L), r.cpu().perCpuNanos());
        assertEquals(32000000L, r.cpu().userNanos());
        assertEquals(32000000L, r.cpu().kernelNanos());
        assertEquals(5283840L, r.memUsage());
        assertEquals(5726208L, r.memMaxUsage());
        assertEquals(64L << 20, r.memLimit());
        assertEquals(Long.valueOf(8192), r.memStat().get("total_inactive_file"));
        assertEquals(Long.valueOf(5001216), r.memStat().get("shmem"));
        assertEquals("the host's file has only its Total line", List.of(), r.blockIo());
        assertEquals(1, r.pids());
        assertEquals(2048, r.pidsLimit());
    }

    @Test
    public void v1WithoutAControllerReadsZeros() throws Exception {
        CgroupReading r = CgroupV1Stats.read(Map.of("memory", FIXTURES.resolve("v1/memory")));
        assertEquals(0, r.cpu().totalNanos());
        assertEquals(0, r.pids());
        assertEquals(5283840L, r.memUsage());
    }

    @Test
    public void v1BlockIoPerDeviceAndOperation() throws Exception {
        List<BlockIo> io = CgroupV1Stats.blockIo(FIXTURES.resolve("v1/blkio-docs"));
        assertEquals(12, io.size());
        assertEquals(new BlockIo(8, 0, "Read", 4096000), io.get(0));
        assertEquals(new BlockIo(8, 0, "Write", 8388608), io.get(1));
        assertEquals(new BlockIo(253, 1, "Read", 1024), io.get(6));
    }

    @Test
    public void v1CpuFromCpuacctStatWhenTheNanosecondFilesAreMissing() throws Exception {
        Path dir = Files.createTempDirectory("cpuacct");
        try {
            Files.writeString(dir.resolve("cpuacct.usage"), "100\n");
            Files.writeString(dir.resolve("cpuacct.stat"), "user 3\nsystem 2\n");
            CgroupReading r = CgroupV1Stats.read(Map.of("cpuacct", dir));
            assertEquals(30_000_000L, r.cpu().userNanos());
            assertEquals(20_000_000L, r.cpu().kernelNanos());
        } finally {
            for (String f : List.of("cpuacct.usage", "cpuacct.stat")) {
                Files.delete(dir.resolve(f));
            }
            Files.delete(dir);
        }
    }

    @Test
    public void v1UnlimitedMemoryIsNoLimit() throws Exception {
        Path dir = Files.createTempDirectory("memory");
        try {
            Files.writeString(dir.resolve("memory.limit_in_bytes"), "9223372036854771712\n");
            assertEquals(9223372036854771712L, CgroupV1Stats.read(Map.of("memory", dir)).memLimit());
            Files.writeString(dir.resolve("memory.limit_in_bytes"), "18446744073709551615\n");
            assertEquals("beyond a long", Long.MAX_VALUE, CgroupV1Stats.read(Map.of("memory", dir)).memLimit());
        } finally {
            Files.delete(dir.resolve("memory.limit_in_bytes"));
            Files.delete(dir);
        }
    }

    @Test
    public void v2Reading() throws Exception {
        CgroupReading r = CgroupV2Stats.read(FIXTURES.resolve("v2/ctr"));
        assertEquals(56_534_000L, r.cpu().totalNanos());
        assertEquals(32_000_000L, r.cpu().userNanos());
        assertEquals(24_534_000L, r.cpu().kernelNanos());
        assertEquals(List.of(), r.cpu().perCpuNanos());
        assertEquals(10, r.cpu().periods());
        assertEquals(2, r.cpu().throttledPeriods());
        assertEquals(1_500_000L, r.cpu().throttledNanos());
        assertEquals(5283840L, r.memUsage());
        assertEquals(5726208L, r.memMaxUsage());
        assertEquals(64L << 20, r.memLimit());
        assertEquals(Long.valueOf(8192), r.memStat().get("inactive_file"));
        assertEquals(List.of(new BlockIo(8, 0, "read", 4096000), new BlockIo(8, 0, "write", 8388608),
                new BlockIo(253, 1, "read", 1024), new BlockIo(253, 1, "write", 0)), r.blockIo());
        assertEquals(3, r.pids());
        assertEquals("max is no limit", 0, r.pidsLimit());
    }

    @Test
    public void v2MemoryMaxIsNoLimit() throws Exception {
        Path dir = Files.createTempDirectory("v2");
        try {
            Files.writeString(dir.resolve("memory.max"), "max\n");
            assertEquals(Long.MAX_VALUE, CgroupV2Stats.read(dir).memLimit());
        } finally {
            Files.delete(dir.resolve("memory.max"));
            Files.delete(dir);
        }
    }

    @Test
    public void netDevLeavesLoopbackOut() throws Exception {
        Map<String, NetworkIo> n = NetDevStats.parse(lines("v1/net-dev"));
        assertEquals(List.of("eth0"), List.copyOf(n.keySet()));
        NetworkIo eth0 = n.get("eth0");
        String line = lines("v1/net-dev").stream().filter(l -> l.trim().startsWith("eth0:")).findFirst().get();
        String[] f = line.substring(line.indexOf(':') + 1).trim().split("\\s+");
        assertEquals(Long.parseLong(f[0]), eth0.rxBytes());
        assertEquals(Long.parseLong(f[1]), eth0.rxPackets());
        assertEquals(Long.parseLong(f[8]), eth0.txBytes());
        assertEquals(Long.parseLong(f[9]), eth0.txPackets());
        assertTrue(eth0.rxBytes() > 0);
    }

    @Test
    public void systemCpuIsTheFirstLinesTicksInNanoseconds() throws Exception {
        // cpu  1775374 706 532275 2604833 34303 0 8222 25256 (guest columns are in user already)
        long ticks = 1775374L + 706 + 532275 + 2604833 + 34303 + 0 + 8222 + 25256;
        assertEquals(ticks * 10_000_000L, HostCpu.systemCpuNanos(lines("v1/proc-stat")));
    }

    @Test
    public void thisHostsOwnProcessReads() throws Exception {
        CgroupPaths p = CgroupPaths.of((int) ProcessHandle.current().pid());
        assertTrue(p.isV2() || !p.v1().isEmpty());
        assertNull("a process that is gone has no cgroup", CgroupPaths.of(Integer.MAX_VALUE));
        assertTrue(HostCpu.memTotal() > 0);
        assertTrue(HostCpu.systemCpuNanos() > 0);
    }
}
