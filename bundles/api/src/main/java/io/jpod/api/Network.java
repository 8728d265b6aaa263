package io.jpod.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A network containers join, as libpod's types.Network.
 *
 * @param name             its unique name
 * @param id               64 hex digits
 * @param driver           {@code bridge} or {@code macvlan}
 * @param networkInterface the bridge (or the macvlan parent) on the host
 * @param created          when it was made
 * @param subnets          its subnets; empty for one the backend picks at creation
 * @param internal         no route out of the network (no masquerading, no default route)
 * @param labels           labels
 * @param options          driver options, e.g. {@code mtu}
 */
public record Network(String name, String id, String driver, String networkInterface, Instant created,
        List<Subnet> subnets, boolean internal, Map<String, String> labels, Map<String, String> options) {

    public Network {
        driver = driver == null || driver.isEmpty() ? "bridge" : driver;
        subnets = subnets == null ? List.of() : List.copyOf(subnets);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        options = options == null ? Map.of() : Map.copyOf(options);
    }

    /**
     * @param subnet  CIDR, e.g. {@code 10.91.0.0/24}
     * @param gateway the gateway's address; the first host when null
     * @param ipRange a CIDR inside the subnet to take addresses from, or null for all of it
     */
    public record Subnet(String subnet, String gateway, String ipRange) {
    }
}
