package io.jpod.rest.internal;

import static io.jpod.rest.internal.CreateFields.bool;
import static io.jpod.rest.internal.CreateFields.int32;
import static io.jpod.rest.internal.CreateFields.integer;
import static io.jpod.rest.internal.CreateFields.objects;
import static io.jpod.rest.internal.CreateFields.stringMap;
import static io.jpod.rest.internal.CreateFields.strings;
import static io.jpod.rest.internal.CreateFields.text;
import static io.jpod.rest.internal.CreateSpecs.containerPort;
import static io.jpod.rest.internal.CreateSpecs.freePort;
import static io.jpod.rest.internal.Inputs.emptyToNull;
import static io.jpod.rest.internal.Inputs.expect;
import static io.jpod.rest.internal.Inputs.requireObject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import io.jpod.api.ContainerConfig;
import io.jpod.api.ContainerSecurity;
import io.jpod.api.Mount;
import io.jpod.api.PerNetworkOptions;
import io.jpod.api.PortMapping;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** libpod's create request (specgen's SpecGenerator) read into a container's config. */
final class LibpodCreateRequest {
    private LibpodCreateRequest() {
    }

    static ContainerConfig.Builder read(Exchange x, CreateSpecs.Lookups lookups) throws IOException {
        JsonNode b = requireObject(x.body());
        for (String f : List.of("netns", "Networks", "networks")) {
            expect(b, "", f, JsonNodeType.OBJECT);
        }
        for (String f : List.of("mounts", "volumes", "anonymous_volumes", "portmappings")) {
            expect(b, "", f, JsonNodeType.ARRAY);
        }
        String image = text(b, "", "image");
        String rootfs = text(b, "", "rootfs");
        if (image.isEmpty() && rootfs.isEmpty()) {
            throw ApiException.badRequest("image or rootfs is required: name the image to create the container from");
        }
        Map<String, String> envMap = stringMap(b.get("env"), "env");
        List<String> env = new ArrayList<>();
        envMap.forEach((k, v) -> env.add(k + "=" + v));
        ContainerConfig.Builder spec = ContainerConfig.builder().name(emptyToNull(text(b, "", "name")))
                .image(emptyToNull(image)).rootfs(emptyToNull(rootfs))
                .command(strings(b.get("command"), "command")).entrypoint(strings(b.get("entrypoint"), "entrypoint"))
                .env(env).workingDir(emptyToNull(text(b, "", "work_dir")))
                .user(emptyToNull(text(b, "", "user"))).hostname(emptyToNull(text(b, "", "hostname")))
                .labels(stringMap(b.get("labels"), "labels")).annotations(stringMap(b.get("annotations"), "annotations"))
                .terminal(bool(b, "", "terminal")).stdin(bool(b, "", "stdin")).autoRemove(bool(b, "", "remove"))
                .pod(emptyToNull(text(b, "", "pod")));
        JsonNode signal = b.get("stop_signal");
        if (signal != null && !signal.isNull()) {
            spec.stopSignal(signal.isTextual() ? CreateFields.signal(signal.asText(), "stop_signal")
                    : int32(b, "", "stop_signal", 15));
        }
        if (b.hasNonNull("stop_timeout")) {
            spec.stopTimeout(integer(b, "", "stop_timeout", Long.MIN_VALUE, Long.MAX_VALUE, 0));
        }
        spec.healthcheck(HealthcheckRequest.libpod(b));
        List<Mount> mounts = new ArrayList<>();
        Map<String, String> tmpfs = new LinkedHashMap<>();
        List<JsonNode> given = objects(b, "mounts");
        for (int i = 0; i < given.size(); i++) {
            JsonNode m = given.get(i);
            String at = "mounts[" + i + "].";
            String type = text(m, at, "type");
            if (type.equals("tmpfs")) {
                // podman's --tmpfs
                tmpfs.put(text(m, at, "destination"), String.join(",", strings(m.get("options"), at + "options")));
                continue;
            }
            if (!type.isEmpty() && !type.equals("bind")) {
                throw ApiException.badRequest(at + "type " + type + " is not supported yet: use a bind mount or "
                        + "a volume");
            }
            mounts.add(new Mount("bind", text(m, at, "source"), text(m, at, "destination"),
                    strings(m.get("options"), at + "options")));
        }
        given = objects(b, "volumes");
        for (int i = 0; i < given.size(); i++) {
            JsonNode v = given.get(i);
            String at = "volumes[" + i + "].";
            mounts.add(new Mount("volume", text(v, at, "Name"), text(v, at, "Dest"),
                    strings(v.get("Options"), at + "Options")));
        }
        given = objects(b, "anonymous_volumes");
        for (int i = 0; i < given.size(); i++) {
            JsonNode v = given.get(i);
            String at = "anonymous_volumes[" + i + "].";
            String dest = text(v, at, "Dest");
            mounts.add(new Mount("volume", "", dest.isEmpty() ? text(v, at, "destination") : dest, List.of()));
        }
        spec.mounts(mounts);
        String policy = text(b, "", "restart_policy");
        spec.restartPolicy(policy.isEmpty() ? "no" : policy).restartRetries(int32(b, "", "restart_tries", 0));
        JsonNode ns = b.path("netns");
        String mode = text(ns, "netns.", "nsmode");
        Map<String, PerNetworkOptions> perNet = new LinkedHashMap<>();
        for (String key : List.of("Networks", "networks")) {
            b.path(key).fields().forEachRemaining(e -> perNet.put(e.getKey(), EndpointOptions.libpod(e.getValue())));
        }
        // podman's client names the default network "default" (--ip without --network)
        Map<String, PerNetworkOptions> named = lookups.defaultNamed(perNet);
        spec.networks(List.copyOf(named.keySet())).networkOptions(named);
        List<PortMapping> ports = new ArrayList<>();
        if (bool(b, "", "publish_image_ports") && !image.isEmpty()) {
            for (String key : lookups.imagePorts(image)) {
                String[] port = containerPort(key);
                ports.add(new PortMapping("", freePort(), Integer.parseInt(port[0]), port[1], 1));
            }
        }
        given = objects(b, "portmappings");
        for (int i = 0; i < given.size(); i++) {
            ports.addAll(portMapping(given.get(i), "portmappings[" + i + "]."));
        }
        spec.portMappings(ports);
        String nsValue = text(ns, "netns.", "value");
        spec.networkMode(switch (mode) {
            case "", "bridge", "default", "private" -> "bridge";
            case "none", "host" -> mode;
            case "container" -> "container:" + nsValue;
            case "path" -> "ns:" + nsValue;
            default -> throw ApiException.badRequest("netns mode " + mode + " is not supported: use bridge, none, "
                    + "host, container or path");
        });
        String runtime = text(b, "", "oci_runtime");
        if (!runtime.isEmpty()) {
            spec.ociRuntime(runtime);
        }
        ContainerSecurity security = LimitFields.libpodSecurity(b);
        if (security.readonlyRootfs() && bool(b, "", "read_write_tmpfs")) {
            // podman's --read-only-tmpfs (podman 4.3's client sends these mounts itself): writable /run, /tmp, /var/tmp
            for (String dir : List.of("/run", "/tmp", "/var/tmp")) {
                if (mounts.stream().noneMatch(m -> dir.equals(m.destination()))) {
                    tmpfs.putIfAbsent(dir, "rw,rprivate,nosuid,nodev");
                }
            }
        }
        spec.resources(LimitFields.libpodCreateResources(b)).security(security.toBuilder().tmpfs(tmpfs).build());
        spec.dns(DnsFields.libpod(b));
        return spec;
    }

    /**
     * One of specgen's PortMappings: its ports are uint16 there (a number past that is a type error), 0 host
     * port means a free one, 0 range means one port; a protocol list such as {@code tcp,udp} maps each.
     */
    static List<PortMapping> portMapping(JsonNode p, String at) {
        int containerPort = (int) integer(p, at, "container_port", 0, 65535, 0);
        int hostPort = (int) integer(p, at, "host_port", 0, 65535, 0);
        int range = (int) integer(p, at, "range", 0, 65535, 1);
        String hostIp = text(p, at, "host_ip");
        String protocols = text(p, at, "protocol");
        List<PortMapping> out = new ArrayList<>();
        int free = hostPort == 0 ? freePort() : hostPort;
        for (String protocol : (protocols.isEmpty() ? "tcp" : protocols).split(",", -1)) {
            out.add(new PortMapping(hostIp, free, containerPort, protocol, Math.max(1, range)));
        }
        return out;
    }
}
