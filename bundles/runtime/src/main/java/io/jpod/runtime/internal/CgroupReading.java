package io.jpod.runtime.internal;

import io.jpod.api.ContainerStats.BlockIo;
import io.jpod.api.ContainerStats.Cpu;
import java.util.List;
import java.util.Map;

/**
 * What one reading of a container's cgroup found, v1 or v2 alike.
 *
 * @param cpu         CPU time
 * @param memUsage    memory charged now
 * @param memMaxUsage the most charged (0 where the kernel does not tell)
 * @param memLimit    the memory limit as the cgroup has it; {@link Long#MAX_VALUE} for none
 * @param memStat     memory.stat by key
 * @param blockIo     bytes per device and operation
 * @param pids        processes and threads
 * @param pidsLimit   the process limit, 0 for none
 */
record CgroupReading(Cpu cpu, long memUsage, long memMaxUsage, long memLimit, Map<String, Long> memStat,
        List<BlockIo> blockIo, long pids, long pidsLimit) {
}
