package io.jpod.rest.internal;

import static io.jpod.rest.internal.CreateFields.bool;
import static io.jpod.rest.internal.CreateFields.objects;
import static io.jpod.rest.internal.CreateFields.stringMap;
import static io.jpod.rest.internal.CreateFields.strings;
import static io.jpod.rest.internal.CreateFields.text;
import static io.jpod.rest.internal.Inputs.emptyToNull;
import static io.jpod.rest.internal.Inputs.expect;
import static io.jpod.rest.internal.Inputs.requireObject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import io.jpod.api.PerNetworkOptions;
import io.jpod.api.PodSpec;
import io.jpod.api.PortMapping;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * libpod's pod create request (specgen's PodSpecGenerator) read into a {@link PodSpec}. Fields jpod does not
 * support are refused by name when they ask for anything (podman's client sends many of them empty).
 */
final class PodCreateRequest {
    /** The fields read; every other one must be empty (null, false, 0, "", [] or {} all through). */
    private static final Set<String> READ = Set.of("name", "hostname", "labels", "shared_namespaces", "no_infra",
            "pod_create_command", "portmappings", "Networks", "networks", "netns", "exit_policy", "share_parent",
            "pidns", "utsns", "userns", "idmappings", "dns_server", "dns_search", "dns_option");
    /** What a pod's infra container may ask of the network it joins: a static address and MAC address. */
    private static final Set<String> NETWORK_OPTIONS = Set.of("static_ips", "static_mac");

    private PodCreateRequest() {
    }

    static PodSpec read(JsonNode body) {
        return read(body, "default");
    }

    /**
     * @param defaultNetwork the engine's default network, which podman's client names {@code default} (and
     *                       {@code bridge}) for {@code --ip} and {@code --mac-address} without {@code --network}
     */
    static PodSpec read(JsonNode body, String defaultNetwork) {
        JsonNode b = requireObject(body);
        for (Iterator<Map.Entry<String, JsonNode>> it = b.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> f = it.next();
            if (!READ.contains(f.getKey()) && !empty(f.getValue())) {
                throw ApiException.badRequest("pod field " + f.getKey() + " is not supported by jpod: create the "
                        + "pod without it");
            }
        }
        for (String f : List.of("netns", "pidns", "utsns", "userns", "Networks", "networks", "labels")) {
            expect(b, "", f, JsonNodeType.OBJECT);
        }
        String exitPolicy = text(b, "", "exit_policy");
        if (!exitPolicy.isEmpty() && !exitPolicy.equals("continue")) {
            throw ApiException.badRequest("exit_policy " + exitPolicy + " is not supported by jpod: use continue");
        }
        // jpod's pods have no cgroup parent of their own: whether members would share it changes nothing
        bool(b, "", "share_parent");
        mode(b, "pidns", Set.of("", "private"));
        mode(b, "utsns", Set.of("", "private"));
        mode(b, "userns", Set.of("", "host"));
        JsonNode idm = b.get("idmappings");
        if (idm != null && !idm.isNull()) {
            expect(b, "", "idmappings", JsonNodeType.OBJECT);
            boolean host = idm.path("HostUIDMapping").asBoolean(true) && idm.path("HostGIDMapping").asBoolean(true);
            if (!host || !empty(idm.get("UIDMap")) || !empty(idm.get("GIDMap")) || idm.path("AutoUserNs").asBoolean()) {
                throw ApiException.badRequest("idmappings (--uidmap, --gidmap, --userns) are not supported by jpod "
                        + "for pods");
            }
        }
        String netMode = mode(b, "netns", Set.of("", "bridge", "default", "private", "host", "none"));
        netMode = switch (netMode) {
            case "", "default", "private" -> "bridge";
            default -> netMode;
        };
        List<String> networks = new ArrayList<>();
        Map<String, PerNetworkOptions> options = new LinkedHashMap<>();
        for (String key : List.of("Networks", "networks")) {
            JsonNode nets = b.get(key);
            if (nets == null || nets.isNull()) {
                continue;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = nets.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> n = it.next();
                JsonNode opts = n.getValue();
                if (opts != null && opts.isObject()) {
                    for (Iterator<Map.Entry<String, JsonNode>> o = opts.fields(); o.hasNext();) {
                        Map.Entry<String, JsonNode> opt = o.next();
                        if (!NETWORK_OPTIONS.contains(opt.getKey()) && !empty(opt.getValue())) {
                            throw ApiException.badRequest(key + "." + n.getKey() + "." + opt.getKey()
                                    + " is not supported by jpod for pods: join the network without it");
                        }
                    }
                }
                boolean byDefault = n.getKey().equals("default") || n.getKey().equals("bridge");
                String name = byDefault ? defaultNetwork : n.getKey();
                PerNetworkOptions o = EndpointOptions.libpod(opts);
                if (!o.isEmpty()) {
                    options.put(name, o);
                }
                if (!byDefault && !networks.contains(name)) {
                    networks.add(name);
                }
            }
        }
        if (!networks.isEmpty() && !netMode.equals("bridge")) {
            throw ApiException.badRequest("networks can be joined only with netns bridge, not " + netMode);
        }
        List<PortMapping> ports = new ArrayList<>();
        List<JsonNode> given = objects(b, "portmappings");
        for (int i = 0; i < given.size(); i++) {
            ports.addAll(LibpodCreateRequest.portMapping(given.get(i), "portmappings[" + i + "]."));
        }
        if (!ports.isEmpty() && !netMode.equals("bridge")) {
            throw ApiException.badRequest("ports can be published only with netns bridge, not " + netMode);
        }
        JsonNode share = b.get("shared_namespaces");
        List<String> shared = share == null || share.isNull() ? null : strings(share, "shared_namespaces");
        return new PodSpec(emptyToNull(text(b, "", "name")), stringMap(b.get("labels"), "labels"),
                emptyToNull(text(b, "", "hostname")), shared, !bool(b, "", "no_infra"), ports, networks, netMode,
                strings(b.get("pod_create_command"), "pod_create_command"), DnsFields.pod(b), options);
    }

    /** A namespace's nsmode, which must be one of {@code allowed}. */
    private static String mode(JsonNode b, String field, Set<String> allowed) {
        JsonNode ns = b.path(field);
        String mode = ns.isObject() ? text(ns, field + ".", "nsmode") : "";
        if (!allowed.contains(mode)) {
            throw ApiException.badRequest(field + " mode " + mode + " is not supported by jpod for pods: use "
                    + String.join(" or ", allowed.stream().filter(s -> !s.isEmpty()).sorted().toList()));
        }
        String value = ns.isObject() ? text(ns, field + ".", "value") : "";
        if (!value.isEmpty()) {
            throw ApiException.badRequest(field + ".value is not supported by jpod for pods");
        }
        return mode;
    }

    /** Whether a field asks for nothing: null, false, 0, "" or a list or object of such only. */
    static boolean empty(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return true;
        }
        if (n.isBoolean()) {
            return !n.asBoolean();
        }
        if (n.isNumber()) {
            return n.asDouble() == 0;
        }
        if (n.isTextual()) {
            return n.asText().isEmpty();
        }
        for (JsonNode e : n) {
            if (!empty(e)) {
                return false;
            }
        }
        return true;
    }
}
