package io.jpod.rest.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpod.api.Container;
import io.jpod.api.ContainerConfig;
import io.jpod.api.ContainerState;
import io.jpod.api.ContainerStatus;
import io.jpod.api.Event;
import io.jpod.api.ImageConfig;
import io.jpod.api.ImageInfo;
import io.jpod.api.Mount;
import io.jpod.api.PortMapping;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** The JSON documents of both API families, made from the engine's records. */
final class Shapes {
    static final String ZERO_TIME = "0001-01-01T00:00:00Z";

    private final ObjectMapper json;

    Shapes(ObjectMapper json) {
        this.json = json;
    }

    ObjectNode object() {
        return json.createObjectNode();
    }

    ArrayNode array() {
        return json.createArrayNode();
    }

    ArrayNode strings(Collection<String> values) {
        ArrayNode a = json.createArrayNode();
        values.forEach(a::add);
        return a;
    }

    ObjectNode map(Map<String, String> values) {
        ObjectNode o = json.createObjectNode();
        values.forEach(o::put);
        return o;
    }

    static String time(Instant t) {
        return t == null ? ZERO_TIME : DateTimeFormatter.ISO_INSTANT.format(t);
    }

    static long epoch(Instant t) {
        return t == null ? 0 : t.getEpochSecond();
    }

    /** Docker's state word: created, running, paused, restarting, removing, exited, dead. */
    static String dockerState(ContainerStatus s) {
        return switch (s) {
            case CONFIGURED, CREATED -> "created";
            case RUNNING, STOPPING -> "running";
            case PAUSED -> "paused";
            case REMOVING -> "removing";
            case STOPPED, EXITED -> "exited";
            default -> "dead";
        };
    }

    /** The {@code STATUS} column: {@code Up 5 seconds}, {@code Exited (0) 3 minutes ago}, {@code Created}. */
    static String statusText(ContainerState st, Instant now) {
        return switch (st.status()) {
            case RUNNING, STOPPING -> "Up " + humanDuration(Duration.between(orNow(st.startedAt(), now), now));
            case PAUSED -> "Up " + humanDuration(Duration.between(orNow(st.startedAt(), now), now)) + " (Paused)";
            case STOPPED, EXITED -> st.finishedAt() == null ? "Exited (" + st.exitCode() + ")"
                    : "Exited (" + st.exitCode() + ") " + humanDuration(Duration.between(st.finishedAt(), now)) + " ago";
            case REMOVING -> "Removal In Progress";
            default -> "Created";
        };
    }

    private static Instant orNow(Instant t, Instant now) {
        return t == null ? now : t;
    }

    /** As Docker's units.HumanDuration. */
    static String humanDuration(Duration d) {
        long s = Math.max(0, d.getSeconds());
        if (s < 1) {
            return "Less than a second";
        } else if (s == 1) {
            return "1 second";
        } else if (s < 60) {
            return s + " seconds";
        }
        long min = s / 60;
        if (min == 1) {
            return "About a minute";
        } else if (min < 60) {
            return min + " minutes";
        }
        long h = Math.round(s / 3600.0);
        if (h == 1) {
            return "About an hour";
        } else if (h < 48) {
            return h + " hours";
        } else if (h < 24 * 7 * 2) {
            return h / 24 + " days";
        } else if (h < 24 * 30 * 2) {
            return h / 24 / 7 + " weeks";
        } else if (h < 24 * 365 * 2) {
            return h / 24 / 30 + " months";
        }
        return h / 24 / 365 + " years";
    }

    static List<String> argv(ContainerConfig c) {
        List<String> argv = new ArrayList<>(c.entrypoint());
        argv.addAll(c.command());
        return argv;
    }

    static String imageId(String id) {
        return id == null ? "" : id.startsWith("sha256:") ? id : "sha256:" + id;
    }

    static String bare(String id) {
        return id == null ? "" : id.startsWith("sha256:") ? id.substring(7) : id;
    }

    static String networkMode(ContainerConfig c) {
        String m = c.networkMode();
        return m == null || m.isEmpty() ? "bridge" : m;
    }

    // ------------------------------------------------------------------------------------ Docker

