package io.jpod.api;

import java.util.List;

/**
 * What a container asks of one network it joins, as libpod's types.PerNetworkOptions: a static
 * address and a static MAC address; the network's IPAM picks when none is given.
 *
 * @param staticIps static addresses (no prefix length), e.g. {@code 10.90.0.5}; empty to let IPAM pick
 * @param staticMac the MAC address of the container's interface on the network, e.g.
 *                  {@code 02:42:0a:5a:00:05}; null for a random one
 */
public record PerNetworkOptions(List<String> staticIps, String staticMac) {
    /** Nothing asked for. */
    public static final PerNetworkOptions NONE = new PerNetworkOptions(List.of(), null);

    public PerNetworkOptions {
        staticIps = staticIps == null ? List.of() : List.copyOf(staticIps);
        staticMac = staticMac == null || staticMac.isBlank() ? null : staticMac.strip();
    }

    /** True when neither an address nor a MAC address is asked for. */
    public boolean isEmpty() {
        return staticIps.isEmpty() && staticMac == null;
    }
}
