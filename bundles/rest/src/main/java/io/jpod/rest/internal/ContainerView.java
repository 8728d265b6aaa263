package io.jpod.rest.internal;

import static io.jpod.rest.internal.Shapes.ZERO_TIME;
import static io.jpod.rest.internal.Shapes.bare;
import static io.jpod.rest.internal.Shapes.epoch;
import static io.jpod.rest.internal.Shapes.imageId;
import static io.jpod.rest.internal.Shapes.time;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpod.api.Container;
import io.jpod.api.ContainerConfig;
import io.jpod.api.ContainerState;
import io.jpod.api.ContainerStatus;
import io.jpod.api.Mount;
import io.jpod.api.NetworkAttachment;
import io.jpod.api.PerNetworkOptions;
import io.jpod.api.PortMapping;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import io.jpod.api.text.HumanDuration;

/** A container as Docker's and libpod's list and inspect show it. */
final class ContainerView {
    private final Shapes shapes;

    ContainerView(Shapes shapes) {
        this.shapes = shapes;
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
            case RUNNING, STOPPING -> "Up " + HumanDuration.of(Duration.between(orNow(st.startedAt(), now), now));
            case PAUSED -> "Up " + HumanDuration.of(Duration.between(orNow(st.startedAt(), now), now)) + " (Paused)";
            case STOPPED, EXITED -> st.finishedAt() == null ? "Exited (" + st.exitCode() + ")"
                    : "Exited (" + st.exitCode() + ") " + HumanDuration.ago(st.finishedAt(), now);
            case REMOVING -> "Removal In Progress";
            default -> "Created";
        };
    }

    private static Instant orNow(Instant t, Instant now) {
        return t == null ? now : t;
    }


    static List<String> argv(ContainerConfig c) {
        List<String> argv = new ArrayList<>(c.entrypoint());
        argv.addAll(c.command());
        return argv;
    }

    static String networkMode(ContainerConfig c) {
        String m = c.networkMode();
        return m == null || m.isEmpty() ? "bridge" : m;
    }

    ObjectNode dockerListItem(Container c, Instant now) {
        ContainerConfig cfg = c.config();
        ObjectNode o = shapes.object();
        o.put("Id", c.id());
        o.set("Names", shapes.strings(List.of("/" + c.name())));
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
        o.set("Labels", shapes.map(cfg.labels()));
        o.put("State", dockerState(c.state().status()));
        o.put("Status", statusText(c.state(), now));
        o.putObject("HostConfig").put("NetworkMode", networkMode(cfg));
        o.putObject("NetworkSettings").putObject("Networks");
        o.set("Mounts", dockerMounts(cfg.mounts()));
        return o;
    }

    ArrayNode dockerMounts(List<Mount> mounts) {
        ArrayNode a = shapes.array();
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
        ObjectNode ports = shapes.object();
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
            Map<String, NetworkAttachment> attachments, String defaultNetwork) {
        ContainerConfig cfg = c.config();
        ContainerState st = c.state();
        List<String> argv = argv(cfg);
        ObjectNode o = shapes.object();
        o.put("Id", c.id());
        o.put("Created", time(cfg.created()));
        o.put("Path", argv.isEmpty() ? "" : argv.get(0));
        o.set("Args", shapes.strings(argv.isEmpty() ? List.of() : argv.subList(1, argv.size())));
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
        o.put("ResolvConfPath", runFile(st, "resolv.conf"));
        o.put("HostnamePath", runFile(st, "hostname"));
        o.put("HostsPath", runFile(st, "hosts"));
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
        HostConfigView.docker(hc, cfg);
        o.set("GraphDriver", graphDriver(driver, st));
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
        conf.set("Env", shapes.strings(cfg.env()));
        conf.set("Cmd", shapes.strings(cfg.command()));
        conf.put("Image", cfg.image() == null ? "" : cfg.image());
        conf.putNull("Volumes");
        conf.put("WorkingDir", cfg.workingDir() == null ? "" : cfg.workingDir());
        if (cfg.entrypoint().isEmpty()) {
            conf.putNull("Entrypoint");
        } else {
            conf.set("Entrypoint", shapes.strings(cfg.entrypoint()));
        }
        conf.putNull("OnBuild");
        conf.set("Labels", shapes.map(cfg.labels()));
        conf.put("StopSignal", io.jpod.api.Signals.name(cfg.stopSignal()));
        conf.put("StopTimeout", cfg.stopTimeout());
        o.set("NetworkSettings", dockerNetworkSettings(cfg, st, Endpoint.attached(attachments), defaultNetwork));
        String mac = cfg.networkOptions(cfg.networks().isEmpty() ? defaultNetwork : cfg.networks().get(0)).staticMac();
        if (mac != null) {
            conf.put("MacAddress", mac);
        }
        return o;
    }

    /** A network the container is on (its first address) or, before it runs, one it is configured for. */
    private record Endpoint(String network, String ip, int prefixLen, String gateway, String mac) {
        static List<Endpoint> attached(Map<String, NetworkAttachment> attachments) {
            List<Endpoint> out = new ArrayList<>();
            attachments.forEach((network, a) -> {
                if (!a.addresses().isEmpty()) {
                    String cidr = a.addresses().get(0);
                    int slash = cidr.indexOf('/');
                    out.add(new Endpoint(network, slash < 0 ? cidr : cidr.substring(0, slash),
                            slash < 0 ? 32 : Integer.parseInt(cidr.substring(slash + 1)), a.gateway(), a.macAddress()));
                }
            });
            return out;
        }

        static Endpoint configured(String network, PerNetworkOptions opts) {
            return new Endpoint(network, "", 0, "", opts.staticMac() == null ? "" : opts.staticMac());
        }
    }

    /** Docker's NetworkSettings: the default network is named {@code bridge}, static settings show as IPAMConfig. */
    private ObjectNode dockerNetworkSettings(ContainerConfig cfg, ContainerState st, List<Endpoint> attached,
            String defaultNetwork) {
        Endpoint primary = attached.isEmpty() ? null : attached.get(0);
        List<Endpoint> shown = attached;
        // not running: the networks as configured, with the static settings asked for (as Docker shows them)
        if (attached.isEmpty() && bridgeMode(cfg)) {
            shown = (cfg.networks().isEmpty() ? List.of(defaultNetwork) : cfg.networks()).stream()
                    .map(net -> Endpoint.configured(net, cfg.networkOptions(net))).toList();
        }
        ObjectNode ns = shapes.object();
        ns.put("Bridge", "");
        ns.put("SandboxID", "");
        ns.put("HairpinMode", false);
        ns.set("Ports", dockerPorts(cfg.portMappings()));
        ns.put("SandboxKey", st.netNsPath() == null ? "" : st.netNsPath());
        ns.put("IPAddress", primary == null ? "" : primary.ip());
        ns.put("IPPrefixLen", primary == null ? 0 : primary.prefixLen());
        ns.put("Gateway", primary == null ? "" : primary.gateway());
        ns.put("MacAddress", primary == null ? "" : primary.mac());
        ObjectNode nets = ns.putObject("Networks");
        for (Endpoint e : shown) {
            ObjectNode n = nets.putObject(e.network().equals(defaultNetwork) ? "bridge" : e.network());
            dockerIpamConfig(n, cfg.networkOptions(e.network()));
            List<String> aliases = cfg.networkOptions(e.network()).aliases();
            if (aliases.isEmpty()) {
                n.putNull("Aliases");
            } else {
                aliases.forEach(n.putArray("Aliases")::add);
            }
            n.put("NetworkID", "");
            n.put("EndpointID", "");
            n.put("IPAddress", e.ip());
            n.put("IPPrefixLen", e.prefixLen());
            n.put("Gateway", e.gateway());
            n.put("MacAddress", e.mac());
        }
        return ns;
    }

    /** libpod's NetworkSettings: networks by their own names, the NetworkID being that name. */
    private ObjectNode libpodNetworkSettings(ContainerState st, List<Endpoint> attached, List<PortMapping> ports) {
        Endpoint primary = attached.isEmpty() ? null : attached.get(0);
        ObjectNode ns = shapes.object();
        ns.put("EndpointID", "");
        ns.put("Gateway", primary == null ? "" : primary.gateway());
        ns.put("IPAddress", primary == null ? "" : primary.ip());
        ns.put("IPPrefixLen", primary == null ? 0 : primary.prefixLen());
        ns.put("MacAddress", primary == null ? "" : primary.mac());
        ns.put("Bridge", "");
        ns.put("SandboxID", "");
        ns.put("HairpinMode", false);
        ns.put("SandboxKey", st.netNsPath() == null ? "" : st.netNsPath());
        ns.set("Ports", dockerPorts(ports));
        ObjectNode nets = ns.putObject("Networks");
        for (Endpoint e : attached) {
            ObjectNode n = nets.putObject(e.network());
            n.put("EndpointID", "");
            n.put("Gateway", e.gateway());
            n.put("IPAddress", e.ip());
            n.put("IPPrefixLen", e.prefixLen());
            n.put("MacAddress", e.mac());
            n.put("NetworkID", e.network());
        }
        return ns;
    }

    private static boolean bridgeMode(ContainerConfig cfg) {
        String mode = cfg.networkMode();
        return mode == null || mode.isEmpty() || mode.equals("bridge");
    }

    /** Docker's endpoint {@code IPAMConfig}: the static address asked for, or null. */
    private static void dockerIpamConfig(ObjectNode endpoint, PerNetworkOptions opts) {
        if (opts.staticIps().isEmpty()) {
            endpoint.putNull("IPAMConfig");
        } else {
            endpoint.putObject("IPAMConfig").put("IPv4Address", opts.staticIps().get(0));
        }
    }

    /** A file of the container's run directory; empty before it has one. */
    private static String runFile(ContainerState st, String name) {
        return st.runDir() == null || st.runDir().isEmpty() ? "" : st.runDir() + "/" + name;
    }

    private ObjectNode graphDriver(String driver, ContainerState st) {
        ObjectNode gd = shapes.object();
        gd.put("Name", driver == null ? "" : driver);
        ObjectNode data = gd.putObject("Data");
        if (st.mountPoint() != null) {
            data.put("MergedDir", st.mountPoint());
        }
        return gd;
    }

    /** The HostConfig fields both inspect shapes share. */
    private static void restartPolicy(ObjectNode hc, ContainerConfig cfg) {
        ObjectNode rp = hc.putObject("RestartPolicy");
        rp.put("Name", "no".equals(cfg.restartPolicy()) ? "" : cfg.restartPolicy());
        rp.put("MaximumRetryCount", cfg.restartRetries());
        hc.put("AutoRemove", cfg.autoRemove());
    }

    ObjectNode libpodListItem(Container c) {
        ContainerConfig cfg = c.config();
        ContainerState st = c.state();
        ObjectNode o = shapes.object();
        o.put("AutoRemove", cfg.autoRemove());
        o.set("Command", shapes.strings(argv(cfg)));
        o.put("Created", time(cfg.created()));
        o.put("CreatedAt", "");
        o.put("Exited", st.status() == ContainerStatus.EXITED || st.status() == ContainerStatus.STOPPED);
        o.put("ExitedAt", st.finishedAt() == null ? -62135596800L : epoch(st.finishedAt()));
        o.put("ExitCode", st.exitCode());
        o.put("Id", c.id());
        o.put("Image", cfg.image() == null ? "" : cfg.image());
        o.put("ImageID", bare(cfg.imageId()));
        o.put("IsInfra", false);
        o.set("Labels", shapes.map(cfg.labels()));
        o.set("Mounts", shapes.strings(cfg.mounts().stream().map(Mount::destination).toList()));
        o.set("Names", shapes.strings(List.of(c.name())));
        o.putObject("Namespaces");
        o.set("Networks", shapes.strings(cfg.networks()));
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
            Map<String, NetworkAttachment> attachments) {
        return libpodInspect(c, logPath, driver, attachments, null);
    }

    /** {@code defaultCaps}: the configured default capabilities, that HostConfig's CapAdd and CapDrop differ from. */
    ObjectNode libpodInspect(Container c, String logPath, String driver,
            Map<String, NetworkAttachment> attachments, List<String> defaultCaps) {
        ContainerConfig cfg = c.config();
        ContainerState st = c.state();
        List<String> argv = argv(cfg);
        ObjectNode o = shapes.object();
        o.put("Id", c.id());
        o.put("Created", time(cfg.created()));
        o.put("Path", argv.isEmpty() ? "" : argv.get(0));
        o.set("Args", shapes.strings(argv.isEmpty() ? List.of() : argv.subList(1, argv.size())));
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
        o.put("ResolvConfPath", runFile(st, "resolv.conf"));
        o.put("HostnamePath", runFile(st, "hostname"));
        o.put("HostsPath", runFile(st, "hosts"));
        o.put("OCIConfigPath", runFile(st, "config.json"));
        o.put("OCIRuntime", cfg.ociRuntime() == null ? "" : cfg.ociRuntime());
        o.put("ConmonPidFile", runFile(st, "conmon.pid"));
        o.put("Name", c.name());
        o.put("RestartCount", st.restartCount());
        o.put("Driver", driver == null ? "" : driver);
        o.put("MountLabel", "");
        o.put("ProcessLabel", "");
        o.put("AppArmorProfile", "");
        o.set("ExecIDs", shapes.array());
        o.set("GraphDriver", graphDriver(driver, st));
        ArrayNode mounts = o.putArray("Mounts");
        for (Mount m : cfg.mounts()) {
            ObjectNode x = mounts.addObject();
            x.put("Type", m.type() == null ? "bind" : m.type());
            x.put("Source", m.source());
            x.put("Destination", m.destination());
            x.put("Driver", "");
            x.put("Mode", "");
            x.set("Options", shapes.strings(m.options()));
            x.put("RW", !m.options().contains("ro"));
            x.put("Propagation", "rprivate");
        }
        o.set("Dependencies", shapes.array());
        o.set("NetworkSettings", libpodNetworkSettings(st, Endpoint.attached(attachments), cfg.portMappings()));
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
        conf.set("Env", shapes.strings(cfg.env()));
        conf.set("Cmd", shapes.strings(cfg.command()));
        conf.put("Image", cfg.image() == null ? "" : cfg.image());
        conf.putNull("Volumes");
        conf.put("WorkingDir", cfg.workingDir() == null ? "/" : cfg.workingDir());
        conf.put("Entrypoint", String.join(" ", cfg.entrypoint()));
        conf.putNull("OnBuild");
        conf.set("Labels", shapes.map(cfg.labels()));
        conf.set("Annotations", shapes.map(cfg.annotations()));
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
        HostConfigView.libpod(hc, cfg, defaultCaps);
        return o;
    }
}
