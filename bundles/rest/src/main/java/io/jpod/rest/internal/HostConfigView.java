package io.jpod.rest.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpod.api.ContainerConfig;
import io.jpod.api.ContainerResources;
import io.jpod.api.ContainerSecurity;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The resource and security fields of inspect's HostConfig: Docker's (as given, its zero values: null lists,
 * null PidsLimit, 64MB ShmSize) and libpod's (as podman shows them: capabilities as added to and dropped from the
 * defaults, rlimits by their RLIMIT_ names, the CPU quota and period behind {@code --cpus}).
 */
final class HostConfigView {
    /** Docker's and podman's /dev/shm when none is given. */
    static final long DOCKER_SHM = 64L * 1024 * 1024, PODMAN_SHM = 65536L * 1024;
    private static final long PERIOD = 100_000;

    private HostConfigView() {
    }

    static void docker(ObjectNode hc, ContainerConfig cfg) {
        ContainerResources r = cfg.resources();
        ContainerSecurity s = cfg.security();
        list(hc, "CapAdd", s.capAdd());
        list(hc, "CapDrop", s.capDrop());
        list(hc, "GroupAdd", s.groupAdd());
        hc.put("Privileged", s.privileged());
        hc.put("ReadonlyRootfs", s.readonlyRootfs());
        list(hc, "SecurityOpt", securityOpt(s));
        hc.put("ShmSize", r.shmSize() > 0 ? r.shmSize() : DOCKER_SHM);
        hc.put("CpuShares", r.cpuShares());
        hc.put("Memory", r.memory());
        hc.put("NanoCpus", r.nanoCpus());
        hc.put("BlkioWeight", r.blkioWeight());
        hc.put("CpuPeriod", r.cpuPeriod());
        hc.put("CpuQuota", r.cpuQuota());
        hc.put("CpusetCpus", r.cpusetCpus());
        hc.put("CpusetMems", r.cpusetMems());
        devices(hc.putArray("Devices"), s);
        hc.put("MemoryReservation", r.memoryReservation());
        hc.put("MemorySwap", r.memorySwap());
        hc.putNull("MemorySwappiness");
        hc.put("OomKillDisable", r.oomKillDisable());
        if (r.pidsLimit() == 0) {
            hc.putNull("PidsLimit");
        } else {
            hc.put("PidsLimit", r.pidsLimit());
        }
        if (r.ulimits().isEmpty()) {
            hc.putNull("Ulimits");
        } else {
            ArrayNode u = hc.putArray("Ulimits");
            for (ContainerResources.Ulimit l : r.ulimits()) {
                u.addObject().put("Name", l.name()).put("Hard", l.hard()).put("Soft", l.soft());
            }
        }
        if (s.init()) {
            hc.put("Init", true);
        }
        if (!s.tmpfs().isEmpty()) {
            ObjectNode t = hc.putObject("Tmpfs");
            new TreeMap<>(s.tmpfs()).forEach(t::put);
        }
        if (!s.sysctls().isEmpty()) {
            ObjectNode t = hc.putObject("Sysctls");
            new TreeMap<>(s.sysctls()).forEach(t::put);
        }
        dns(hc, cfg);
    }

    /** Dns, DnsSearch and DnsOptions: {@code []} when unset, as Docker and podman both show them. */
    private static void dns(ObjectNode hc, ContainerConfig cfg) {
        hc.set("Dns", strings(hc, cfg.dns().servers()));
        hc.set("DnsOptions", strings(hc, cfg.dns().options()));
        hc.set("DnsSearch", strings(hc, cfg.dns().searches()));
    }

