package io.jpod.rest.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpod.api.Container;
import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.api.Network;
import io.jpod.api.PerNetworkOptions;
import io.jpod.api.net.AddressFormatException;
import io.jpod.api.net.Ipv4Address;
import io.jpod.api.net.Ipv4Subnet;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Networks in both shapes. Docker's {@code bridge} is jpod's default network; {@code host} and
 * {@code none} are listed for Docker's clients as Docker lists them.
 */
final class NetworksApi {
    private final Services services;
    private final Shapes shapes;
    private final NetworkView view;

    NetworksApi(Services services, Shapes shapes) {
        this.services = services;
        this.shapes = shapes;
        this.view = new NetworkView(shapes);
    }

    void register(Router docker, Router libpod) {
        docker.add("GET", "/networks", x -> {
            EngineServices e = services.engine();
            ArrayNode a = shapes.array();
            for (Network n : filtered(x, e.networks().networks())) {
                a.add(dockerNetwork(e, n, false));
            }
            for (String special : List.of("host", "none")) {
                if (specialMatches(x, special)) {
                    a.add(view.special(special));
                }
            }
            x.json(200, a);
        });
        docker.add("GET", "/networks/{id}", x -> {
            EngineServices e = services.engine();
            String id = x.param("id");
            if (id.equals("host") || id.equals("none")) {
                x.json(200, view.special(id));
                return;
            }
            Network n = find(e, id);
            x.json(200, dockerNetwork(e, n, true));
        });
        docker.add("POST", "/networks/create", x -> {
            JsonNode b = Inputs.requireObject(x.body());
            List<Network.Subnet> subnets = new ArrayList<>();
            for (JsonNode c : b.path("IPAM").path("Config")) {
                subnets.add(new Network.Subnet(c.path("Subnet").asText(null), c.path("Gateway").asText(null),
                        c.path("IPRange").asText(null)));
            }
            String name = b.path("Name").asText("");
            if (name.isEmpty()) {
                throw ApiException.badRequest("Name is required: name the network");
            }
            Network n = services.networks().createNetwork(new Network(name, null, b.path("Driver").asText("bridge"),
                    null, null, subnets, b.path("Internal").asBoolean(false),
                    Inputs.stringMap(b.get("Labels"), "Labels"), options(b.get("Options"))));
            ObjectNode o = shapes.object();
            o.put("Id", n.id());
            o.put("Warning", "");
            x.json(201, o);
        });
        docker.add("DELETE", "/networks/{id}", x -> {
            EngineServices e = services.engine();
            e.networks().removeNetwork(find(e, x.param("id")).name(), false);
            x.empty(204);
        });
        docker.add("POST", "/networks/prune", x -> {
            ObjectNode o = shapes.object();
            o.set("NetworksDeleted", shapes.strings(prune(x)));
            x.json(200, o);
        });
        for (Router r : List.of(docker, libpod)) {
            r.add("POST", "/networks/{id}/connect", x -> {
                EngineServices e = services.engine();
                JsonNode b = Inputs.requireObject(x.body());
                String ctr = b.path("Container").asText(b.path("container").asText(""));
                if (ctr.isEmpty()) {
                    throw ApiException.badRequest("Container is required: name the container to connect");
                }
                PerNetworkOptions opts = b.has("EndpointConfig") ? EndpointOptions.docker(b.get("EndpointConfig"))
                        : EndpointOptions.libpod(b);
                e.networks().connectNetwork(ctr, find(e, x.param("id")).name(), opts);
                x.empty(200);
            });
            r.add("POST", "/networks/{id}/disconnect", x -> {
                EngineServices e = services.engine();
                JsonNode b = Inputs.requireObject(x.body());
                String ctr = b.path("Container").asText(b.path("container").asText(""));
                if (ctr.isEmpty()) {
                    throw ApiException.badRequest("Container is required: name the container to disconnect");
                }
                e.networks().disconnectNetwork(ctr, find(e, x.param("id")).name());
                x.empty(200);
            });
        }

        libpod.add("GET", "/networks/json", x -> {
            EngineServices e = services.engine();
            ArrayNode a = shapes.array();
            for (Network n : filtered(x, e.networks().networks())) {
                a.add(view.libpod(n));
            }
            x.json(200, a);
        });
        libpod.add("GET", "/networks/{id}/json", x -> x.json(200, view.libpod(find(services.engine(), x.param("id")))));
        libpod.add("GET", "/networks/{id}/exists", x -> {
            find(services.engine(), x.param("id"));
            x.empty(204);
        });
        libpod.add("POST", "/networks/create", x -> {
            JsonNode b = Inputs.requireObject(x.body());
            List<Network.Subnet> subnets = new ArrayList<>();
            for (JsonNode s : b.path("subnets")) {
                String range = null;
                JsonNode lease = s.path("lease_range");
                if (lease.hasNonNull("start_ip") || lease.hasNonNull("end_ip")) {
                    range = leaseCidr(lease.path("start_ip").asText(""), lease.path("end_ip").asText(""));
                } else if (s.hasNonNull("ip_range")) {
                    range = s.get("ip_range").asText();
                }
                subnets.add(new Network.Subnet(s.path("subnet").asText(null), s.path("gateway").asText(null), range));
            }
            String name = b.path("name").asText("");
            if (RESERVED.contains(name)) {
                throw ApiException.badRequest("cannot create network with name \"" + name
                        + "\" because it conflicts with a valid network mode");
            }
            Network n = services.networks().createNetwork(new Network(name, null,
                    b.path("driver").asText("bridge"), b.path("network_interface").asText(null), null, subnets,
                    b.path("internal").asBoolean(false), Inputs.stringMap(b.get("labels"), "labels"),
                    options(b.get("options"))));
            x.json(200, view.libpod(n));
        });
        libpod.add("DELETE", "/networks/{id}", x -> {
            EngineServices e = services.engine();
            Network n = find(e, x.param("id"));
            e.networks().removeNetwork(n.name(), x.bool("force", false));
            ArrayNode a = shapes.array();
            a.addObject().put("Name", n.name()).putNull("Err");
            x.json(200, a);
        });
        libpod.add("POST", "/networks/prune", x -> {
            ArrayNode a = shapes.array();
            for (String n : prune(x)) {
                a.addObject().put("Name", n).putNull("Error");
            }
            x.json(200, a);
        });
    }

