package io.jpod.rest.internal;

import static io.jpod.rest.internal.CreateSpecs.checkedBind;
import static io.jpod.rest.internal.CreateSpecs.containerPort;
import static io.jpod.rest.internal.CreateSpecs.freePort;
import static io.jpod.rest.internal.CreateSpecs.restartPolicy;
import static io.jpod.rest.internal.CreateSpecs.volume;
import static io.jpod.rest.internal.Inputs.emptyToNull;
import static io.jpod.rest.internal.Inputs.expect;
import static io.jpod.rest.internal.Inputs.nonEmpty;
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
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Docker's create request (Config with HostConfig and NetworkingConfig) read into a container's config. */
final class DockerCreateRequest {
    private DockerCreateRequest() {
    }

    static ContainerConfig.Builder read(Exchange x, CreateSpecs.Lookups lookups) throws IOException {
        JsonNode b = requireObject(x.body());
        for (String f : List.of("HostConfig", "NetworkingConfig", "ExposedPorts", "Volumes")) {
            expect(b, "", f, JsonNodeType.OBJECT);
        }
        for (String f : List.of("RestartPolicy", "PortBindings", "LogConfig")) {
            expect(b.path("HostConfig"), "HostConfig.", f, JsonNodeType.OBJECT);
        }
        expect(b.path("HostConfig"), "HostConfig.", "Mounts", JsonNodeType.ARRAY);
        expect(b.path("NetworkingConfig"), "NetworkingConfig.", "EndpointsConfig", JsonNodeType.OBJECT);
        String image = b.path("Image").asText("");
        if (image.isEmpty()) {
            throw ApiException.badRequest("config.Image is required: name the image to create the container from");
        }
        ContainerConfig.Builder spec = ContainerConfig.builder().name(emptyToNull(x.query("name"))).image(image)
                .command(strings(b.get("Cmd"), "Cmd")).entrypoint(nonEmpty(strings(b.get("Entrypoint"), "Entrypoint")))
                .env(strings(b.get("Env"), "Env")).workingDir(emptyToNull(b.path("WorkingDir").asText("")))
                .user(emptyToNull(b.path("User").asText(""))).hostname(emptyToNull(b.path("Hostname").asText("")))
                .labels(stringMap(b.get("Labels"), "Labels")).terminal(b.path("Tty").asBoolean(false))
                .stdin(b.path("OpenStdin").asBoolean(false));
        if (b.hasNonNull("StopSignal") && !b.path("StopSignal").asText().isEmpty()) {
            spec.stopSignal(Signals.parse(b.path("StopSignal").asText()));
        }
        if (b.hasNonNull("StopTimeout")) {
            spec.stopTimeout(b.path("StopTimeout").asLong());
        }
        JsonNode hc = b.path("HostConfig");
        List<Mount> mounts = new ArrayList<>();
        for (String bind : strings(hc.get("Binds"), "HostConfig.Binds")) {
            mounts.add(bind(bind));
        }
        for (JsonNode m : hc.path("Mounts")) {
            String type = m.path("Type").asText("bind");
            List<String> ro = m.path("ReadOnly").asBoolean(false) ? List.of("ro") : List.of();
            switch (type) {
                case "bind" -> mounts.add(checkedBind(m.path("Source").asText(""), m.path("Target").asText(""), ro));
                case "volume" -> mounts.add(volume(m.path("Source").asText(""), m.path("Target").asText(""), ro));
                default -> throw ApiException.badRequest("mount type " + type + " is not supported yet: use bind or "
                        + "volume");
            }
        }
        for (Iterator<String> it = b.path("Volumes").fieldNames(); it.hasNext();) {
            mounts.add(volume("", it.next(), List.of()));
        }
        spec.mounts(mounts);
        spec.autoRemove(hc.path("AutoRemove").asBoolean(false));
        JsonNode rp = hc.path("RestartPolicy");
        String policy = rp.path("Name").asText("");
        if (!policy.isEmpty()) {
            spec.restartPolicy(restartPolicy(policy)).restartRetries(rp.path("MaximumRetryCount").asInt(0));
        }
        String mode = hc.path("NetworkMode").asText("");
        Map<String, PerNetworkOptions> endpoints = EndpointOptions.dockerCreate(b, mode.isEmpty() ? "default" : mode);
        if (isNamedNetwork(mode)) {
            // API 1.44: more networks at creation, one endpoint each
            List<String> nets = new ArrayList<>(List.of(mode));
            endpoints.keySet().stream().filter(k -> isNamedNetwork(k) && !nets.contains(k)).forEach(nets::add);
            spec.networkMode("bridge").networks(nets);
        } else {
            spec.networkMode(networkMode(mode));
        }
        spec.networkOptions(lookups.defaultNamed(endpoints));
        spec.portMappings(dockerPorts(b, hc, hc.path("PublishAllPorts").asBoolean(false) ? lookups.imagePorts(image)
                : List.of()));
        if (!hc.path("Runtime").asText("").isEmpty()) {
            spec.ociRuntime(hc.path("Runtime").asText());
        }
        if (hc.path("Privileged").asBoolean(false)) {
            throw ApiException.badRequest("privileged containers are not supported yet");
        }
        return spec;
    }

