package io.jpod.spi.network;

import io.jpod.api.Network;
import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * The networks a {@link NetworkBackend} defines, as libpod's {@code NetworkCreate}, {@code NetworkInspect},
 * {@code NetworkList} and {@code NetworkRemove}. Whether a container uses a network is the engine's to
 * check; a backend only keeps the definitions.
 */
@ConsumerType
public interface NetworkDefinitions {

    /** Every network defined; a definition that cannot be read is left out. */
    List<Network> list();

    /**
     * A network by name or ID prefix.
     *
     * @throws io.jpod.api.JpodException NO_SUCH_NETWORK when none has that name or ID prefix, INVALID_ARG
     *                                   when the prefix fits more than one
     */
    Network inspect(String nameOrId);

    /**
     * Defines a network: validates the name, driver and subnets (no overlap with another network, the
     * gateway and IP range inside the subnet), picks a free subnet and interface name where none is given.
     *
     * @return the network as defined, with its ID and creation time
     * @throws io.jpod.api.JpodException NETWORK_EXISTS for a name in use, INVALID_ARG saying what is wrong
     *                                   with the spec, NOT_IMPLEMENTED for a backend that cannot define networks
     */
    Network create(Network spec);

    /**
     * Removes a network's definition; the engine checks first that no container uses it.
     *
     * @throws io.jpod.api.JpodException NO_SUCH_NETWORK when there is none of that name, INVALID_ARG for the
     *                                   default network
     */
    void remove(String name);

    /** The name of the network a container joins when it names none; empty when there is none. */
    String defaultNetwork();
}
