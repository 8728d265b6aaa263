package io.jpod.rest.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpod.api.AttachStreams;
import io.jpod.api.Container;
import io.jpod.api.ContainerConfig;
import io.jpod.api.ContainerStatus;

import io.jpod.api.ErrorCode;
import io.jpod.api.ExecConfig;
import io.jpod.api.ExecSession;
import io.jpod.api.JpodException;
import io.jpod.api.LogLine;
import io.jpod.api.LogOptions;
import io.jpod.api.Mount;
import io.jpod.api.PerNetworkOptions;
import io.jpod.api.PortMapping;
import io.jpod.api.Signals;
import io.jpod.spi.events.EventTimes;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Containers and exec sessions, in the Docker and the libpod shapes. */
final class ContainersApi {
    private static final Set<ContainerStatus> NOT_RUNNING = EnumSet.of(ContainerStatus.EXITED,
            ContainerStatus.STOPPED, ContainerStatus.CONFIGURED, ContainerStatus.CREATED);
    private static final Set<ContainerStatus> ENDED = EnumSet.of(ContainerStatus.EXITED, ContainerStatus.STOPPED);
    /** How often a wait looks: a look at a running container reads conmon's exit file, not runc. */
    private static final long WAIT_POLL_MS = 10;

    private final Services services;
    private final ApiHandler handler;
    private final Shapes shapes;

    ContainersApi(Services services, ApiHandler handler, Shapes shapes) {
        this.services = services;
        this.handler = handler;
        this.shapes = shapes;
    }

    void register(Router docker, Router libpod) {
        docker.add("POST", "/containers/create", this::dockerCreate);
        docker.add("GET", "/containers/json", this::dockerList);
        docker.add("POST", "/containers/prune", this::dockerPrune);
        docker.add("GET", "/containers/{id}/json", this::dockerInspect);
        docker.add("POST", "/containers/{id}/wait", this::dockerWait);
        docker.add("DELETE", "/containers/{id}", this::dockerRemove);
        libpod.add("POST", "/containers/create", this::libpodCreate);
        libpod.add("GET", "/containers/json", this::libpodList);
        libpod.add("POST", "/containers/prune", this::libpodPrune);
        libpod.add("GET", "/containers/{id}/json", this::libpodInspect);
        libpod.add("GET", "/containers/{id}/exists", x -> {
            services.containers().container(x.param("id"));
            x.empty(204);
        });
        libpod.add("POST", "/containers/{id}/wait", this::libpodWait);
        // podman init: created in the runtime (conmon and runc init waiting) without starting; 304 when it is
        // already, as libpod's InitContainer answers a CtrStateInvalid
        libpod.add("POST", "/containers/{id}/init", x -> {
            try {
                services.containers().init(x.param("id"));
            } catch (JpodException e) {
                if (!JpodException.is(e, ErrorCode.CTR_STATE_INVALID)) {
                    throw e;
                }
                x.empty(304);
                return;
            }
            x.empty(204);
        });
        libpod.add("DELETE", "/containers/{id}", this::libpodRemove);
        for (Router r : List.of(docker, libpod)) {
            r.add("POST", "/containers/{id}/start", this::start);
            r.add("POST", "/containers/{id}/stop", this::stop);
            r.add("POST", "/containers/{id}/restart", this::restart);
            r.add("POST", "/containers/{id}/kill", this::kill);
            r.add("POST", "/containers/{id}/pause", x -> {
                services.containers().pause(x.param("id"));
                x.empty(204);
            });
            r.add("POST", "/containers/{id}/unpause", x -> {
                services.containers().unpause(x.param("id"));
                x.empty(204);
            });
            r.add("POST", "/containers/{id}/attach", this::attach);
            r.add("GET", "/containers/{id}/logs", this::logs);
            r.add("POST", "/containers/{id}/resize", x -> {
                services.containers().resizeTerminal(x.param("id"), terminalSize(x, "h"), terminalSize(x, "w"));
                x.empty(200);
            });
            r.add("POST", "/containers/{id}/exec", this::execCreate);
            r.add("POST", "/exec/{id}/start", this::execStart);
            r.add("POST", "/exec/{id}/resize", x -> {
                services.execs().execResizeTerminal(x.param("id"), terminalSize(x, "h"), terminalSize(x, "w"));
                x.empty(201);
            });
            r.add("GET", "/exec/{id}/json", this::execInspect);
        }
    }

