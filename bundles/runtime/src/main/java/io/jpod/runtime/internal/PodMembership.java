package io.jpod.runtime.internal;

import io.jpod.api.ContainerConfig;
import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.api.Pod;
import io.jpod.spi.state.State;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A container joining a pod (libpod's WithPod and the pod's infra namespaces): the pod named by name or ID,
 * and the namespaces the pod shares taken from its infra container; the network it shares cannot be
 * configured again by a member.
 */
final class PodMembership {
    private final State state;

    PodMembership(State state) {
        this.state = state;
    }

    ContainerConfig apply(ContainerConfig spec) {
        if (spec.pod() == null || spec.pod().isEmpty()) {
            return spec.pod() == null ? spec : spec.toBuilder().pod(null).build();
        }
        Pod pod = state.lookupPod(spec.pod());
        ContainerConfig.Builder b = spec.toBuilder().pod(pod.id());
        String infra = pod.infraContainerId();
        if (infra == null) {
            return b.build();
        }
        if (pod.sharedNamespaces().contains("net")) {
            if (!spec.portMappings().isEmpty()) {
                throw invalid("published ports must be defined when the pod is created (jpod pod create -p): "
                        + "the network of pod " + pod.name() + " is shared by its containers");
            }
            String mode = spec.networkMode();
            boolean ownMode = mode != null && !mode.isEmpty() && !mode.equals("bridge");
            if (ownMode || !spec.networks().isEmpty()
                    || spec.networkOptions().values().stream().anyMatch(o -> !o.isEmpty())) {
                throw invalid("networks must be defined when the pod is created (jpod pod create --network): "
                        + "the network of pod " + pod.name() + " is shared by its containers");
            }
            if (!spec.dns().isEmpty()) {
                throw invalid("DNS servers, search domains and options must be defined when the pod is created "
                        + "(jpod pod create --dns, --dns-search, --dns-option): the network of pod " + pod.name()
                        + " is shared by its containers");
            }
            b.networkMode("container:" + infra).networks(java.util.List.of()).networkOptions(Map.of());
        }
        Map<String, String> joined = new LinkedHashMap<>(spec.joinedNamespaces());
        for (String kind : pod.sharedNamespaces()) {
            if (kind.equals("net")) {
                continue;
            }
            if (joined.containsKey(kind)) {
                throw invalid("the " + kind + " namespace is shared by pod " + pod.name()
                        + ": a container of the pod cannot choose its own");
            }
            joined.put(kind, "container:" + infra);
        }
        b.joinedNamespaces(joined);
        if (pod.sharedNamespaces().contains("uts") && (spec.hostname() == null || spec.hostname().isEmpty())) {
            b.hostname(pod.hostname() == null || pod.hostname().isEmpty() ? pod.name() : pod.hostname());
        }
        return b.build();
    }

    private static JpodException invalid(String message) {
        return new JpodException(ErrorCode.INVALID_ARG, "invalid config provided: " + message);
    }
}
