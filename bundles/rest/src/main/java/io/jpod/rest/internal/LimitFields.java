package io.jpod.rest.internal;

import static io.jpod.rest.internal.CreateFields.bool;
import static io.jpod.rest.internal.CreateFields.integer;
import static io.jpod.rest.internal.CreateFields.objects;
import static io.jpod.rest.internal.CreateFields.stringMap;
import static io.jpod.rest.internal.CreateFields.strings;
import static io.jpod.rest.internal.CreateFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jpod.api.ContainerResources;
import io.jpod.api.ContainerSecurity;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A create body's resources and security options: Docker's HostConfig fields and libpod's SpecGenerator fields
 * read into {@link ContainerResources} and {@link ContainerSecurity}, and the fields of both that jpod does not
 * support refused by name when they ask for anything. What the values may be the engine checks.
 */
final class LimitFields {
    /** HostConfig fields jpod does not support; a zero value (what the docker CLI sends by default) passes. */
    static final List<String> DOCKER_REFUSED = List.of("MemorySwappiness", "KernelMemory", "KernelMemoryTCP",
            "BlkioWeightDevice", "BlkioDeviceReadBps", "BlkioDeviceWriteBps", "BlkioDeviceReadIOps",
            "BlkioDeviceWriteIOps", "CpuRealtimePeriod", "CpuRealtimeRuntime", "CpuCount", "CpuPercent",
            "IOMaximumIOps", "IOMaximumBandwidth", "DeviceCgroupRules", "DeviceRequests", "OomScoreAdj",
            "CgroupParent", "MaskedPaths", "ReadonlyPaths", "UsernsMode", "StorageOpt");
    /** SpecGenerator fields jpod does not support. */
    static final List<String> LIBPOD_REFUSED = List.of("apparmor_profile", "mask", "unmask",
            "procfs_opts", "oom_score_adj", "cgroup_parent", "device_cgroup_rule", "throttleReadBpsDevice",
            "throttleWriteBpsDevice", "throttleReadIOPSDevice", "throttleWriteIOPSDevice", "weightDevice",
            "cgroup_conf", "cpu_rt_period", "cpu_rt_runtime", "unified", "devices_from", "device_cgroup_rules",
            "shm_size_systemd", "chroot_directories");
    /** Members of resource_limits jpod does not support, with their parent. */
    private static final Map<String, List<String>> LIBPOD_RESOURCES_REFUSED = Map.of(
            "memory", List.of("kernel", "kernelTCP", "swappiness", "useHierarchy", "checkBeforeUpdate"),
            "cpu", List.of("realtimeRuntime", "realtimePeriod", "idle"),
            "blockIO", List.of("leafWeight", "weightDevice", "throttleReadBpsDevice", "throttleWriteBpsDevice",
                    "throttleReadIOPSDevice", "throttleWriteIOPSDevice"));
    private static final List<String> LIBPOD_RESOURCES = List.of("memory", "cpu", "pids", "blockIO");

    private static final ObjectMapper JSON = new ObjectMapper();

    private LimitFields() {
    }

    // ------------------------------------------------------------------------------------------- Docker

