package io.jpod.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.http.HttpMethod;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jpod play kube} and {@code jpod generate kube}: podman 4.3's, over {@code /libpod/play/kube} and {@code /libpod/generate/kube}. */
final class KubeCommands {
    private KubeCommands() {
    }

    @Command(name = "play", description = "Play containers, pods or volumes from a structured file",
            subcommands = {Play.class, CommandLine.HelpCommand.class})
    static final class PlayGroup extends CommandGroup {
    }

    @Command(name = "generate", description = "Generate structured data based on containers, pods or volumes",
            subcommands = {Generate.class, CommandLine.HelpCommand.class})
    static final class GenerateGroup extends CommandGroup {
    }

    @Command(name = "kube", description = "Play a pod or volume based on Kubernetes YAML")
    static final class Play extends Base {
        @Option(names = "--down", description = "Stop pods defined in the YAML file")
        boolean down;
        @Option(names = "--network", description = "Connect pod to network(s) or network mode")
        List<String> networks = new ArrayList<>();
        @Option(names = "--start", description = "Start the pod after creating it", defaultValue = "true",
                arity = "0..1", fallbackValue = "true")
        boolean start;
        @Parameters(index = "0", paramLabel = "KUBEFILE")
        String file;

        @Override
        int run() throws Exception {
            byte[] yaml;
            if (file.equals("-")) {
                try (InputStream in = System.in) {
                    yaml = in.readAllBytes();
                }
            } else {
                Path p = Path.of(file);
                if (!Files.isRegularFile(p)) {
                    throw new IllegalArgumentException("cannot read " + file + ": no such file");
                }
                yaml = Files.readAllBytes(p);
            }
            if (down) {
                JsonNode r = api().send(HttpMethod.DELETE, "play/kube", null, "application/yaml", yaml);
                print("Pods stopped:", r.path("StopReport"));
                print("Pods removed:", r.path("RmReport"));
                return 0;
            }
            JsonNode r = api().send(HttpMethod.POST, "play/kube", Api.query("network",
                    networks.isEmpty() ? null : networks, "start", start ? null : "false"),
                    "application/yaml", yaml);
            int failed = 0;
            for (JsonNode pod : r.path("Pods")) {
                out.println("Pod:");
                out.println(pod.path("ID").asText());
                out.println("Container" + (pod.path("Containers").size() > 1 ? "s:" : ":"));
                pod.path("Containers").forEach(c -> out.println(c.asText()));
                out.println();
                for (JsonNode e : pod.path("ContainerErrors")) {
                    System.err.println(e.asText());
                    failed++;
                }
            }
            if (failed > 0) {
                throw new Main.ExitException(Main.ENGINE_ERROR, "failed to start " + failed + " containers");
            }
            return 0;
        }

        private void print(String title, JsonNode reports) {
            if (reports.isEmpty()) {
                return;
            }
            out.println(title);
            reports.forEach(x -> out.println(x.path("Id").asText()));
        }
    }

    @Command(name = "kube", description = "Generate Kubernetes YAML based on containers, pods or volumes")
    static final class Generate extends Base {
        @Option(names = {"-f", "--filename"}, description = "Write output to the specified path")
        Path filename;
        @Parameters(arity = "1..*", paramLabel = "POD")
        List<String> pods = new ArrayList<>();

        @Override
        int run() throws Exception {
            String yaml;
            try (InputStream in = api().stream(HttpMethod.GET, "generate/kube", Api.query("names", pods))) {
                yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (filename != null) {
                Files.writeString(filename, yaml, StandardCharsets.UTF_8);
            } else {
                out.print(yaml);
            }
            return 0;
        }
    }
}
