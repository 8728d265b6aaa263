package io.jpod.runtime.internal;

import io.jpod.api.Container;
import io.jpod.api.ErrorCode;
import io.jpod.api.Event;
import io.jpod.api.JpodException;
import io.jpod.api.Pod;
import io.jpod.api.PodSpec;
import io.jpod.spi.lock.Locker;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** libpod's NewPod with its infra container: the pod's record, lock and infra container, or none of them. */
final class PodCreation {
    private static final Logger LOG = LoggerFactory.getLogger(PodCreation.class);
    /** libpod's default for --share. */
    static final List<String> DEFAULT_SHARE = List.of("ipc", "net", "uts");
    static final Set<String> KINDS = Set.of("cgroup", "ipc", "net", "pid", "uts");

    private final Parts parts;
    private final Names names;
    private final EventsService events;
    private final ContainerCreation containers;
    private final ContainerRemoval removal;
    private final InfraContainer infra;

    PodCreation(Parts parts, Names names, EventsService events, ContainerCreation containers,
            ContainerRemoval removal, InfraContainer infra) {
        this.parts = parts;
        this.names = names;
        this.events = events;
        this.containers = containers;
        this.removal = removal;
        this.infra = infra;
    }

    /** The record alone, without an infra container. */
    Pod record(Pod spec) {
        return store(spec.name(), spec.id(), spec.labels(), spec.infraContainerId(), spec.sharedNamespaces(),
                spec.hostname(), spec.createCommand());
    }

    Pod create(PodSpec spec) {
        List<String> share = share(spec);
        if (!spec.infra() && (!spec.portMappings().isEmpty() || !spec.networks().isEmpty())) {
            throw invalid("a pod without an infra container has no network of its own: publish ports and join "
                    + "networks on its containers, or create the pod with an infra container");
        }
        if (!share.contains("net") && (!spec.portMappings().isEmpty() || !spec.networks().isEmpty())) {
            throw invalid("ports and networks of a pod need its network shared: add net to --share");
        }
        PodNetworkChoices.check(spec, share);
        if (spec.hostname() != null && !spec.hostname().isEmpty() && !share.contains("uts")) {
            throw invalid("a pod's hostname needs its uts namespace shared: add uts to --share");
        }
        Pod pod = store(spec.name(), null, spec.labels(), null, share, spec.hostname(), spec.createCommand());
        if (!spec.infra()) {
            return pod;
        }
        Container ctr = null;
        try {
            ctr = containers.create(infra.config(pod, spec));
            pod = pod.withInfraContainerId(ctr.id());
            parts.state().savePod(pod);
            return pod;
        } catch (RuntimeException e) {
            if (ctr != null) {
                try {
                    removal.removeAny(ctr.id(), true);
                } catch (RuntimeException again) {
                    LOG.warn("removing the infra container {} of pod {} that failed: {}", ctr.id(), pod.name(),
                            again.getMessage());
                }
            }
            parts.state().removePod(pod.id());
            parts.locks().retrieveLock(pod.lockId()).free();
            throw e;
        }
    }

    /** The namespaces the pod shares: libpod's default, none without an infra container. */
    static List<String> share(PodSpec spec) {
        List<String> given = spec.sharedNamespaces();
        if (!spec.infra()) {
            if (given != null && !given.isEmpty() && !given.equals(List.of("none"))) {
                throw invalid("a pod without an infra container cannot share namespaces: drop --share or "
                        + "--infra=false");
            }
            return List.of();
        }
        if (given == null) {
            return DEFAULT_SHARE;
        }
        List<String> out = new ArrayList<>();
        for (String k : given) {
            String kind = k.trim();
            if (kind.isEmpty() || kind.equals("none")) {
                continue;
            }
            if (kind.equals("user") || kind.equals("mnt")) {
                throw invalid("sharing the " + kind + " namespace is not supported: share cgroup, ipc, net, pid "
                        + "or uts");
            }
            if (!KINDS.contains(kind)) {
                throw invalid("\"" + kind + "\" is not a namespace a pod can share: use cgroup, ipc, net, pid, uts "
                        + "or none");
            }
            if (!out.contains(kind)) {
                out.add(kind);
            }
        }
        return out;
    }

    private Pod store(String givenName, String givenId, java.util.Map<String, String> labels, String infraId,
            List<String> share, String hostname, List<String> command) {
        String name = givenName;
        if (name == null || name.isEmpty()) {
            name = names.uniqueName();
        } else {
            Names.check(name, "pod");
        }
        String id = givenId == null || givenId.isEmpty() ? names.randomId() : givenId;
        Locker lock = parts.locks().allocateLock();
        try {
            Pod pod = new Pod(id, name, parts.state().namespace(), lock.id(), labels, Instant.now(), infraId, share,
                    hostname == null || hostname.isEmpty() ? null : hostname, command);
            parts.state().addPod(pod);
            return pod;
        } catch (RuntimeException e) {
            lock.free();
            throw e;
        }
    }

    static Event event(String status, Pod pod) {
        return new Event(Event.Type.POD, status, Instant.now(), pod.id(), pod.name(), null, null, pod.labels());
    }

    private static JpodException invalid(String message) {
        return new JpodException(ErrorCode.INVALID_ARG, message);
    }
}
