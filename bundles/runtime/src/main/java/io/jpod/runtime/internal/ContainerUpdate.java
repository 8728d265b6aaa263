package io.jpod.runtime.internal;

import io.jpod.api.Container;
import io.jpod.api.ContainerConfig;
import io.jpod.api.ContainerResources;
import io.jpod.api.ContainerStatus;
import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * libpod's Container.Update: new resources (and restart policy) for a container, applied at once through the
 * OCI runtime when the container has a cgroup (created, running, paused), and stored, so that the next start
 * gets them too. Called under the container's lock.
 */
final class ContainerUpdate {
    private static final Logger LOG = LoggerFactory.getLogger(ContainerUpdate.class);
    private static final Set<ContainerStatus> IN_RUNTIME = Set.of(ContainerStatus.CREATED, ContainerStatus.RUNNING,
            ContainerStatus.PAUSED);

    private final Parts parts;
    private final StateChanges changes;

    ContainerUpdate(Parts parts, StateChanges changes) {
        this.parts = parts;
        this.changes = changes;
    }

    Container update(Container c, ContainerResources resources, String restartPolicy, int restartRetries) {
        ContainerConfig cfg = c.config();
        if (resources != null) {
            cfg = cfg.withResources(LimitsCheck.merge(cfg.resources(), resources));
        }
        if (restartPolicy != null) {
            String policy = restartPolicy.isEmpty() ? "no" : restartPolicy;
            if (cfg.autoRemove() && !policy.equals("no")) {
                throw new JpodException(ErrorCode.INVALID_ARG, "Restart policy cannot be "
                        + "updated because AutoRemove is enabled for the container");
            }
            cfg = cfg.withRestartPolicy(policy, restartRetries);
            ContainerSpecCheck.restart(policy, restartRetries);
        }
        if (resources != null && IN_RUNTIME.contains(c.state().status())) {
            parts.runtime(cfg.ociRuntime()).updateResources(c, cfg.resources());
            LOG.debug("container {}: resources now {}", c.id(), cfg.resources());
        }
        Container updated = c.withConfig(cfg);
        parts.state().saveContainer(updated);
        changes.changed();
        return updated;
    }
}
