package io.jpod.rest.internal;

import static io.jpod.rest.internal.CreateSpecs.checkedBind;
import static io.jpod.rest.internal.CreateSpecs.containerPort;
import static io.jpod.rest.internal.CreateSpecs.freePort;
import static io.jpod.rest.internal.CreateSpecs.restartPolicy;
import static io.jpod.rest.internal.CreateSpecs.volume;
import static io.jpod.rest.internal.Inputs.emptyToNull;
import static io.jpod.rest.internal.Inputs.expect;
import static io.jpod.rest.internal.Inputs.requireObject;
import static io.jpod.rest.internal.Inputs.stringMap;
import static io.jpod.rest.internal.Inputs.strings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import io.jpod.api.ContainerConfig;
import io.jpod.api.Mount;
import io.jpod.api.PerNetworkOptions;
import io.jpod.api.PortMapping;
import io.jpod.api.Signals;
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
        String image = b.path("image").asText("");
        if (image.isEmpty() && b.path("rootfs").asText("").isEmpty()) {
            throw ApiException.badRequest("image or rootfs is required: name the image to create the container from");
        }
        Map<String, String> envMap = stringMap(b.get("env"), "env");
        List<String> env = new ArrayList<>();
        envMap.forEach((k, v) -> env.add(k + "=" + v));
        ContainerConfig.Builder spec = ContainerConfig.builder().name(emptyToNull(b.path("name").asText("")))
                .image(emptyToNull(image)).rootfs(emptyToNull(b.path("rootfs").asText("")))
                .command(strings(b.get("command"), "command")).entrypoint(strings(b.get("entrypoint"), "entrypoint"))
                .env(env).workingDir(emptyToNull(b.path("work_dir").asText("")))
                .user(emptyToNull(b.path("user").asText(""))).hostname(emptyToNull(b.path("hostname").asText("")))
                .labels(stringMap(b.get("labels"), "labels")).annotations(stringMap(b.get("annotations"), "annotations"))
                .terminal(b.path("terminal").asBoolean(false)).stdin(b.path("stdin").asBoolean(false))
                .autoRemove(b.path("remove").asBoolean(false));
        if (b.hasNonNull("stop_signal")) {
            JsonNode s = b.get("stop_signal");
            spec.stopSignal(s.isNumber() ? s.asInt() : Signals.parse(s.asText()));
        }
        if (b.hasNonNull("stop_timeout")) {
            spec.stopTimeout(b.get("stop_timeout").asLong());
        }
        List<Mount> mounts = new ArrayList<>();
        for (JsonNode m : b.path("mounts")) {
            String type = m.path("type").asText("bind");
            if (!type.equals("bind")) {
                throw ApiException.badRequest("mount type " + type + " is not supported yet: use a bind mount or "
                        + "a volume");
            }
            mounts.add(checkedBind(m.path("source").asText(""), m.path("destination").asText(""),
                    strings(m.get("options"), "mounts.options")));
        }
        for (JsonNode v : b.path("volumes")) {
            mounts.add(volume(v.path("Name").asText(""), v.path("Dest").asText(""),
                    strings(v.get("Options"), "volumes.Options")));
        }
        for (JsonNode v : b.path("anonymous_volumes")) {
            mounts.add(volume("", v.path("Dest").asText(v.path("destination").asText("")), List.of()));
        }
        spec.mounts(mounts);
        String policy = b.path("restart_policy").asText("");
        if (!policy.isEmpty()) {
            spec.restartPolicy(restartPolicy(policy)).restartRetries(b.path("restart_tries").asInt(0));
        }
        JsonNode ns = b.path("netns");
        String mode = ns.path("nsmode").asText("");
        Map<String, PerNetworkOptions> perNet = new LinkedHashMap<>();
        for (String key : List.of("Networks", "networks")) {
            b.path(key).fields().forEachRemaining(e -> perNet.put(e.getKey(), EndpointOptions.libpod(e.getValue())));
        }
        // podman's client names the default network "default" (--ip without --network)
        Map<String, PerNetworkOptions> named = lookups.defaultNamed(perNet);
        spec.networks(List.copyOf(named.keySet())).networkOptions(named);
        List<PortMapping> ports = new ArrayList<>();
        if (b.path("publish_image_ports").asBoolean(false) && !image.isEmpty()) {
            for (String key : lookups.imagePorts(image)) {
                String[] port = containerPort(key);
                ports.add(new PortMapping("", freePort(), Integer.parseInt(port[0]), port[1], 1));
            }
        }
        for (JsonNode p : b.path("portmappings")) {
            int containerPort = p.path("container_port").asInt(0);
            int hostPort = p.path("host_port").asInt(0);
            int range = Math.max(1, p.path("range").asInt(1));
            ports.add(new PortMapping(p.path("host_ip").asText(""), hostPort == 0 ? freePort() : hostPort,
                    containerPort, p.path("protocol").asText("tcp"), range));
        }
        spec.portMappings(ports);
        spec.networkMode(switch (mode) {
            case "", "bridge", "default", "private" -> "bridge";
            case "none", "host" -> mode;
            case "container" -> "container:" + ns.path("value").asText("");
            case "path" -> "ns:" + ns.path("value").asText("");
            default -> throw ApiException.badRequest("netns mode " + mode + " is not supported: use bridge, none, "
                    + "host, container or path");
        });
        if (!b.path("oci_runtime").asText("").isEmpty()) {
            spec.ociRuntime(b.path("oci_runtime").asText());
        }
        return spec;
    }
}
