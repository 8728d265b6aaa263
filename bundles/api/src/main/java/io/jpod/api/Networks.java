package io.jpod.api;

import java.util.List;
import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/** The networks containers join, and which container is on which (libpod's networking_*.go). */
@ProviderType
public interface Networks {

    /** Every network the network backend defines. */
    List<Network> networks();

    /** A network by name or ID prefix. */
    Network network(String nameOrId);

    /** Defines a network. */
    Network createNetwork(Network spec);

    /**
     * Removes a network; refused with NETWORK_IN_USE while containers join it, unless {@code force}, which
     * removes those containers first. Returns the IDs of the containers removed.
     */
    List<String> removeNetwork(String nameOrId, boolean force);

    /**
     * Joins a container to one more network: at once when it runs, at its next start otherwise. Only
     * containers on bridge networks can; INVALID_ARG when it is on that network already.
     */
    default Container connectNetwork(String idOrName, String network) {
        return connectNetwork(idOrName, network, PerNetworkOptions.NONE);
    }

    /**
     * {@link #connectNetwork(String, String)} with a static address and MAC address on that network; they
     * are checked as at creation and kept for later starts. A static address another container holds
     * fails the connection of a running container, which is then left as it was.
     */
    Container connectNetwork(String idOrName, String network, PerNetworkOptions options);

    /** Takes a container off a network: at once when it runs. INVALID_ARG when it is not on it. */
    Container disconnectNetwork(String idOrName, String network);

    /** Per network, the addresses (CIDR notation) a container has now; empty when it is not running on one. */
    Map<String, List<String>> networkAddresses(String idOrName);

    /** Per network, the container's interface now (addresses, gateway, MAC); empty when it is not running on one. */
    Map<String, NetworkAttachment> networkAttachments(String idOrName);

    /** The network a container joins when it names none (the default bridge network). */
    String defaultNetwork();
}