    /** A network's name rather than one of Docker's modes. */
    static boolean isNamedNetwork(String mode) {
        return !mode.isEmpty() && !List.of("default", "bridge", "none", "host").contains(mode)
                && !mode.startsWith("container:") && mode.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]*");
    }

    /**
     * HostConfig.PortBindings ({@code "80/tcp": [{"HostIp": "", "HostPort": "8080"}]}), and with
     * PublishAllPorts every port of Config.ExposedPorts (the image's come with the image's defaults);
     * an empty host port gets a free one, as Docker gives.
     */
    static List<PortMapping> dockerPorts(JsonNode config, JsonNode hc, List<String> imagePorts) {
        List<PortMapping> out = new ArrayList<>();
        List<String> bound = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = hc.path("PortBindings").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            String[] port = containerPort(e.getKey());
            bound.add(e.getKey());
            JsonNode bindings = e.getValue();
            if (bindings == null || !bindings.isArray() || bindings.isEmpty()) {
                out.add(new PortMapping("", freePort(), Integer.parseInt(port[0]), port[1], 1));
                continue;
            }
            for (JsonNode hb : bindings) {
                String hp = hb.path("HostPort").asText("");
                int hostPort;
                try {
                    hostPort = hp.isEmpty() || hp.equals("0") ? freePort() : Integer.parseInt(hp);
                } catch (NumberFormatException nan) {
                    throw ApiException.badRequest("invalid host port " + hp + " for " + e.getKey() + ": give a number");
                }
                out.add(new PortMapping(hb.path("HostIp").asText(""), hostPort, Integer.parseInt(port[0]), port[1], 1));
            }
        }
        if (hc.path("PublishAllPorts").asBoolean(false)) {
            List<String> exposed = new ArrayList<>(imagePorts);
            config.path("ExposedPorts").fieldNames().forEachRemaining(exposed::add);
            for (String key : exposed) {
                if (!bound.contains(key) && !bound.contains(key + "/tcp")) {
                    bound.add(key);
                    String[] port = containerPort(key);
                    out.add(new PortMapping("", freePort(), Integer.parseInt(port[0]), port[1], 1));
                }
            }
        }
        return out;
    }

    /** HostConfig.NetworkMode as jpod's network mode. */
    static String networkMode(String mode) {
        return switch (mode) {
            case "", "default", "bridge" -> "bridge";
            case "none", "host" -> mode;
            default -> {
                if (mode.startsWith("container:")) {
                    yield mode;
                }
                throw ApiException.badRequest("network mode " + mode + " is not supported yet: use bridge, none, host "
                        + "or container:<id>");
            }
        };
    }

    /** {@code /host:/ctr[:opts]} as {@code -v} takes it. */
    static Mount bind(String spec) {
        String[] p = spec.split(":");
        if (p.length < 2 || p.length > 3) {
            throw ApiException.badRequest("invalid bind " + spec + ": use /host/path:/container/path[:ro]");
        }
        List<String> opts = new ArrayList<>();
        if (p.length == 3) {
            for (String o : p[2].split(",")) {
                switch (o) {
                    case "ro", "rw" -> opts.add(o);
                    case "z", "Z", "" -> { } // no SELinux labels on these hosts
                    default -> {
                        if (!o.matches("r?(private|shared|slave)")) {
                            throw ApiException.badRequest("invalid bind option " + o + " in " + spec
                                    + ": use ro, rw or a propagation such as rprivate");
                        }
                        opts.add(o);
                    }
                }
            }
        }
        if (!p[0].startsWith("/") && p[0].matches("[a-zA-Z0-9][a-zA-Z0-9_.-]*")) {
            if (!p[1].startsWith("/")) {
                throw ApiException.badRequest("volume destination " + p[1] + " must be an absolute path in the container");
            }
            return new Mount("volume", p[0], p[1], opts);
        }
        return checkedBind(p[0], p[1], opts);
    }
}