    /** Names podman keeps for network modes. */
    private static final List<String> RESERVED = List.of("none", "host", "bridge", "private", "slirp4netns",
            "container", "ns");

    /**
     * libpod's lease_range as the CIDR jpod keeps: podman's --ip-range sends the first host and the last
     * address of a CIDR; other ranges are refused.
     */
    static String leaseCidr(String start, String end) {
        Ipv4Address a;
        Ipv4Address b;
        try {
            a = Ipv4Address.parse(start);
            b = Ipv4Address.parse(end);
        } catch (AddressFormatException e) {
            if (e.leadingZero()) {
                throw ApiException.badRequest("lease_range " + start + " - " + end + ": " + e.getMessage());
            }
            throw notACidrBlock(start, end);
        }
        Ipv4Subnet s = Ipv4Subnet.smallestContaining(a, b);
        boolean first = a.equals(s.network()) || a.value() == s.network().value() + 1;
        boolean last = b.equals(s.broadcast()) || b.value() == s.broadcast().value() - 1;
        if (a.compareTo(b) > 0 || !first || !last) {
            throw notACidrBlock(start, end);
        }
        return s.toString();
    }

    private static ApiException notACidrBlock(String start, String end) {
        return ApiException.badRequest("lease_range " + start + " - " + end + " is not a CIDR block: jpod takes "
                + "address ranges as CIDRs (--ip-range 10.89.0.128/25)");
    }

    private static Map<String, String> options(JsonNode n) {
        return Inputs.stringMap(n, "options");
    }

    /** Docker's name for the default network is {@code bridge}. */
    private static Network find(EngineServices e, String id) {
        try {
            return e.networks().network(id.equals("bridge") ? e.networks().defaultNetwork() : id);
        } catch (JpodException notThere) {
            if (JpodException.is(notThere, ErrorCode.NO_SUCH_NETWORK)) {
                throw ApiException.notFound("network " + id + " not found");
            }
            throw notThere;
        }
    }