    /** {@code defaultCaps}: containers.conf's default_capabilities, or null to show the options as given. */
    static void libpod(ObjectNode hc, ContainerConfig cfg, List<String> defaultCaps) {
        ContainerResources r = cfg.resources();
        ContainerSecurity s = cfg.security();
        if (defaultCaps != null) {
            List<String> defaults = defaultCaps.stream().map(ContainerSecurity::capability).toList();
            List<String> effective = s.capabilities(defaults, ContainerSecurity.CAPABILITIES);
            TreeSet<String> add = new TreeSet<>(effective);
            add.removeAll(defaults);
            TreeSet<String> drop = new TreeSet<>(defaults);
            drop.removeAll(effective);
            hc.set("CapAdd", strings(hc, add));
            hc.set("CapDrop", strings(hc, drop));
        } else {
            hc.set("CapAdd", strings(hc, s.capAdd().stream().map(ContainerSecurity::capability).toList()));
            hc.set("CapDrop", strings(hc, s.capDrop().stream().map(ContainerSecurity::capability).toList()));
        }
        hc.set("GroupAdd", strings(hc, s.groupAdd()));
        hc.put("Privileged", s.privileged());
        hc.put("ReadonlyRootfs", s.readonlyRootfs());
        hc.set("SecurityOpt", strings(hc, securityOpt(s)));
        ObjectNode t = hc.putObject("Tmpfs");
        new TreeMap<>(s.tmpfs()).forEach(t::put);
        hc.put("ShmSize", r.shmSize() > 0 ? r.shmSize() : PODMAN_SHM);
        hc.put("CpuShares", r.cpuShares());
        hc.put("Memory", r.memory());
        long quota = r.nanoCpus() > 0 ? r.nanoCpus() * PERIOD / 1_000_000_000L : r.cpuQuota();
        long period = r.nanoCpus() > 0 ? PERIOD : r.cpuPeriod();
        hc.put("NanoCpus", quota > 0 && period > 0 ? quota * 1_000_000_000L / period : 0);
        hc.put("BlkioWeight", r.blkioWeight());
        hc.put("CpuPeriod", period);
        hc.put("CpuQuota", quota);
        hc.put("CpusetCpus", r.cpusetCpus());
        hc.put("CpusetMems", r.cpusetMems());
        devices(hc.putArray("Devices"), s);
        hc.put("MemoryReservation", r.memoryReservation());
        hc.put("MemorySwap", r.memorySwap());
        hc.put("MemorySwappiness", -1);
        hc.put("OomKillDisable", r.oomKillDisable());
        hc.put("Init", s.init());
        hc.put("PidsLimit", Math.max(0, r.pidsLimit()));
        ArrayNode u = hc.putArray("Ulimits");
        for (ContainerResources.Ulimit l : r.ulimits()) {
            u.addObject().put("Name", "RLIMIT_" + l.name().toUpperCase(Locale.ROOT)).put("Soft", l.soft())
                    .put("Hard", l.hard());
        }
        dns(hc, cfg);
    }

    /** The security options as Docker's SecurityOpt lists them. */
    static List<String> securityOpt(ContainerSecurity s) {
        List<String> out = new ArrayList<>();
        if (s.labelDisable()) {
            out.add("label=disable");
        }
        if (s.noNewPrivileges()) {
            out.add("no-new-privileges");
        }
        if (s.seccompProfile() != null) {
            out.add("seccomp=" + s.seccompProfile());
        }
        return out;
    }

    private static void devices(ArrayNode out, ContainerSecurity s) {
        for (ContainerSecurity.Device d : s.devices()) {
            out.addObject().put("PathOnHost", d.pathOnHost()).put("PathInContainer", d.pathInContainer())
                    .put("CgroupPermissions", d.permissions());
        }
    }

    private static void list(ObjectNode hc, String field, List<String> values) {
        if (values.isEmpty()) {
            hc.putNull(field);
        } else {
            hc.set(field, strings(hc, values));
        }
    }

    private static ArrayNode strings(ObjectNode hc, java.util.Collection<String> values) {
        ArrayNode a = hc.arrayNode();
        values.forEach(a::add);
        return a;
    }
}
