package io.jpod.runtime.internal;

import io.jpod.api.FileChange;
import java.util.List;
import java.util.Set;

/**
 * What {@code diff} leaves out, as libpod's GetDiff does: the paths the engine itself makes in every container's
 * layer as mount points (its /etc/hosts, /etc/resolv.conf, /run/.containerenv, /proc...). They stay in the layer
 * a commit stores, as podman keeps them.
 */
final class MountPointFilter {
    private static final Set<String> ENGINE_PATHS = Set.of("/dev", "/etc/hostname", "/etc/hosts",
            "/etc/resolv.conf", "/proc", "/run", "/run/notify", "/run/.containerenv", "/run/secrets", "/sys",
            "/etc/mtab", "/run/podman-init", "/run/jpod-init");

    private MountPointFilter() {
    }

    static List<FileChange> visible(List<FileChange> changes) {
        return changes.stream().filter(c -> !ENGINE_PATHS.contains(c.path())).toList();
    }
}