    private List<Network> filtered(Exchange x, List<Network> all) {
        JsonNode f = Filters.parse(x.query("filters"), x.json);
        List<Network> out = new ArrayList<>();
        for (Network n : all) {
            boolean ok = true;
            for (Iterator<Map.Entry<String, JsonNode>> it = f.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                List<String> vals = Filters.values(e.getValue());
                ok &= switch (e.getKey()) {
                    case "name" -> vals.stream().anyMatch(v -> n.name().contains(v));
                    case "id" -> vals.stream().anyMatch(v -> n.id().startsWith(v));
                    case "driver" -> vals.contains(n.driver());
                    case "label" -> vals.stream().anyMatch(v -> {
                        int eq = v.indexOf('=');
                        return eq < 0 ? n.labels().containsKey(v) : v.substring(eq + 1).equals(n.labels().get(v.substring(0, eq)));
                    });
                    case "type" -> vals.contains("custom") != n.name().equals(services.networks().defaultNetwork());
                    case "dangling" -> {
                        if (vals.size() != 1 || !List.of("true", "false", "1", "0").contains(vals.get(0))) {
                            throw ApiException.badRequest("invalid dangling filter value \"" + String.join(",", vals)
                                    + "\"");
                        }
                        boolean want = vals.get(0).equals("true") || vals.get(0).equals("1");
                        yield dangling(services.engine(), n) == want;
                    }
                    default -> throw ApiException.badRequest("invalid filter " + e.getKey()
                            + ": jpod filters networks by name, id, driver, label and type");
                };
            }
            if (ok) {
                out.add(n);
            }
        }
        return out;
    }

    /** Docker's host and none networks against the same filters. */
    private static boolean specialMatches(Exchange x, String name) {
        JsonNode f = Filters.parse(x.query("filters"), x.json);
        for (Iterator<Map.Entry<String, JsonNode>> it = f.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            List<String> vals = Filters.values(e.getValue());
            boolean ok = switch (e.getKey()) {
                case "name" -> vals.stream().anyMatch(name::contains);
                case "id" -> vals.stream().anyMatch(v -> NetworkView.id(name).startsWith(v));
                case "driver" -> vals.contains(name.equals("host") ? "host" : "null");
                case "type" -> vals.contains("builtin");
                default -> false;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Neither the default network nor one that a container joins. */
    private static boolean dangling(EngineServices e, Network n) {
        if (n.name().equals(e.networks().defaultNetwork())) {
            return false;
        }
        for (Container c : e.containers().containers(c -> true)) {
            if (c.config().networks().contains(n.name())) {
                return false;
            }
        }
        return true;
    }

    /** Removes every network but the default that no container joins and that the filters (label, until) select. */
    private List<String> prune(Exchange x) {
        EngineServices e = services.engine();
        JsonNode f = Filters.parse(x.query("filters"), x.json);
        List<java.util.function.Predicate<Network>> wanted = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = f.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> en = it.next();
            for (String v : Filters.values(en.getValue())) {
                switch (en.getKey()) {
                    case "label" -> wanted.add(n -> Filters.label(n.labels(), v));
                    case "label!" -> wanted.add(n -> !Filters.label(n.labels(), v));
                    case "until" -> {
                        java.util.function.Predicate<java.time.Instant> before = Filters.until(v);
                        wanted.add(n -> before.test(n.created()));
                    }
                    default -> throw ApiException.badRequest(en.getKey() + " is an invalid filter");
                }
            }
        }
        List<String> removed = new ArrayList<>();
        for (Network n : e.networks().networks()) {
            if (n.name().equals(e.networks().defaultNetwork()) || !wanted.stream().allMatch(w -> w.test(n))) {
                continue;
            }
            try {
                e.networks().removeNetwork(n.name(), false);
                removed.add(n.name());
            } catch (JpodException inUse) {
                // used by a container: kept
            }
        }
        return removed;
    }

    private ObjectNode dockerNetwork(EngineServices e, Network n, boolean withContainers) {
        Map<Container, String> members = new java.util.LinkedHashMap<>();
        if (withContainers) {
            for (Container c : e.containers().containers(c -> true)) {
                List<String> addrs = e.networks().networkAddresses(c.id()).get(n.name());
                if (addrs != null && !addrs.isEmpty()) {
                    members.put(c, addrs.get(0));
                }
            }
        }
        return view.docker(n, n.name().equals(e.networks().defaultNetwork()), members);
    }
}
