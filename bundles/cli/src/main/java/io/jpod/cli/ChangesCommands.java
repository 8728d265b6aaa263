package io.jpod.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpMethod;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** podman's diff, export and commit: a container's changes, its root filesystem, and an image of them. */
final class ChangesCommands {
    private ChangesCommands() {
    }

    @Command(name = "diff", description = "Display the changes to the object's file system")
    static final class Diff extends Base {
        @Option(names = "--format", description = "Change the output format (json)")
        String format;
        @Option(names = {"-l", "--latest"}, description = "Act on the latest container podman is aware of")
        boolean latest;
        @Parameters(arity = "1..2", paramLabel = "CONTAINER")
        List<String> names = new ArrayList<>();

        @Override
        int run() {
            if (latest) {
                throw new IllegalArgumentException("--latest is not supported by jpod: name the container");
            }
            if (names.size() > 1) {
                throw new IllegalArgumentException("jpod compares a container with its own image only: give one "
                        + "container, not " + String.join(" and ", names));
            }
            if (format != null && !format.isEmpty() && !format.equals("json")) {
                throw new IllegalArgumentException("only \"json\" is supported as a --format: " + format);
            }
            JsonNode changes = api().get("containers/" + Api.seg(names.get(0)) + "/changes", null);
            if (format != null && !format.isEmpty()) {
                Map<String, List<String>> byKind = new LinkedHashMap<>();
                for (String k : new String[] {"changed", "added", "deleted"}) {
                    byKind.put(k, new ArrayList<>());
                }
                for (JsonNode c : changes) {
                    String k = switch (c.path("Kind").asInt()) {
                        case 0 -> "changed";
                        case 1 -> "added";
                        default -> "deleted";
                    };
                    byKind.get(k).add(c.path("Path").asText());
                }
                byKind.values().removeIf(List::isEmpty);
                out.println(pretty(byKind, 5));
                return 0;
            }
            StringBuilder b = new StringBuilder();
            for (JsonNode c : changes) {
                String letter = switch (c.path("Kind").asInt()) {
                    case 0 -> "C";
                    case 1 -> "A";
                    default -> "D";
                };
                b.append(letter).append(' ').append(c.path("Path").asText()).append('\n');
            }
            out.print(b);
            return 0;
        }
    }

    @Command(name = "export", description = "Export container's filesystem contents as a tar archive")
    static final class Export extends Base {
        @Option(names = {"-o", "--output"}, description = "Write to a specified file (default: stdout, which must be redirected)")
        Path output;
        @Parameters(arity = "1", paramLabel = "CONTAINER")
        String container;

        @Override
        int run() throws IOException {
            if (output == null && System.console() != null) {
                throw new IllegalArgumentException("refusing to export to terminal. Use -o flag or redirect");
            }
            try (InputStream in = api().stream(HttpMethod.GET, "containers/" + Api.seg(container) + "/export", null)) {
                writeTo(in, output, ".jpod-export");
            }
            return 0;
        }
    }

    @Command(name = "commit", description = "Create new image based on the changed container")
    static final class Commit extends Base {
        @Option(names = {"-a", "--author"}, description = "Set the author for the image committed")
        String author;
        @Option(names = {"-c", "--change"}, description = "Apply the following possible instructions to the created image (default []): CMD | ENTRYPOINT | ENV | EXPOSE | LABEL | ONBUILD | STOPSIGNAL | USER | VOLUME | WORKDIR")
        List<String> changes = new ArrayList<>();
        @Option(names = {"-f", "--format"}, description = "Format of the image manifest and metadata (default \"oci\")", defaultValue = "oci")
        String format;
        @Option(names = "--iidfile", description = "file to write the image ID to")
        Path iidfile;
        @Option(names = "--include-volumes", description = "Include container volumes as image volumes")
        boolean includeVolumes;
        @Option(names = {"-m", "--message"}, description = "Set commit message for imported image")
        String message;
        @Option(names = {"-p", "--pause"}, description = "Pause container during commit")
        boolean pause;
        @Option(names = {"-q", "--quiet"}, description = "Suppress output")
        boolean quiet;
        @Option(names = {"-s", "--squash"}, description = "squash newly built layers into a single new layer")
        boolean squash;
        @Parameters(index = "0", paramLabel = "CONTAINER")
        String container;
        @Parameters(index = "1", arity = "0..1", paramLabel = "IMAGE")
        String image;

        @Override
        int run() throws IOException {
            if (includeVolumes) {
                throw new IllegalArgumentException("--include-volumes is not supported by jpod: give the volumes as "
                        + "--change VOLUME=/path");
            }
            if (squash) {
                throw new IllegalArgumentException("--squash is not supported by jpod's commit");
            }
            if (!format.equals("oci") && !format.equals("docker")) {
                throw new IllegalArgumentException("unrecognized image format \"" + format + "\"");
            }
            String repo = null;
            String tag = null;
            if (image != null && !image.isEmpty()) {
                int slash = image.lastIndexOf('/');
                int colon = image.lastIndexOf(':');
                if (colon > slash) {
                    repo = image.substring(0, colon);
                    tag = image.substring(colon + 1);
                } else {
                    repo = image;
                }
            }
            Map<String, Object> q = Api.query("container", container, "repo", repo, "tag", tag, "author", author,
                    "comment", message, "pause", pause, "format", format);
            if (!changes.isEmpty()) {
                q.put("changes", changes);
            }
            JsonNode r = api().post("commit", q, null);
            String id = r.path("Id").asText();
            if (iidfile != null) {
                Files.write(iidfile, id.getBytes(StandardCharsets.UTF_8));
            }
            out.println(id);
            return 0;
        }
    }
}
