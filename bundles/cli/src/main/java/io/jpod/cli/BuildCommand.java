package io.jpod.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.eclipse.jetty.client.PathRequestContent;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpMethod;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code jpod build}: the context directory sent as a tar to {@code POST /libpod/build}, podman's flags, the
 * service's lines printed as they come. A Dockerfile outside the context is sent inside it under a name of its own.
 */
@Command(name = "build", description = "Build an image using instructions from Containerfiles")
final class BuildCommand extends Base {
    @Option(names = {"-t", "--tag"}, description = "Name and optionally a tag (format: \"name:tag\")")
    List<String> tags = new ArrayList<>();
    @Option(names = {"-f", "--file"}, description = "Name or path of the Containerfile (default: Containerfile or Dockerfile in the context)")
    String file;
    @Option(names = "--build-arg", description = "Argument=value to be passed to the build (a name alone takes it from the environment)")
    List<String> buildArgs = new ArrayList<>();
    @Option(names = "--target", description = "Set the target build stage to build")
    String target;
    @Option(names = "--no-cache", description = "Do not use existing cached images for the container build")
    boolean noCache;
    @Option(names = "--pull", arity = "0..1", fallbackValue = "always", description = "Pull the image from the registry: always (no value), missing, never")
    String pull;
    @Option(names = "--rm", negatable = true, defaultValue = "true", fallbackValue = "true", description = "Remove intermediate containers after a successful build (default true)")
    boolean rm;
    @Option(names = "--force-rm", negatable = true, defaultValue = "true", fallbackValue = "true", description = "Always remove intermediate containers after a build, even if the build is unsuccessful (default true)")
    boolean forceRm;
    @Option(names = "--label", description = "Set metadata for an image (default [])")
    List<String> labels = new ArrayList<>();
    @Option(names = {"-q", "--quiet"}, description = "Refrain from announcing build instructions and image read/write progress")
    boolean quiet;
    @Option(names = "--network", description = "Set the network for RUN: bridge (default), host or none")
    String network;
    @Option(names = "--format", description = "Format of the built image's manifest and metadata: oci or docker (default docker)")
    String format;
    @Parameters(arity = "0..1", paramLabel = "CONTEXT", description = "The build context directory (default .)")
    String context = ".";

