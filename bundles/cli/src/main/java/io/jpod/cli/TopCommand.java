package io.jpod.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Unmatched;

/** podman's top: a running container's processes, by descriptors (no ps runs, so ps options are refused). */
@Command(name = "top", description = "Display the running processes of a container")
final class TopCommand extends Base {
    @Option(names = {"-l", "--latest"}, description = "Act on the latest container podman is aware of")
    boolean latest;
    @Parameters(index = "0", paramLabel = "CONTAINER")
    String name;
    @Parameters(index = "1..*", paramLabel = "DESCRIPTORS")
    List<String> descriptors = new ArrayList<>();
    /** ps options such as {@code -ef}, which podman hands to ps: the service says which it takes. */
    @Unmatched
    List<String> psOptions = new ArrayList<>();

    @Override
    int run() {
        if (latest) {
            throw new IllegalArgumentException("--latest is not supported by jpod: name the container");
        }
        List<String> args = new ArrayList<>(descriptors);
        args.addAll(psOptions);
        JsonNode t = api().get("containers/" + Api.seg(name) + "/top",
                Api.query("ps_args", args.isEmpty() ? null : String.join(",", args)));
        StringBuilder b = new StringBuilder();
        List<String> titles = new ArrayList<>();
        t.path("Titles").forEach(x -> titles.add(x.asText()));
        b.append(String.join("\t", titles)).append('\n');
        for (JsonNode row : t.path("Processes")) {
            List<String> cells = new ArrayList<>();
            row.forEach(x -> cells.add(x.asText()));
            b.append(String.join("\t", cells)).append('\n');
        }
        out.print(Template.align(b.toString()));
        return 0;
    }
}