    ObjectNode dockerListItem(Container c, Instant now) {
        ContainerConfig cfg = c.config();
        ObjectNode o = object();
        o.put("Id", c.id());
        o.set("Names", strings(List.of("/" + c.name())));
        o.put("Image", cfg.image() == null ? "" : cfg.image());
        o.put("ImageID", imageId(cfg.imageId()));
        o.put("Command", String.join(" ", argv(cfg)));
        o.put("Created", epoch(cfg.created()));
        ArrayNode ports = o.putArray("Ports");
        for (PortMapping m : cfg.portMappings()) {
            for (int i = 0; i < m.range(); i++) {
                ObjectNode p = ports.addObject();
                p.put("IP", m.hostIp().isEmpty() ? "0.0.0.0" : m.hostIp());
                p.put("PrivatePort", m.containerPort() + i);
                p.put("PublicPort", m.hostPort() + i);
                p.put("Type", m.protocol());
            }
        }
        o.set("Labels", map(cfg.labels()));
        o.put("State", dockerState(c.state().status()));
        o.put("Status", statusText(c.state(), now));
        o.putObject("HostConfig").put("NetworkMode", networkMode(cfg));
        o.putObject("NetworkSettings").putObject("Networks");
        o.set("Mounts", dockerMounts(cfg.mounts()));
        return o;
    }

    ArrayNode dockerMounts(List<Mount> mounts) {
        ArrayNode a = array();
        for (Mount m : mounts) {
            ObjectNode o = a.addObject();
            o.put("Type", m.type() == null ? "bind" : m.type());
            if ("volume".equals(m.type())) {
                o.put("Name", m.source());
                o.put("Driver", "local");
            }
            o.put("Source", m.source());
            o.put("Destination", m.destination());
            o.put("Mode", String.join(",", m.options()));
            o.put("RW", !m.options().contains("ro"));
            o.put("Propagation", "rprivate");
        }
        return a;
    }

    /** Docker's {@code NetworkSettings.Ports}: {@code "80/tcp": [{"HostIp", "HostPort"}]}. */
    ObjectNode dockerPorts(List<PortMapping> mappings) {
        ObjectNode ports = object();
        for (PortMapping m : mappings) {
            for (int i = 0; i < m.range(); i++) {
                ArrayNode a = ports.has((m.containerPort() + i) + "/" + m.protocol())
                        ? (ArrayNode) ports.get((m.containerPort() + i) + "/" + m.protocol())
                        : ports.putArray((m.containerPort() + i) + "/" + m.protocol());
                ObjectNode b = a.addObject();
                b.put("HostIp", m.hostIp().isEmpty() ? "0.0.0.0" : m.hostIp());
                b.put("HostPort", String.valueOf(m.hostPort() + i));
            }
        }
        return ports;
    }

