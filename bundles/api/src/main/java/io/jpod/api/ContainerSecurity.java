package io.jpod.api;

import java.util.List;
import java.util.Map;

/**
 * What a container's processes may do and see beyond podman's defaults: capabilities, privileges, the
 * seccomp filter, a read-only root, host devices, namespaced sysctls, extra groups, tmpfs mounts, an init
 * process. Null, false and empty fields mean the defaults.
 *
 * @param capAdd          capabilities added to the defaults, Docker's names with or without CAP_, or ALL
 * @param capDrop         capabilities taken from the defaults (and from those added), or ALL
 * @param privileged      every capability, every host device, no seccomp filter, no masked paths
 * @param noNewPrivileges {@code no-new-privileges}: setuid binaries and file capabilities gain nothing
 * @param seccompProfile  {@code unconfined}, the path of a profile, or null for the configured default
 * @param labelDisable    {@code label=disable}: no SELinux label (these hosts label nothing, so it is recorded)
 * @param readonlyRootfs  the root filesystem is mounted read-only
 * @param devices         host devices made in the container
 * @param sysctls         namespaced kernel parameters, e.g. {@code net.ipv4.ip_forward=1}
 * @param groupAdd        extra groups of the process, by name (from the container's /etc/group) or number
 * @param tmpfs           tmpfs mounts: the path in the container and its mount options (may be empty)
 * @param init            run catatonit as PID 1, which reaps zombies and forwards signals to the command
 */
public record ContainerSecurity(
        List<String> capAdd,
        List<String> capDrop,
        boolean privileged,
        boolean noNewPrivileges,
        String seccompProfile,
        boolean labelDisable,
        boolean readonlyRootfs,
        List<Device> devices,
        Map<String, String> sysctls,
        List<String> groupAdd,
        Map<String, String> tmpfs,
        boolean init) {

    /** The defaults. */
    public static final ContainerSecurity NONE = new ContainerSecurity(List.of(), List.of(), false, false, null, false,
            false, List.of(), Map.of(), List.of(), Map.of(), false);

    /** Capability names by number (linux/capability.h); a kernel may know fewer. */
    public static final List<String> CAPABILITIES = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH",
            "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP",
            "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW",
            "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE",
            "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME",
            "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP",
            "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND",
            "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE");

    /** A capability as the runtime spec names it: {@code net_admin} and {@code NET_ADMIN} are {@code CAP_NET_ADMIN}. */
    public static String capability(String name) {
        String up = name.trim().toUpperCase(java.util.Locale.ROOT);
        return up.startsWith("CAP_") || up.equals("ALL") ? up : "CAP_" + up;
    }

    public ContainerSecurity {
        capAdd = capAdd == null ? List.of() : List.copyOf(capAdd);
        capDrop = capDrop == null ? List.of() : List.copyOf(capDrop);
        devices = devices == null ? List.of() : List.copyOf(devices);
        sysctls = sysctls == null ? Map.of() : Map.copyOf(sysctls);
        groupAdd = groupAdd == null ? List.of() : List.copyOf(groupAdd);
        tmpfs = tmpfs == null ? Map.of() : Map.copyOf(tmpfs);
        seccompProfile = seccompProfile == null || seccompProfile.isEmpty() ? null : seccompProfile;
    }

    /**
     * The container's capabilities, as containers/common's MergeCapabilities: {@code all} when privileged; else
     * {@code defaults} with capAdd (ALL: {@code all}) and without capDrop; dropping ALL leaves only those added by
     * name. Names as the runtime spec gives them ({@code CAP_...}).
     */
    public List<String> capabilities(List<String> defaults, List<String> all) {
        if (privileged) {
            return List.copyOf(all);
        }
        List<String> add = capAdd.stream().map(ContainerSecurity::capability).toList();
        List<String> drop = capDrop.stream().map(ContainerSecurity::capability).toList();
        java.util.Set<String> caps = new java.util.LinkedHashSet<>();
        if (add.contains("ALL")) {
            caps.addAll(all);
        } else {
            if (!drop.contains("ALL")) {
                defaults.stream().map(ContainerSecurity::capability).forEach(caps::add);
            }
            caps.addAll(add);
        }
        if (!drop.contains("ALL")) {
            caps.removeAll(drop);
        }
        return List.copyOf(caps);
    }

    /**
     * A host device in the container, as {@code --device /dev/fuse:/dev/fuse:rwm}.
     *
     * @param pathOnHost      the device node on the host
     * @param pathInContainer where it appears in the container
     * @param permissions     cgroup permissions: some of {@code r}, {@code w}, {@code m}
     */
    public record Device(String pathOnHost, String pathInContainer, String permissions) {
    }

    public static Builder builder() {
        return new Builder(NONE);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** A builder, so that callers set only what they mean. */
    public static final class Builder {
        private List<String> capAdd, capDrop, groupAdd;
        private boolean privileged, noNewPrivileges, labelDisable, readonlyRootfs, init;
        private String seccompProfile;
        private List<Device> devices;
        private Map<String, String> sysctls, tmpfs;

        Builder(ContainerSecurity s) {
            capAdd = s.capAdd; capDrop = s.capDrop; privileged = s.privileged; noNewPrivileges = s.noNewPrivileges;
            seccompProfile = s.seccompProfile; labelDisable = s.labelDisable; readonlyRootfs = s.readonlyRootfs;
            devices = s.devices; sysctls = s.sysctls; groupAdd = s.groupAdd; tmpfs = s.tmpfs; init = s.init;
        }

        public Builder capAdd(List<String> v) { capAdd = v; return this; }
        public Builder capDrop(List<String> v) { capDrop = v; return this; }
        public Builder privileged(boolean v) { privileged = v; return this; }
        public Builder noNewPrivileges(boolean v) { noNewPrivileges = v; return this; }
        public Builder seccompProfile(String v) { seccompProfile = v; return this; }
        public Builder labelDisable(boolean v) { labelDisable = v; return this; }
        public Builder readonlyRootfs(boolean v) { readonlyRootfs = v; return this; }
        public Builder devices(List<Device> v) { devices = v; return this; }
        public Builder sysctls(Map<String, String> v) { sysctls = v; return this; }
        public Builder groupAdd(List<String> v) { groupAdd = v; return this; }
        public Builder tmpfs(Map<String, String> v) { tmpfs = v; return this; }
        public Builder init(boolean v) { init = v; return this; }

        public ContainerSecurity build() {
            return new ContainerSecurity(capAdd, capDrop, privileged, noNewPrivileges, seccompProfile, labelDisable,
                    readonlyRootfs, devices, sysctls, groupAdd, tmpfs, init);
        }
    }
}
