package io.jpod.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.osgi.annotation.versioning.ProviderType;

/**
 * What a container uses, read from its cgroup (v1 or v2) and its network namespace, as {@code docker stats}
 * and {@code podman stats} show it. Registered while the engine is assembled; after it is taken down every
 * call fails with {@link ErrorCode#RUNTIME_STOPPED}.
 */
@ProviderType
public interface ContainerStats {

    /**
     * One reading of a container by ID, unique ID prefix or name. A container that is not running reads as
     * {@link Sample#stopped}: all zeros, as docker and podman show it.
     */
    Sample sample(String idOrName);

    /**
     * A reading.
     *
     * @param id             the container's ID
     * @param name           its name
     * @param read           when it was read
     * @param running        false for a container that is not running (every figure is then zero)
     * @param startedAt      when it last started, or null
     * @param cpu            its CPU time
     * @param systemCpuNanos the host's CPU time, all CPUs together, since boot (/proc/stat)
     * @param onlineCpus     how many CPUs the host has online
     * @param memory         its memory
     * @param networks       per interface of its network namespace (loopback left out)
     * @param blockIo        bytes read and written per device and operation
     * @param pids           how many processes and threads it has
     * @param pidsLimit      its process limit; 0 when unlimited
     */
    record Sample(String id, String name, Instant read, boolean running, Instant startedAt, Cpu cpu,
            long systemCpuNanos, int onlineCpus, Memory memory, Map<String, NetworkIo> networks,
            List<BlockIo> blockIo, long pids, long pidsLimit) {
        public Sample {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(read, "read");
            cpu = cpu == null ? Cpu.NONE : cpu;
            memory = memory == null ? Memory.NONE : memory;
            networks = networks == null ? Map.of() : Map.copyOf(networks);
            blockIo = blockIo == null ? List.of() : List.copyOf(blockIo);
        }

        /** The reading of a container that does not run. */
        public static Sample stopped(String id, String name, Instant read) {
            return new Sample(id, name, read, false, null, Cpu.NONE, 0, 0, Memory.NONE, Map.of(), List.of(), 0, 0);
        }

        /** Bytes read from block devices. */
        public long blockRead() {
            return blockIo.stream().filter(b -> b.op().equalsIgnoreCase("read")).mapToLong(BlockIo::value).sum();
        }

        /** Bytes written to block devices. */
        public long blockWritten() {
            return blockIo.stream().filter(b -> b.op().equalsIgnoreCase("write")).mapToLong(BlockIo::value).sum();
        }

        /** Bytes received on all interfaces. */
        public long netReceived() {
            return networks.values().stream().mapToLong(NetworkIo::rxBytes).sum();
        }

        /** Bytes sent on all interfaces. */
        public long netSent() {
            return networks.values().stream().mapToLong(NetworkIo::txBytes).sum();
        }
    }

    /**
     * CPU time in nanoseconds.
     *
     * @param totalNanos       all of it
     * @param perCpuNanos      per CPU (empty when the cgroup does not tell, as v2)
     * @param userNanos        in user mode
     * @param kernelNanos      in kernel mode
     * @param periods          CFS periods elapsed
     * @param throttledPeriods periods in which it was throttled
     * @param throttledNanos   time throttled
     */
    record Cpu(long totalNanos, List<Long> perCpuNanos, long userNanos, long kernelNanos, long periods,
            long throttledPeriods, long throttledNanos) {
        public static final Cpu NONE = new Cpu(0, List.of(), 0, 0, 0, 0, 0);

        public Cpu {
            perCpuNanos = perCpuNanos == null ? List.of() : List.copyOf(perCpuNanos);
        }
    }

    /**
     * Memory in bytes.
     *
     * @param usage    what the cgroup charges now (page cache included)
     * @param maxUsage the most it charged (0 where the cgroup does not tell)
     * @param limit    its limit, or the host's memory when it has none or a higher one
     * @param stat     the cgroup's memory.stat, by key
     */
    record Memory(long usage, long maxUsage, long limit, Map<String, Long> stat) {
        public static final Memory NONE = new Memory(0, 0, 0, Map.of());

        public Memory {
            stat = stat == null ? Map.of() : Map.copyOf(stat);
        }
    }

    /** One interface's counters, as /proc/net/dev has them. */
    record NetworkIo(long rxBytes, long rxPackets, long rxErrors, long rxDropped, long txBytes, long txPackets,
            long txErrors, long txDropped) {
    }

    /**
     * One line of blkio's io_service_bytes (v1) or io.stat (v2).
     *
     * @param op {@code Read}, {@code Write}, {@code Sync}, {@code Async}, {@code Discard} or {@code Total}
     */
    record BlockIo(long major, long minor, String op, long value) {
    }
}
