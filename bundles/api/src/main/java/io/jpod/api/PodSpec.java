package io.jpod.api;

import java.util.List;
import java.util.Map;

/**
 * What a pod is created from (libpod's PodSpecGenerator, the parts jpod supports).
 *
 * @param name        the name, or null for a generated one
 * @param labels      labels
 * @param hostname    the hostname of its containers, or null for the pod's name
 * @param sharedNamespaces the namespaces its containers share ({@code net}, {@code ipc}, {@code uts},
 *                    {@code pid}, {@code cgroup}); null for libpod's default {@code net, ipc, uts}
 * @param infra       whether it has an infra container holding those namespaces
 * @param portMappings ports the infra container publishes on the host
 * @param networks    networks the infra container joins; empty for the default one
 * @param networkMode {@code bridge}, {@code none} or {@code host}, for the infra container
 * @param createCommand the client's command line, for inspect
 */
public record PodSpec(String name, Map<String, String> labels, String hostname, List<String> sharedNamespaces,
        boolean infra, List<PortMapping> portMappings, List<String> networks, String networkMode,
        List<String> createCommand) {
    public PodSpec {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        sharedNamespaces = sharedNamespaces == null ? null : List.copyOf(sharedNamespaces);
        portMappings = portMappings == null ? List.of() : List.copyOf(portMappings);
        networks = networks == null ? List.of() : List.copyOf(networks);
        createCommand = createCommand == null ? List.of() : List.copyOf(createCommand);
    }
}