    ObjectNode dockerInspect(Container c, String logPath, String driver,
            Map<String, io.jpod.api.NetworkAttachment> attachments, String defaultNetwork) {
        ContainerConfig cfg = c.config();
        ContainerState st = c.state();
        List<String> argv = argv(cfg);
        ObjectNode o = object();
        o.put("Id", c.id());
        o.put("Created", time(cfg.created()));
        o.put("Path", argv.isEmpty() ? "" : argv.get(0));
        o.set("Args", strings(argv.isEmpty() ? List.of() : argv.subList(1, argv.size())));
        ObjectNode s = o.putObject("State");
        s.put("Status", dockerState(st.status()));
        s.put("Running", st.status() == ContainerStatus.RUNNING || st.status() == ContainerStatus.PAUSED);
        s.put("Paused", st.status() == ContainerStatus.PAUSED);
        s.put("Restarting", false);
        s.put("OOMKilled", st.oomKilled());
        s.put("Dead", false);
        s.put("Pid", st.pid());
        s.put("ExitCode", st.exitCode());
        s.put("Error", st.error() == null ? "" : st.error());
        s.put("StartedAt", time(st.startedAt()));
        s.put("FinishedAt", time(st.finishedAt()));
        o.put("Image", imageId(cfg.imageId()));
        String runDir = st.runDir() == null ? "" : st.runDir();
        o.put("ResolvConfPath", runDir.isEmpty() ? "" : runDir + "/resolv.conf");
        o.put("HostnamePath", runDir.isEmpty() ? "" : runDir + "/hostname");
        o.put("HostsPath", runDir.isEmpty() ? "" : runDir + "/hosts");
        o.put("LogPath", logPath == null ? "" : logPath);
        o.put("Name", "/" + c.name());
        o.put("RestartCount", st.restartCount());
        o.put("Driver", driver == null ? "" : driver);
        o.put("Platform", "linux");
        o.put("MountLabel", "");
        o.put("ProcessLabel", "");
        o.put("AppArmorProfile", "");
        o.putNull("ExecIDs");
        ObjectNode hc = o.putObject("HostConfig");
        ArrayNode binds = hc.putArray("Binds");
        for (Mount m : cfg.mounts()) {
            if (m.type() == null || "bind".equals(m.type())) {
                binds.add(m.source() + ":" + m.destination() + (m.options().contains("ro") ? ":ro" : ""));
            }
        }
        hc.put("NetworkMode", cfg.networks().isEmpty() ? networkMode(cfg) : cfg.networks().get(0));
        hc.set("PortBindings", dockerPorts(cfg.portMappings()));
        restartPolicy(hc, cfg);
        hc.putObject("LogConfig").put("Type", "k8s-file").putObject("Config");
        hc.put("Runtime", cfg.ociRuntime() == null ? "" : cfg.ociRuntime());
        ObjectNode gd = o.putObject("GraphDriver");
        gd.put("Name", driver == null ? "" : driver);
        ObjectNode gdd = gd.putObject("Data");
        if (st.mountPoint() != null) {
            gdd.put("MergedDir", st.mountPoint());
        }
        o.set("Mounts", dockerMounts(cfg.mounts()));
        ObjectNode conf = o.putObject("Config");
        conf.put("Hostname", cfg.hostname() == null ? c.id().substring(0, 12) : cfg.hostname());
        conf.put("Domainname", "");
        conf.put("User", cfg.user() == null ? "" : cfg.user());
        conf.put("AttachStdin", cfg.stdin());
        conf.put("AttachStdout", true);
        conf.put("AttachStderr", true);
        conf.put("Tty", cfg.terminal());
        conf.put("OpenStdin", cfg.stdin());
        conf.put("StdinOnce", false);
        conf.set("Env", strings(cfg.env()));
        conf.set("Cmd", strings(cfg.command()));
        conf.put("Image", cfg.image() == null ? "" : cfg.image());
        conf.putNull("Volumes");
        conf.put("WorkingDir", cfg.workingDir() == null ? "" : cfg.workingDir());
        if (cfg.entrypoint().isEmpty()) {
            conf.putNull("Entrypoint");
        } else {
            conf.set("Entrypoint", strings(cfg.entrypoint()));
        }
        conf.putNull("OnBuild");
        conf.set("Labels", map(cfg.labels()));
        conf.put("StopSignal", io.jpod.api.Signals.name(cfg.stopSignal()));
        conf.put("StopTimeout", cfg.stopTimeout());
        ObjectNode ns = o.putObject("NetworkSettings");
        ns.put("Bridge", "");
        ns.put("SandboxID", "");
        ns.put("HairpinMode", false);
        ns.set("Ports", dockerPorts(cfg.portMappings()));
        ns.put("SandboxKey", st.netNsPath() == null ? "" : st.netNsPath());
        ns.put("IPAddress", "");
        ns.put("IPPrefixLen", 0);
        ns.put("Gateway", "");
        ns.put("MacAddress", "");
        ObjectNode nets = ns.putObject("Networks");
        boolean first = true;
        for (Map.Entry<String, io.jpod.api.NetworkAttachment> e : attachments.entrySet()) {
            io.jpod.api.NetworkAttachment a = e.getValue();
            if (a.addresses().isEmpty()) {
                continue;
            }
            String cidr = a.addresses().get(0);
            int slash = cidr.indexOf('/');
            String ip = slash < 0 ? cidr : cidr.substring(0, slash);
            int len = slash < 0 ? 32 : Integer.parseInt(cidr.substring(slash + 1));
            String name = e.getKey().equals(defaultNetwork) ? "bridge" : e.getKey();
            ObjectNode n = nets.putObject(name);
            dockerIpamConfig(n, cfg.networkOptions(e.getKey()));
            n.put("NetworkID", "");
            n.put("EndpointID", "");
            n.put("IPAddress", ip);
            n.put("IPPrefixLen", len);
            n.put("Gateway", a.gateway());
            n.put("MacAddress", a.macAddress());
            if (first) {
                ns.put("IPAddress", ip);
                ns.put("IPPrefixLen", len);
                ns.put("Gateway", a.gateway());
                ns.put("MacAddress", a.macAddress());
                first = false;
            }
        }
        // not running: the networks as configured, with the static settings asked for (as Docker shows them)
        if (first && bridgeMode(cfg)) {
            List<String> configured = cfg.networks().isEmpty() ? List.of(defaultNetwork) : cfg.networks();
            for (String net : configured) {
                io.jpod.api.PerNetworkOptions opts = cfg.networkOptions(net);
                ObjectNode n = nets.putObject(net.equals(defaultNetwork) ? "bridge" : net);
                dockerIpamConfig(n, opts);
                n.put("NetworkID", "");
                n.put("EndpointID", "");
                n.put("IPAddress", "");
                n.put("IPPrefixLen", 0);
                n.put("Gateway", "");
                n.put("MacAddress", opts.staticMac() == null ? "" : opts.staticMac());
            }
        }
        String mac = cfg.networkOptions(cfg.networks().isEmpty() ? defaultNetwork : cfg.networks().get(0)).staticMac();
        if (mac != null) {
            conf.put("MacAddress", mac);
        }
        return o;
    }

