package io.jpod.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jpod update}: podman 4.3's flags; the resources go as LinuxResources, the restart policy in the query. */
@Command(name = "update", description = "Update an existing container")
final class UpdateCommand extends Base {
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
    @Option(names = "--restart", description = "Restart policy to apply when a container exits (\"always\", \"no\", \"on-failure[:max]\", \"unless-stopped\")")
    String restart;
    @Parameters(arity = "1", paramLabel = "CONTAINER")
    String container;

    @Override
    int run() {
        LimitFlags f = new LimitFlags();
        f.memory = memory;
        f.memorySwap = memorySwap;
        f.memoryReservation = memoryReservation;
        f.cpuShares = cpuShares;
        f.cpuQuota = cpuQuota;
        f.cpuPeriod = cpuPeriod;
        f.cpus = cpus;
        f.cpusetCpus = cpusetCpus;
        f.cpusetMems = cpusetMems;
        f.pidsLimit = pidsLimit;
        f.blkioWeight = blkioWeight;
        ObjectNode body = f.resources(JsonNodeFactory.instance.objectNode());
        String policy = null;
        Integer retries = null;
        if (restart != null) {
            String[] r = restart.split(":", 2);
            policy = r[0];
            if (r.length > 1) {
                try {
                    retries = Integer.parseInt(r[1]);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("invalid restart policy " + restart + ": give on-failure:N");
                }
            }
        }
        if (body.isEmpty() && policy == null) {
            throw new IllegalArgumentException("give at least one flag to update, e.g. --memory 128m");
        }
        String id = api().post("containers/" + Api.seg(container) + "/update",
                Api.query("restartPolicy", policy, "restartRetries", retries), body).asText();
        out.println(id.isEmpty() ? container : id);
        return 0;
    }
}
