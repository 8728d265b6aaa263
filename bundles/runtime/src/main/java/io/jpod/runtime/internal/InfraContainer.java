package io.jpod.runtime.internal;

import io.jpod.api.ContainerConfig;
import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.api.Pod;
import io.jpod.api.PodSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pod's infra container, as podman makes it without an infra image: catatonit ({@code /catatonit -P},
 * podman's pause process) in a root filesystem of its own holding just that static binary, shared by every
 * infra container; it holds the namespaces the pod's containers join.
 */
final class InfraContainer {
    static final Path CATATONIT = Path.of("/usr/bin/catatonit");
    static final List<String> COMMAND = List.of("/catatonit", "-P");

    private final Path root;
    private final Path catatonit;

    InfraContainer(Path staticDir, Path catatonit) {
        this.root = staticDir.resolve("infra-root");
        this.catatonit = catatonit;
    }

    /** The infra container's config for {@code pod}; its ports and networks are the pod's. */
    ContainerConfig config(Pod pod, PodSpec spec) {
        Map<String, String> joined = new LinkedHashMap<>();
        if (pod.sharedNamespaces().contains("cgroup")) {
            // the host's by default: a namespace of its own only when the pod shares one
            joined.put("cgroup", "private");
        }
        return ContainerConfig.builder()
                .name(pod.id().substring(0, 12) + "-infra")
                .pod(pod.id())
                .rootfs(rootfs().toString())
                .command(COMMAND)
                .hostname(pod.hostname() == null || pod.hostname().isEmpty() ? pod.name() : pod.hostname())
                .portMappings(spec.portMappings())
                .networks(spec.networks())
                .networkOptions(spec.networkOptions())
                .dns(spec.dns())
                .networkMode(spec.networkMode() == null || spec.networkMode().isEmpty() ? "bridge" : spec.networkMode())
                .joinedNamespaces(joined)
                .stopTimeout(10)
                .build();
    }

    /** The shared root filesystem, made (or refreshed when the host's catatonit changed) on first use. */
    synchronized Path rootfs() {
        if (!Files.isRegularFile(catatonit)) {
            throw new JpodException(ErrorCode.INVALID_ARG, "a pod's infra container runs catatonit, and "
                    + catatonit + " is not there: install it (apt-get install catatonit) or create the pod "
                    + "with --infra=false");
        }
        try {
            Path bin = root.resolve("catatonit");
            if (!Files.isRegularFile(bin) || Files.size(bin) != Files.size(catatonit)
                    || Files.getLastModifiedTime(bin).compareTo(Files.getLastModifiedTime(catatonit)) < 0) {
                Files.createDirectories(root);
                Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
                Path tmp = Files.createTempFile(root, ".catatonit", ".tmp");
                Files.copy(catatonit, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("r-xr-xr-x"));
                Files.move(tmp, bin, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            return root;
        } catch (IOException e) {
            throw new JpodException(ErrorCode.INTERNAL, "cannot make the infra containers' root filesystem in "
                    + root + ": " + e.getMessage(), e);
        }
    }
}
