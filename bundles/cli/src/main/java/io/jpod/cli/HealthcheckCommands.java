package io.jpod.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** podman's healthcheck commands. */
final class HealthcheckCommands {
    private HealthcheckCommands() {
    }

    @Command(name = "healthcheck", description = "Manage health checks on containers",
            subcommands = {Run.class, CommandLine.HelpCommand.class})
    static final class Group extends CommandGroup {
    }

    /** As podman's: nothing and 0 when the check passed, {@code unhealthy} and 1 when it failed. */
    @Command(name = "run", description = "run the health check of a container")
    static final class Run extends Base {
        @Parameters(index = "0", paramLabel = "CONTAINER")
        String container;

        @Override
        int run() {
            JsonNode r = api().get("containers/" + Api.seg(container) + "/healthcheck", null);
            String status = r.path("Status").asText();
            if ("unhealthy".equals(status) || "starting".equals(status)) {
                out.println(status);
                return 1;
            }
            return 0;
        }
    }
}
