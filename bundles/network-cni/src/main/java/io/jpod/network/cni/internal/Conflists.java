package io.jpod.network.cni.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.api.Network;
import io.jpod.api.net.AddressFormatException;
import io.jpod.api.net.Ipv4Address;
import io.jpod.api.net.Ipv4Subnet;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Networks as conflists: what a conflist says as a {@link Network}, the conflist of a new network, and the
 * checks of a new network's subnets.
 * jpod's own fields (ID, creation time, labels, options, IP range, internal) live in the conflist's
 * top-level {@code args}, which the plugins never see (podman's CNI backend keeps its labels there too).
 */
final class Conflists {
    static final Set<String> OPTIONS = Set.of("mtu", "parent", "mode");

    private Conflists() {
    }

    /** podman's network IDs: the SHA-256 of the name. */
    static String idOf(String name) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(name.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static Network read(String name, JsonNode conf) {
        JsonNode args = conf.path("args");
        JsonNode main = conf.path("plugins").path(0);
        String driver = main.path("type").asText("bridge");
        String iface = driver.equals("bridge") ? main.path("bridge").asText("") : main.path("master").asText("");
        List<Network.Subnet> subnets = new ArrayList<>();
        String ipRange = args.path("jpod_ip_range").asText(null);
        for (JsonNode set : main.path("ipam").path("ranges")) {
            for (JsonNode r : set) {
                subnets.add(new Network.Subnet(r.path("subnet").asText(), r.path("gateway").asText(null), ipRange));
            }
        }
        Instant created = args.hasNonNull("jpod_created") ? Instant.parse(args.get("jpod_created").asText()) : null;
        boolean internal = args.path("jpod_internal").asBoolean(false);
        return new Network(name, idOf(name), driver, iface, created, subnets, internal, strings(args.path("jpod_labels")),
                strings(args.path("jpod_options")));
    }

    private static Map<String, String> strings(JsonNode n) {
        Map<String, String> m = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            m.put(e.getKey(), e.getValue().asText());
        }
        return m;
    }

    /**
     * The conflist of a checked network: a bridge (or macvlan) with host-local IPAM, then portmap,
     * firewall and tuning as podman writes them; an internal network has no gateway route and no
     * masquerading.
     */
    static ObjectNode conflist(ObjectMapper json, Network n, java.nio.file.Path ipamDataDir) {
        ObjectNode conf = json.createObjectNode();
        conf.put("cniVersion", "1.0.0");
        conf.put("name", n.name());
        ObjectNode args = conf.putObject("args");
        args.put("jpod_created", (n.created() == null ? Instant.now() : n.created()).toString());
        args.put("jpod_internal", n.internal());
        ObjectNode labels = args.putObject("jpod_labels");
        n.labels().forEach(labels::put);
        ObjectNode options = args.putObject("jpod_options");
        n.options().forEach(options::put);
        String ipRange = n.subnets().stream().map(Network.Subnet::ipRange).filter(r -> r != null && !r.isEmpty())
                .findFirst().orElse(null);
        if (ipRange != null) {
            args.put("jpod_ip_range", ipRange);
        }
        var plugins = conf.putArray("plugins");
        ObjectNode main = plugins.addObject();
        main.put("type", n.driver());
        if (n.driver().equals("bridge")) {
            main.put("bridge", n.networkInterface());
            main.put("isGateway", !n.internal());
            main.put("ipMasq", !n.internal());
            main.put("hairpinMode", true);
        } else {
            main.put("master", n.networkInterface());
            main.put("mode", n.options().getOrDefault("mode", "bridge"));
        }
        if (n.options().containsKey("mtu")) {
            main.put("mtu", Integer.parseInt(n.options().get("mtu")));
        }
        ObjectNode ipam = main.putObject("ipam");
        ipam.put("type", "host-local");
        if (!n.internal()) {
            ipam.putArray("routes").addObject().put("dst", "0.0.0.0/0");
        }
        var set = ipam.putArray("ranges").addArray();
        for (Network.Subnet s : n.subnets()) {
            ObjectNode r = set.addObject();
            r.put("subnet", s.subnet());
            r.put("gateway", s.gateway());
            if (s.ipRange() != null && !s.ipRange().isEmpty()) {
                Ipv4Subnet range = subnet(s.ipRange());
                r.put("rangeStart", range.firstHost().toString());
                r.put("rangeEnd", range.lastHost().toString());
            }
        }
        ipam.put("dataDir", ipamDataDir.toString());
        if (n.driver().equals("bridge")) {
            ObjectNode portmap = plugins.addObject();
            portmap.put("type", "portmap");
            portmap.putObject("capabilities").put("portMappings", true);
            plugins.addObject().put("type", "firewall");
        }
        plugins.addObject().put("type", "tuning");
        return conf;
    }

    /**
     * A bridge network's conflist as podman writes it: bridge with host-local IPAM (gateway the subnet's
     * first host, default route), portmap, firewall and tuning.
     */
    static ObjectNode bridgeConflist(ObjectMapper json, String network, String bridge, String subnet,
            java.nio.file.Path ipamDataDir) {
        Ipv4Subnet s = subnet(subnet);
        if (s.prefixLength() > 30) {
            throw new JpodException(ErrorCode.INVALID_ARG, "subnet " + subnet + " is too small for a bridge network:"
                    + " give a prefix length of 30 or less");
        }
        Network n = new Network(network, idOf(network), "bridge", bridge, null,
                List.of(new Network.Subnet(s.toString(), s.gateway().toString(), null)), false, Map.of(), Map.of());
        return conflist(json, n, ipamDataDir);
    }

    /** Checks a subnet of a new network against the others'; fills in the gateway. */
    static Network.Subnet checkSubnet(Network.Subnet s, Map<String, List<String>> others) {
        Ipv4Subnet subnet = subnet(s.subnet());
        if (subnet.prefixLength() > 30) {
            throw new JpodException(ErrorCode.INVALID_ARG, "subnet " + s.subnet() + " is too small: give a prefix "
                    + "length of 30 or less");
        }
        for (Map.Entry<String, List<String>> o : others.entrySet()) {
            for (String theirs : o.getValue()) {
                if (subnet.overlaps(subnet(theirs))) {
                    throw new JpodException(ErrorCode.INVALID_ARG, "subnet " + subnet + " overlaps with network "
                            + o.getKey() + " (" + theirs + "): choose another subnet");
                }
            }
        }
        Ipv4Address gw = s.gateway() == null || s.gateway().isEmpty() ? subnet.gateway()
                : address("gateway", s.gateway());
        if (!subnet.isHost(gw)) {
            throw new JpodException(ErrorCode.INVALID_ARG, "gateway " + gw + " is not a host address of subnet "
                    + subnet + ": give one inside it");
        }
        Ipv4Subnet range = s.ipRange() == null || s.ipRange().isEmpty() ? null : subnet(s.ipRange());
        if (range != null && (!subnet.contains(range) || range.prefixLength() > 30)) {
            throw new JpodException(ErrorCode.INVALID_ARG, "ip range " + s.ipRange() + " is not inside subnet "
                    + subnet + " (or too small): give a CIDR inside it");
        }
        return new Network.Subnet(subnet.toString(), gw.toString(), range == null ? null : range.toString());
    }

    /**
     * The subnet of a definition or a request (white space around it ignored), host bits cleared.
     *
     * @throws JpodException INVALID_ARG saying what is wrong with it (a leading zero among others)
     */
    static Ipv4Subnet subnet(String cidr) {
        try {
            return Ipv4Subnet.parse(cidr == null ? null : cidr.strip());
        } catch (AddressFormatException e) {
            throw new JpodException(ErrorCode.INVALID_ARG, e.getMessage(), e);
        }
    }

    private static Ipv4Address address(String what, String text) {
        try {
            return Ipv4Address.parse(text.strip());
        } catch (AddressFormatException e) {
            throw new JpodException(ErrorCode.INVALID_ARG, "invalid " + what + ": " + e.getMessage(), e);
        }
    }
}