    private static boolean bridgeMode(ContainerConfig cfg) {
        String mode = cfg.networkMode();
        return mode == null || mode.isEmpty() || mode.equals("bridge");
    }

    /** Docker's endpoint {@code IPAMConfig}: the static address asked for, or null. */
    private static void dockerIpamConfig(ObjectNode endpoint, io.jpod.api.PerNetworkOptions opts) {
        if (opts.staticIps().isEmpty()) {
            endpoint.putNull("IPAMConfig");
        } else {
            endpoint.putObject("IPAMConfig").put("IPv4Address", opts.staticIps().get(0));
        }
    }

    /** The HostConfig fields both inspect shapes share. */
    private static void restartPolicy(ObjectNode hc, ContainerConfig cfg) {
        ObjectNode rp = hc.putObject("RestartPolicy");
        rp.put("Name", "no".equals(cfg.restartPolicy()) ? "" : cfg.restartPolicy());
        rp.put("MaximumRetryCount", cfg.restartRetries());
        hc.put("AutoRemove", cfg.autoRemove());
        hc.put("Privileged", false);
    }

    ObjectNode dockerImageSummary(ImageInfo i) {
        ObjectNode o = object();
        o.put("Id", imageId(i.id()));
        o.put("ParentId", "");
        o.set("RepoTags", strings(i.names()));
        o.set("RepoDigests", repoDigests(i));
        o.put("Created", epoch(i.created()));
        o.put("Size", i.size());
        o.put("SharedSize", -1);
        o.put("VirtualSize", i.size());
        o.set("Labels", map(i.config().labels()));
        o.put("Containers", -1);
        return o;
    }

    ArrayNode repoDigests(ImageInfo i) {
        ArrayNode digests = array();
        if (i.digest() != null) {
            for (String n : i.names()) {
                digests.add(repo(n) + "@" + i.digest());
            }
        }
        return digests;
    }

    static String repo(String name) {
        int slash = name.lastIndexOf('/');
        int colon = name.lastIndexOf(':');
        return colon > slash ? name.substring(0, colon) : name;
    }

    ObjectNode imageConfig(ImageConfig c) {
        ObjectNode o = object();
        o.put("User", c.user() == null ? "" : c.user());
        ObjectNode ports = object();
        c.exposedPorts().forEach(p -> ports.putObject(p));
        if (!c.exposedPorts().isEmpty()) {
            o.set("ExposedPorts", ports);
        }
        o.set("Env", strings(c.env()));
        o.set("Cmd", strings(c.cmd()));
        if (!c.entrypoint().isEmpty()) {
            o.set("Entrypoint", strings(c.entrypoint()));
        } else {
            o.putNull("Entrypoint");
        }
        ObjectNode vols = object();
        c.volumes().forEach(v -> vols.putObject(v));
        if (!c.volumes().isEmpty()) {
            o.set("Volumes", vols);
        }
        o.put("WorkingDir", c.workingDir() == null ? "" : c.workingDir());
        o.set("Labels", map(c.labels()));
        if (c.stopSignal() != null) {
            o.put("StopSignal", c.stopSignal());
        }
        return o;
    }

