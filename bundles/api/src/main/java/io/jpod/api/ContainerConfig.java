package io.jpod.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a container is made of: fixed at creation, as libpod's ContainerConfig. Only the lock, the
 * OCI runtime (by migration) and the name-independent fields below can change afterwards, through
 * the {@code with*} methods.
 *
 * @param id          the 64-hex-digit container ID
 * @param name        the unique name
 * @param namespace   the libpod namespace the container lives in ({@code ""} for none)
 * @param pod         the ID of the pod it belongs to, or null
 * @param lockId      the number of its lock in the lock manager
 * @param image       the image name the user gave, or null
 * @param imageId     the ID of the image its root filesystem comes from, or null
 * @param rootfs      a root filesystem directory given instead of an image, or null
 * @param command     the command, after the image's defaults were applied
 * @param entrypoint  the entrypoint, after the image's defaults were applied
 * @param env         environment as {@code KEY=VALUE} entries
 * @param workingDir  working directory inside the container
 * @param user        user (and group) to run as
 * @param hostname    the container's hostname
 * @param labels      labels
 * @param mounts      bind and other mounts
 * @param ociRuntime  the name of the OCI runtime it was created with
 * @param networks    names of the networks it joins; empty for none
 * @param networkMode {@code bridge}, {@code none}, {@code host}, {@code container:<id>} or {@code ns:<path>}
 * @param stopSignal  signal number that stops it
 * @param stopTimeout seconds to wait after the stop signal before SIGKILL
 * @param restartPolicy {@code no}, {@code on-failure}, {@code always} or {@code unless-stopped}
 * @param restartRetries the N of {@code on-failure:N}
 * @param autoRemove  remove after exit ({@code --rm})
 * @param terminal    allocate a TTY
 * @param stdin       keep stdin open
 * @param created     creation time
 * @param annotations OCI annotations
 * @param portMappings ports published on the host (bridge networks)
 * @param networkOptions per network the container joins (by name; the default network's name when it
 *                    names none), its static address and MAC address; only on bridge networks
 * @param joinedNamespaces per namespace kind ({@code ipc}, {@code uts}, {@code pid}, {@code cgroup}) that the
 *                    container does not make its own, {@code container:<id>} (that container's, as a pod's
 *                    members join its infra container's) or {@code ns:<path>} (a namespace file)
 * @param resources   cgroup resources and rlimits; {@link ContainerResources#NONE} when none were set (and for
 *                    containers stored before there were any)
 * @param security    capabilities, privileges, seccomp, devices and the like; {@link ContainerSecurity#NONE} for
 *                    podman's defaults
 * @param healthcheck its healthcheck, after the image's was merged in; null for none (and for containers stored
 *                    before there were any)
 * @param dns         its resolv.conf's nameservers, search domains and options; {@link ContainerDns#NONE} for the
 *                    host's (and for containers stored before there were any)
 */
public record ContainerConfig(
        String id,
        String name,
        String namespace,
        String pod,
        int lockId,
        String image,
        String imageId,
        String rootfs,
        List<String> command,
        List<String> entrypoint,
        List<String> env,
        String workingDir,
        String user,
        String hostname,
        Map<String, String> labels,
        List<Mount> mounts,
        String ociRuntime,
        List<String> networks,
        String networkMode,
        int stopSignal,
        long stopTimeout,
        String restartPolicy,
        int restartRetries,
        boolean autoRemove,
        boolean terminal,
        boolean stdin,
        Instant created,
        Map<String, String> annotations,
        List<PortMapping> portMappings,
        Map<String, PerNetworkOptions> networkOptions,
        Map<String, String> joinedNamespaces,
        ContainerResources resources,
        ContainerSecurity security,
        Healthcheck healthcheck,
        ContainerDns dns) {

    public ContainerConfig {
        namespace = namespace == null ? "" : namespace;
        command = command == null ? List.of() : List.copyOf(command);
        entrypoint = entrypoint == null ? List.of() : List.copyOf(entrypoint);
        env = env == null ? List.of() : List.copyOf(env);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        mounts = mounts == null ? List.of() : List.copyOf(mounts);
        networks = networks == null ? List.of() : List.copyOf(networks);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
        portMappings = portMappings == null ? List.of() : List.copyOf(portMappings);
        networkOptions = networkOptions == null ? Map.of() : Map.copyOf(networkOptions);
        restartPolicy = restartPolicy == null || restartPolicy.isEmpty() ? "no" : restartPolicy;
        joinedNamespaces = joinedNamespaces == null ? Map.of() : Map.copyOf(joinedNamespaces);
        resources = resources == null ? ContainerResources.NONE : resources;
        security = security == null ? ContainerSecurity.NONE : security;
        dns = dns == null ? ContainerDns.NONE : dns;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public ContainerConfig withLockId(int newLockId) {
        return toBuilder().lockId(newLockId).build();
    }

    /** The networks change with {@code network connect} and {@code disconnect}. */
    public ContainerConfig withNetworks(List<String> newNetworks) {
        return toBuilder().networks(newNetworks).build();
    }

    /** The networks and their options, as {@code network connect --ip} and {@code disconnect} change them. */
    public ContainerConfig withNetworks(List<String> newNetworks, Map<String, PerNetworkOptions> newOptions) {
        return toBuilder().networks(newNetworks).networkOptions(newOptions).build();
    }

    /** The options for one network; {@link PerNetworkOptions#NONE} when none were given. */
    public PerNetworkOptions networkOptions(String network) {
        return networkOptions.getOrDefault(network, PerNetworkOptions.NONE);
    }

    public ContainerConfig withOciRuntime(String runtime) {
        return toBuilder().ociRuntime(runtime).build();
    }

    /** The resources change with {@code update}. */
    public ContainerConfig withResources(ContainerResources newResources) {
        return toBuilder().resources(newResources).build();
    }

    /** The restart policy changes with {@code update --restart}. */
    public ContainerConfig withRestartPolicy(String policy, int retries) {
        return toBuilder().restartPolicy(policy).restartRetries(retries).build();
    }

    /** A builder, so that callers set only what they mean. */
    public static final class Builder {
        private String id, name, namespace = "", pod, image, imageId, rootfs, workingDir, user, hostname,
                ociRuntime, networkMode, restartPolicy = "no";
        private int lockId = -1, stopSignal = 15, restartRetries;
        private long stopTimeout = 10;
        private boolean autoRemove, terminal, stdin;
        private List<String> command = List.of(), entrypoint = List.of(), env = List.of(), networks = List.of();
        private Map<String, String> labels = Map.of(), annotations = Map.of();
        private List<Mount> mounts = List.of();
        private List<PortMapping> portMappings = List.of();
        private Map<String, PerNetworkOptions> networkOptions = Map.of();
        private Map<String, String> joinedNamespaces = Map.of();
        private Healthcheck healthcheck;
        private Instant created;
        private ContainerResources resources = ContainerResources.NONE;
        private ContainerSecurity security = ContainerSecurity.NONE;
        private ContainerDns dns = ContainerDns.NONE;

        Builder() {
        }

        Builder(ContainerConfig c) {
            id = c.id; name = c.name; namespace = c.namespace; pod = c.pod; lockId = c.lockId; image = c.image;
            imageId = c.imageId; rootfs = c.rootfs; command = c.command; entrypoint = c.entrypoint; env = c.env;
            workingDir = c.workingDir; user = c.user; hostname = c.hostname; labels = c.labels; mounts = c.mounts;
            ociRuntime = c.ociRuntime; networks = c.networks; networkMode = c.networkMode; stopSignal = c.stopSignal;
            stopTimeout = c.stopTimeout; restartPolicy = c.restartPolicy; restartRetries = c.restartRetries;
            autoRemove = c.autoRemove; terminal = c.terminal; stdin = c.stdin; created = c.created;
            annotations = c.annotations;
            portMappings = c.portMappings;
            networkOptions = c.networkOptions;
            joinedNamespaces = c.joinedNamespaces;
            resources = c.resources;
            security = c.security;
            healthcheck = c.healthcheck;
            dns = c.dns;
        }

        public Builder id(String v) { id = v; return this; }
        public Builder name(String v) { name = v; return this; }
        public Builder namespace(String v) { namespace = v; return this; }
        public Builder pod(String v) { pod = v; return this; }
        public Builder lockId(int v) { lockId = v; return this; }
        public Builder image(String v) { image = v; return this; }
        public Builder imageId(String v) { imageId = v; return this; }
        public Builder rootfs(String v) { rootfs = v; return this; }
        public Builder command(List<String> v) { command = v; return this; }
        public Builder entrypoint(List<String> v) { entrypoint = v; return this; }
        public Builder env(List<String> v) { env = v; return this; }
        public Builder workingDir(String v) { workingDir = v; return this; }
        public Builder user(String v) { user = v; return this; }
        public Builder hostname(String v) { hostname = v; return this; }
        public Builder labels(Map<String, String> v) { labels = v; return this; }
        public Builder mounts(List<Mount> v) { mounts = v; return this; }
        public Builder ociRuntime(String v) { ociRuntime = v; return this; }
        public Builder networks(List<String> v) { networks = v; return this; }
        public Builder networkMode(String v) { networkMode = v; return this; }
        public Builder stopSignal(int v) { stopSignal = v; return this; }
        public Builder stopTimeout(long v) { stopTimeout = v; return this; }
        public Builder restartPolicy(String v) { restartPolicy = v; return this; }
        public Builder restartRetries(int v) { restartRetries = v; return this; }
        public Builder autoRemove(boolean v) { autoRemove = v; return this; }
        public Builder terminal(boolean v) { terminal = v; return this; }
        public Builder stdin(boolean v) { stdin = v; return this; }
        public Builder created(Instant v) { created = v; return this; }
        public Builder annotations(Map<String, String> v) { annotations = v; return this; }
        public Builder portMappings(List<PortMapping> v) { portMappings = v; return this; }
        public Builder networkOptions(Map<String, PerNetworkOptions> v) { networkOptions = v; return this; }
        public Builder joinedNamespaces(Map<String, String> v) { joinedNamespaces = v; return this; }
        public Builder healthcheck(Healthcheck v) { healthcheck = v; return this; }
        public Builder resources(ContainerResources v) { resources = v; return this; }
        public Builder security(ContainerSecurity v) { security = v; return this; }
        public Builder dns(ContainerDns v) { dns = v; return this; }

        public ContainerConfig build() {
            return new ContainerConfig(id, name, namespace, pod, lockId, image, imageId, rootfs, command, entrypoint,
                    env, workingDir, user, hostname, labels, mounts, ociRuntime, networks, networkMode, stopSignal,
                    stopTimeout, restartPolicy, restartRetries, autoRemove, terminal, stdin, created, annotations,
                    portMappings, networkOptions, joinedNamespaces, resources, security,
                    healthcheck, dns);
        }
    }
}
