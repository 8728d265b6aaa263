package io.jpod.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * podman's resource flags, which create, run and update share, as the LinuxResources podman-remote sends
 * ({@code --cpus} as a quota per 100ms period).
 */
final class ResourceFlags {
    static final long PERIOD = 100_000;

    @Option(names = {"-m", "--memory"}, description = "Memory limit (format: <number>[<unit>], where unit = b, k, m or g)")
    String memory;
    @Option(names = "--memory-swap", description = "Swap limit equal to memory plus swap: '-1' to enable unlimited swap")
    String memorySwap;
    @Option(names = "--memory-reservation", description = "Memory soft limit (format: <number>[<unit>], where unit = b, k, m or g)")
    String memoryReservation;
    @Option(names = {"-c", "--cpu-shares"}, description = "CPU shares (relative weight)")
    Long cpuShares;
    @Option(names = "--cpu-quota", description = "Limit the CPU CFS (Completely Fair Scheduler) quota")
    Long cpuQuota;
    @Option(names = "--cpu-period", description = "Limit the CPU CFS (Completely Fair Scheduler) period")
    Long cpuPeriod;
    @Option(names = "--cpus", description = "Number of CPUs. The default is 0.000 which means no limit")
    String cpus;
    @Option(names = "--cpuset-cpus", description = "CPUs in which to allow execution (0-3, 0,1)")
    String cpusetCpus;
    @Option(names = "--cpuset-mems", description = "Memory nodes (MEMs) in which to allow execution (0-3, 0,1)")
    String cpusetMems;
    @Option(names = "--pids-limit", description = "Tune container pids limit (set -1 for unlimited)")
    Long pidsLimit;
    @Option(names = "--blkio-weight", description = "Block IO weight (relative weight) accepts a weight value between 10 and 1000")
    Integer blkioWeight;

    /** The resource_limits (LinuxResources) of the flags given; also {@code update}'s body. */
    ObjectNode linuxResources(ObjectNode factory, boolean oomKillDisable) {
        ObjectNode rl = factory.objectNode();
        ObjectNode mem = rl.objectNode();
        if (memory != null) {
            mem.put("limit", bytes(memory, "--memory"));
        }
        if (memorySwap != null) {
            mem.put("swap", memorySwap.trim().equals("-1") ? -1 : bytes(memorySwap, "--memory-swap"));
        }
        if (memoryReservation != null) {
            mem.put("reservation", bytes(memoryReservation, "--memory-reservation"));
        }
        if (oomKillDisable) {
            mem.put("disableOOMKiller", true);
        }
        if (!mem.isEmpty()) {
            rl.set("memory", mem);
        }
        ObjectNode cpu = rl.objectNode();
        if (cpuShares != null) {
            cpu.put("shares", cpuShares);
        }
        if (cpus != null) {
            if (cpuQuota != null || cpuPeriod != null) {
                throw new IllegalArgumentException("--cpus and --cpu-quota or --cpu-period cannot be set together");
            }
            BigDecimal n;
            try {
                n = new BigDecimal(cpus.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("invalid --cpus " + cpus + ": give a number such as 1.5");
            }
            cpu.put("period", PERIOD);
            cpu.put("quota", n.multiply(BigDecimal.valueOf(PERIOD)).longValue());
        }
        if (cpuQuota != null) {
            cpu.put("quota", cpuQuota);
        }
        if (cpuPeriod != null) {
            cpu.put("period", cpuPeriod);
        }
        if (cpusetCpus != null) {
            cpu.put("cpus", cpusetCpus);
        }
        if (cpusetMems != null) {
            cpu.put("mems", cpusetMems);
        }
        if (!cpu.isEmpty()) {
            rl.set("cpu", cpu);
        }
        if (pidsLimit != null) {
            rl.putObject("pids").put("limit", pidsLimit);
        }
        if (blkioWeight != null) {
            rl.putObject("blockIO").put("weight", blkioWeight);
        }
        return rl;
    }

    /** A size as podman reads it (go-units' RAMInBytes): {@code 64m}, {@code 1g}, {@code 512kb}; units of 1024. */
    static long bytes(String v, String flag) {
        String s = v.trim().toLowerCase(Locale.ROOT);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgtp]?)(?:i?b)?").matcher(s);
        if (!m.matches()) {
            throw new IllegalArgumentException("invalid " + flag + " " + v + ": give a size such as 64m or 1g");
        }
        int power = "kmgtp".indexOf(m.group(2)) + 1;
        BigDecimal n = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(1024).pow(m.group(2).isEmpty() ? 0 : power));
        return n.longValue();
    }
}
