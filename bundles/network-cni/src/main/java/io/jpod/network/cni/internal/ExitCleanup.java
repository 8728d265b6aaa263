package io.jpod.network.cni.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The network part of conmon's exit command, run outside OSGi by {@code jpod container cleanup} when the
 * service is down: every attachment the container's result cache holds is deleted (DEL in reverse, with
 * the cached result and namespace), as the service would do. DEL is idempotent, so the service's own
 * cleanup when it returns does no harm.
 */
public final class ExitCleanup {
    private ExitCleanup() {
    }

    /**
     * @param containerId   the container's full ID
     * @param pluginDirs    {@code [network] cni_plugin_dirs}
     * @param networkConfig {@code [network] network_config_dir}, for an attachment cached without its conflist
     * @param tmpDir        {@code [engine] tmp_dir}, under which the result cache lives
     */
    public static void teardown(String containerId, List<Path> pluginDirs, Path networkConfig, Path tmpDir) {
        new CniNetworkBackend("cni", pluginDirs, networkConfig, tmpDir.resolve("cni"), null, null)
                .teardownCached(containerId, null, Set.of());
    }
}
