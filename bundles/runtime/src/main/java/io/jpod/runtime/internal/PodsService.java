package io.jpod.runtime.internal;

import io.jpod.api.Container;
import io.jpod.api.ContainerStatus;
import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.api.Pod;
import io.jpod.api.PodSpec;
import io.jpod.api.Pods;
import io.jpod.spi.lock.Locker;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The pods service (libpod's runtime_pod.go): pods with their infra containers, their lifecycle and removal. */
final class PodsService implements Pods {
    private final EngineGate gate;
    private final Parts parts;
    private final EventsService events;
    private final ContainerRemoval removal;
    private final PodCreation creation;
    private final PodLifecycle lifecycle;

    PodsService(EngineGate gate, Parts parts, EventsService events, ContainerRemoval removal, PodCreation creation,
            PodLifecycle lifecycle) {
        this.gate = gate;
        this.parts = parts;
        this.events = events;
        this.removal = removal;
        this.creation = creation;
        this.lifecycle = lifecycle;
    }

    @Override
    public Pod createPod(Pod spec) {
        return gate.call(() -> {
            Pod pod = creation.record(spec);
            events.record(PodCreation.event("create", pod));
            return pod;
        });
    }

    @Override
    public Pod createPod(PodSpec spec) {
        return gate.call(() -> {
            Pod pod = creation.create(spec);
            events.record(PodCreation.event("create", pod));
            return pod;
        });
    }

    @Override
    public Pod pod(String idOrName) {
        return gate.call(() -> parts.state().lookupPod(Names.requireId(idOrName)));
    }

    @Override
    public List<Pod> pods() {
        return gate.call(() -> parts.state().allPods());
    }

    @Override
    public List<Container> podContainers(String idOrName) {
        return gate.call(() -> lifecycle.containers(parts.state().lookupPod(Names.requireId(idOrName))));
    }

    @Override
    public Map<String, String> podAction(String idOrName, String action, long timeoutSeconds, int signal) {
        return gate.call(() -> {
            Pod pod = parts.state().lookupPod(Names.requireId(idOrName));
            Map<String, String> errors = locked(pod, () -> lifecycle.act(pod, action, timeoutSeconds, signal));
            events.record(PodCreation.event(action, pod));
            return errors;
        });
    }

    @Override
    public void removePod(String idOrName, boolean force) {
        gate.run(() -> {
            Pod pod = parts.state().lookupPod(Names.requireId(idOrName));
            locked(pod, () -> {
                remove(pod, force);
                return null;
            });
        });
    }

    @Override
    public List<String> prunePods() {
        return gate.call(() -> {
            List<String> removed = new ArrayList<>();
            for (Pod pod : parts.state().allPods()) {
                boolean gone = locked(pod, () -> {
                    if (!parts.state().hasPod(pod.id())
                            || lifecycle.containers(pod).stream().anyMatch(PodsService::active)) {
                        return false;
                    }
                    remove(pod, false);
                    return true;
                });
                if (gone) {
                    removed.add(pod.id());
                }
            }
            return removed;
        });
    }

    /**
     * As libpod's removePod with its containers: without {@code force} a running container of the pod (other
     * than its infra container) refuses the removal before anything is removed.
     */
    private void remove(Pod pod, boolean force) {
        List<Container> ctrs = lifecycle.containers(pod);
        if (!force) {
            for (Container c : ctrs) {
                if (active(c) && !c.id().equals(pod.infraContainerId())) {
                    throw new JpodException(ErrorCode.CTR_STATE_INVALID, "pod " + pod.name() + " has container "
                            + c.name() + " " + c.state().status().word() + ": stop it first or remove the pod with "
                            + "force (-f)");
                }
            }
        }
        // members first, the infra container whose namespaces they hold last
        for (int i = ctrs.size() - 1; i >= 0; i--) {
            Container c = ctrs.get(i);
            removal.removeAny(c.id(), true);
        }
        parts.state().removePod(pod.id());
        parts.locks().retrieveLock(pod.lockId()).free();
        events.record(PodCreation.event("remove", pod));
    }

    /** libpod's pod lock around a pod's lifecycle and removal: one of them at a time per pod. */
    private <T> T locked(Pod pod, java.util.function.Supplier<T> body) {
        Locker lock = parts.locks().retrieveLock(pod.lockId());
        lock.lock();
        try {
            return body.get();
        } finally {
            lock.unlock();
        }
    }

    private static boolean active(Container c) {
        ContainerStatus s = c.state().status();
        return s == ContainerStatus.RUNNING || s == ContainerStatus.PAUSED || s == ContainerStatus.STOPPING;
    }
}
