package io.jpod.runtime.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.jpod.api.ContainerConfig;
import io.jpod.api.ContainerResources;
import io.jpod.api.ContainerSecurity;
import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.api.Mount;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/** Resources and security options are refused with Docker's words before anything is made. */
public class LimitsCheckTest {
    private static final long MB = 1024 * 1024;

    private static ContainerConfig with(ContainerResources r) {
        return ContainerConfig.builder().name("c").image("busybox").resources(r).build();
    }

    private static ContainerConfig with(ContainerSecurity s) {
        return ContainerConfig.builder().name("c").image("busybox").security(s).build();
    }

    private static void refused(String words, ContainerConfig cfg) {
        JpodException e = assertThrows(JpodException.class, () -> ContainerSpecCheck.check(cfg));
        assertEquals(ErrorCode.INVALID_ARG, e.code());
        assertTrue(e.getMessage(), e.getMessage().contains(words));
    }

    private static ContainerResources.Builder r() {
        return ContainerResources.builder();
    }

    private static ContainerSecurity.Builder s() {
        return ContainerSecurity.builder();
    }

    @Test
    public void memory() {
        ContainerSpecCheck.check(with(r().memory(64 * MB).memorySwap(128 * MB).memoryReservation(32 * MB).build()));
        ContainerSpecCheck.check(with(r().memory(64 * MB).memorySwap(-1).build()));
        refused("Minimum memory limit allowed is 6MB", with(r().memory(5 * MB).build()));
        refused("Minimum memoryswap limit should be larger than memory limit",
                with(r().memory(64 * MB).memorySwap(32 * MB).build()));
        refused("You should always set the Memory limit when using Memoryswap limit",
                with(r().memorySwap(64 * MB).build()));
        refused("Minimum memory limit can not be less than memory reservation limit",
                with(r().memory(64 * MB).memoryReservation(128 * MB).build()));
        refused("Minimum memory reservation allowed is 6MB", with(r().memoryReservation(1).build()));
    }

    @Test
    public void cpus() {
        ContainerSpecCheck.check(with(r().nanoCpus(500_000_000L).cpuShares(512).cpusetCpus("0").build()));
        ContainerSpecCheck.check(with(r().cpuQuota(50_000).cpuPeriod(100_000).build()));
        refused("Conflicting options: Nano CPUs and CPU Quota cannot both be set",
                with(r().nanoCpus(500_000_000L).cpuQuota(50_000).build()));
        refused("Range of CPUs is from 0.01 to", with(r().nanoCpus(1000L * 1_000_000_000L).build()));
        refused("CPU cfs period can not be less than 1ms", with(r().cpuPeriod(10).build()));
        refused("CPU cfs quota can not be less than 1ms", with(r().cpuQuota(10).build()));
        refused("Invalid value a-b for cpuset cpus", with(r().cpusetCpus("a-b").build()));
        refused("Requested CPUs are not available - requested 4000", with(r().cpusetCpus("4000").build()));
        refused("Range of blkio weight is from 10 to 1000", with(r().blkioWeight(5).build()));
        refused("Range of blkio weight is from 10 to 1000", with(r().blkioWeight(1001).build()));
    }

    @Test
    public void cpuSharesWithinTheKernelsBounds() {
        ContainerSpecCheck.check(with(r().cpuShares(2).build()));
        ContainerSpecCheck.check(with(r().cpuShares(262_144).build()));
        refused("invalid CPU shares -1: give a relative weight from 2 to 262144", with(r().cpuShares(-1).build()));
        refused("invalid CPU shares 1:", with(r().cpuShares(1).build()));
        refused("invalid CPU shares 262145:", with(r().cpuShares(262_145).build()));
        ContainerResources old = r().cpuShares(512).build();
        assertThrows(JpodException.class, () -> LimitsCheck.merge(old, r().cpuShares(300_000).build()));
        assertEquals(1024, LimitsCheck.merge(old, r().cpuShares(1024).build()).cpuShares());
    }

    @Test
    public void aQuotaBelowMinusOneIsNoQuota() {
        ContainerSpecCheck.check(with(r().cpuQuota(-1).build()));
        refused("invalid CPU cfs quota -5", with(r().cpuQuota(-5).build()));
    }

    @Test
    public void ulimitsAndShm() {
        ContainerSpecCheck.check(with(r().ulimits(List.of(new ContainerResources.Ulimit("nofile", 1024, 2048),
                new ContainerResources.Ulimit("core", -1, -1))).build()));
        refused("invalid ulimit type: nofiles", with(r().ulimits(List.of(new ContainerResources.Ulimit("nofiles", 1,
                1))).build()));
        refused("ulimit soft limit must be less than or equal to hard limit: 2048 > 1024",
                with(r().ulimits(List.of(new ContainerResources.Ulimit("nofile", 2048, 1024))).build()));
        refused("SHM size can not be less than 0", with(r().shmSize(-1).build()));
    }

