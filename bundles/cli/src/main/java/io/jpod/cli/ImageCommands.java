package io.jpod.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpMethod;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** images, rmi, tag, untag, load, save, import, pull, push. */
final class ImageCommands {
    private ImageCommands() {
    }

    @Command(name = "pull", description = "Pull an image from a registry")
    static final class Pull extends Base {
        @Option(names = {"-q", "--quiet"}, description = "Suppress output information when pulling images")
        boolean quiet;
        @Option(names = "--platform", description = "Specify the platform for selecting the image (OS/ARCH[/VARIANT])")
        String platform;
        @Option(names = "--arch", description = "Use ARCH instead of the architecture of the machine for choosing images")
        String arch;
        @Option(names = "--os", description = "Use OS instead of the running OS for choosing images")
        String os;
        @Option(names = "--variant", description = "Use VARIANT instead of the running architecture variant for choosing images")
        String variant;
        @Option(names = "--policy", description = "Pull image policy: always, missing, never, newer", defaultValue = "always")
        String policy;
        @Mixin
        RegistryFlags registry = new RegistryFlags();
        @Parameters(arity = "1", paramLabel = "IMAGE")
        String image;

        @Override
        int run() throws IOException {
            Map<String, Object> more = new LinkedHashMap<>();
            if (platform != null && !platform.isEmpty()) {
                more.put("platform", platform);
            }
            for (String[] kv : new String[][] {{"arch", arch}, {"os", os}, {"variant", variant}}) {
                if (kv[1] != null && !kv[1].isEmpty()) {
                    more.put(kv[0], kv[1]);
                }
            }
            PrintStream err = quiet ? null : new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err),
                    true, java.nio.charset.StandardCharsets.UTF_8);
            out.println(RegistryFlags.pull(api(), image, policy, more, registry, err));
            return 0;
        }
    }

    @Command(name = "push", description = "Push an image to a specified destination")
    static final class Push extends Base {
        @Option(names = {"-q", "--quiet"}, description = "Suppress output information when pushing images")
        boolean quiet;
        @Option(names = "--digestfile", description = "Write the digest of the pushed image to the specified file")
        Path digestfile;
        @Mixin
        RegistryFlags registry = new RegistryFlags();
        @Parameters(index = "0", paramLabel = "IMAGE")
        String image;
        @Parameters(index = "1", arity = "0..1", paramLabel = "DESTINATION")
        String destination;

        @Override
        int run() throws IOException {
            PrintStream err = quiet ? null : new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err),
                    true, java.nio.charset.StandardCharsets.UTF_8);
            String digest = RegistryFlags.push(api(), image, destination, registry, err);
            if (digestfile != null) {
                Files.writeString(digestfile, digest);
            }
            return 0;
        }
    }

    static final String IMAGES_TABLE = "table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.Created}}\t{{.Size}}";
    static final Map<String, String> IMAGES_HEADERS = Map.of("ID", "IMAGE ID", "Repository", "REPOSITORY");

    @Command(name = "images", description = "List images in local storage")
    static final class Images extends Base {
        @Option(names = {"-q", "--quiet"}, description = "Display only image IDs")
        boolean quiet;
        @Option(names = {"-a", "--all"}, description = "Show all images")
        boolean all;
        @Option(names = "--no-trunc", description = "Do not truncate output")
        boolean noTrunc;
        @Option(names = {"-f", "--filter"}, description = "Filter output based on conditions provided")
        List<String> filters = new ArrayList<>();
        @Option(names = "--format", description = "Change the output format to JSON or a Go template")
        String format;

        @Override
        int run() {
            JsonNode list = api().get("images/json", Api.query("all", all ? "true" : null,
                    "filters", Filters.query(filters)));
            if ("json".equals(format)) {
                out.println(pretty(list, 4));
                return 0;
            }
            Instant now = Instant.now();
            List<Map<String, Object>> rows = new ArrayList<>();
            List<String> seen = new ArrayList<>();
            for (JsonNode img : list) {
                List<String> tags = new ArrayList<>();
                img.path("RepoTags").forEach(t -> tags.add(t.asText()));
                if (tags.isEmpty()) {
                    tags.add("<none>:<none>");
                }
                for (String tag : tags) {
                    Map<String, Object> r = new LinkedHashMap<>(plain(img));
                    int colon = tag.lastIndexOf(':');
                    boolean hasTag = colon > tag.lastIndexOf('/');
                    r.put("Repository", hasTag ? tag.substring(0, colon) : tag);
                    r.put("Tag", hasTag ? tag.substring(colon + 1) : "<none>");
                    String id = img.path("Id").asText();
                    r.put("ID", noTrunc ? "sha256:" + id.replaceFirst("^sha256:", "") : shortId(id));
                    Instant created = Instant.ofEpochSecond(img.path("Created").asLong());
                    r.put("Created", Times.ago(created, now));
                    r.put("CreatedSince", Times.ago(created, now));
                    r.put("CreatedAt", Times.goString(created));
                    r.put("Size", humanSize(img.path("Size").asLong()));
                    r.put("Digest", img.path("Digest").asText());
                    if (quiet && seen.contains(id)) {
                        continue;
                    }
                    seen.add(id);
                    rows.add(r);
                }
            }
            print(rows, quiet && format == null ? "{{.ID}}" : format, IMAGES_TABLE, IMAGES_HEADERS);
            return 0;
        }
    }

    /** go-units HumanSizeWithPrecision(size, 3): decimal units, three significant digits. */
    static String humanSize(long size) {
        String[] units = {"B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"};
        double v = size;
        int i = 0;
        while (v >= 1000 && i < units.length - 1) {
            v /= 1000;
            i++;
        }
        BigDecimal d = new BigDecimal(v).round(new MathContext(3)).stripTrailingZeros();
        return d.toPlainString() + " " + units[i];
    }

    @Command(name = "rmi", description = "Removes one or more images from local storage")
    static final class Rmi extends Base {
        @Option(names = {"-f", "--force"}, description = "Force Removal of the image")
        boolean force;
        @Option(names = {"-a", "--all"}, description = "Remove all images")
        boolean all;
        @Parameters(arity = "0..*", paramLabel = "IMAGE")
        List<String> images = new ArrayList<>();

        @Override
        int run() {
            List<String> targets = new ArrayList<>(images);
            if (all) {
                api().get("images/json", null).forEach(i -> targets.add(i.path("Id").asText()));
            }
            if (targets.isEmpty()) {
                throw new IllegalArgumentException("image name or ID must be specified");
            }
            ApiException last = null;
            for (String image : targets) {
                try {
                    JsonNode r = api().delete("images/" + Api.seg(image), Api.query("force", force ? "true" : null));
                    // libpod answers {"Untagged":[...],"Deleted":[...]}; the Docker shape is a list of {"Untagged"|"Deleted"}
                    if (r.isArray()) {
                        for (JsonNode x : r) {
                            x.fields().forEachRemaining(f -> out.println(f.getKey() + ": " + f.getValue().asText()));
                        }
                    } else {
                        r.path("Untagged").forEach(u -> out.println("Untagged: " + u.asText()));
                        r.path("Deleted").forEach(d -> out.println("Deleted: " + d.asText()));
                    }
                } catch (ApiException e) {
                    if (last != null) {
                        System.err.println("Error: " + last.getMessage());
                    }
                    last = e;
                }
            }
            if (last != null) {
                throw last;
            }
            return 0;
        }
    }

    /** NAME[:TAG] as repo and tag (the tag defaults to latest). */
    static String[] repoTag(String ref) {
        int slash = ref.lastIndexOf('/');
        int colon = ref.lastIndexOf(':');
        if (colon > slash) {
            return new String[] {ref.substring(0, colon), ref.substring(colon + 1)};
        }
        return new String[] {ref, "latest"};
    }

    @Command(name = "tag", description = "Add an additional name to a local image")
    static final class Tag extends Base {
        @Parameters(index = "0", paramLabel = "IMAGE")
        String image;
        @Parameters(index = "1..*", arity = "1..*", paramLabel = "TARGET_NAME")
        List<String> targets;

        @Override
        int run() {
            for (String t : targets) {
                String[] rt = repoTag(t);
                api().post("images/" + Api.seg(image) + "/tag", Api.query("repo", rt[0], "tag", rt[1]), null);
            }
            return 0;
        }
    }

    @Command(name = "untag", description = "Remove a name from a local image")
    static final class Untag extends Base {
        @Parameters(index = "0", paramLabel = "IMAGE")
        String image;
        @Parameters(index = "1..*", arity = "0..*", paramLabel = "NAME")
        List<String> names = new ArrayList<>();

        @Override
        int run() {
            if (names.isEmpty()) {
                api().post("images/" + Api.seg(image) + "/untag", null, null);
            }
            for (String n : names) {
                String[] rt = repoTag(n);
                api().post("images/" + Api.seg(image) + "/untag", Api.query("repo", rt[0], "tag", rt[1]), null);
            }
            return 0;
        }
    }

    @Command(name = "load", description = "Load image(s) from a tar archive")
    static final class Load extends Base {
        @Option(names = {"-i", "--input"}, description = "Read from specified archive file (default: stdin)")
        Path input;
        @Option(names = {"-q", "--quiet"}, description = "Suppress the output")
        boolean quiet;

        @Override
        int run() {
            JsonNode r;
            if (input != null) {
                if (!Files.isReadable(input)) {
                    throw new IllegalArgumentException("open " + input + ": no such file or directory");
                }
                r = api().upload("images/load", null, input);
            } else {
                if (System.console() != null) {
                    throw new IllegalArgumentException("cannot read from terminal, use command-line redirection or the --input flag");
                }
                r = api().upload("images/load", null, System.in);
            }
            List<String> names = new ArrayList<>();
            r.path("Names").forEach(n -> names.add(n.asText()));
            out.println("Loaded image: " + String.join("\nLoaded image: ", names));
            return 0;
        }
    }

    @Command(name = "save", description = "Save image(s) to an archive")
    static final class Save extends Base {
        @Option(names = {"-o", "--output"}, description = "Write to a specified file (default: stdout, which must be redirected)")
        Path output;
        @Option(names = "--format", description = "Save image to docker-archive or oci-archive", defaultValue = "docker-archive")
        String format;
        @Option(names = {"-q", "--quiet"}, description = "Suppress the output")
        boolean quiet;
        @Parameters(arity = "1", paramLabel = "IMAGE")
        String image;

        @Override
        int run() throws IOException {
            if (!List.of("docker-archive", "oci-archive").contains(format)) {
                throw new IllegalArgumentException("format \"" + format + "\" is not supported: docker-archive or oci-archive");
            }
            if (output == null && System.console() != null) {
                throw new IllegalArgumentException("refusing to save to terminal. Use -o flag or redirect");
            }
            try (InputStream in = api().stream(HttpMethod.GET, "images/" + Api.seg(image) + "/get", Api.query("format", format))) {
                writeTo(in, output, ".jpod-save");
            }
            return 0;
        }
    }

    @Command(name = "import", description = "Import a tarball to create a filesystem image")
    static final class Import extends Base {
        @Option(names = {"-c", "--change"}, description = "Apply the following possible instructions to the created image (default []): CMD | ENTRYPOINT | ENV | EXPOSE | LABEL | STOPSIGNAL | USER | VOLUME | WORKDIR")
        List<String> changes = new ArrayList<>();
        @Option(names = {"-m", "--message"}, description = "Set commit message for imported image")
        String message;
        @Option(names = {"-q", "--quiet"}, description = "Suppress output")
        boolean quiet;
        @Parameters(index = "0", paramLabel = "PATH")
        String path;
        @Parameters(index = "1", arity = "0..1", paramLabel = "REFERENCE")
        String reference;

        @Override
        int run() {
            Map<String, Object> q = new LinkedHashMap<>();
            if (reference != null) {
                q.put("reference", reference);
            }
            if (message != null) {
                q.put("message", message);
            }
            if (!changes.isEmpty()) {
                // repeated: changes=CMD ...&changes=ENV ...
                q.put("changes", changes);
            }
            JsonNode r = "-".equals(path) ? api().upload("images/import", q, System.in) : api().upload("images/import", q, file());
            String id = r.path("Id").asText();
            out.println(id.startsWith("sha256:") ? id : "sha256:" + id);
            return 0;
        }

        private Path file() {
            Path p = Path.of(path);
            if (!Files.isReadable(p)) {
                throw new IllegalArgumentException("open " + path + ": no such file or directory");
            }
            return p;
        }
    }
}