    /** HostConfig's resources (also the body of Docker's update, where {@code prefix} is empty). */
    static ContainerResources dockerResources(JsonNode hc, String prefix) {
        // -1 is the docker CLI's "not set" for swappiness
        if (!hc.path("MemorySwappiness").isNumber() || hc.path("MemorySwappiness").asLong() != -1) {
            refuse(hc, prefix, DOCKER_REFUSED);
        } else {
            refuse(hc, prefix, DOCKER_REFUSED.subList(1, DOCKER_REFUSED.size()));
        }
        ContainerResources.Builder r = ContainerResources.builder()
                .memory(integer(hc, prefix, "Memory", Long.MIN_VALUE, Long.MAX_VALUE, 0))
                .memorySwap(integer(hc, prefix, "MemorySwap", Long.MIN_VALUE, Long.MAX_VALUE, 0))
                .memoryReservation(integer(hc, prefix, "MemoryReservation", Long.MIN_VALUE, Long.MAX_VALUE, 0))
                .cpuShares(integer(hc, prefix, "CpuShares", Long.MIN_VALUE, Long.MAX_VALUE, 0))
                .cpuQuota(integer(hc, prefix, "CpuQuota", Long.MIN_VALUE, Long.MAX_VALUE, 0))
                .cpuPeriod(integer(hc, prefix, "CpuPeriod", Long.MIN_VALUE, Long.MAX_VALUE, 0))
                .nanoCpus(integer(hc, prefix, "NanoCpus", Long.MIN_VALUE, Long.MAX_VALUE, 0))
                .cpusetCpus(text(hc, prefix, "CpusetCpus")).cpusetMems(text(hc, prefix, "CpusetMems"))
                .pidsLimit(integer(hc, prefix, "PidsLimit", Long.MIN_VALUE, Long.MAX_VALUE, 0))
                .blkioWeight((int) integer(hc, prefix, "BlkioWeight", 0, 65535, 0))
                .oomKillDisable(bool(hc, prefix, "OomKillDisable"))
                .shmSize(integer(hc, prefix, "ShmSize", Long.MIN_VALUE, Long.MAX_VALUE, 0));
        List<ContainerResources.Ulimit> ulimits = new ArrayList<>();
        List<JsonNode> given = objects(hc, "Ulimits");
        for (int i = 0; i < given.size(); i++) {
            String at = prefix + "Ulimits[" + i + "].";
            JsonNode u = given.get(i);
            ulimits.add(new ContainerResources.Ulimit(text(u, at, "Name").toLowerCase(Locale.ROOT),
                    integer(u, at, "Soft", Long.MIN_VALUE, Long.MAX_VALUE, 0),
                    integer(u, at, "Hard", Long.MIN_VALUE, Long.MAX_VALUE, 0)));
        }
        return r.ulimits(ulimits).build();
    }

    static ContainerSecurity dockerSecurity(JsonNode hc) {
        String p = "HostConfig.";
        ContainerSecurity.Builder s = ContainerSecurity.builder()
                .capAdd(strings(hc.get("CapAdd"), p + "CapAdd")).capDrop(strings(hc.get("CapDrop"), p + "CapDrop"))
                .privileged(bool(hc, p, "Privileged")).readonlyRootfs(bool(hc, p, "ReadonlyRootfs"))
                .init(bool(hc, p, "Init"))
                .sysctls(stringMap(hc.get("Sysctls"), p + "Sysctls"))
                .groupAdd(strings(hc.get("GroupAdd"), p + "GroupAdd"));
        List<ContainerSecurity.Device> devices = new ArrayList<>();
        List<JsonNode> given = objects(hc, "Devices");
        for (int i = 0; i < given.size(); i++) {
            String at = p + "Devices[" + i + "].";
            JsonNode d = given.get(i);
            devices.add(new ContainerSecurity.Device(text(d, at, "PathOnHost"), text(d, at, "PathInContainer"),
                    text(d, at, "CgroupPermissions")));
        }
        s.devices(devices);
        Map<String, String> tmpfs = new java.util.LinkedHashMap<>(stringMap(hc.get("Tmpfs"), p + "Tmpfs"));
        List<JsonNode> mounts = objects(hc, "Mounts");
        for (int i = 0; i < mounts.size(); i++) {
            JsonNode m = mounts.get(i);
            if (!m.path("Type").asText().equals("tmpfs")) {
                continue;
            }
            // --mount type=tmpfs,destination=/x,tmpfs-size=1m,tmpfs-mode=1770
            String at = p + "Mounts[" + i + "].";
            JsonNode o = m.path("TmpfsOptions");
            List<String> opts = new ArrayList<>();
            long size = integer(o, at + "TmpfsOptions.", "SizeBytes", 0, Long.MAX_VALUE, 0);
            if (size > 0) {
                opts.add("size=" + size);
            }
            long mode = integer(o, at + "TmpfsOptions.", "Mode", 0, 07777, 0);
            if (mode > 0) {
                opts.add("mode=" + Long.toOctalString(mode));
            }
            if (bool(m, at, "ReadOnly")) {
                opts.add("ro");
            }
            tmpfs.put(text(m, at, "Target"), String.join(",", opts));
        }
        s.tmpfs(tmpfs);
        for (String opt : strings(hc.get("SecurityOpt"), p + "SecurityOpt")) {
            securityOpt(s, opt, p + "SecurityOpt");
        }
        return s.build();
    }