    ObjectNode dockerImageInspect(ImageInfo i, String driver) {
        ObjectNode o = dockerImageSummary(i);
        o.remove("ParentId");
        o.remove("SharedSize");
        o.remove("Containers");
        o.remove("Labels");
        o.put("Parent", "");
        o.put("Comment", "");
        o.put("Created", time(i.created()));
        o.put("DockerVersion", "");
        o.put("Author", "");
        o.set("Config", imageConfig(i.config()));
        o.put("Architecture", Shapes.goArch());
        o.put("Os", "linux");
        ObjectNode gd = o.putObject("GraphDriver");
        gd.put("Name", driver == null ? "" : driver);
        gd.putObject("Data");
        ObjectNode rootfs = o.putObject("RootFS");
        rootfs.put("Type", "layers");
        rootfs.set("Layers", strings(i.layers().stream().map(Shapes::imageId).toList()));
        o.putObject("Metadata").put("LastTagTime", ZERO_TIME);
        return o;
    }

    static String goArch() {
        String a = System.getProperty("os.arch");
        return switch (a) {
            case "x86_64", "amd64" -> "amd64";
            case "aarch64" -> "arm64";
            default -> a;
        };
    }

    /**
     * An event as both APIs stream it (Docker's events.Message). Docker names a container's exit
     * {@code die}, libpod {@code died}; podman's clients drop an event without {@code containerExitCode}.
     */
    ObjectNode event(Event e, boolean libpod) {
        ObjectNode o = object();
        String type = e.type().word();
        String action = !libpod && "died".equals(e.status()) ? "die" : e.status();
        o.put("status", action);
        if (e.id() != null) {
            o.put("id", e.id());
        }
        if (e.image() != null) {
            o.put("from", e.image());
        }
        o.put("Type", type);
        o.put("Action", action);
        ObjectNode actor = o.putObject("Actor");
        actor.put("ID", e.id() == null ? "" : e.id());
        ObjectNode attrs = actor.putObject("Attributes");
        e.attributes().forEach(attrs::put);
        if (e.name() != null) {
            attrs.put("name", e.name());
        }
        if (e.image() != null) {
            attrs.put("image", e.image());
        }
        if (e.exitCode() != null) {
            attrs.put("exitCode", String.valueOf(e.exitCode()));
        }
        if (libpod) {
            attrs.put("containerExitCode", String.valueOf(e.exitCode() == null ? 0 : e.exitCode()));
        }
        o.put("scope", "local");
        o.put("time", e.time().getEpochSecond());
        o.put("timeNano", e.time().getEpochSecond() * 1_000_000_000L + e.time().getNano());
        return o;
    }

    // ------------------------------------------------------------------------------------ libpod

    ObjectNode libpodListItem(Container c) {
        ContainerConfig cfg = c.config();
        ContainerState st = c.state();
        ObjectNode o = object();
        o.put("AutoRemove", cfg.autoRemove());
        o.set("Command", strings(argv(cfg)));
        o.put("Created", time(cfg.created()));
        o.put("CreatedAt", "");
        o.put("Exited", st.status() == ContainerStatus.EXITED || st.status() == ContainerStatus.STOPPED);
        o.put("ExitedAt", st.finishedAt() == null ? -62135596800L : epoch(st.finishedAt()));
        o.put("ExitCode", st.exitCode());
        o.put("Id", c.id());
        o.put("Image", cfg.image() == null ? "" : cfg.image());
        o.put("ImageID", bare(cfg.imageId()));
        o.put("IsInfra", false);
        o.set("Labels", map(cfg.labels()));
        o.set("Mounts", strings(cfg.mounts().stream().map(Mount::destination).toList()));
        o.set("Names", strings(List.of(c.name())));
        o.putObject("Namespaces");
        o.set("Networks", strings(cfg.networks()));
        o.put("Pid", st.pid());
        o.put("Pod", cfg.pod() == null ? "" : cfg.pod());
        o.put("PodName", "");
        if (cfg.portMappings().isEmpty()) {
            o.putNull("Ports");
        } else {
            ArrayNode ports = o.putArray("Ports");
            for (PortMapping m : cfg.portMappings()) {
                ObjectNode p = ports.addObject();
                p.put("host_ip", m.hostIp());
                p.put("container_port", m.containerPort());
                p.put("host_port", m.hostPort());
                p.put("range", m.range());
                p.put("protocol", m.protocol());
            }
        }
        o.putNull("Size");
        o.put("StartedAt", st.startedAt() == null ? -62135596800L : epoch(st.startedAt()));
        o.put("State", st.status().word());
        o.put("Status", "");
        return o;
    }