    @Test
    public void capabilitiesAndSecurityOptions() {
        ContainerSpecCheck.check(with(s().capDrop(List.of("ALL")).capAdd(List.of("net_bind_service", "CAP_CHOWN"))
                .build()));
        refused("invalid CapAdd: unknown capability: \"CAP_FOO\"", with(s().capAdd(List.of("foo")).build()));
        refused("invalid CapDrop: unknown capability: \"CAP_BAR\"", with(s().capDrop(List.of("CAP_BAR")).build()));
        refused("cannot be dropped and added", with(s().capDrop(List.of("CHOWN")).capAdd(List.of("CAP_CHOWN"))
                .build()));
        refused("seccomp profile /no/such.json does not exist", with(s().seccompProfile("/no/such.json").build()));
        ContainerSpecCheck.check(with(s().seccompProfile("unconfined").build()));
    }

    @Test
    public void devicesSysctlsGroupsTmpfs() {
        ContainerSpecCheck.check(with(s().devices(List.of(new ContainerSecurity.Device("/dev/null", "/dev/x", "rw")))
                .sysctls(Map.of("net.ipv4.ip_forward", "1", "kernel.shmmax", "1000")).groupAdd(List.of("wheel", "10"))
                .tmpfs(Map.of("/scratch", "size=10m,mode=1777")).build()));
        refused("error gathering device information while adding custom device \"/dev/nope\": no such file",
                with(s().devices(List.of(new ContainerSecurity.Device("/dev/nope", "", "rwm"))).build()));
        refused("invalid device mode: rwx", with(s().devices(List.of(new ContainerSecurity.Device("/dev/null", "",
                "rwx"))).build()));
        refused("sysctl \"vm.swappiness\" is not allowed", with(s().sysctls(Map.of("vm.swappiness", "1")).build()));
        refused("not allowed in the hosts network namespace", ContainerConfig.builder().name("c").networkMode("host")
                .security(s().sysctls(Map.of("net.ipv4.ip_forward", "1")).build()).build());
        refused("tmpfs option bogus at /scratch is not supported", with(s().tmpfs(Map.of("/scratch", "bogus"))
                .build()));
        refused("invalid tmpfs mount scratch", with(s().tmpfs(Map.of("scratch", "")).build()));
        refused("tmpfs mount /data is also a volume mount", ContainerConfig.builder().name("c")
                .mounts(List.of(new Mount("volume", "v", "/data", List.of())))
                .security(s().tmpfs(Map.of("/data", "")).build()).build());
    }

    @Test
    public void swapDefaultsToTwiceTheMemory() {
        ContainerConfig c = LimitsCheck.withDefaults(with(r().memory(64 * MB).pidsLimit(-5).build()));
        assertEquals(LimitsCheck.swapAccounted() ? 128 * MB : 0, c.resources().memorySwap());
        assertEquals(-1, c.resources().pidsLimit());
        assertEquals(-1, LimitsCheck.withDefaults(with(r().memory(64 * MB).memorySwap(-1).build()))
                .resources().memorySwap());
        assertEquals(LimitsCheck.blkioWeightSupported() ? 300 : 0, LimitsCheck.withDefaults(with(r().blkioWeight(300)
                .build())).resources().blkioWeight());
    }

    @Test
    public void updateMergesSetFieldsOnly() {
        ContainerResources old = r().memory(64 * MB).memorySwap(128 * MB).nanoCpus(1_500_000_000L).pidsLimit(50)
                .ulimits(List.of(new ContainerResources.Ulimit("nofile", 10, 20))).build();
        ContainerResources m = LimitsCheck.merge(old, r().memory(256 * MB).pidsLimit(70).build());
        assertEquals(256 * MB, m.memory());
        assertEquals(LimitsCheck.swapAccounted() ? 512 * MB : 0, m.memorySwap());
        assertEquals(1_500_000_000L, m.nanoCpus());
        assertEquals(70, m.pidsLimit());
        assertEquals(old.ulimits(), m.ulimits());
        JpodException e = assertThrows(JpodException.class, () -> LimitsCheck.merge(
                r().memory(64 * MB).memorySwap(100 * MB).build(), r().memory(256 * MB).build()));
        assertTrue(e.getMessage(), e.getMessage().contains("Memory limit should be smaller than already set "
                + "memoryswap limit"));
        assertThrows(JpodException.class, () -> LimitsCheck.merge(old, r().memory(1).build()));
        ContainerResources q = LimitsCheck.merge(old, r().cpuQuota(50_000).build());
        assertEquals(0, q.nanoCpus());
        assertEquals(50_000, q.cpuQuota());
        assertEquals(100_000, q.cpuPeriod());
        assertThrows(JpodException.class, () -> LimitsCheck.merge(old, r().cpuQuota(10).build()));
    }
}
