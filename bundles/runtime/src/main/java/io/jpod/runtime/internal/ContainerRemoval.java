package io.jpod.runtime.internal;

import io.jpod.api.Container;
import io.jpod.api.ContainerStatus;
import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;

/**
 * Removes a container, stopping it first when forced: for the containers service and for the pods, volumes
 * and networks whose forced removal takes their containers along.
 */
final class ContainerRemoval {
    private final Parts parts;
    private final Lifecycle lifecycle;
    private final ExecSessionTable execs;

    ContainerRemoval(Parts parts, Lifecycle lifecycle, ExecSessionTable execs) {
        this.parts = parts;
        this.lifecycle = lifecycle;
        this.execs = execs;
    }

    void remove(String idOrName, boolean force) {
        Container found = parts.state().lookupContainer(Names.requireId(idOrName));
        String podId = found.config().pod();
        if (podId != null && parts.state().hasPod(podId)
                && found.id().equals(parts.state().pod(podId).infraContainerId())) {
            throw new JpodException(ErrorCode.CTR_STATE_INVALID, "container " + found.id()
                    + " is the infra container of pod " + podId + " and cannot be removed without removing the pod"
                    + ": use jpod pod rm");
        }
        removeAny(found.id(), force);
    }

    /** Removes any container, a pod's infra container too (as the pod's removal does). */
    void removeAny(String id, boolean force) {
        lifecycle.locked(id, ctr -> {
            ContainerStatus status = ctr.state().status();
            boolean active = status == ContainerStatus.RUNNING || status == ContainerStatus.PAUSED
                    || status == ContainerStatus.STOPPING;
            if (active && !force) {
                throw new JpodException(ErrorCode.CTR_STATE_INVALID, "cannot remove container " + ctr.id()
                        + " as it is " + status.word()
                        + " - running or paused containers cannot be removed without force: container state improper");
            }
            Container c = ctr;
            if (active) {
                c = lifecycle.stop(c, c.config().stopTimeout());
                if (c.config().autoRemove()) {
                    return null;
                }
            }
            lifecycle.remove(c);
            execs.containerRemoved(c.id());
            return null;
        });
    }
}
