package io.jpod.runtime.internal;

import io.jpod.api.ContainerConfig;
import io.jpod.api.ContainerResources;
import io.jpod.api.ContainerSecurity;
import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.api.Mount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules of a container's resources and security options, with Docker's words where Docker has a rule
 * (its daemon's verifyContainerResources): memory and swap, CPUs, cpusets, block IO weight, ulimits,
 * capabilities, devices, sysctls, groups, tmpfs mounts, the seccomp profile.
 */
final class LimitsCheck {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LimitsCheck.class);
    static final long MIN_MEMORY = 6L * 1024 * 1024;
    /** cgroup v1's bounds of cpu.shares, as the kernel's MIN_SHARES and MAX_SHARES. */
    static final long MIN_CPU_SHARES = 2;
    static final long MAX_CPU_SHARES = 262_144;
    static final Set<String> ULIMITS = Set.of("as", "core", "cpu", "data", "fsize", "locks", "memlock", "msgqueue",
            "nice", "nofile", "nproc", "rss", "rtprio", "rttime", "sigpending", "stack");
    private static final Pattern CPU_LIST = Pattern.compile("\\d+(-\\d+)?(,\\d+(-\\d+)?)*");
    private static final Pattern TMPFS_OPTION = Pattern.compile("(size=\\d+[kmgKMG%]?|nr_inodes=\\d+[kmgKMG]?"
            + "|nr_blocks=\\d+[kmgKMG]?|mode=[0-7]{3,4}|uid=\\d+|gid=\\d+|ro|rw|exec|noexec|suid|nosuid|dev|nodev"
            + "|atime|noatime|relatime|strictatime|nodiratime|r?(private|shared|slave|unbindable)|tmpcopyup|notmpcopyup)");
    /** The namespaced sysctls a container may set, as Docker's and podman's lists. */
    private static final Set<String> IPC_SYSCTLS = Set.of("kernel.msgmax", "kernel.msgmnb", "kernel.msgmni",
            "kernel.sem", "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced");

    private LimitsCheck() {
    }

    static void check(ContainerConfig spec) {
        resources(spec.resources(), true);
        security(spec.security(), spec);
    }

    /**
     * As Docker's daemon: a memory limit without a swap limit gets twice as much memory plus swap (where the kernel
     * accounts swap); a negative pids limit is "unlimited", -1.
     */
    static ContainerConfig withDefaults(ContainerConfig spec) {
        ContainerResources r = spec.resources();
        ContainerResources.Builder b = r.toBuilder();
        boolean changed = false;
        if (r.memory() > 0 && r.memorySwap() == 0 && swapAccounted()) {
            b.memorySwap(r.memory() * 2);
            changed = true;
        }
        if (r.pidsLimit() < -1) {
            b.pidsLimit(-1);
            changed = true;
        }
        if (r.blkioWeight() != 0 && !blkioWeightSupported()) {
            LOG.warn("container {}: the kernel does not support Block I/O weight or the cgroup is not mounted; "
                    + "weight {} discarded", spec.name(), r.blkioWeight());
            b.blkioWeight(0);
            changed = true;
        }
        return changed ? spec.toBuilder().resources(b.build()).build() : spec;
    }

    /**
     * The resources after {@code update}: its set fields over the stored ones. A new memory limit brings its
     * swap along when the stored swap was the default (twice the memory); one above the stored swap is refused,
     * as Docker refuses it.
     */
    static ContainerResources merge(ContainerResources old, ContainerResources upd) {
        resources(upd, false);
        ContainerResources.Builder b = old.toBuilder();
        if (upd.memory() != 0) {
            b.memory(upd.memory());
        }
        if (upd.memorySwap() != 0) {
            b.memorySwap(upd.memorySwap());
        } else if (upd.memory() > 0 && (old.memorySwap() == 0 || old.memorySwap() == 2 * old.memory())) {
            b.memorySwap(swapAccounted() ? 2 * upd.memory() : 0);
        } else if (upd.memory() > 0 && old.memorySwap() > 0 && old.memorySwap() < upd.memory()) {
            throw invalid("Memory limit should be smaller than already set memoryswap limit, update the memoryswap "
                    + "at the same time");
        }
        if (upd.memoryReservation() != 0) {
            b.memoryReservation(upd.memoryReservation());
        }
        if (upd.cpuShares() != 0) {
            b.cpuShares(upd.cpuShares());
        }
        if (upd.nanoCpus() != 0) {
            b.nanoCpus(upd.nanoCpus()).cpuQuota(0).cpuPeriod(0);
        }
        if ((upd.cpuQuota() != 0 || upd.cpuPeriod() != 0) && upd.nanoCpus() == 0) {
            // a quota replaces --cpus (podman's update sends --cpus as one), over the period --cpus had
            if (old.nanoCpus() != 0) {
                b.nanoCpus(0).cpuQuota(old.nanoCpus() * 100_000 / 1_000_000_000L).cpuPeriod(100_000);
            }
            if (upd.cpuQuota() != 0) {
                b.cpuQuota(upd.cpuQuota());
            }
            if (upd.cpuPeriod() != 0) {
                b.cpuPeriod(upd.cpuPeriod());
            }
        }
        if (!upd.cpusetCpus().isEmpty()) {
            b.cpusetCpus(upd.cpusetCpus());
        }
        if (!upd.cpusetMems().isEmpty()) {
            b.cpusetMems(upd.cpusetMems());
        }
        if (upd.pidsLimit() != 0) {
            b.pidsLimit(upd.pidsLimit() < 0 ? -1 : upd.pidsLimit());
        }
        if (upd.blkioWeight() != 0) {
            if (!blkioWeightSupported()) {
                throw invalid("Your kernel does not support BlkioWeight: update without --blkio-weight");
            }
            b.blkioWeight(upd.blkioWeight());
        }
        ContainerResources merged = b.build();
        resources(merged, true);
        return merged;
    }

    /** {@code complete}: the whole of a container's resources, where limits must agree with each other. */
    private static void resources(ContainerResources r, boolean complete) {
        if (r.memory() < 0) {
            throw invalid("invalid memory limit " + r.memory() + ": give a size in bytes, or 0 for none");
        }
        if (r.memory() > 0 && r.memory() < MIN_MEMORY) {
            throw invalid("Minimum memory limit allowed is 6MB");
        }
        if (r.memoryReservation() < 0 || r.memoryReservation() > 0 && r.memoryReservation() < MIN_MEMORY) {
            throw invalid("Minimum memory reservation allowed is 6MB");
        }
        if (r.memorySwap() < -1) {
            throw invalid("invalid memory swap limit " + r.memorySwap() + ": give memory plus swap in bytes, or -1 "
                    + "for unlimited swap");
        }
        if (complete && r.memory() > 0 && r.memoryReservation() > r.memory()) {
            throw invalid("Minimum memory limit can not be less than memory reservation limit, see usage");
        }
        if (complete && r.memorySwap() > 0 && r.memory() == 0) {
            throw invalid("You should always set the Memory limit when using Memoryswap limit, see usage");
        }
        if (complete && r.memorySwap() > 0 && r.memorySwap() < r.memory()) {
            throw invalid("Minimum memoryswap limit should be larger than memory limit, see usage");
        }
        if (r.cpuShares() != 0 && (r.cpuShares() < MIN_CPU_SHARES || r.cpuShares() > MAX_CPU_SHARES)) {
            // the kernel keeps cpu.shares within these, and runc refuses to start a container whose shares it changed
            throw invalid("invalid CPU shares " + r.cpuShares() + ": give a relative weight from " + MIN_CPU_SHARES
                    + " to " + MAX_CPU_SHARES);
        }
        int cpus = Runtime.getRuntime().availableProcessors();
        if (r.nanoCpus() < 0 || r.nanoCpus() > cpus * 1_000_000_000L || r.nanoCpus() > 0
                && r.nanoCpus() < 10_000_000L) {
            throw invalid("Range of CPUs is from 0.01 to " + cpus + ".00, as there are only " + cpus
                    + " CPUs available");
        }
        if (r.nanoCpus() > 0 && r.cpuPeriod() > 0) {
            throw invalid("Conflicting options: Nano CPUs and CPU Period cannot both be set");
        }
        if (r.nanoCpus() > 0 && r.cpuQuota() > 0) {
            throw invalid("Conflicting options: Nano CPUs and CPU Quota cannot both be set");
        }
        if (r.cpuPeriod() != 0 && (r.cpuPeriod() < 1000 || r.cpuPeriod() > 1_000_000)) {
            throw invalid("CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)");
        }
        if (r.cpuQuota() > 0 && r.cpuQuota() < 1000) {
            throw invalid("CPU cfs quota can not be less than 1ms (i.e. 1000)");
        }
        if (r.cpuQuota() < -1) {
            throw invalid("invalid CPU cfs quota " + r.cpuQuota() + ": give microseconds per period from 1000, or -1 "
                    + "for none");
        }
        cpuset("cpus", r.cpusetCpus(), "/sys/devices/system/cpu/online");
        cpuset("mems", r.cpusetMems(), "/sys/devices/system/node/online");
        if (r.blkioWeight() != 0 && (r.blkioWeight() < 10 || r.blkioWeight() > 1000)) {
            throw invalid("Range of blkio weight is from 10 to 1000");
        }
        if (r.shmSize() < 0) {
            throw invalid("SHM size can not be less than 0");
        }
        for (ContainerResources.Ulimit u : r.ulimits()) {
            String name = u.name() == null ? "" : u.name();
            if (!ULIMITS.contains(name)) {
                throw invalid("invalid ulimit type: " + name + ": use one of " + new java.util.TreeSet<>(ULIMITS));
            }
            if (u.hard() >= 0 && (u.soft() < 0 || u.soft() > u.hard())) {
                throw invalid("ulimit soft limit must be less than or equal to hard limit: " + u.soft() + " > "
                        + u.hard());
            }
        }
    }

    private static void cpuset(String what, String list, String online) {
        if (list.isEmpty()) {
            return;
        }
        if (!CPU_LIST.matcher(list).matches()) {
            throw invalid("Invalid value " + list + " for cpuset " + what);
        }
        String available;
        try {
            available = Files.readString(Path.of(online)).trim();
        } catch (IOException e) {
            return; // the kernel says nothing: the runtime refuses what is not there
        }
        BitSet have = parse(available);
        BitSet want = parse(list);
        BitSet missing = (BitSet) want.clone();
        missing.andNot(have);
        if (!missing.isEmpty()) {
            throw invalid("Requested " + (what.equals("cpus") ? "CPUs" : "memory nodes") + " are not available - "
                    + "requested " + list + ", available: " + available);
        }
    }

    private static BitSet parse(String list) {
        BitSet out = new BitSet();
        for (String part : list.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            String[] r = part.trim().split("-");
            try {
                int from = Integer.parseInt(r[0]);
                int to = r.length > 1 ? Integer.parseInt(r[1]) : from;
                if (to < from || to > 4096) {
                    throw invalid("Invalid value " + list + " for cpuset: " + part + " is not a range");
                }
                out.set(from, to + 1);
            } catch (NumberFormatException e) {
                throw invalid("Invalid value " + list + " for cpuset");
            }
        }
        return out;
    }

    private static void security(ContainerSecurity s, ContainerConfig spec) {
        capabilities("CapAdd", s.capAdd());
        capabilities("CapDrop", s.capDrop());
        for (String c : s.capAdd()) {
            String name = ContainerSecurity.capability(c);
            if (!name.equals("ALL") && s.capDrop().stream().map(ContainerSecurity::capability).anyMatch(name::equals)) {
                throw invalid("capability \"" + name + "\" cannot be dropped and added: give it to one of CapAdd "
                        + "and CapDrop");
            }
        }
        String profile = s.seccompProfile();
        if (profile != null && !profile.equals("unconfined") && !profile.startsWith("{")) {
            if (!profile.startsWith("/") || !Files.isRegularFile(Path.of(profile))) {
                throw invalid("seccomp profile " + profile + " does not exist: give the absolute path of a profile "
                        + "on the host, or unconfined");
            }
        }
        for (ContainerSecurity.Device d : s.devices()) {
            String host = d.pathOnHost() == null ? "" : d.pathOnHost();
            if (!host.startsWith("/") || !Files.exists(Path.of(host))) {
                throw invalid("error gathering device information while adding custom device \"" + host
                        + "\": no such file or directory");
            }
            String in = d.pathInContainer() == null ? "" : d.pathInContainer();
            if (!in.isEmpty() && !in.startsWith("/")) {
                throw invalid("device " + host + ": the path in the container " + in + " is not absolute");
            }
            String perms = d.permissions() == null ? "" : d.permissions();
            if (!perms.matches("[rwm]{0,3}") || perms.chars().distinct().count() != perms.length()) {
                throw invalid("invalid device mode: " + perms + ": give some of r, w and m");
            }
        }
        boolean hostNet = "host".equals(spec.networkMode());
        boolean hostIpc = spec.joinedNamespaces().containsKey("ipc");
        s.sysctls().forEach((k, v) -> sysctl(k, v, hostNet, hostIpc));
        for (String g : s.groupAdd()) {
            if (g.isBlank() || g.contains(":") || g.indexOf('\0') >= 0) {
                throw invalid("group " + g + " cannot be added: give a group name or number");
            }
            if (g.equals("keep-groups")) {
                throw invalid("group-add keep-groups is not supported by jpod: give group names or numbers");
            }
        }
        for (var t : s.tmpfs().entrySet()) {
            String dest = t.getKey();
            if (!dest.startsWith("/") || Path.of(dest).normalize().toString().equals("/")) {
                throw invalid("invalid tmpfs mount " + dest + ": give an absolute path in the container other than /");
            }
            for (Mount m : spec.mounts()) {
                if (Path.of(dest).normalize().equals(Path.of(m.destination()).normalize())) {
                    throw invalid("tmpfs mount " + dest + " is also a " + m.type() + " mount: mount one thing at "
                            + "each path");
                }
            }
            for (String o : t.getValue().split(",")) {
                if (!o.isBlank() && !TMPFS_OPTION.matcher(o.trim()).matches()) {
                    throw invalid("tmpfs option " + o + " at " + dest + " is not supported: use size=, mode=, "
                            + "uid=, gid=, nr_inodes=, ro, rw, (no)exec, (no)suid, (no)dev");
                }
            }
        }
    }

    private static void capabilities(String field, List<String> caps) {
        for (String c : caps) {
            String name = ContainerSecurity.capability(c);
            if (!name.equals("ALL") && !ContainerSecurity.CAPABILITIES.contains(name)) {
                throw invalid("invalid " + field + ": unknown capability: \"" + name + "\"");
            }
        }
    }

    private static void sysctl(String key, String value, boolean hostNet, boolean hostIpc) {
        boolean ipc = IPC_SYSCTLS.contains(key) || key.startsWith("fs.mqueue.");
        boolean net = key.startsWith("net.");
        if (!ipc && !net) {
            throw invalid("sysctl \"" + key + "\" is not allowed: only namespaced sysctls can be set in a container "
                    + "(kernel.msg*, kernel.sem, kernel.shm*, fs.mqueue.*, net.*)");
        }
        if (net && hostNet) {
            throw invalid("sysctl \"" + key + "\" is not allowed in the hosts network namespace: the container "
                    + "runs with --network host");
        }
        if (ipc && hostIpc) {
            throw invalid("sysctl \"" + key + "\" is not allowed: the container shares another's IPC namespace");
        }
        if (value == null || value.indexOf('\0') >= 0 || value.indexOf('\n') >= 0) {
            throw invalid("sysctl \"" + key + "\" has an invalid value: give one line");
        }
    }

    /** Whether the kernel accounts swap: memory.memsw.* on cgroup v1, memory.swap.max on v2. */
    static boolean swapAccounted() {
        Path root = Path.of("/sys/fs/cgroup");
        return Files.exists(root.resolve("cgroup.controllers"))
                || Files.exists(root.resolve("memory/memory.memsw.limit_in_bytes"));
    }

    /**
     * Whether the kernel weighs block IO: blkio.weight (CFQ) or blkio.bfq.weight on v1, io.weight on v2. BFQ shows
     * its weight only in the cgroups below the root (the root has no weight to set); its statistics files at the root
     * say that its policy is there, and so is blkio.bfq.weight in every container's cgroup, where runc writes it.
     */
    static boolean blkioWeightSupported() {
        Path root = Path.of("/sys/fs/cgroup");
        Path blkio = root.resolve("blkio");
        return Files.exists(blkio.resolve("blkio.weight")) || Files.exists(blkio.resolve("blkio.bfq.weight"))
                || Files.exists(blkio.resolve("blkio.bfq.io_service_bytes"))
                || Files.exists(root.resolve("cgroup.controllers")) && readable(root.resolve("cgroup.controllers"))
                        .contains("io");
    }

    private static String readable(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "";
        }
    }

    private static JpodException invalid(String message) {
        return new JpodException(ErrorCode.INVALID_ARG, message);
    }
}
