package io.jpod.api;

import java.util.List;

/**
 * A container's interface on one network, as the network backend set it up.
 *
 * @param network       the network's name
 * @param interfaceName the interface in the container, e.g. {@code eth0}
 * @param addresses     its addresses in CIDR notation
 * @param gateway       the network's gateway for the first address; empty when it has none
 * @param macAddress    the interface's MAC address; empty when the backend does not know it
 */
public record NetworkAttachment(String network, String interfaceName, List<String> addresses, String gateway,
        String macAddress) {
    public NetworkAttachment {
        interfaceName = interfaceName == null ? "" : interfaceName;
        addresses = addresses == null ? List.of() : List.copyOf(addresses);
        gateway = gateway == null ? "" : gateway;
        macAddress = macAddress == null ? "" : macAddress;
    }
}
