package io.jpod.rest.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;

/**
 * The networks a container can be given today: Docker's {@code bridge} (jpod's default CNI network),
 * {@code host} and {@code none}. Named networks come with the network commands; until then creating
 * one is answered with a clear error, and prune has nothing to remove.
 */
final class NetworksApi {
    private static final List<String> NAMES = List.of("bridge", "host", "none");

    private final Services services;
    private final Shapes shapes;

    NetworksApi(Services services, Shapes shapes) {
        this.services = services;
        this.shapes = shapes;
    }

    void register(Router docker, Router libpod) {
        docker.add("GET", "/networks", x -> {
            services.engine();
            ArrayNode a = shapes.array();
            NAMES.forEach(n -> a.add(network(n)));
            x.json(200, a);
        });
        docker.add("GET", "/networks/{id}", x -> {
            services.engine();
            String id = x.param("id");
            String name = NAMES.contains(id) ? id : NAMES.stream().filter(n -> idOf(n).startsWith(id)).findFirst()
                    .orElseThrow(() -> ApiException.notFound("network " + id + " not found"));
            x.json(200, network(name));
        });
        docker.add("POST", "/networks/create", x -> {
            throw new ApiException(501, "creating networks is not supported yet: containers use bridge (jpod's "
                    + "default network), host or none");
        });
        docker.add("POST", "/networks/prune", x -> {
            ObjectNode o = shapes.object();
            o.set("NetworksDeleted", shapes.array());
            x.json(200, o);
        });
        for (Router r : List.of(docker, libpod)) {
            r.add("POST", "/volumes/prune", this::noVolumes);
        }
    }

    private void noVolumes(Exchange x) throws IOException {
        if (x.libpod) {
            x.json(200, shapes.array());
            return;
        }
        ObjectNode o = shapes.object();
        o.set("VolumesDeleted", shapes.array());
        o.put("SpaceReclaimed", 0);
        x.json(200, o);
    }

    /** A stable ID per name, as Docker's 64 hex digits. */
    static String idOf(String name) {
        try {
            byte[] h = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(("jpod-network-" + name).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(h);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private ObjectNode network(String name) {
        ObjectNode o = shapes.object();
        o.put("Name", name);
        o.put("Id", idOf(name));
        o.put("Created", Shapes.ZERO_TIME);
        o.put("Scope", "local");
        o.put("Driver", name.equals("bridge") ? "bridge" : name.equals("host") ? "host" : "null");
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
}
