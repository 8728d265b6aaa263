package io.jpod.spi.network;

import io.jpod.api.Container;
import io.jpod.api.NetworkAttachment;
import java.util.List;
import java.util.Map;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Containers' attachments to the networks of a {@link NetworkBackend}, as libpod's {@code Setup},
 * {@code Teardown}, {@code NetworkConnect} and {@code NetworkDisconnect}. A container is on the networks
 * its config names ({@link io.jpod.api.ContainerConfig#networks()}), or on
 * {@link NetworkDefinitions#defaultNetwork()} when it names none; the namespace it is attached in is the
 * one the engine made for it.
 */
@ConsumerType
public interface ContainerNetworking {

    /**
     * Attaches the network namespace at {@code netNsPath} to the container's networks, with the static
     * address and MAC address {@link io.jpod.api.ContainerConfig#networkOptions(String)} asks for on
     * each. When one fails (a static address another container holds: INVALID_ARG naming the address),
     * nothing of the attachment is left: no interface, no address reserved, no firewall rule.
     *
     * @return per network, the addresses given (CIDR notation)
     */
    Map<String, List<String>> setup(Container ctr, String netNsPath);

    /** Detaches the container from its networks; idempotent, and done too when the namespace is gone. */
    void teardown(Container ctr, String netNsPath);

    /**
     * Attaches a running container's namespace to one more network, on the next free interface, with
     * the options {@code ctr}'s config holds for that network (as {@link #setup}).
     *
     * @return the addresses given on it
     * @throws io.jpod.api.JpodException INVALID_ARG when it is on that network already, NOT_IMPLEMENTED for a
     *                                   backend that cannot connect running containers
     */
    List<String> connect(Container ctr, String netNsPath, String network);

    /** Detaches a running container's namespace from one network; idempotent. */
    void disconnect(Container ctr, String netNsPath, String network);

    /** Per network, the addresses (CIDR notation) the container has now; empty when it is not set up. */
    Map<String, List<String>> addresses(Container ctr);

    /**
     * Per network, the container's interface now: its name, addresses, gateway and MAC address (empty
     * strings for what the backend does not know); empty when it is not set up.
     */
    Map<String, NetworkAttachment> attachments(Container ctr);
}
