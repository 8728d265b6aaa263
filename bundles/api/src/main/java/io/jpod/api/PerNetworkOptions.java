package io.jpod.api;

import java.util.List;

/**
 * What a container asks of one network it joins, as libpod's types.PerNetworkOptions: a static
 * address, a static MAC address and more names; the network's IPAM picks the address when none is given.
 *
 * @param staticIps static addresses (no prefix length), e.g. {@code 10.90.0.5}; empty to let IPAM pick
 * @param staticMac the MAC address of the container's interface on the network, e.g.
 *                  {@code 02:42:0a:5a:00:05}; null for a random one
 * @param aliases   more names its peers on the network know it by (compose's service names), beside its name
 */
public record PerNetworkOptions(List<String> staticIps, String staticMac, List<String> aliases) {
    /** Nothing asked for. */
    public static final PerNetworkOptions NONE = new PerNetworkOptions(List.of(), null, List.of());

    public PerNetworkOptions {
        staticIps = staticIps == null ? List.of() : List.copyOf(staticIps);
        staticMac = staticMac == null || staticMac.isBlank() ? null : staticMac.strip();
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
    }

    /** An address and a MAC address, no aliases (as stored before aliases). */
    public PerNetworkOptions(List<String> staticIps, String staticMac) {
        this(staticIps, staticMac, List.of());
    }

    /** True when neither an address, a MAC address nor an alias is asked for. */
    public boolean isEmpty() {
        return staticIps.isEmpty() && staticMac == null && aliases.isEmpty();
    }
}