    @Override
    int run() throws IOException {
        Path dir = Path.of(context);
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("the build context " + context + " is not a directory: give the "
                    + "directory that holds the files to build from");
        }
        dir = dir.toRealPath();
        String dockerfile = null;
        Path extra = null;
        if (file != null) {
            Path f = Path.of(file);
            Path abs = (f.isAbsolute() ? f : Path.of("").toAbsolutePath().resolve(f)).normalize();
            if (!Files.isRegularFile(abs)) {
                // a name inside the context, as podman takes it
                abs = dir.resolve(file).normalize();
            }
            if (!Files.isRegularFile(abs)) {
                throw new IllegalArgumentException("the Containerfile " + file + " does not exist");
            }
            Path real = abs.toRealPath();
            if (real.startsWith(dir)) {
                dockerfile = dir.relativize(real).toString();
            } else {
                extra = real;
                dockerfile = ".jpod-containerfile-" + UUID.randomUUID();
            }
        }
        Map<String, Object> q = new LinkedHashMap<>();
        if (dockerfile != null) {
            q.put("dockerfile", Api.JSON.writeValueAsString(List.of(dockerfile)));
        }
        if (!tags.isEmpty()) {
            q.put("t", tags);
        }
        Map<String, String> args = new LinkedHashMap<>();
        for (String a : buildArgs) {
            int eq = a.indexOf('=');
            if (eq < 0) {
                String v = System.getenv(a);
                if (v != null) {
                    args.put(a, v);
                }
            } else {
                args.put(a.substring(0, eq), a.substring(eq + 1));
            }
        }
        if (!args.isEmpty()) {
            q.put("buildargs", Api.JSON.writeValueAsString(args));
        }
        if (!labels.isEmpty()) {
            q.put("labels", Api.JSON.writeValueAsString(labels));
        }
        if (target != null) {
            q.put("target", target);
        }
        if (noCache) {
            q.put("nocache", "1");
        }
        if (pull != null) {
            if (!Set.of("always", "missing", "never", "true", "false").contains(pull)) {
                throw new IllegalArgumentException("--pull=" + pull + ": use always, missing or never");
            }
            q.put("pullpolicy", pull.equals("true") ? "always" : pull.equals("false") ? "missing" : pull);
        }
        q.put("rm", rm ? "1" : "0");
        q.put("forcerm", forceRm ? "1" : "0");
        if (quiet) {
            q.put("q", "1");
        }
        if (network != null) {
            q.put("networkmode", network);
        }
        if (format != null) {
            if (!format.equals("oci") && !format.equals("docker")) {
                throw new IllegalArgumentException("--format=" + format + ": use oci or docker");
            }
            q.put("outputformat", format.equals("oci") ? "application/vnd.oci.image.manifest.v1+json"
                    : "application/vnd.docker.distribution.manifest.v2+json");
        }
        Path tar = Files.createTempFile("jpod-build-", ".tar");
        try {
            try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(tar), 1 << 16)) {
                ContextTar t = new ContextTar(o);
                t.tree(dir, "");
                if (extra != null) {
                    t.file(extra, dockerfile);
                }
                t.finish();
            }
            return send(q, tar);
        } finally {
            Files.deleteIfExists(tar);
        }
    }

    private int send(Map<String, Object> q, Path tar) throws IOException {
        Request req = api().request(HttpMethod.POST, "build", q);
        req.body(new PathRequestContent("application/x-tar", tar));
        req.idleTimeout(0, java.util.concurrent.TimeUnit.SECONDS);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        try (InputStream in = api().stream(req);
                MappingIterator<JsonNode> lines = Api.JSON.readerFor(JsonNode.class).readValues(in)) {
            while (lines.hasNext()) {
                JsonNode n = lines.next();
                if (n.hasNonNull("error")) {
                    out.flush();
                    err.println("Error: " + n.get("error").asText());
                    return 1;
                }
                if (n.hasNonNull("stream")) {
                    out.print(n.get("stream").asText());
                    out.flush();
                }
            }
        }
        return 0;
    }

    /** {@code jpod builder prune}: the build cache forgotten (its images stay, as unnamed images). */
    @Command(name = "builder", description = "Manage the image builder",
            subcommands = {BuilderGroup.Prune.class, CommandLine.HelpCommand.class})
    static final class BuilderGroup extends CommandGroup {
        @Command(name = "prune", description = "Remove the build cache")
        static final class Prune extends Base {
            @Option(names = {"-f", "--force"}, description = "Do not prompt for confirmation")
            boolean force;

            @Override
            int run() {
                JsonNode r = api().post("build/prune", null, null);
                out.println("Forgot " + r.path("EntriesForgotten").asInt() + " build cache entries");
                return 0;
            }
        }
    }

    /** A tar of the context as the service reads it: files, directories and links, no owners. */
    static final class ContextTar {
        private final OutputStream out;

        ContextTar(OutputStream out) {
            this.out = out;
        }

        void tree(Path dir, String prefix) throws IOException {
            List<Path> children;
            try (Stream<Path> s = Files.list(dir)) {
                children = s.sorted().toList();
            }
            for (Path c : children) {
                String name = prefix + c.getFileName();
                PosixFileAttributes a = Files.readAttributes(c, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (a.isSymbolicLink()) {
                    header(name, '2', mode(a.permissions()), 0, a.lastModifiedTime().toMillis() / 1000,
                            Files.readSymbolicLink(c).toString());
                } else if (a.isDirectory()) {
                    header(name + "/", '5', mode(a.permissions()), 0, a.lastModifiedTime().toMillis() / 1000, "");
                    tree(c, name + "/");
                } else if (a.isRegularFile()) {
                    file(c, name);
                }
            }
        }

        void file(Path p, String name) throws IOException {
            PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class);
            header(name, '0', mode(a.permissions()), a.size(), a.lastModifiedTime().toMillis() / 1000, "");
            long n;
            try (InputStream in = Files.newInputStream(p)) {
                n = in.transferTo(out);
            }
            if (n != a.size()) {
                throw new IOException(p + " changed while it was read");
            }
            pad(n);
        }

        void finish() throws IOException {
            out.write(new byte[1024]);
        }

        private void pad(long n) throws IOException {
            int r = (int) (n % 512);
            if (r != 0) {
                out.write(new byte[512 - r]);
            }
        }

        /** A ustar header; a PAX header first for a name or link too long for it. */
        private void header(String name, char type, int mode, long size, long mtime, String link) throws IOException {
            byte[] nb = name.getBytes(StandardCharsets.UTF_8);
            byte[] lb = link.getBytes(StandardCharsets.UTF_8);
            if (nb.length > 100 || lb.length > 100) {
                StringBuilder pax = new StringBuilder();
                if (nb.length > 100) {
                    pax.append(record("path", name));
                }
                if (lb.length > 100) {
                    pax.append(record("linkpath", link));
                }
                byte[] pb = pax.toString().getBytes(StandardCharsets.UTF_8);
                block("PaxHeader", 'x', 0644, pb.length, mtime, "");
                out.write(pb);
                pad(pb.length);
            }
            block(name, type, mode, size, mtime, link);
        }

        private static String record(String key, String value) {
            String body = " " + key + "=" + value + "\n";
            int len = body.getBytes(StandardCharsets.UTF_8).length;
            int total = len + String.valueOf(len).length();
            if (String.valueOf(total).length() != String.valueOf(len).length()) {
                total++;
            }
            return total + body;
        }

        private void block(String name, char type, int mode, long size, long mtime, String link) throws IOException {
            byte[] h = new byte[512];
            put(h, 0, 100, name);
            put(h, 100, 8, String.format("%07o", mode));
            put(h, 108, 8, "0000000");
            put(h, 116, 8, "0000000");
            put(h, 124, 12, String.format("%011o", size));
            put(h, 136, 12, String.format("%011o", mtime));
            h[156] = (byte) type;
            put(h, 157, 100, link);
            put(h, 257, 6, "ustar");
            h[262] = 0;
            h[263] = '0';
            h[264] = '0';
            for (int i = 148; i < 156; i++) {
                h[i] = ' ';
            }
            long sum = 0;
            for (byte b : h) {
                sum += b & 0xff;
            }
            put(h, 148, 8, String.format("%06o", sum));
            h[154] = 0;
            h[155] = ' ';
            out.write(h);
        }

        private static void put(byte[] h, int off, int len, String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            System.arraycopy(b, 0, h, off, Math.min(len, b.length));
        }

        private static int mode(Set<PosixFilePermission> p) {
            int m = 0;
            PosixFilePermission[] all = PosixFilePermission.values();
            for (int i = 0; i < all.length; i++) {
                if (p.contains(all[i])) {
                    m |= 1 << (8 - i);
                }
            }
            return m;
        }
    }
}
