package io.jpod.api;

import java.util.List;
import java.util.Map;

/**
 * What an image's OCI config says about the containers made from it.
 *
 * @param env          environment, {@code KEY=VALUE}
 * @param cmd          default command
 * @param entrypoint   entrypoint
 * @param workingDir   working directory
 * @param user         user
 * @param exposedPorts ports such as {@code 80/tcp}
 * @param volumes      volume mount points
 * @param labels       labels
 * @param stopSignal   stop signal such as {@code SIGTERM}, or null
 * @param healthcheck  its HEALTHCHECK, or null
 * @param onBuild      its ONBUILD triggers, instructions a build FROM it runs first (docker's OnBuild); empty for none
 */
public record ImageConfig(List<String> env, List<String> cmd, List<String> entrypoint, String workingDir,
        String user, List<String> exposedPorts, List<String> volumes, Map<String, String> labels, String stopSignal,
        Healthcheck healthcheck, List<String> onBuild) {
    public ImageConfig {
        env = env == null ? List.of() : List.copyOf(env);
        cmd = cmd == null ? List.of() : List.copyOf(cmd);
        entrypoint = entrypoint == null ? List.of() : List.copyOf(entrypoint);
        exposedPorts = exposedPorts == null ? List.of() : List.copyOf(exposedPorts);
        volumes = volumes == null ? List.of() : List.copyOf(volumes);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        onBuild = onBuild == null ? List.of() : List.copyOf(onBuild);
    }

    /** Without ONBUILD triggers. */
    public ImageConfig(List<String> env, List<String> cmd, List<String> entrypoint, String workingDir, String user,
            List<String> exposedPorts, List<String> volumes, Map<String, String> labels, String stopSignal,
            Healthcheck healthcheck) {
        this(env, cmd, entrypoint, workingDir, user, exposedPorts, volumes, labels, stopSignal, healthcheck, null);
    }

    public ImageConfig(List<String> env, List<String> cmd, List<String> entrypoint, String workingDir, String user,
            List<String> exposedPorts, List<String> volumes, Map<String, String> labels, String stopSignal) {
        this(env, cmd, entrypoint, workingDir, user, exposedPorts, volumes, labels, stopSignal, null, null);
    }
}
