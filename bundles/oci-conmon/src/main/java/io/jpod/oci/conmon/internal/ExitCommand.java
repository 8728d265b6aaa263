package io.jpod.oci.conmon.internal;

import io.jpod.api.config.JpodConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The program conmon runs when a container exits, as podman's {@code container cleanup}: the distribution's
 * {@code bin/jpod-container-exited}, given the service's PID (the program does nothing while it lives), then
 * a {@code jpod container cleanup} against the API socket the REST service listens on ({@code apiSocket},
 * asked at each container's create, so that a changed {@code socket.path} counts from the next container on).
 */
record ExitCommand(Path program, Supplier<String> apiSocket, Path tmpDir, JpodConfig conf) {

    /**
     * The arguments after the program.
     *
     * @param netNsPath the container's network namespace as the engine made it ({@code --netns}, for the
     *                  cleanup to remove), or null when it has none of its own
     */
    List<String> args(String containerId, String netNsPath) {
        List<String> args = new ArrayList<>(List.of(Long.toString(ProcessHandle.current().pid()), "--url",
                "unix://" + apiSocket.get(), "container", "cleanup", "--tmpdir", tmpDir.toString()));
        if (netNsPath != null && !netNsPath.isBlank()) {
            args.addAll(List.of("--netns", netNsPath));
        }
        String configDir = conf.network().networkConfigDir();
        if (configDir != null && !configDir.isBlank()) {
            args.addAll(List.of("--network-config-dir", configDir));
        }
        for (String d : conf.network().cniPluginDirs()) {
            args.addAll(List.of("--cni-plugin-dir", d));
        }
        args.add(containerId);
        return args;
    }
}
