package io.jpod.oci.conmon.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpod.api.ContainerConfig;
import io.jpod.api.ContainerDns;
import io.jpod.api.ContainerResources;
import io.jpod.api.ContainerSecurity;
import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.api.Mount;
import io.jpod.api.config.ContainersConfig;
import io.jpod.api.config.JpodConfig;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.osgi.framework.FrameworkUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a container's OCI runtime-spec config.json with podman's defaults (libpod's
 * {@code generateSpec} over specgen's defaults): the process from entrypoint and command, the
 * environment, the user from the root filesystem's passwd and group files, the default capabilities,
 * rlimits clamped to the host's hard limits, podman's mounts, namespaces, masked and read-only paths,
 * sysctls, the pids limit, the cgroup path and the seccomp profile.
 *
 * <p>cgroups: the cgroupfs path is {@code /jpod_parent/jpod-<id>}, podman's
 * {@code /libpod_parent/libpod-<id>} with jpod's name, so that jpod's containers sit in one parent of
 * their own beside podman's.
 */
final class SpecGenerator {
    private static final Logger LOG = LoggerFactory.getLogger(SpecGenerator.class);

    static final BigInteger RLIM_INFINITY = new BigInteger("18446744073709551615");
    /** podman's rootful defaults when containers.conf sets no nofile/nproc ulimit (then clamped). */
    static final long DEFAULT_NOFILE = 1048576, DEFAULT_NPROC = 4194304;

    static final List<String> MASKED_PATHS = List.of("/proc/acpi", "/proc/kcore", "/proc/keys",
            "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi",
            "/sys/firmware", "/sys/fs/selinux", "/sys/dev/block", "/sys/devices/virtual/powercap");
    static final List<String> READONLY_PATHS = List.of("/proc/asound", "/proc/bus", "/proc/fs", "/proc/irq",
            "/proc/sys", "/proc/sysrq-trigger");
    /** Where {@code --init} puts catatonit in the container, as podman does. */
    static final String INIT_PATH = "/run/podman-init";
    static final String CATATONIT = "/usr/bin/catatonit";
    static final String CONTAINERENV = "/run/.containerenv";
    /** This bundle's version, for the engine line of /run/.containerenv. */
    private static final String ENGINE_VERSION = Optional.ofNullable(FrameworkUtil.getBundle(SpecGenerator.class))
            .map(b -> b.getVersion().toString()).orElse("dev");
    static final String DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private final ObjectMapper json;
    private final JpodConfig conf;
    private final HostLimits limits;
    private final ResolvConf resolvConf;

    SpecGenerator(ObjectMapper json, JpodConfig conf, HostLimits limits, Path resolvConf) {
        this.json = json;
        this.conf = conf;
        this.limits = limits;
        this.resolvConf = new ResolvConf(resolvConf);
    }

    /** The config.json for {@code cfg} with its root at {@code rootfs}; writes hosts, hostname, resolv.conf into {@code runDir}. */
    ObjectNode generate(ContainerConfig cfg, Path rootfs, String netNsPath, Path runDir) throws IOException {
        ContainersConfig cc = conf.containers();
        String mode = cfg.networkMode() == null || cfg.networkMode().isEmpty() ? "bridge" : cfg.networkMode();
        boolean hostNet = mode.equals("host");
        String hostname = cfg.hostname() != null && !cfg.hostname().isEmpty() ? cfg.hostname()
                : hostNet ? hostHostname() : cfg.id().substring(0, Math.min(12, cfg.id().length()));
        ExecUser user = ExecUser.resolve(rootfs, cfg.user());
        ContainerSecurity sec = cfg.security();
        ContainerResources resources = cfg.resources();

        ObjectNode spec = json.createObjectNode();
        spec.put("ociVersion", "1.0.2-dev");

        ObjectNode process = spec.putObject("process");
        process.put("terminal", cfg.terminal());
        ObjectNode u = process.putObject("user");
        u.put("uid", Integer.toUnsignedLong(user.uid()));
        u.put("gid", Integer.toUnsignedLong(user.gid()));
        String umask = cc.umask();
        if (umask != null && !umask.isBlank()) {
            u.put("umask", Integer.parseInt(umask.trim(), 8));
        }
        Set<Integer> gids = new LinkedHashSet<>(user.additionalGids());
        for (String g : sec.groupAdd()) {
            gids.add(ExecUser.groupId(rootfs, g));
        }
        if (!gids.isEmpty()) {
            ArrayNode ag = u.putArray("additionalGids");
            gids.forEach(g -> ag.add(Integer.toUnsignedLong(g)));
        }
        List<String> args = new ArrayList<>();
        if (sec.init()) {
            args.addAll(List.of(INIT_PATH, "--"));
        }
        args.addAll(cfg.entrypoint());
        args.addAll(cfg.command());
        if (args.size() == (sec.init() ? 2 : 0)) {
            throw new JpodException(ErrorCode.INVALID_ARG, "container " + cfg.id()
                    + " has no command: give a command or use an image with Cmd or Entrypoint");
        }
        ArrayNode a = process.putArray("args");
        args.forEach(a::add);
        ArrayNode env = process.putArray("env");
        env(cfg, cc, hostname, user).forEach((k, v) -> env.add(v == null ? k : k + "=" + v));
        process.put("cwd", cfg.workingDir() == null || cfg.workingDir().isEmpty() ? "/" : cfg.workingDir());
        List<String> caps = Capabilities.resolve(capabilities(cc), sec);
        capabilities(process.putObject("capabilities"), caps, user.uid() == 0);
        rlimits(process.putArray("rlimits"), cc.defaultUlimits(), resources.ulimits());
        process.put("noNewPrivileges", sec.noNewPrivileges());

        ObjectNode root = spec.putObject("root");
        root.put("path", rootfs.toString());
        root.put("readonly", sec.readonlyRootfs());
        spec.put("hostname", hostname);

        ArrayNode mounts = spec.putArray("mounts");
        mount(mounts, "/proc", "proc", "proc", "nosuid", "noexec", "nodev");
        mount(mounts, "/dev", "tmpfs", "tmpfs", "nosuid", "strictatime", "mode=755", "size=65536k");
        mount(mounts, "/dev/pts", "devpts", "devpts", "nosuid", "noexec", "newinstance", "ptmxmode=0666",
                "mode=0620", "gid=5");
        mount(mounts, "/dev/mqueue", "mqueue", "mqueue", "nosuid", "noexec", "nodev");
        // a privileged container's sysfs and cgroups are writable, as podman mounts them
        String sysAccess = sec.privileged() ? "rw" : "ro";
        if (hostNet) {
            // sysfs cannot be mounted without a network namespace of its own: bind the host's
            mount(mounts, "/sys", "bind", "/sys", "rprivate", "nosuid", "noexec", "nodev", sysAccess, "rbind");
        } else {
            mount(mounts, "/sys", "sysfs", "sysfs", "nosuid", "noexec", "nodev", sysAccess);
        }
        mount(mounts, "/sys/fs/cgroup", "cgroup", "cgroup", "rprivate", "nosuid", "noexec", "nodev", "relatime",
                sysAccess);
        mount(mounts, "/dev/shm", "tmpfs", "shm", "nosuid", "noexec", "nodev", "mode=1777",
                "size=" + (resources.shmSize() > 0 ? Long.toString(resources.shmSize()) : shmSize(cc.shmSize())));
        for (Map.Entry<String, String> t : new java.util.TreeMap<>(sec.tmpfs()).entrySet()) {
            // podman's defaults for --tmpfs (Docker adds noexec; podman does not)
            List<String> opts = new ArrayList<>(List.of("rw", "rprivate", "nosuid", "nodev"));
            for (String o : t.getValue().split(",")) {
                if (!o.isBlank()) {
                    opts.add(o.trim());
                }
            }
            mount(mounts, t.getKey(), "tmpfs", "tmpfs", opts.toArray(String[]::new));
        }
        if (sec.init()) {
            if (!Files.isRegularFile(Path.of(CATATONIT))) {
                throw new JpodException(ErrorCode.INVALID_ARG, "--init runs catatonit, and " + CATATONIT
                        + " is not there: install it (apt-get install catatonit) or run without --init");
            }
            mount(mounts, INIT_PATH, "bind", CATATONIT, "bind", "private", "ro");
        }
        Set<String> taken = new LinkedHashSet<>();
        for (Mount m : cfg.mounts()) {
            taken.add(m.destination());
            userMount(mounts, m);
        }
        Files.createDirectories(runDir);
        for (Map.Entry<String, String> f : etcFiles(hostname, hostNet, cfg.dns()).entrySet()) {
            if (taken.contains("/etc/" + f.getKey())) {
                continue;
            }
            Path p = runDir.resolve(f.getKey());
            Files.writeString(p, f.getValue(), StandardCharsets.UTF_8);
            mount(mounts, "/etc/" + f.getKey(), "bind", p.toString(), "bind", "rprivate");
        }
        if (!taken.contains(CONTAINERENV)) {
            // as podman's: tools look for it to know they run in a container; its details only when privileged
            Path p = runDir.resolve(".containerenv");
            Files.writeString(p, sec.privileged() ? containerEnv(cfg) : "", StandardCharsets.UTF_8);
            mount(mounts, CONTAINERENV, "bind", p.toString(), "bind", "rprivate");
        }

        ObjectNode linux = spec.putObject("linux");
        ObjectNode sysctl = linux.putObject("sysctl");
        sysctls(sysctl, cc.defaultSysctls(), hostNet);
        sec.sysctls().forEach(sysctl::put);
        ArrayNode nodes = linux.putArray("devices");
        ObjectNode res = linux.putObject("resources");
        ArrayNode dev = res.putArray("devices");
        ObjectNode deny = dev.addObject();
        deny.put("allow", false);
        deny.put("access", "rwm");
        HostDevices.add(nodes, dev, sec);
        if (nodes.isEmpty()) {
            linux.remove("devices");
        }
        CgroupResources.write(res, resources, Math.max(0, cc.pidsLimit()));
        linux.put("cgroupsPath", cgroupsPath(cfg.id()));
        ArrayNode ns = linux.putArray("namespaces");
        namespace(ns, "pid", joined(cfg, "pid"));
        namespace(ns, "ipc", joined(cfg, "ipc"));
        namespace(ns, "uts", joined(cfg, "uts"));
        namespace(ns, "mount", null);
        if (cfg.joinedNamespaces().containsKey("cgroup")) {
            namespace(ns, "cgroup", joined(cfg, "cgroup"));
        }
        if (netNsPath != null && !netNsPath.isEmpty()) {
            namespace(ns, "network", netNsPath);
        } else if (mode.startsWith("ns:")) {
            namespace(ns, "network", mode.substring(3));
        } else if (!hostNet) {
            namespace(ns, "network", null);
        }
        if (!sec.privileged()) {
            ArrayNode masked = linux.putArray("maskedPaths");
            MASKED_PATHS.forEach(masked::add);
            ArrayNode ro = linux.putArray("readonlyPaths");
            READONLY_PATHS.forEach(ro::add);
        }
        ObjectNode seccomp = seccomp(sec, cc, caps);
        if (seccomp != null) {
            linux.set("seccomp", seccomp);
        } else {
            LOG.debug("seccomp_profile is {}: container {} runs without seccomp filter", Seccomp.UNCONFINED, cfg.id());
        }

        ObjectNode ann = spec.putObject("annotations");
        for (String kv : cc.annotations()) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                ann.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        cfg.annotations().forEach(ann::put);
        ann.put("io.container.manager", "jpod");
        if (cfg.stopSignal() > 0) {
            ann.put("org.opencontainers.image.stopSignal", Integer.toString(cfg.stopSignal()));
        }
        return spec;
    }

    /**
     * The container's seccomp filter: none when privileged or {@code seccomp=unconfined} (unless a profile is
     * named), the given profile (which must be there and be JSON), or the configured one.
     */
    private ObjectNode seccomp(ContainerSecurity sec, ContainersConfig cc, List<String> caps) {
        String given = sec.seccompProfile();
        if (given == null) {
            return sec.privileged() ? null : Seccomp.load(json, cc.seccompProfile(), caps);
        }
        if (given.equals(Seccomp.UNCONFINED)) {
            return null;
        }
        JsonNode profile;
        try {
            // the docker CLI sends the profile itself, podman its path
            profile = given.startsWith("{") ? json.readTree(given) : json.readTree(Path.of(given).toFile());
        } catch (IOException e) {
            throw new JpodException(ErrorCode.INVALID_ARG, "cannot read the seccomp profile " + given + ": "
                    + e.getMessage());
        }
        if (profile == null || !profile.isObject()) {
            throw new JpodException(ErrorCode.INVALID_ARG, "the seccomp profile " + given + " is not a JSON object");
        }
        return Seccomp.convert(json, profile, caps, Seccomp.goArch());
    }

    /** podman's cgroupfs path, with jpod's names: {@code /jpod_parent/jpod-<id>}. */
    static String cgroupsPath(String id) {
        return "/jpod_parent/jpod-" + id;
    }

    private static Map<String, String> env(ContainerConfig cfg, ContainersConfig cc, String hostname, ExecUser user) {
        Map<String, String> env = new LinkedHashMap<>();
        put(env, DEFAULT_PATH);
        cc.env().forEach(e -> put(env, e));
        env.put("container", "jpod");
        if (cfg.terminal()) {
            env.put("TERM", "xterm");
        }
        cfg.env().forEach(e -> put(env, e));
        env.putIfAbsent("HOSTNAME", hostname);
        env.putIfAbsent("HOME", user.home());
        return env;
    }

    private static void put(Map<String, String> env, String kv) {
        int eq = kv.indexOf('=');
        if (eq < 0) {
            // a bare NAME comes from containers.conf or a client (podman's compat API passes the service's value);
            // an image's bare names were dropped with the image's defaults
            String host = System.getenv(kv);
            if (host != null) {
                env.put(kv, host);
            }
        } else if (eq > 0) {
            env.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
    }

    /** default_capabilities as CAP_ names. */
    static List<String> capabilities(ContainersConfig cc) {
        List<String> caps = new ArrayList<>();
        for (String c : cc.defaultCapabilities()) {
            String up = c.trim().toUpperCase(Locale.ROOT);
            caps.add(up.startsWith("CAP_") ? up : "CAP_" + up);
        }
        return caps;
    }

    /**
     * As podman: root gets the caps in bounding, effective and permitted; other users only in bounding. Never in
     * inheritable or ambient, which a program with file capabilities would gain across execve (CVE-2022-27649).
     */
    private static void capabilities(ObjectNode node, List<String> caps, boolean root) {
        for (String set : List.of("bounding", "effective", "permitted")) {
            ArrayNode a = node.putArray(set);
            if (root || set.equals("bounding")) {
                caps.forEach(a::add);
            }
        }
    }

    private void rlimits(ArrayNode out, List<String> ulimits, List<ContainerResources.Ulimit> given) {
        Map<String, long[]> want = new LinkedHashMap<>();
        want.put("RLIMIT_NOFILE", new long[] {DEFAULT_NOFILE, DEFAULT_NOFILE});
        want.put("RLIMIT_NPROC", new long[] {DEFAULT_NPROC, DEFAULT_NPROC});
        for (String ul : ulimits) {
            int eq = ul.indexOf('=');
            if (eq <= 0) {
                throw new JpodException(ErrorCode.CONFIG_INVALID, "invalid ulimit \"" + ul
                        + "\" in default_ulimits: use name=soft[:hard], e.g. nofile=1024:2048");
            }
            String name = ul.substring(0, eq).trim().toUpperCase(Locale.ROOT);
            String type = name.startsWith("RLIMIT_") ? name : "RLIMIT_" + name;
            String[] v = ul.substring(eq + 1).split(":");
            try {
                long soft = limit(v[0]);
                long hard = v.length > 1 ? limit(v[1]) : soft;
                want.put(type, new long[] {soft, hard});
            } catch (NumberFormatException e) {
                throw new JpodException(ErrorCode.CONFIG_INVALID, "invalid ulimit \"" + ul
                        + "\" in default_ulimits: soft and hard must be numbers or -1 for unlimited");
            }
        }
        Set<String> asGiven = new LinkedHashSet<>();
        for (ContainerResources.Ulimit ul : given) {
            String type = "RLIMIT_" + ul.name().toUpperCase(Locale.ROOT);
            want.put(type, new long[] {ul.soft() < 0 ? HostLimits.UNLIMITED : ul.soft(),
                    ul.hard() < 0 ? HostLimits.UNLIMITED : ul.hard()});
            asGiven.add(type);
        }
        for (Map.Entry<String, long[]> e : want.entrySet()) {
            // the defaults fit under the host's limits; what the user asks for is the runtime's to refuse
            long hard = asGiven.contains(e.getKey()) ? e.getValue()[1] : limits.clamp(e.getKey(), e.getValue()[1]);
            long soft = e.getValue()[0];
            if (hard != HostLimits.UNLIMITED && (soft == HostLimits.UNLIMITED || Long.compareUnsigned(soft, hard) > 0)) {
                soft = hard;
            }
            ObjectNode r = out.addObject();
            r.put("type", e.getKey());
            r.put("hard", unsigned(hard));
            r.put("soft", unsigned(soft));
        }
    }

    private static long limit(String s) {
        long v = Long.parseLong(s.trim());
        return v < 0 ? HostLimits.UNLIMITED : v;
    }

    private static BigInteger unsigned(long v) {
        return v == HostLimits.UNLIMITED ? RLIM_INFINITY : BigInteger.valueOf(v);
    }

    private static void sysctls(ObjectNode out, List<String> sysctls, boolean hostNet) {
        for (String s : sysctls) {
            int eq = s.indexOf('=');
            if (eq <= 0) {
                throw new JpodException(ErrorCode.CONFIG_INVALID, "invalid sysctl \"" + s
                        + "\" in default_sysctls: use key=value");
            }
            String key = s.substring(0, eq).trim();
            if (hostNet && key.startsWith("net.")) {
                continue; // as podman: the host's network namespace is not the container's to change
            }
            out.put(key, s.substring(eq + 1).trim());
        }
    }

    private static void mount(ArrayNode mounts, String dest, String type, String source, String... options) {
        ObjectNode m = mounts.addObject();
        m.put("destination", dest);
        m.put("type", type);
        m.put("source", source);
        ArrayNode o = m.putArray("options");
        for (String opt : options) {
            o.add(opt);
        }
    }

    /** A mount of the container's config: bind mounts get rbind and rprivate unless their options say otherwise. */
    private static void userMount(ArrayNode mounts, Mount m) {
        String type = m.type() == null || m.type().isEmpty() ? "bind" : m.type();
        List<String> opts = new ArrayList<>(m.options());
        if (type.equals("bind")) {
            if (!opts.contains("bind") && !opts.contains("rbind")) {
                opts.add("rbind");
            }
            if (opts.stream().noneMatch(o -> o.matches("r?(private|shared|slave|unbindable)"))) {
                opts.add("rprivate");
            }
        }
        mount(mounts, m.destination(), type, m.source() == null ? type : m.source(), opts.toArray(String[]::new));
    }

    /** podman's /run/.containerenv of a privileged container: who runs it, and its name, ID and image. */
    static String containerEnv(ContainerConfig cfg) {
        return "engine=\"jpod-" + ENGINE_VERSION + "\"\nname=" + quoted(cfg.name()) + "\nid=" + quoted(cfg.id())
                + "\nimage=" + quoted(cfg.image()) + "\nimageid=" + quoted(cfg.imageId()) + "\nrootless=0\n";
    }

    /** As Go's %q for the plain strings names and IDs are. */
    private static String quoted(String v) {
        return "\"" + (v == null ? "" : v.replace("\\", "\\\\").replace("\"", "\\\"")) + "\"";
    }

    private Map<String, String> etcFiles(String hostname, boolean hostNet, ContainerDns dns) throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("hostname", hostname + "\n");
        files.put("hosts", "127.0.0.1\tlocalhost localhost.localdomain localhost4 localhost4.localdomain4\n"
                + "::1\tlocalhost localhost.localdomain localhost6 localhost6.localdomain6\n"
                + "127.0.1.1\t" + hostname + "\n");
        String resolv = resolvConf.content(hostNet, dns);
        if (resolv != null) {
            files.put("resolv.conf", resolv);
        }
        return files;
    }

    /** The namespace file the container joins for {@code kind} (a pod's infra container's), or null for its own. */
    private static String joined(ContainerConfig cfg, String kind) {
        String v = cfg.joinedNamespaces().get(kind);
        return v != null && v.startsWith("ns:") ? v.substring(3) : null;
    }

    private static void namespace(ArrayNode ns, String type, String path) {
        ObjectNode n = ns.addObject();
        n.put("type", type);
        if (path != null) {
            n.put("path", path);
        }
    }

    /** shm_size (e.g. {@code 65536k}) as tmpfs's size option; podman's 64m when unset or unreadable. */
    static String shmSize(String v) {
        if (v == null || v.isBlank()) {
            return "65536k";
        }
        String s = v.trim().toLowerCase(Locale.ROOT).replaceAll("b$", "");
        return s.matches("\\d+[kmg]?") ? s : "65536k";
    }

    private static String hostHostname() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
