package io.jpod.api;

import java.util.List;

/**
 * A container's cgroup resources and process limits, in Docker's units: bytes, CPU shares, microseconds
 * of CPU time per period, billionths of a CPU. A zero (or null, or empty) field means "not set": the
 * runtime's default applies. {@code update} changes the cgroup part of a running container.
 *
 * @param memory            memory limit in bytes ({@code --memory})
 * @param memorySwap        memory plus swap in bytes; -1 for unlimited swap ({@code --memory-swap})
 * @param memoryReservation soft memory limit in bytes ({@code --memory-reservation})
 * @param cpuShares         relative CPU weight ({@code --cpu-shares})
 * @param cpuQuota          microseconds of CPU time per period ({@code --cpu-quota})
 * @param cpuPeriod         the CFS period in microseconds ({@code --cpu-period})
 * @param nanoCpus          CPUs in billionths ({@code --cpus 1.5} is 1500000000); taken as quota per 100ms period
 * @param cpusetCpus        the CPUs it may run on, e.g. {@code 0-1} ({@code --cpuset-cpus})
 * @param cpusetMems        the memory nodes it may use ({@code --cpuset-mems})
 * @param pidsLimit         most processes; -1 for unlimited ({@code --pids-limit})
 * @param blkioWeight       block IO weight from 10 to 1000 ({@code --blkio-weight})
 * @param oomKillDisable    the OOM killer spares it ({@code --oom-kill-disable})
 * @param ulimits           process rlimits ({@code --ulimit nofile=1024:2048})
 * @param shmSize           size of /dev/shm in bytes ({@code --shm-size})
 */
public record ContainerResources(
        long memory,
        long memorySwap,
        long memoryReservation,
        long cpuShares,
        long cpuQuota,
        long cpuPeriod,
        long nanoCpus,
        String cpusetCpus,
        String cpusetMems,
        long pidsLimit,
        int blkioWeight,
        boolean oomKillDisable,
        List<Ulimit> ulimits,
        long shmSize) {

    /** None set. */
    public static final ContainerResources NONE = new ContainerResources(0, 0, 0, 0, 0, 0, 0, "", "", 0, 0, false,
            List.of(), 0);

    public ContainerResources {
        cpusetCpus = cpusetCpus == null ? "" : cpusetCpus;
        cpusetMems = cpusetMems == null ? "" : cpusetMems;
        ulimits = ulimits == null ? List.of() : List.copyOf(ulimits);
    }

    /**
     * One rlimit as Docker names it: {@code nofile}, {@code nproc}, ... (without RLIMIT_); -1 is unlimited.
     *
     * @param name the rlimit's name in lower case, e.g. {@code nofile}
     * @param soft the soft limit
     * @param hard the hard limit
     */
    public record Ulimit(String name, long soft, long hard) {
    }

    public static Builder builder() {
        return new Builder(NONE);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** A builder, so that callers set only what they mean. */
    public static final class Builder {
        private long memory, memorySwap, memoryReservation, cpuShares, cpuQuota, cpuPeriod, nanoCpus, pidsLimit,
                shmSize;
        private String cpusetCpus, cpusetMems;
        private int blkioWeight;
        private boolean oomKillDisable;
        private List<Ulimit> ulimits;

        Builder(ContainerResources r) {
            memory = r.memory; memorySwap = r.memorySwap; memoryReservation = r.memoryReservation;
            cpuShares = r.cpuShares; cpuQuota = r.cpuQuota; cpuPeriod = r.cpuPeriod; nanoCpus = r.nanoCpus;
            cpusetCpus = r.cpusetCpus; cpusetMems = r.cpusetMems; pidsLimit = r.pidsLimit;
            blkioWeight = r.blkioWeight; oomKillDisable = r.oomKillDisable; ulimits = r.ulimits; shmSize = r.shmSize;
        }

        public Builder memory(long v) { memory = v; return this; }
        public Builder memorySwap(long v) { memorySwap = v; return this; }
        public Builder memoryReservation(long v) { memoryReservation = v; return this; }
        public Builder cpuShares(long v) { cpuShares = v; return this; }
        public Builder cpuQuota(long v) { cpuQuota = v; return this; }
        public Builder cpuPeriod(long v) { cpuPeriod = v; return this; }
        public Builder nanoCpus(long v) { nanoCpus = v; return this; }
        public Builder cpusetCpus(String v) { cpusetCpus = v; return this; }
        public Builder cpusetMems(String v) { cpusetMems = v; return this; }
        public Builder pidsLimit(long v) { pidsLimit = v; return this; }
        public Builder blkioWeight(int v) { blkioWeight = v; return this; }
        public Builder oomKillDisable(boolean v) { oomKillDisable = v; return this; }
        public Builder ulimits(List<Ulimit> v) { ulimits = v; return this; }
        public Builder shmSize(long v) { shmSize = v; return this; }

        public ContainerResources build() {
            return new ContainerResources(memory, memorySwap, memoryReservation, cpuShares, cpuQuota, cpuPeriod,
                    nanoCpus, cpusetCpus, cpusetMems, pidsLimit, blkioWeight, oomKillDisable, ulimits, shmSize);
        }
    }
}
