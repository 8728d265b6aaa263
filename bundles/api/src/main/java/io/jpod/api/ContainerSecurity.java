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