    // ------------------------------------------------------------------------------------ create

    private void dockerCreate(Exchange x) throws IOException {
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
        spec.networkOptions(defaultNamed(endpoints));
        spec.portMappings(dockerPorts(b, hc, hc.path("PublishAllPorts").asBoolean(false) ? imagePorts(image)
                : List.of()));
        if (!hc.path("Runtime").asText("").isEmpty()) {
            spec.ociRuntime(hc.path("Runtime").asText());
        }
        if (hc.path("Privileged").asBoolean(false)) {
            throw ApiException.badRequest("privileged containers are not supported yet");
        }
        create(x, spec);
    }

    private void libpodCreate(Exchange x) throws IOException {
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
        Map<String, PerNetworkOptions> named = defaultNamed(perNet);
        spec.networks(List.copyOf(named.keySet())).networkOptions(named);
        List<PortMapping> ports = new ArrayList<>();
        if (b.path("publish_image_ports").asBoolean(false) && !image.isEmpty()) {
            for (String key : imagePorts(image)) {
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
        create(x, spec);
    }

    private void create(Exchange x, ContainerConfig.Builder spec) throws IOException {
        EngineServices engine = services.engine();
        ContainerConfig config = spec.build();
        for (String net : config.networks()) {
            try {
                engine.networks().network(net);
            } catch (JpodException e) {
                if (JpodException.is(e, ErrorCode.NO_SUCH_NETWORK)) {
                    // 400, not 404: Docker's CLI answers a 404 to create by pulling the image
                    throw ApiException.badRequest("network " + net + " not found: create it first (network create)");
                }
                throw e;
            }
        }
        if (config.image() != null) {
            try {
                config = services.images().withImageDefaults(config);
            } catch (JpodException e) {
                if (JpodException.is(e, ErrorCode.NO_SUCH_IMAGE)) {
                    throw ApiException.notFound("No such image: " + config.image());
                }
                throw e;
            }
        }
        Container c = engine.containers().createContainer(config);
        ObjectNode o = shapes.object();
        o.put("Id", c.id());
        o.putArray("Warnings");
        x.json(201, o);
    }

    /** Per network options with Docker's and podman's names for the default network resolved. */
    private Map<String, PerNetworkOptions> defaultNamed(Map<String, PerNetworkOptions> options) {
        Map<String, PerNetworkOptions> out = new LinkedHashMap<>();
        for (Map.Entry<String, PerNetworkOptions> e : options.entrySet()) {
            String k = e.getKey();
            out.put(k.equals("default") || k.equals("bridge") ? services.networks().defaultNetwork() : k, e.getValue());
        }
        return out;
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
    /** The image's ExposedPorts, which {@code -P} publishes too; none when the image is not stored. */
    private List<String> imagePorts(String image) {
        try {
            return services.images().inspect(image).config().exposedPorts();
        } catch (JpodException e) {
            return List.of();
        }
    }

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

    /** {@code 80/tcp} → {80, tcp}. */
    static String[] containerPort(String key) {
        String[] p = key.split("/", 2);
        if (!p[0].matches("\\d{1,5}") || Integer.parseInt(p[0]) < 1 || Integer.parseInt(p[0]) > 65535) {
            throw ApiException.badRequest("invalid container port " + key + ": give PORT[/tcp|udp]");
        }
        return new String[] {p[0], p.length > 1 ? p[1] : "tcp"};
    }

    /** A port nothing listens on now, as the kernel picks one. */
    static int freePort() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new ApiException(500, "cannot find a free host port: " + e.getMessage());
        }
    }

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

    static String restartPolicy(String name) {
        return switch (name) {
            case "no", "always", "on-failure", "unless-stopped" -> name;
            default -> throw ApiException.badRequest("invalid restart policy " + name
                    + ": use no, always, on-failure or unless-stopped");
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

    /** A named volume (made when missing) or, with an empty name, an anonymous one. */
    static Mount volume(String name, String destination, List<String> options) {
        if (!name.isEmpty() && !name.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]*")) {
            throw ApiException.badRequest("invalid volume name " + name + ": use letters, digits, '_', '.' and '-'");
        }
        if (!destination.startsWith("/")) {
            throw ApiException.badRequest("volume destination " + destination + " must be an absolute path in the "
                    + "container");
        }
        return new Mount("volume", name, destination, options);
    }

    static Mount checkedBind(String source, String destination, List<String> options) {
        if (!source.startsWith("/")) {
            throw ApiException.badRequest("bind source " + source + " is not an absolute path (a volume name has "
                    + "letters, digits, '_', '.' and '-')");
        }
        if (!destination.startsWith("/")) {
            throw ApiException.badRequest("bind destination " + destination + " must be an absolute path in the container");
        }
        if (!Files.exists(Path.of(source))) {
            throw ApiException.badRequest("bind source " + source + " does not exist: create it first");
        }
        return new Mount("bind", source, destination, options);
    }

    // ------------------------------------------------------------------------------------ list, inspect

    private void dockerList(Exchange x) throws IOException {
        List<Container> list = list(x, true);
        list.sort(Comparator.comparing((Container c) -> c.config().created(),
                Comparator.nullsFirst(Comparator.naturalOrder())).reversed());
        long limit = x.longQuery("limit", -1);
        ArrayNode a = shapes.array();
        Instant now = Instant.now();
        for (Container c : list) {
            if (limit > 0 && a.size() >= limit) {
                break;
            }
            a.add(shapes.dockerListItem(c, now));
        }
        x.json(200, a);
    }

    private void libpodList(Exchange x) throws IOException {
        List<Container> list = list(x, false);
        long limit = x.longQuery("limit", -1);
        if (limit > 0) {
            list.sort(Comparator.comparing((Container c) -> c.config().created(),
                    Comparator.nullsFirst(Comparator.naturalOrder())).reversed());
        }
        ArrayNode a = shapes.array();
        for (Container c : list) {
            if (limit > 0 && a.size() >= limit) {
                break;
            }
            a.add(shapes.libpodListItem(c));
        }
        x.json(200, a);
    }

    private List<Container> list(Exchange x, boolean docker) {
        boolean all = x.bool("all", false) || x.longQuery("limit", -1) > 0;
        JsonNode filters = Filters.parse(x.query("filters"), x.json);
        var match = Filters.containers(filters, docker);
        boolean byStatus = filters.has("status");
        return new ArrayList<>(services.containers().containers(c -> (all || byStatus
                || c.state().status() == ContainerStatus.RUNNING || c.state().status() == ContainerStatus.PAUSED)
                && match.test(c)));
    }

    private void dockerInspect(Exchange x) throws IOException {
        EngineServices e = services.engine();
        Container c = e.containers().container(x.param("id"));
        x.json(200, shapes.dockerInspect(c, null, e.system().dbConfig().graphDriver(), e.networks().networkAttachments(c.id()),
                e.networks().defaultNetwork()));
    }

    private void libpodInspect(Exchange x) throws IOException {
        EngineServices e = services.engine();
        Container c = e.containers().container(x.param("id"));
        x.json(200, shapes.libpodInspect(c, null, e.system().dbConfig().graphDriver(), e.networks().networkAttachments(c.id())));
    }

    // ------------------------------------------------------------------------------------ lifecycle

    private void start(Exchange x) throws IOException {
        EngineServices e = services.engine();
        Container c = e.containers().container(x.param("id"));
        ContainerStatus s = c.state().status();
        if (s == ContainerStatus.RUNNING || s == ContainerStatus.PAUSED) {
            x.empty(304);
            return;
        }
        try {
            e.containers().start(c.id());
        } catch (RuntimeException failed) {
            if (c.config().autoRemove()) {
                // as Docker: a --rm container that cannot start is removed, so waits for its removal end
                try {
                    e.containers().removeContainer(c.id(), true);
                } catch (RuntimeException alsoFailed) {
                    failed.addSuppressed(alsoFailed);
                }
            }
            throw failed;
        }
        x.empty(204);
    }

    private void stop(Exchange x) throws IOException {
        EngineServices e = services.engine();
        Container c = e.containers().container(x.param("id"));
        if (NOT_RUNNING.contains(c.state().status())) {
            x.empty(304);
            return;
        }
        long t = x.longQuery(x.libpod ? "timeout" : "t", x.longQuery("t", -1));
        e.containers().stop(c.id(), t);
        x.empty(204);
    }

    private void restart(Exchange x) throws IOException {
        EngineServices e = services.engine();
        e.containers().restart(x.param("id"), x.longQuery("t", x.longQuery("timeout", -1)));
        x.empty(204);
    }

    private void kill(Exchange x) throws IOException {
        EngineServices e = services.engine();
        Container c = e.containers().container(x.param("id"));
        String sig = x.query("signal");
        int signal = sig == null || sig.isEmpty() ? 9 : Signals.parse(sig);
        ContainerStatus s = c.state().status();
        if (s != ContainerStatus.RUNNING && s != ContainerStatus.PAUSED) {
            throw new ApiException(409, "Cannot kill container: " + x.param("id") + ": container " + c.id()
                    + " is not running (current state: " + s.word() + ")");
        }
        e.containers().kill(c.id(), signal);
        x.empty(204);
    }

    private void dockerRemove(Exchange x) throws IOException {
        EngineServices e = services.engine();
        Container c = e.containers().container(x.param("id"));
        boolean force = x.bool("force", false);
        if (!force && !NOT_RUNNING.contains(c.state().status())) {
            throw new ApiException(409, "You cannot remove a " + Shapes.dockerState(c.state().status())
                    + " container " + c.id() + ". Stop the container before attempting removal or force remove");
        }
        e.containers().removeContainer(c.id(), force);
        x.empty(204);
    }

    private void libpodRemove(Exchange x) throws IOException {
        EngineServices e = services.engine();
        Container c;
        try {
            c = e.containers().container(x.param("id"));
        } catch (JpodException notThere) {
            if (x.bool("ignore", false) && JpodException.is(notThere, ErrorCode.NO_SUCH_CTR)) {
                x.json(200, shapes.array());
                return;
            }
            throw notThere;
        }
        e.containers().removeContainer(c.id(), x.bool("force", false));
        ArrayNode a = shapes.array();
        a.addObject().putNull("Err").put("Id", c.id());
        x.json(200, a);
    }

    private void dockerPrune(Exchange x) throws IOException {
        ObjectNode o = shapes.object();
        o.set("ContainersDeleted", shapes.strings(prune(x)));
        o.put("SpaceReclaimed", 0);
        x.json(200, o);
    }

    private void libpodPrune(Exchange x) throws IOException {
        ArrayNode a = shapes.array();
        for (String id : prune(x)) {
            a.addObject().put("Id", id).put("Size", 0).putNull("Err");
        }
        x.json(200, a);
    }

    private List<String> prune(Exchange x) {
        EngineServices e = services.engine();
        JsonNode filters = Filters.parse(x.query("filters"), x.json);
        ObjectNode byContainer = filters.deepCopy();
        byContainer.remove("until");
        var match = Filters.containers(byContainer, true);
        Instant until = null;
        if (filters.has("until")) {
            List<String> v = Filters.values(filters.get("until"));
            until = parseTime(v.isEmpty() ? "" : v.get(0), "until");
        }
        Instant before = until;
        List<String> removed = new ArrayList<>();
        for (Container c : e.containers().containers(c -> NOT_RUNNING.contains(c.state().status()) && match.test(c)
                && (before == null || c.config().created() == null || c.config().created().isBefore(before)))) {
            try {
                e.containers().removeContainer(c.id(), false);
                removed.add(c.id());
            } catch (JpodException raced) {
                // started or removed meanwhile: not ours to prune
            }
        }
        return removed;
    }

    // ------------------------------------------------------------------------------------ wait

    private void dockerWait(Exchange x) throws Exception {
        String cond = x.query("condition");
        cond = cond == null || cond.isEmpty() ? "not-running" : cond;
        if (!List.of("not-running", "next-exit", "removed").contains(cond)) {
            throw ApiException.badRequest("invalid condition: \"" + cond + "\": use not-running, next-exit or removed");
        }
        EngineServices e = services.engine();
        Container c = e.containers().container(x.param("id"));
        x.noIdleTimeout();
        // the docker CLI sends start only after it got this answer's headers
        try (OutputStream out = x.startStream(200, "application/json")) {
            ObjectNode o = shapes.object();
            String condition = cond;
            try {
                o.put("StatusCode", acrossReassembly(e, now -> waitFor(now, c, condition)));
                o.putNull("Error");
            } catch (JpodException | ApiException err) {
                o.put("StatusCode", -1);
                o.putObject("Error").put("Message", err.getMessage());
            }
            out.write(x.json.writeValueAsBytes(o));
            out.write('\n');
        }
    }

    @FunctionalInterface
    private interface WaitCall {
        int on(EngineServices e) throws InterruptedException;
    }

    /**
     * A wait outlives the engine it began on: when a provider bundle is updated the engine is assembled
     * again, the container stays, and the wait goes on with the new engine (or a 503 says why there is none).
     */
    private int acrossReassembly(EngineServices first, WaitCall call) throws InterruptedException {
        EngineServices e = first;
        while (true) {
            try {
                return call.on(e);
            } catch (JpodException ex) {
                if (!JpodException.is(ex, ErrorCode.RUNTIME_STOPPED)) {
                    throw ex;
                }
                e = services.engine();
            }
        }
    }

    /** h (rows) or w (columns) of a resize call; both are required, as the Docker daemon requires them. */
    private static int terminalSize(Exchange x, String name) {
        long v = x.longQuery(name, -1);
        if (v < 0) {
            throw ApiException.badRequest("query parameter " + name + " (the terminal's " + (name.equals("h") ? "rows"
                    : "columns") + ") is required: resize takes h and w");
        }
        return (int) Math.min(v, Integer.MAX_VALUE);
    }

    private int waitFor(EngineServices e, Container c, String condition) throws InterruptedException {
        String id = c.id();
        switch (condition) {
            case "not-running" -> {
                return e.containers().waitFor(id, NOT_RUNNING, WAIT_POLL_MS);
            }
            case "next-exit" -> {
                return nextExit(e, c);
            }
            default -> {
                int code = nextExitOrNow(e, c);
                while (true) {
                    try {
                        e.containers().container(id);
                    } catch (JpodException gone) {
                        if (JpodException.is(gone, ErrorCode.NO_SUCH_CTR)) {
                            return code;
                        }
                        throw gone;
                    }
                    Thread.sleep(50);
                }
            }
        }
    }

    /** Waits for an exit after now: a container that exited before keeps waiting until it ran again. */
    private static int nextExit(EngineServices e, Container c) throws InterruptedException {
        Instant before = c.state().finishedAt();
        while (true) {
            int code = e.containers().waitFor(c.id(), ENDED, WAIT_POLL_MS);
            Container now;
            try {
                now = e.containers().container(c.id());
            } catch (JpodException gone) {
                return code; // auto-removed: waitFor had its exit code
            }
            if (!ENDED.contains(now.state().status())) {
                continue;
            }
            if (before == null || (now.state().finishedAt() != null && now.state().finishedAt().isAfter(before))) {
                return now.state().exitCode();
            }
            Thread.sleep(50);
        }
    }

    private static int nextExitOrNow(EngineServices e, Container c) throws InterruptedException {
        return ENDED.contains(c.state().status()) ? c.state().exitCode() : e.containers().waitFor(c.id(), ENDED, WAIT_POLL_MS);
    }

    private void libpodWait(Exchange x) throws Exception {
        Set<ContainerStatus> conds = EnumSet.noneOf(ContainerStatus.class);
        for (String c : x.queryAll("condition")) {
            for (String word : c.split(",")) {
                try {
                    conds.add(ContainerStatus.parse(word));
                } catch (JpodException bad) {
                    throw ApiException.badRequest(bad.getMessage());
                }
            }
        }
        EngineServices e = services.engine();
        Container c = e.containers().container(x.param("id"));
        x.noIdleTimeout();
        try (OutputStream out = x.startStream(200, "application/json")) {
            int code = acrossReassembly(e, now -> now.containers().waitFor(c.id(), conds.isEmpty() ? ENDED : conds, WAIT_POLL_MS));
            out.write(String.valueOf(code).getBytes(StandardCharsets.UTF_8));
            out.write('\n');
        }
    }

    // ------------------------------------------------------------------------------------ attach, logs

    private void attach(Exchange x) throws Exception {
        EngineServices e = services.engine();
        Container c = e.containers().container(x.param("id"));
        boolean tty = c.config().terminal();
        boolean multiplexed = !tty && (x.libpod || Frames.MULTIPLEXED.equals(Frames.contentType(false, x.version)));
        boolean in = x.bool("stdin", false);
        boolean out = x.bool("stdout", x.libpod);
        boolean err = x.bool("stderr", x.libpod);
        boolean stream = x.bool("stream", true);
        boolean logs = x.bool("logs", false);
        String id = c.id();
        DeferredStreams client = new DeferredStreams();
        OutputStream o = out ? (multiplexed ? new Frames(client.output, Frames.STDOUT) : client.output) : null;
        OutputStream r = err ? (multiplexed ? new Frames(client.output, Frames.STDERR) : client.output) : null;
        if (logs) {
            e.containers().logs(id, LogOptions.all(), line -> write(line, false, "stderr".equals(line.stream()) ? r : o));
        }
        java.util.concurrent.CompletableFuture<Void> attached = new java.util.concurrent.CompletableFuture<>();
        java.util.concurrent.CompletableFuture<Void> ended = new java.util.concurrent.CompletableFuture<>();
        if (stream) {
            // attached before the answer: a client starts the container as soon as it has the 101
            Thread t = new Thread(() -> {
                try {
                    e.containers().attach(id, new AttachStreams(in ? client.input : null, o, r, () -> attached.complete(null)));
                    ended.complete(null);
                } catch (Throwable failed) {
                    attached.completeExceptionally(failed);
                    ended.completeExceptionally(failed);
                }
            }, "jpod-attach-" + id.substring(0, 12));
            t.setDaemon(true);
            t.start();
            try {
                attached.get(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException failed) {
                if (failed.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                throw new ApiException(500, "attach failed: " + failed.getCause());
            }
        } else {
            ended.complete(null);
        }
        handler.hijack(x, tty ? Frames.RAW : multiplexed ? Frames.MULTIPLEXED : Frames.RAW, "attach " + id,
                (stdin, conn) -> {
                    client.connect(stdin, conn);
                    try {
                        ended.get();
                    } catch (java.util.concurrent.ExecutionException failed) {
                        // the stream ends: the client sees its connection close
                    }
                });
    }

    private static boolean write(LogLine line, boolean timestamps, OutputStream to) {
        if (to == null) {
            return true;
        }
        try {
            String text = (timestamps ? EventTimes.format(line.time()) + " " : "") + line.text() + "\n";
            to.write(text.getBytes(StandardCharsets.UTF_8));
            return true;
        } catch (IOException gone) {
            throw new UncheckedIOException(gone);
        }
    }

    private void logs(Exchange x) throws Exception {
        EngineServices e = services.engine();
        Container c = e.containers().container(x.param("id"));
        boolean out = x.bool("stdout", false);
        boolean err = x.bool("stderr", false);
        if (!out && !err) {
            throw ApiException.badRequest("Bad parameters: you must choose at least one stream (stdout=1 or stderr=1)");
        }
        boolean follow = x.bool("follow", false);
        boolean timestamps = x.bool("timestamps", false);
        String tailQ = x.query("tail");
        int tail;
        if (tailQ == null || tailQ.isEmpty() || tailQ.equalsIgnoreCase("all")) {
            tail = -1;
        } else {
            try {
                tail = Integer.parseInt(tailQ.trim());
            } catch (NumberFormatException nan) {
                throw ApiException.badRequest("tail=" + tailQ + " is not a number: give a line count or all");
            }
        }
        Instant since = parseTime(x.query("since"), "since");
        Instant until = parseTime(x.query("until"), "until");
        if (since != null && since.getEpochSecond() == 0 && since.getNano() == 0) {
            since = null;
        }
        boolean tty = c.config().terminal();
        boolean multiplexed = !tty && (x.libpod || Frames.MULTIPLEXED.equals(Frames.contentType(false, x.version)));
        if (follow) {
            x.noIdleTimeout();
        }
        Runnable unwatch = follow ? x.interruptWhenClientGoes() : () -> {
        };
        try (OutputStream conn = x.startStream(200, multiplexed ? Frames.MULTIPLEXED : Frames.RAW)) {
            OutputStream o = out ? (multiplexed ? new Frames(conn, Frames.STDOUT) : conn) : null;
            OutputStream r = err ? (multiplexed ? new Frames(conn, Frames.STDERR) : conn) : null;
            try {
                e.containers().logs(c.id(), new LogOptions(tail, since, until, follow), line -> {
                    boolean ok = write(line, timestamps, "stderr".equals(line.stream()) ? r : o);
                    try {
                        conn.flush();
                    } catch (IOException gone) {
                        throw new UncheckedIOException(gone);
                    }
                    return ok;
                });
            } catch (UncheckedIOException clientGone) {
                // the client stopped reading
            }
        } finally {
            unwatch.run();
        }
    }

    static Instant parseTime(String v, String name) {
        if (v == null || v.isBlank()) {
            return null;
        }
        String t = v.trim();
        try {
            if (t.matches("\\d+(\\.\\d{1,9})?")) {
                int dot = t.indexOf('.');
                long secs = Long.parseLong(dot < 0 ? t : t.substring(0, dot));
                long nanos = dot < 0 ? 0 : Long.parseLong((t.substring(dot + 1) + "000000000").substring(0, 9));
                return Instant.ofEpochSecond(secs, nanos);
            }
            return EventTimes.parse(t);
        } catch (RuntimeException e) {
            throw ApiException.badRequest(name + "=" + v + " is not a time: give unix seconds (with a fraction) or "
                    + "RFC 3339");
        }
    }

    // ------------------------------------------------------------------------------------ exec

    private void execCreate(Exchange x) throws IOException {
        JsonNode b = requireObject(x.body());
        List<String> cmd = strings(b.get("Cmd"), "Cmd");
        if (cmd.isEmpty()) {
            throw ApiException.badRequest("No exec command specified: give Cmd");
        }
        ExecConfig cfg = new ExecConfig(cmd, strings(b.get("Env"), "Env"), b.path("Tty").asBoolean(false),
                b.path("AttachStdin").asBoolean(false), emptyToNull(b.path("User").asText("")),
                emptyToNull(b.path("WorkingDir").asText("")), b.path("Privileged").asBoolean(false));
        String id = services.execs().execCreate(x.param("id"), cfg);
        ObjectNode o = shapes.object();
        o.put("Id", id);
        x.json(201, o);
    }

    private void execStart(Exchange x) throws Exception {
        EngineServices e = services.engine();
        JsonNode b = x.body();
        ExecSession s = e.execs().execSession(x.param("id"));
        if (b.path("Detach").asBoolean(false)) {
            e.execs().execStart(s.id(), null);
            x.empty(200);
            return;
        }
        boolean tty = s.config().tty() || b.path("Tty").asBoolean(false);
        boolean multiplexed = !tty && (x.libpod || Frames.MULTIPLEXED.equals(Frames.contentType(false, x.version)));
        handler.hijack(x, tty || !multiplexed ? Frames.RAW : Frames.MULTIPLEXED, "exec " + s.id(), (stdin, conn) -> {
            OutputStream o = multiplexed ? new Frames(conn, Frames.STDOUT) : conn;
            OutputStream r = multiplexed ? new Frames(conn, Frames.STDERR) : conn;
            e.execs().execStart(s.id(), new AttachStreams(s.config().attachStdin() ? stdin : null, o, r));
        });
    }

    private void execInspect(Exchange x) throws IOException {
        ExecSession s = services.execs().execSession(x.param("id"));
        ObjectNode o = shapes.object();
        o.put("ID", s.id());
        o.put("Running", s.running());
        if (s.exitCode() >= 0 || !s.running()) {
            o.put("ExitCode", s.exitCode());
        } else {
            o.putNull("ExitCode");
        }
        ObjectNode pc = o.putObject("ProcessConfig");
        List<String> cmd = s.config().command();
        pc.put("entrypoint", cmd.isEmpty() ? "" : cmd.get(0));
        pc.set("arguments", shapes.strings(cmd.isEmpty() ? List.of() : cmd.subList(1, cmd.size())));
        pc.put("tty", s.config().tty());
        pc.put("user", s.config().user() == null ? "" : s.config().user());
        pc.put("privileged", s.config().privileged());
        o.put("OpenStdin", s.config().attachStdin());
        o.put("OpenStderr", true);
        o.put("OpenStdout", true);
        o.put("CanRemove", false);
        o.put("ContainerID", s.containerId());
        o.put("DetachKeys", "");
        o.put("Pid", s.pid());
        x.json(200, o);
    }

    // ------------------------------------------------------------------------------------ JSON input

    static JsonNode requireObject(JsonNode b) {
        if (!b.isObject()) {
            throw ApiException.badRequest("the request body must be a JSON object");
        }
        return b;
    }

    /**
     * A field that, when given, must be of one JSON type: a client that sends another (a string for
     * HostConfig) gets a 400 naming the field, as Docker's and podman's JSON decoders answer, rather than
     * having it ignored.
     */
    static void expect(JsonNode parent, String prefix, String field, JsonNodeType type) {
        JsonNode n = parent.get(field);
        if (n != null && !n.isNull() && n.getNodeType() != type) {
            throw ApiException.badRequest(prefix + field + " must be " + (type == JsonNodeType.OBJECT ? "an object"
                    : "a list") + ", not " + switch (n.getNodeType()) {
                        case STRING -> "a string";
                        case NUMBER -> "a number";
                        case BOOLEAN -> "a boolean";
                        case ARRAY -> "a list";
                        case OBJECT -> "an object";
                        default -> n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
                    });
        }
    }

    static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static List<String> nonEmpty(List<String> l) {
        return l.stream().filter(s -> !s.isEmpty()).toList();
    }

    /** A list of strings; a single string counts as one element, as Docker's strslice does. */
    static List<String> strings(JsonNode n, String field) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return List.of();
        }
        if (n.isTextual()) {
            return List.of(n.asText());
        }
        if (!n.isArray()) {
            throw ApiException.badRequest(field + " must be a list of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : n) {
            if (!e.isValueNode()) {
                throw ApiException.badRequest(field + " must be a list of strings");
            }
            out.add(e.asText());
        }
        return out;
    }

    static Map<String, String> stringMap(JsonNode n, String field) {
        Map<String, String> out = new LinkedHashMap<>();
        if (n == null || n.isNull() || n.isMissingNode()) {
            return out;
        }
        if (!n.isObject()) {
            throw ApiException.badRequest(field + " must be an object of strings");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asText());
        }
        return out;
    }
}
