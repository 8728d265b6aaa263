package io.jpod.oci.conmon.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpod.api.ContainerResources;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A container's cgroup resources as the runtime spec's {@code linux.resources} (LinuxResources), for config.json
 * and for {@code runc update --resources -}, which reads the same JSON. Fields that are not set are left out, so
 * that the runtime keeps its default (at create) or the current value (at update).
 */
final class CgroupResources {
    /** The CFS period that {@code --cpus} is a quota of, as Docker and podman take it. */
    static final long DEFAULT_PERIOD = 100_000;

    private CgroupResources() {
    }

    /**
     * Writes {@code r} into {@code res}; {@code defaultPids} (containers.conf's pids_limit) applies when
     * {@code r} sets no pids limit. Swap is written only when the kernel accounts it (cgroup v1 without
     * swapaccount=1 has no memory.memsw files, and runc would fail on them).
     */
    static void write(ObjectNode res, ContainerResources r, long defaultPids) {
        ObjectNode mem = res.objectNode();
        if (r.memory() > 0) {
            mem.put("limit", r.memory());
        }
        if (r.memoryReservation() > 0) {
            mem.put("reservation", r.memoryReservation());
        }
        if (r.memorySwap() != 0 && swapAccounted()) {
            mem.put("swap", r.memorySwap());
        }
        if (r.oomKillDisable()) {
            mem.put("disableOOMKiller", true);
        }
        if (!mem.isEmpty()) {
            res.set("memory", mem);
        }
        ObjectNode cpu = res.objectNode();
        if (r.cpuShares() > 0) {
            cpu.put("shares", r.cpuShares());
        }
        if (r.nanoCpus() > 0) {
            cpu.put("quota", r.nanoCpus() * DEFAULT_PERIOD / 1_000_000_000L);
            cpu.put("period", DEFAULT_PERIOD);
        } else {
            if (r.cpuQuota() != 0) {
                cpu.put("quota", r.cpuQuota());
            }
            if (r.cpuPeriod() > 0) {
                cpu.put("period", r.cpuPeriod());
            }
        }
        if (!r.cpusetCpus().isEmpty()) {
            cpu.put("cpus", r.cpusetCpus());
        }
        if (!r.cpusetMems().isEmpty()) {
            cpu.put("mems", r.cpusetMems());
        }
        if (!cpu.isEmpty()) {
            res.set("cpu", cpu);
        }
        long pids = r.pidsLimit() != 0 ? r.pidsLimit() : defaultPids;
        if (pids != 0) {
            // -1 is "max"; 0 would leave the runtime's default
            res.putObject("pids").put("limit", pids < 0 ? -1 : pids);
        }
        if (r.blkioWeight() > 0) {
            res.putObject("blockIO").put("weight", r.blkioWeight());
        }
    }

    /** Whether the kernel accounts swap: memory.memsw.* on cgroup v1, memory.swap.max on v2. */
    static boolean swapAccounted() {
        Path root = Path.of("/sys/fs/cgroup");
        if (Files.exists(root.resolve("cgroup.controllers"))) {
            return true;
        }
        return Files.exists(root.resolve("memory/memory.memsw.limit_in_bytes"));
    }
}
