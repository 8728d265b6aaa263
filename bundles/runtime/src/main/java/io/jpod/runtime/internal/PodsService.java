package io.jpod.runtime.internal;

import io.jpod.api.Event;
import io.jpod.api.Pod;
import io.jpod.api.Pods;
import io.jpod.spi.lock.Locker;
import java.time.Instant;
import java.util.List;

/** The pods service (libpod's runtime_pod.go): pods' records and locks. */
final class PodsService implements Pods {
    private final EngineGate gate;
    private final Parts parts;
    private final Names names;
    private final EventsService events;
    private final ContainerRemoval removal;

    PodsService(EngineGate gate, Parts parts, Names names, EventsService events, ContainerRemoval removal) {
        this.gate = gate;
        this.parts = parts;
        this.names = names;
        this.events = events;
        this.removal = removal;
    }

    @Override
    public Pod createPod(Pod spec) {
        return gate.call(() -> {
            String name = spec.name();
            if (name == null || name.isEmpty()) {
                name = names.uniqueName();
            } else {
                Names.check(name, "pod");
            }
            String id = spec.id() == null || spec.id().isEmpty() ? names.randomId() : spec.id();
            Locker lock = parts.locks().allocateLock();
            try {
                Pod pod = new Pod(id, name, parts.state().namespace(), lock.id(), spec.labels(), Instant.now(),
                        spec.infraContainerId());
                parts.state().addPod(pod);
                events.record(new Event(Event.Type.POD, "create", Instant.now(), pod.id(), pod.name(), null, null,
                        pod.labels()));
                return pod;
            } catch (RuntimeException e) {
                lock.free();
                throw e;
            }
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
    public void removePod(String idOrName, boolean force) {
        gate.run(() -> {
            Pod pod = parts.state().lookupPod(Names.requireId(idOrName));
            if (force) {
                for (String ctrId : parts.state().podContainers(pod.id())) {
                    removal.remove(ctrId, true);
                }
            }
            parts.state().removePod(pod.id());
            parts.locks().retrieveLock(pod.lockId()).free();
            events.record(new Event(Event.Type.POD, "remove", Instant.now(), pod.id(), pod.name(), null, null,
                    pod.labels()));
        });
    }
}