    ObjectNode libpodInspect(Container c, String logPath, String driver,
            Map<String, io.jpod.api.NetworkAttachment> attachments) {
        ContainerConfig cfg = c.config();
        ContainerState st = c.state();
        List<String> argv = argv(cfg);
        ObjectNode o = object();
        o.put("Id", c.id());
        o.put("Created", time(cfg.created()));
        o.put("Path", argv.isEmpty() ? "" : argv.get(0));
        o.set("Args", strings(argv.isEmpty() ? List.of() : argv.subList(1, argv.size())));
        ObjectNode s = o.putObject("State");
        s.put("OciVersion", "1.0.2");
        s.put("Status", st.status().word());
        s.put("Running", st.status() == ContainerStatus.RUNNING);
        s.put("Paused", st.status() == ContainerStatus.PAUSED);
        s.put("Restarting", false);
        s.put("OOMKilled", st.oomKilled());
        s.put("Dead", false);
        s.put("Pid", st.pid());
        s.put("ConmonPid", st.conmonPid());
        s.put("ExitCode", st.exitCode());
        s.put("Error", st.error() == null ? "" : st.error());
        s.put("StartedAt", time(st.startedAt()));
        s.put("FinishedAt", time(st.finishedAt()));
        s.put("CheckpointedAt", ZERO_TIME);
        s.put("RestoredAt", ZERO_TIME);
        o.put("Image", bare(cfg.imageId()));
        o.put("ImageName", cfg.image() == null ? "" : cfg.image());
        o.put("Rootfs", cfg.rootfs() == null ? "" : cfg.rootfs());
        o.put("Pod", cfg.pod() == null ? "" : cfg.pod());
        String runDir = st.runDir() == null ? "" : st.runDir();
        o.put("ResolvConfPath", runDir.isEmpty() ? "" : runDir + "/resolv.conf");
        o.put("HostnamePath", runDir.isEmpty() ? "" : runDir + "/hostname");
        o.put("HostsPath", runDir.isEmpty() ? "" : runDir + "/hosts");
        o.put("OCIConfigPath", runDir.isEmpty() ? "" : runDir + "/config.json");
        o.put("OCIRuntime", cfg.ociRuntime() == null ? "" : cfg.ociRuntime());
        o.put("ConmonPidFile", runDir.isEmpty() ? "" : runDir + "/conmon.pid");
        o.put("Name", c.name());
        o.put("RestartCount", st.restartCount());
        o.put("Driver", driver == null ? "" : driver);
        o.put("MountLabel", "");
        o.put("ProcessLabel", "");
        o.put("AppArmorProfile", "");
        o.set("ExecIDs", array());
        ObjectNode gd = o.putObject("GraphDriver");
        gd.put("Name", driver == null ? "" : driver);
        ObjectNode gdd = gd.putObject("Data");
        if (st.mountPoint() != null) {
            gdd.put("MergedDir", st.mountPoint());
        }
        ArrayNode mounts = o.putArray("Mounts");
        for (Mount m : cfg.mounts()) {
            ObjectNode x = mounts.addObject();
            x.put("Type", m.type() == null ? "bind" : m.type());
            x.put("Source", m.source());
            x.put("Destination", m.destination());
            x.put("Driver", "");
            x.put("Mode", "");
            x.set("Options", strings(m.options()));
            x.put("RW", !m.options().contains("ro"));
            x.put("Propagation", "rprivate");
        }
        o.set("Dependencies", array());
        ObjectNode ns = o.putObject("NetworkSettings");
        ns.put("EndpointID", "");
        ns.put("Gateway", "");
        ns.put("IPAddress", "");
        ns.put("IPPrefixLen", 0);
        ns.put("MacAddress", "");
        ns.put("Bridge", "");
        ns.put("SandboxID", "");
        ns.put("HairpinMode", false);
        ns.put("SandboxKey", st.netNsPath() == null ? "" : st.netNsPath());
        ns.set("Ports", dockerPorts(cfg.portMappings()));
        ObjectNode nets = ns.putObject("Networks");
        for (Map.Entry<String, io.jpod.api.NetworkAttachment> e : attachments.entrySet()) {
            io.jpod.api.NetworkAttachment a = e.getValue();
            if (!a.addresses().isEmpty()) {
                String cidr = a.addresses().get(0);
                int slash = cidr.indexOf('/');
                ObjectNode n = nets.putObject(e.getKey());
                n.put("EndpointID", "");
                n.put("Gateway", a.gateway());
                n.put("IPAddress", slash < 0 ? cidr : cidr.substring(0, slash));
                n.put("IPPrefixLen", slash < 0 ? 32 : Integer.parseInt(cidr.substring(slash + 1)));
                n.put("MacAddress", a.macAddress());
                n.put("NetworkID", e.getKey());
                if (ns.path("IPAddress").asText().isEmpty()) {
                    ns.put("IPAddress", n.get("IPAddress").asText());
                    ns.put("IPPrefixLen", n.get("IPPrefixLen").asInt());
                    ns.put("Gateway", a.gateway());
                    ns.put("MacAddress", a.macAddress());
                }
            }
        }
        o.put("Namespace", cfg.namespace());
        o.put("IsInfra", false);
        o.put("IsService", false);
        ObjectNode conf = o.putObject("Config");
        conf.put("Hostname", cfg.hostname() == null ? c.id().substring(0, 12) : cfg.hostname());
        conf.put("Domainname", "");
        conf.put("User", cfg.user() == null ? "" : cfg.user());
        conf.put("AttachStdin", false);
        conf.put("AttachStdout", false);
        conf.put("AttachStderr", false);
        conf.put("Tty", cfg.terminal());
        conf.put("OpenStdin", cfg.stdin());
        conf.put("StdinOnce", false);
        conf.set("Env", strings(cfg.env()));
        conf.set("Cmd", strings(cfg.command()));
        conf.put("Image", cfg.image() == null ? "" : cfg.image());
        conf.putNull("Volumes");
        conf.put("WorkingDir", cfg.workingDir() == null ? "/" : cfg.workingDir());
        conf.put("Entrypoint", String.join(" ", cfg.entrypoint()));
        conf.putNull("OnBuild");
        conf.set("Labels", map(cfg.labels()));
        conf.set("Annotations", map(cfg.annotations()));
        conf.put("StopSignal", cfg.stopSignal());
        conf.put("StopTimeout", cfg.stopTimeout());
        conf.put("Umask", "0022");
        conf.put("Timeout", 0);
        ObjectNode hc = o.putObject("HostConfig");
        ArrayNode binds = hc.putArray("Binds");
        for (Mount m : cfg.mounts()) {
            if (m.type() == null || "bind".equals(m.type())) {
                binds.add(m.source() + ":" + m.destination() + (m.options().isEmpty() ? "" : ":"
                        + String.join(",", m.options())));
            }
        }
        hc.put("NetworkMode", networkMode(cfg));
        hc.set("PortBindings", dockerPorts(cfg.portMappings()));
        restartPolicy(hc, cfg);
        hc.putObject("LogConfig").put("Type", "k8s-file").put("Path", logPath == null ? "" : logPath);
        hc.put("Runtime", "oci");
        return o;
    }