    /**
     * One of Docker's security options: {@code no-new-privileges[:true|false]}, {@code seccomp=unconfined}, the
     * profile itself (the docker CLI sends the file's contents) or a path, {@code label=disable}; others by name.
     */
    static void securityOpt(ContainerSecurity.Builder s, String opt, String field) {
        String o = opt.trim();
        int sep = o.indexOf('=');
        int colon = o.indexOf(':');
        if (sep < 0 || colon >= 0 && colon < sep) {
            sep = colon;
        }
        String key = sep < 0 ? o : o.substring(0, sep);
        String value = sep < 0 ? "" : o.substring(sep + 1);
        switch (key) {
            case "no-new-privileges" -> {
                if (!value.isEmpty() && !value.equals("true") && !value.equals("false")) {
                    throw ApiException.badRequest(field + " no-new-privileges=" + value + " is invalid: give true or "
                            + "false");
                }
                s.noNewPrivileges(!value.equals("false"));
            }
            case "seccomp" -> {
                if (value.isEmpty()) {
                    throw ApiException.badRequest(field + " seccomp needs a value: unconfined or a profile's path");
                }
                if (value.startsWith("{")) {
                    try {
                        if (!JSON.readTree(value).isObject()) {
                            throw new IOException("not an object");
                        }
                    } catch (IOException e) {
                        throw ApiException.badRequest(field + ": the seccomp profile is not a JSON object: "
                                + e.getMessage());
                    }
                }
                s.seccompProfile(value);
            }
            case "label" -> {
                if (!value.equals("disable")) {
                    throw ApiException.badRequest(field + " label=" + value + " is not supported by jpod (no SELinux"
                            + " labels on its hosts): only label=disable");
                }
                s.labelDisable(true);
            }
            default -> throw ApiException.badRequest(field + " " + (o.length() > 40 ? o.substring(0, 40) + "..." : o)
                    + " is not supported by jpod: use no-new-privileges, seccomp=unconfined|<profile> or "
                    + "label=disable");
        }
    }

    // ------------------------------------------------------------------------------------------- libpod

    /** SpecGenerator's resource_limits (or update's LinuxResources body, {@code prefix} empty), shm_size, r_limits. */
    static ContainerResources libpodResources(JsonNode rl, String prefix) {
        ContainerResources.Builder r = ContainerResources.builder();
        if (rl == null || rl.isNull() || rl.isMissingNode()) {
            return r.build();
        }
        if (!rl.isObject()) {
            throw CreateFields.wrong(prefix.isEmpty() ? "resources" : prefix.substring(0, prefix.length() - 1),
                    "an object", rl);
        }
        for (var it = rl.fieldNames(); it.hasNext();) {
            String f = it.next();
            if (!LIBPOD_RESOURCES.contains(f) && !PodCreateRequest.empty(rl.get(f))) {
                throw ApiException.badRequest(prefix + f + " is not supported by jpod: create the container "
                        + "without it");
            }
        }
        LIBPOD_RESOURCES_REFUSED.forEach((parent, fields) -> refuse(rl.path(parent), prefix + parent + ".", fields));
        JsonNode mem = rl.path("memory");
        String m = prefix + "memory.";
        r.memory(integer(mem, m, "limit", Long.MIN_VALUE, Long.MAX_VALUE, 0))
                .memorySwap(integer(mem, m, "swap", Long.MIN_VALUE, Long.MAX_VALUE, 0))
                .memoryReservation(integer(mem, m, "reservation", Long.MIN_VALUE, Long.MAX_VALUE, 0))
                .oomKillDisable(bool(mem, m, "disableOOMKiller"));
        JsonNode cpu = rl.path("cpu");
        String c = prefix + "cpu.";
        r.cpuShares(integer(cpu, c, "shares", 0, Long.MAX_VALUE, 0))
                .cpuQuota(integer(cpu, c, "quota", Long.MIN_VALUE, Long.MAX_VALUE, 0))
                .cpuPeriod(integer(cpu, c, "period", 0, Long.MAX_VALUE, 0))
                .cpusetCpus(text(cpu, c, "cpus")).cpusetMems(text(cpu, c, "mems"));
        r.pidsLimit(integer(rl.path("pids"), prefix + "pids.", "limit", Long.MIN_VALUE, Long.MAX_VALUE, 0));
        r.blkioWeight((int) integer(rl.path("blockIO"), prefix + "blockIO.", "weight", 0, 65535, 0));
        return r.build();
    }

