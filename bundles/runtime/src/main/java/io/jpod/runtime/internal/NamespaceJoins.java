package io.jpod.runtime.internal;

import io.jpod.api.Container;
import io.jpod.api.ContainerConfig;
import io.jpod.api.ContainerStatus;
import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.api.Mount;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The namespaces a container takes from another (a pod's members from its infra container, libpod's
 * {@code NetNsCtr}, {@code IPCNsCtr}...): as stored they name the container ({@code container:<id>}); the OCI
 * runtime gets that container's namespace files ({@code /proc/<pid>/ns/<kind>}), read when it is created.
 */
final class NamespaceJoins {
    private static final String CONTAINER = "container:";

    private final Parts parts;
    private final HostsFiles hosts;

    NamespaceJoins(Parts parts, HostsFiles hosts) {
        this.parts = parts;
        this.hosts = hosts;
    }

    /** The IDs of the containers whose namespaces {@code cfg} joins: they must run before it starts. */
    static Set<String> dependencies(ContainerConfig cfg) {
        Set<String> out = new LinkedHashSet<>();
        String mode = cfg.networkMode();
        if (mode != null && mode.startsWith(CONTAINER)) {
            out.add(mode.substring(CONTAINER.length()));
        }
        for (String v : cfg.joinedNamespaces().values()) {
            if (v.startsWith(CONTAINER)) {
                out.add(v.substring(CONTAINER.length()));
            }
        }
        return out;
    }

    /**
     * The container as the runtime creates it: each {@code container:<id>} replaced by that container's
     * namespace file, and, when it joins another's network, that container's /etc/hosts (with a line of its
     * own added) unless the user mounts one.
     */
    Container resolve(Container ctr) {
        ContainerConfig cfg = ctr.config();
        if (dependencies(cfg).isEmpty()) {
            return ctr;
        }
        ContainerConfig.Builder b = cfg.toBuilder();
        Map<String, String> joined = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : cfg.joinedNamespaces().entrySet()) {
            joined.put(e.getKey(), e.getValue().startsWith(CONTAINER)
                    ? "ns:" + nsFile(ctr, e.getValue().substring(CONTAINER.length()), e.getKey()) : e.getValue());
        }
        b.joinedNamespaces(joined);
        String mode = cfg.networkMode();
        if (mode != null && mode.startsWith(CONTAINER)) {
            String owner = mode.substring(CONTAINER.length());
            b.networkMode("ns:" + nsFile(ctr, owner, "net"));
            // the resolv.conf of the network's owner, as podman's members read their infra container's
            b.dns(parts.state().container(owner).config().dns());
            if (cfg.mounts().stream().noneMatch(m -> "/etc/hosts".equals(m.destination()))) {
                Path f = hosts.fileOf(owner);
                if (Files.isRegularFile(f)) {
                    hosts.addLine(owner, ctr, parts.networking().addresses(parts.state().container(owner)));
                    List<Mount> mounts = new ArrayList<>(cfg.mounts());
                    mounts.add(new Mount("bind", f.toString(), "/etc/hosts", List.of("rw")));
                    b.mounts(mounts);
                }
            }
        }
        return ctr.withConfig(b.build());
    }

    /** After the container's run: its line leaves the /etc/hosts it shared. */
    void release(Container ctr) {
        String mode = ctr.config().networkMode();
        if (mode != null && mode.startsWith(CONTAINER)) {
            hosts.removeLine(mode.substring(CONTAINER.length()), ctr);
        }
    }

    private String nsFile(Container ctr, String ownerId, String kind) {
        Container owner;
        try {
            owner = parts.state().container(ownerId);
        } catch (JpodException e) {
            throw new JpodException(ErrorCode.NO_SUCH_CTR, "container " + ctr.name() + " joins the " + kind
                    + " namespace of container " + ownerId + ", which no longer exists: recreate " + ctr.name(), e);
        }
        ContainerStatus st = owner.state().status();
        Path file = Path.of("/proc", Integer.toString(owner.state().pid()), "ns", kind);
        if ((st != ContainerStatus.RUNNING && st != ContainerStatus.PAUSED) || owner.state().pid() <= 0
                || !Files.exists(file)) {
            throw new JpodException(ErrorCode.CTR_STATE_INVALID, "container " + ctr.name() + " joins the " + kind
                    + " namespace of container " + owner.name() + ", which is " + st.word() + ": start "
                    + owner.name() + (owner.config().pod() != null ? " (or its pod)" : "") + " first");
        }
        return file.toString();
    }
}