    ObjectNode libpodImageSummary(ImageInfo i) {
        ObjectNode o = dockerImageSummary(i);
        o.put("Id", bare(i.id()));
        o.put("SharedSize", 0);
        o.put("Containers", 0);
        o.set("Names", strings(i.names()));
        o.put("Digest", i.digest() == null ? "" : i.digest());
        o.set("History", strings(i.names()));
        return o;
    }

    ObjectNode libpodImageInspect(ImageInfo i, String driver) {
        ObjectNode o = object();
        o.put("Id", bare(i.id()));
        o.put("Digest", i.digest() == null ? "" : i.digest());
        o.set("RepoTags", strings(i.names()));
        o.set("RepoDigests", repoDigests(i));
        o.put("Parent", "");
        o.put("Comment", "");
        o.put("Created", time(i.created()));
        o.set("Config", imageConfig(i.config()));
        o.put("Version", "");
        o.put("Author", "");
        o.put("Architecture", goArch());
        o.put("Os", "linux");
        o.put("Size", i.size());
        o.put("VirtualSize", i.size());
        ObjectNode gd = o.putObject("GraphDriver");
        gd.put("Name", driver == null ? "" : driver);
        gd.putObject("Data");
        ObjectNode rootfs = o.putObject("RootFS");
        rootfs.put("Type", "layers");
        rootfs.set("Layers", strings(i.layers().stream().map(Shapes::imageId).toList()));
        o.set("Labels", map(i.config().labels()));
        o.putObject("Annotations");
        o.put("ManifestType", "application/vnd.oci.image.manifest.v1+json");
        o.put("User", i.config().user() == null ? "" : i.config().user());
        o.set("History", array());
        o.set("NamesHistory", strings(i.names()));
        return o;
    }
}
