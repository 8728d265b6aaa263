package io.jpod.runtime.internal;

import io.jpod.api.Container;
import io.jpod.api.ContainerStats;
import io.jpod.api.ContainerStatus;
import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.api.ContainerStats.Memory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;

/**
 * The stats service: a running container is read from its init process's cgroup ({@link CgroupV1Stats} or
 * {@link CgroupV2Stats}, whichever the host has) and network namespace ({@link NetDevStats}); any other reads as
 * zeros. A read never changes the container.
 */
final class ContainerStatsService implements ContainerStats {
    private final EngineGate gate;
    private final Parts parts;

    ContainerStatsService(EngineGate gate, Parts parts) {
        this.gate = gate;
        this.parts = parts;
    }

    @Override
    public Sample sample(String idOrName) {
        Container c = gate.call(() -> parts.state().lookupContainer(Names.requireId(idOrName)));
        try {
            return read(c);
        } catch (IOException e) {
            throw new JpodException(ErrorCode.INTERNAL, "reading the stats of container " + c.name() + " failed: "
                    + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw new JpodException(ErrorCode.INTERNAL, "reading the stats of container " + c.name() + " failed: "
                    + e.getCause().getMessage(), e);
        }
    }

    private static Sample read(Container c) throws IOException {
        Instant now = Instant.now();
        ContainerStatus st = c.state().status();
        int pid = c.state().pid();
        if (st != ContainerStatus.RUNNING && st != ContainerStatus.PAUSED || pid <= 0) {
            return Sample.stopped(c.id(), c.name(), now);
        }
        CgroupPaths paths = CgroupPaths.of(pid);
        if (paths == null || paths.v1().isEmpty() && paths.unified() == null) {
            return Sample.stopped(c.id(), c.name(), now);
        }
        long systemCpu = HostCpu.systemCpuNanos();
        CgroupReading r = paths.isV2() ? CgroupV2Stats.read(paths.unified()) : CgroupV1Stats.read(paths.v1());
        long hostMem = HostCpu.memTotal();
        long limit = r.memLimit() <= 0 || r.memLimit() > hostMem ? hostMem : r.memLimit();
        // a container on the host's network has no interfaces of its own, as docker shows it
        Map<String, NetworkIo> nets = "host".equals(c.config().networkMode()) ? Map.of() : NetDevStats.of(pid);
        return new Sample(c.id(), c.name(), now, true, c.state().startedAt(), r.cpu(), systemCpu,
                HostCpu.onlineCpus(), new Memory(r.memUsage(), r.memMaxUsage(), limit, r.memStat()), nets,
                r.blockIo(), r.pids(), r.pidsLimit());
    }
}