    static ContainerResources libpodCreateResources(JsonNode b) {
        ContainerResources.Builder r = libpodResources(b.get("resource_limits"), "resource_limits.").toBuilder();
        r.shmSize(integer(b, "", "shm_size", Long.MIN_VALUE, Long.MAX_VALUE, 0));
        List<ContainerResources.Ulimit> ulimits = new ArrayList<>();
        List<JsonNode> given = objects(b, "r_limits");
        for (int i = 0; i < given.size(); i++) {
            String at = "r_limits[" + i + "].";
            JsonNode u = given.get(i);
            String type = text(u, at, "type").toLowerCase(Locale.ROOT);
            ulimits.add(new ContainerResources.Ulimit(type.startsWith("rlimit_") ? type.substring(7) : type,
                    integer(u, at, "soft", Long.MIN_VALUE, Long.MAX_VALUE, 0),
                    integer(u, at, "hard", Long.MIN_VALUE, Long.MAX_VALUE, 0)));
        }
        return r.ulimits(ulimits).build();
    }

    static ContainerSecurity libpodSecurity(JsonNode b) {
        refuse(b, "", LIBPOD_REFUSED);
        String policy = text(b, "", "seccomp_policy");
        if (!policy.isEmpty() && !policy.equals("default")) {
            throw ApiException.badRequest("seccomp_policy " + policy + " is not supported by jpod: use default");
        }
        ContainerSecurity.Builder s = ContainerSecurity.builder()
                .capAdd(strings(b.get("cap_add"), "cap_add")).capDrop(strings(b.get("cap_drop"), "cap_drop"))
                .privileged(bool(b, "", "privileged")).readonlyRootfs(bool(b, "", "read_only_filesystem"))
                .noNewPrivileges(bool(b, "", "no_new_privileges")).init(bool(b, "", "init"))
                .sysctls(stringMap(b.get("sysctl"), "sysctl")).groupAdd(strings(b.get("groups"), "groups"));
        String initPath = text(b, "", "init_path");
        if (!initPath.isEmpty() && !initPath.equals("/usr/bin/catatonit")) {
            throw ApiException.badRequest("init_path " + initPath + " is not supported by jpod: --init runs "
                    + "/usr/bin/catatonit");
        }
        for (String o : strings(b.get("selinux_opts"), "selinux_opts")) {
            if (!o.equals("disable")) {
                throw ApiException.badRequest("selinux_opts " + o + " is not supported by jpod (no SELinux labels on "
                        + "its hosts): only label=disable");
            }
            s.labelDisable(true);
        }
        String seccomp = text(b, "", "seccomp_profile_path");
        if (!seccomp.isEmpty()) {
            s.seccompProfile(seccomp);
        }
        List<ContainerSecurity.Device> devices = new ArrayList<>();
        List<JsonNode> given = objects(b, "devices");
        for (int i = 0; i < given.size(); i++) {
            devices.add(device(text(given.get(i), "devices[" + i + "].", "path")));
        }
        s.devices(devices);
        return s.build();
    }

    /** {@code /dev/host[:/dev/ctr][:rwm]}, as {@code --device} takes it. */
    static ContainerSecurity.Device device(String spec) {
        String[] p = spec.split(":", -1);
        if (p.length > 3 || p[0].isEmpty()) {
            throw ApiException.badRequest("invalid device " + spec + ": use /dev/host[:/dev/container][:rwm]");
        }
        if (p.length == 2 && p[1].matches("[rwm]+")) {
            return new ContainerSecurity.Device(p[0], p[0], p[1]);
        }
        return new ContainerSecurity.Device(p[0], p.length > 1 && !p[1].isEmpty() ? p[1] : p[0],
                p.length > 2 ? p[2] : "rwm");
    }

    /** A 400 naming the first of {@code fields} that asks for anything. */
    static void refuse(JsonNode parent, String prefix, List<String> fields) {
        for (String f : fields) {
            if (!PodCreateRequest.empty(parent.get(f))) {
                throw ApiException.badRequest(prefix + f + " is not supported by jpod: create the container without "
                        + "it");
            }
        }
    }
}
