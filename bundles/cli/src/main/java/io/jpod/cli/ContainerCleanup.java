package io.jpod.cli;

import io.jpod.linux.Linux;
import io.jpod.network.cni.cleanup.ExitCleanup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code jpod container cleanup}: conmon's exit command, as podman's. While the service runs it has
 * nothing to do (the service acts on the exit itself); when the service is down it tears the container's
 * network down from the CNI result cache (through the entry point the cni bundle exports for this) and
 * removes the network namespace conmon names ({@code --netns}), so that nothing of the network outlives
 * the container. The service, when it returns, records the exit.
 */
final class ContainerCleanup {
    private static final Logger LOG = LoggerFactory.getLogger(ContainerCleanup.class);

    private ContainerCleanup() {
    }

    @Command(name = "container", description = "Manage containers",
            subcommands = {AttachCommand.class, Cleanup.class, StatsCommand.class, TopCommand.class, PortCommand.class,
                RenameCommand.class, CommandLine.HelpCommand.class})
    static final class ContainerGroup extends CommandGroup {
    }

    @Command(name = "cleanup", description = "Clean up the network of a container that exited (conmon's exit command)")
    static final class Cleanup extends Base {
        @Option(names = "--tmpdir", required = true, description = "The engine's tmp_dir")
        Path tmpDir;

        @Option(names = "--netns", description = "The container's network namespace, to remove")
        Path netns;

        @Option(names = "--network-config-dir", description = "The engine's network_config_dir")
        Path networkConfigDir;

        @Option(names = "--cni-plugin-dir", description = "A directory of CNI plugins (repeatable)")
        List<Path> pluginDirs = new ArrayList<>();

        @Parameters(paramLabel = "CONTAINER", description = "The container's full ID")
        String id;

        @Override
        int run() {
            if (!id.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("\"" + id + "\" is not a full container ID");
            }
            // Never start the service from here (as other commands do): only ask whether it is up.
            try (Api api = new Api(main().socket())) {
                if (api.ping()) {
                    LOG.debug("the service answers: it cleans container {} up itself", id);
                    return 0;
                }
            }
            ExitCleanup.teardown(id, pluginDirs, networkConfigDir, tmpDir);
            Path ns = netns != null ? netns : netnsBefore(tmpDir, id);
            if (Files.exists(ns)) {
                umount(ns);
                try {
                    Files.deleteIfExists(ns);
                } catch (IOException e) {
                    LOG.warn("cannot remove the network namespace file {}: {}", ns, e.getMessage());
                }
            }
            return 0;
        }

        /**
         * The compatibility path, for the exit commands of containers created before conmon was given
         * {@code --netns}: where the engine made a container's namespace then. Nowhere else does the CLI
         * know that rule; a container of today without {@code --netns} has no namespace of its own, and
         * there is no file here.
         */
        private static Path netnsBefore(Path tmpDir, String id) {
            return tmpDir.resolve("netns").resolve("jpod-" + id.substring(0, 12));
        }

        private static void umount(Path netns) {
            try {
                Linux.umount(netns, 0);
            } catch (IOException e) {
                // not mounted (EINVAL): only the file is left
                LOG.debug("umount {}: {}", netns, e.getMessage());
            }
        }
    }
}
