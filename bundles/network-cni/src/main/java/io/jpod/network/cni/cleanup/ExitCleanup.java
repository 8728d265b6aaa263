package io.jpod.network.cni.cleanup;

import io.jpod.network.cni.internal.CachedTeardown;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The network part of conmon's exit command, run outside OSGi by {@code jpod container cleanup} when the
 * service is down: every attachment the container's result cache holds is deleted (DEL in reverse, with
 * the cached result and namespace), as the service would do. DEL is idempotent, so the service's own
 * cleanup when it returns does no harm.
 */
public final class ExitCleanup {
    private static final Pattern FULL_ID = Pattern.compile("[0-9a-f]{64}");

    private ExitCleanup() {
    }

    /**
     * Tears a container's networks down from the CNI result cache under {@code <tmpDir>/cni/results}; with
     * no cache there (a container on no cni network, or torn down already) there is nothing to do.
     *
     * @param containerId   the container's full ID: 64 lower-case hex digits
     * @param pluginDirs    {@code [network] cni_plugin_dirs}
     * @param networkConfig {@code [network] network_config_dir}, for an attachment cached without its
     *                      conflist; null for none
     * @param tmpDir        {@code [engine] tmp_dir}, under which the result cache lives
     * @return how many attachments were torn down
     * @throws IllegalArgumentException for an ID that is not a full container ID
     * @throws NullPointerException     without {@code tmpDir} or {@code pluginDirs}
     */
    public static int teardown(String containerId, List<Path> pluginDirs, Path networkConfig, Path tmpDir) {
        if (containerId == null || !FULL_ID.matcher(containerId).matches()) {
            throw new IllegalArgumentException("\"" + containerId + "\" is not a full container ID");
        }
        Objects.requireNonNull(tmpDir, "tmpDir");
        Objects.requireNonNull(pluginDirs, "pluginDirs");
        return CachedTeardown.teardown(containerId, pluginDirs, networkConfig, tmpDir);
    }
}
