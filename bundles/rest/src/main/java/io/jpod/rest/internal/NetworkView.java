package io.jpod.rest.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpod.api.Container;
import io.jpod.api.Network;
import io.jpod.api.net.AddressFormatException;
import io.jpod.api.net.Ipv4Subnet;
import java.util.Map;

/** A network as JSON: Docker's shape and libpod's, each built here once. */
final class NetworkView {
    private final Shapes shapes;

    NetworkView(Shapes shapes) {
        this.shapes = shapes;
    }

    /** Docker's shape; {@code members} are the containers on it with their IPv4 address (CIDR). */
    ObjectNode docker(Network n, boolean isDefault, Map<Container, String> members) {
        ObjectNode o = shapes.object();
        o.put("Name", isDefault ? "bridge" : n.name());
        o.put("Id", n.id());
        o.put("Created", Shapes.time(n.created()));
        o.put("Scope", "local");
        o.put("Driver", n.driver());
        o.put("EnableIPv6", false);
        ObjectNode ipam = o.putObject("IPAM");
        ipam.put("Driver", "default");
        ipam.putNull("Options");
        ArrayNode conf = ipam.putArray("Config");
        for (Network.Subnet s : n.subnets()) {
            ObjectNode c = conf.addObject();
            c.put("Subnet", s.subnet());
            if (s.gateway() != null) {
                c.put("Gateway", s.gateway());
            }
            if (s.ipRange() != null) {
                c.put("IPRange", s.ipRange());
            }
        }
        o.put("Internal", n.internal());
        o.put("Attachable", false);
        o.put("Ingress", false);
        o.putObject("ConfigFrom").put("Network", "");
        o.put("ConfigOnly", false);
        ObjectNode ctrs = o.putObject("Containers");
        members.forEach((c, address) -> {
            ObjectNode x = ctrs.putObject(c.id());
            x.put("Name", c.name());
            x.put("EndpointID", "");
            x.put("MacAddress", "");
            x.put("IPv4Address", address);
            x.put("IPv6Address", "");
        });
        ObjectNode opts = o.putObject("Options");
        // only what its creator gave, as Docker's: compose recreates a network whose Options hold more than its file
        n.options().forEach(opts::put);
        o.set("Labels", shapes.map(n.labels()));
        return o;
    }

    /** Docker's host and none networks, which have no definition. */
    ObjectNode special(String name) {
        ObjectNode o = shapes.object();
        o.put("Name", name);
        o.put("Id", id(name));
        o.put("Created", Shapes.ZERO_TIME);
        o.put("Scope", "local");
        o.put("Driver", name.equals("host") ? "host" : "null");
        o.put("EnableIPv6", false);
        ObjectNode ipam = o.putObject("IPAM");
        ipam.put("Driver", "default");
        ipam.putNull("Options");
        ipam.putArray("Config");
        o.put("Internal", false);
        o.put("Attachable", false);
        o.put("Ingress", false);
        o.putObject("ConfigFrom").put("Network", "");
        o.put("ConfigOnly", false);
        o.putObject("Containers");
        o.putObject("Options");
        o.putObject("Labels");
        return o;
    }

    /** libpod's shape. */
    ObjectNode libpod(Network n) {
        ObjectNode o = shapes.object();
        o.put("name", n.name());
        o.put("id", n.id());
        o.put("driver", n.driver());
        o.put("network_interface", n.networkInterface());
        o.put("created", Shapes.time(n.created()));
        ArrayNode subnets = o.putArray("subnets");
        for (Network.Subnet s : n.subnets()) {
            ObjectNode x = subnets.addObject();
            x.put("subnet", s.subnet());
            if (s.gateway() != null) {
                x.put("gateway", s.gateway());
            }
            if (s.ipRange() != null) {
                // as podman shows --ip-range: the first host and the last address
                Ipv4Subnet range = ipv4Subnet(s.ipRange());
                if (range != null) {
                    x.putObject("lease_range").put("start_ip", range.network().next().toString())
                            .put("end_ip", range.broadcast().toString());
                }
            }
        }
        o.put("ipv6_enabled", false);
        o.put("internal", n.internal());
        o.put("dns_enabled", false);
        // omitted when empty, as podman's omitempty
        if (!n.labels().isEmpty()) {
            o.set("labels", shapes.map(n.labels()));
        }
        if (!n.options().isEmpty()) {
            o.set("options", shapes.map(n.options()));
        }
        o.putObject("ipam_options").put("driver", "host-local");
        return o;
    }

    /** A stable ID for Docker's host and none networks. */
    static String id(String name) {
        try {
            byte[] h = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(("jpod-network-" + name).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(h);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A stored IPv4 CIDR, or null for anything else (an IPv6 one). */
    private static Ipv4Subnet ipv4Subnet(String cidr) {
        try {
            return Ipv4Subnet.parse(cidr);
        } catch (AddressFormatException e) {
            return null;
        }
    }
}
