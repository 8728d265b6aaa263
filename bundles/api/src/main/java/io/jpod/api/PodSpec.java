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
 * @param dns         the resolv.conf of the infra container, which its containers share; {@link ContainerDns#NONE}
 *                    for the host's
 * @param networkOptions per network the infra container joins (by name; the default network's when it names
 *                    none), its static address and MAC address (podman's {@code pod create --ip --mac-address})
 */
public record PodSpec(String name, Map<String, String> labels, String hostname, List<String> sharedNamespaces,
        boolean infra, List<PortMapping> portMappings, List<String> networks, String networkMode,
        List<String> createCommand, ContainerDns dns, Map<String, PerNetworkOptions> networkOptions) {
    public PodSpec {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        sharedNamespaces = sharedNamespaces == null ? null : List.copyOf(sharedNamespaces);
        portMappings = portMappings == null ? List.of() : List.copyOf(portMappings);
        networks = networks == null ? List.of() : List.copyOf(networks);
        createCommand = createCommand == null ? List.of() : List.copyOf(createCommand);
        dns = dns == null ? ContainerDns.NONE : dns;
        networkOptions = networkOptions == null ? Map.of() : Map.copyOf(networkOptions);
    }

    /** A pod with the host's resolver settings and no static addresses (as before there were any). */
    public PodSpec(String name, Map<String, String> labels, String hostname, List<String> sharedNamespaces,
            boolean infra, List<PortMapping> portMappings, List<String> networks, String networkMode,
            List<String> createCommand) {
        this(name, labels, hostname, sharedNamespaces, infra, portMappings, networks, networkMode, createCommand,
                ContainerDns.NONE, Map.of());
    }
}
