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
import static io.jpod.rest.internal.Inputs.nonEmpty;
import static io.jpod.rest.internal.Inputs.requireObject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import io.jpod.api.ContainerConfig;
import io.jpod.api.Mount;
import io.jpod.api.PerNetworkOptions;
import io.jpod.api.PortMapping;
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
        String image = text(b, "", "Image");
        if (image.isEmpty()) {
            throw ApiException.badRequest("config.Image is required: name the image to create the container from");
        }
        ContainerConfig.Builder spec = ContainerConfig.builder().name(emptyToNull(x.query("name"))).image(image)
                .command(strings(b.get("Cmd"), "Cmd")).entrypoint(nonEmpty(strings(b.get("Entrypoint"), "Entrypoint")))
                .env(strings(b.get("Env"), "Env")).workingDir(emptyToNull(text(b, "", "WorkingDir")))
                .user(emptyToNull(text(b, "", "User"))).hostname(emptyToNull(text(b, "", "Hostname")))
                .labels(stringMap(b.get("Labels"), "Labels")).terminal(bool(b, "", "Tty"))
                .stdin(bool(b, "", "OpenStdin"));
        String stopSignal = text(b, "", "StopSignal");
        if (!stopSignal.isEmpty()) {
            spec.stopSignal(CreateFields.signal(stopSignal, "StopSignal"));
        }
        if (b.hasNonNull("StopTimeout")) {
            spec.stopTimeout(integer(b, "", "StopTimeout", Long.MIN_VALUE, Long.MAX_VALUE, 0));
        }
        spec.healthcheck(HealthcheckRequest.docker(b));
        JsonNode hc = b.path("HostConfig");
        List<Mount> mounts = new ArrayList<>();
        for (String bind : strings(hc.get("Binds"), "HostConfig.Binds")) {
            mounts.add(bind(bind));
        }
        List<JsonNode> hcMounts = objects(hc, "Mounts");
        for (int i = 0; i < hcMounts.size(); i++) {
            JsonNode m = hcMounts.get(i);
            String at = "HostConfig.Mounts[" + i + "].";
            String type = text(m, at, "Type");
            List<String> ro = bool(m, at, "ReadOnly") ? List.of("ro") : List.of();
            String source = text(m, at, "Source");
            String target = text(m, at, "Target");
            switch (type.isEmpty() ? "bind" : type) {
                case "bind" -> mounts.add(new Mount("bind", source, target, ro));
                case "volume" -> mounts.add(new Mount("volume", source, target, ro));
                case "tmpfs" -> { } // a tmpfs mount is one of the security options' (LimitFields)
                default -> throw ApiException.badRequest(at + "Type " + type + " is not supported yet: use bind, "
                        + "volume or tmpfs");
            }
        }
        for (Iterator<String> it = b.path("Volumes").fieldNames(); it.hasNext();) {
            // as Docker: a declared volume that a bind or mount already covers is that mount (compose sends both)
            String dest = it.next();
            if (mounts.stream().noneMatch(m -> samePath(m.destination(), dest))) {
                mounts.add(new Mount("volume", "", dest, List.of()));
            }
        }
        spec.mounts(mounts);
        spec.autoRemove(bool(hc, "HostConfig.", "AutoRemove"));
        JsonNode rp = hc.path("RestartPolicy");
        String policy = text(rp, "HostConfig.RestartPolicy.", "Name");
        // retries without a policy are "no"'s, which the engine refuses, as Docker does
        spec.restartPolicy(policy.isEmpty() ? "no" : policy)
                .restartRetries(int32(rp, "HostConfig.RestartPolicy.", "MaximumRetryCount", 0));
        String mode = text(hc, "HostConfig.", "NetworkMode");
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
        spec.portMappings(dockerPorts(b, hc, bool(hc, "HostConfig.", "PublishAllPorts") ? lookups.imagePorts(image)
                : List.of()));
        String runtime = text(hc, "HostConfig.", "Runtime");
        if (!runtime.isEmpty()) {
            spec.ociRuntime(runtime);
        }
        spec.resources(LimitFields.dockerResources(hc, "HostConfig.")).security(LimitFields.dockerSecurity(hc));
        spec.dns(DnsFields.docker(hc));
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
            String field = "HostConfig.PortBindings." + e.getKey();
            if (bindings == null || bindings.isNull() || bindings.isArray() && bindings.isEmpty()) {
                out.add(new PortMapping("", freePort(), Integer.parseInt(port[0]), port[1], 1));
                continue;
            }
            if (!bindings.isArray()) {
                throw CreateFields.wrong(field, "a list of port bindings", bindings);
            }
            for (int i = 0; i < bindings.size(); i++) {
                JsonNode hb = bindings.get(i);
                String at = field + "[" + i + "]";
                if (!hb.isObject()) {
                    throw CreateFields.wrong(at, "an object with HostIp and HostPort", hb);
                }
                out.add(new PortMapping(text(hb, at + ".", "HostIp"), hostPort(hb.get("HostPort"), at + ".HostPort"),
                        Integer.parseInt(port[0]), port[1], 1));
            }
        }
        if (bool(hc, "HostConfig.", "PublishAllPorts")) {
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

    /**
     * A binding's HostPort: a string (a number is taken too) of one port; empty or 0 for a free one. A range
     * ({@code 8080-8090}, any free port of it to Docker) is refused: jpod publishes a port on one host port.
     */
    static int hostPort(JsonNode n, String field) {
        if (n == null || n.isNull()) {
            return freePort();
        }
        if (!n.isTextual() && !n.isIntegralNumber()) {
            throw CreateFields.wrong(field, "a port number as a string", n);
        }
        String hp = n.asText().trim();
        if (hp.isEmpty() || hp.equals("0")) {
            return freePort();
        }
        if (hp.matches("\\d+-\\d+")) {
            throw ApiException.badRequest(field + " " + hp + " is a range: give one host port (or none for a free one)");
        }
        if (!hp.matches("\\d{1,9}")) {
            throw ApiException.badRequest(field + " " + (hp.length() > 40 ? hp.substring(0, 40) + "..." : hp)
                    + " is not a port number: give one from 1 to 65535, or none for a free one");
        }
        return Integer.parseInt(hp);
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
                if (!o.isEmpty() && !o.equals("z") && !o.equals("Z")) { // no SELinux labels on these hosts
                    opts.add(o);
                }
            }
        }
        // a name (no slash) is a volume's, a path a bind's source; the engine checks both
        return new Mount(p[0].startsWith("/") || !p[0].matches("[a-zA-Z0-9][a-zA-Z0-9_.-]*") ? "bind" : "volume",
                p[0], p[1], opts);
    }

    private static boolean samePath(String a, String b) {
        return strip(a).equals(strip(b));
    }

    private static String strip(String p) {
        String s = p == null ? "" : p;
        while (s.length() > 1 && s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }
}
