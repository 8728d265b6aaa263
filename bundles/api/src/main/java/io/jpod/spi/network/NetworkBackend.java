package io.jpod.spi.network;

import io.jpod.api.Container;
import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.api.Network;
import io.jpod.api.NetworkAttachment;
import java.util.List;
import java.util.Map;
import org.osgi.annotation.versioning.ConsumerType;

/** Sets up and tears down containers' networks, as libpod's network interface. */
@ConsumerType
public interface NetworkBackend extends AutoCloseable {

    /** The name it was selected by. */
    String name();

    /**
     * Attaches the network namespace at {@code netNsPath} to the container's networks, with the static
     * address and MAC address {@link io.jpod.api.ContainerConfig#networkOptions(String)} asks for on
     * each. When one fails (a static address another container holds: INVALID_ARG naming the address),
     * nothing of the attachment is left: no interface, no address reserved, no firewall rule.
     *
     * @return per network, the addresses given (CIDR notation)
     */
    Map<String, List<String>> setup(Container ctr, String netNsPath);

    /** Detaches the container from its networks; idempotent. */
    void teardown(Container ctr, String netNsPath);

    /** The names of the networks defined. */
    List<String> networks();

    /**
     * Defines a network: validates the name, driver and subnets (no overlap with another network, the
     * gateway and IP range inside the subnet), picks a free subnet and interface name where none is given.
     */
    default Network create(Network spec) {
        throw new JpodException(ErrorCode.NOT_IMPLEMENTED, "network backend " + name() + " cannot create networks");
    }

    /** A network by name or ID prefix; NO_SUCH_NETWORK otherwise. */
    default Network inspect(String nameOrId) {
        throw new JpodException(ErrorCode.NO_SUCH_NETWORK, "unable to find network with name or ID " + nameOrId);
    }

    /** Every network defined. */
    default List<Network> list() {
        return List.of();
    }

    /** Removes a network's definition; the engine checks first that no container uses it. */
    default void remove(String name) {
        throw new JpodException(ErrorCode.NOT_IMPLEMENTED, "network backend " + name() + " cannot remove networks");
    }

    /**
     * Attaches a running container's namespace to one more network, on the next free interface, with
     * the options {@code ctr}'s config holds for that network (as {@link #setup}).
     *
     * @return the addresses given on it
     */
    default List<String> connect(Container ctr, String netNsPath, String network) {
        throw new JpodException(ErrorCode.NOT_IMPLEMENTED, "network backend " + name()
                + " cannot connect running containers");
    }

    /** Detaches a running container's namespace from one network; idempotent. */
    default void disconnect(Container ctr, String netNsPath, String network) {
        throw new JpodException(ErrorCode.NOT_IMPLEMENTED, "network backend " + name()
                + " cannot disconnect running containers");
    }

    /** The name of the network a container joins when it names none. */
    default String defaultNetwork() {
        return "";
    }

    /** Per network, the addresses (CIDR notation) the container has now; empty when it is not set up. */
    default Map<String, List<String>> addresses(Container ctr) {
        return Map.of();
    }

    /**
     * Per network, the container's interface now: its name, addresses, gateway and MAC address. The
     * default has the addresses only.
     */
    default Map<String, NetworkAttachment> attachments(Container ctr) {
        Map<String, NetworkAttachment> out = new java.util.LinkedHashMap<>();
        addresses(ctr).forEach((net, addrs) -> out.put(net, new NetworkAttachment(net, "", addrs, "", "")));
        return out;
    }

    @Override
    void close();
}
