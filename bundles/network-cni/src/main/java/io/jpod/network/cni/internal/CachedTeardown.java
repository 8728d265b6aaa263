package io.jpod.network.cni.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The work behind {@link io.jpod.network.cni.cleanup.ExitCleanup}, which checks the arguments first. Public
 * only so that the exported package reaches it; this package is not exported.
 */
public final class CachedTeardown {
    private CachedTeardown() {
    }

    /**
     * Tears down every attachment the result cache under {@code <tmpDir>/cni} holds for the container, with
     * the cached namespace.
     *
     * @param containerId   a full container ID, checked
     * @param networkConfig null where there is none: an attachment cached without its conflist is then left
     * @return how many attachments were torn down
     */
    public static int teardown(String containerId, List<Path> pluginDirs, Path networkConfig, Path tmpDir) {
        return new CniNetworkBackend("cni", pluginDirs, networkConfig, tmpDir.resolve("cni"), null, null)
                .networking().teardownCached(containerId, null, Set.of());
    }
}
