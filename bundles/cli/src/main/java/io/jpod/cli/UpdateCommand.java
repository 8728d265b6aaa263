package io.jpod.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jpod update}: podman 4.3's flags; the resources go as LinuxResources, the restart policy in the query. */
@Command(name = "update", description = "Update an existing container")
final class UpdateCommand extends Base {
    @picocli.CommandLine.Mixin
    ResourceFlags resources = new ResourceFlags();
    @Option(names = "--restart", description = "Restart policy to apply when a container exits (\"always\", \"no\", \"on-failure[:max]\", \"unless-stopped\")")
    String restart;
    @Parameters(arity = "1", paramLabel = "CONTAINER")
    String container;

    @Override
    int run() {
        ObjectNode body = resources.linuxResources(JsonNodeFactory.instance.objectNode(), false);
        String policy = null;
        Integer retries = null;
        if (restart != null) {
            String[] r = restart.split(":", 2);
            policy = r[0];
            if (r.length > 1) {
                try {
                    retries = Integer.parseInt(r[1]);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("invalid restart policy " + restart + ": give on-failure:N");
                }
            }
        }
        if (body.isEmpty() && policy == null) {
            throw new IllegalArgumentException("give at least one flag to update, e.g. --memory 128m");
        }
        String id = api().post("containers/" + Api.seg(container) + "/update",
                Api.query("restartPolicy", policy, "restartRetries", retries), body).asText();
        out.println(id.isEmpty() ? container : id);
        return 0;
    }
}
