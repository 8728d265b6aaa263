package io.jpod.rest.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpod.api.JpodException;
import io.jpod.build.BuildProgress;
import io.jpod.build.BuildRequest;
import io.jpod.build.BuildResult;
import io.jpod.build.BuildStepException;
import io.jpod.build.ImageBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Image builds: docker's {@code POST /build} (the classic builder's stream: {@code Step 1/3 : ...},
 * {@code ---> id}, the aux ID, {@code Successfully built}) and libpod's {@code POST /libpod/build} (podman's
 * {@code STEP 1/3: ...}, {@code --> id}, the ID alone last), both over the {@link ImageBuilder} service. The body
 * is the context tar. An error before the first line is the HTTP status; after it, an error line.
 */
final class BuildApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Services services;
    private final Shapes shapes;

    BuildApi(Services services, Shapes shapes) {
        this.services = services;
        this.shapes = shapes;
    }

    void register(Router docker, Router libpod) {
        docker.add("POST", "/build", x -> build(x, false));
        libpod.add("POST", "/build", x -> build(x, true));
        docker.add("POST", "/build/prune", this::prune);
        // not in libpod's API; jpod builder prune asks for it there
        libpod.add("POST", "/build/prune", this::prune);
    }

    private void prune(Exchange x) throws IOException {
        int n = services.builder().pruneCache();
        ObjectNode o = shapes.object();
        o.putArray("CachesDeleted");
        o.put("SpaceReclaimed", 0);
        o.put("EntriesForgotten", n);
        x.json(200, o);
    }

    private void build(Exchange x, boolean podman) throws IOException {
        refuseUnsupported(x, podman);
        String dockerfile = dockerfile(x, podman);
        boolean rm = x.bool("rm", true);
        boolean forceRm = x.bool("forcerm", false);
        String pullPolicy = x.query("pullpolicy");
        boolean pull = x.bool("pull", false) || "always".equalsIgnoreCase(pullPolicy);
        BuildRequest req = new BuildRequest(dockerfile, x.queryAll("t").stream().filter(t -> !t.isEmpty()).toList(),
                buildArgs(x.query("buildargs")), labels(x.query("labels")), x.query("target"), x.bool("nocache", false),
                pull, rm, forceRm, networkMode(x, podman), format(x.query("outputformat")));
        ImageBuilder builder = services.builder();
        // a body that is no tar is a Dockerfile sent alone (docker build - < Dockerfile): the builder tells
        // once the context is read, a client that goes away stops the build (its step container removed)
        Runnable[] unwatch = {() -> { }};
        InputStream body = new java.io.FilterInputStream(x.bodyStream()) {
            private boolean ended;

            @Override
            public int read() throws IOException {
                return ended(super.read());
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return ended(super.read(b, off, len));
            }

            private int ended(int n) {
                if (n < 0 && !ended) {
                    ended = true;
                    unwatch[0] = x.interruptWhenClientGoes();
                }
                return n;
            }
        };
        boolean quiet = x.bool("q", false);
        x.noIdleTimeout();
        Stream stream = new Stream(x, podman, quiet);
        try {
            build(builder, req, body, stream);
        } finally {
            unwatch[0].run();
        }
    }

    private static void build(ImageBuilder builder, BuildRequest req, InputStream body, Stream stream)
            throws IOException {
        BuildResult result;
        try {
            result = builder.build(req, body, stream);
        } catch (JpodException e) {
            if (!stream.started()) {
                throw e;
            }
            stream.error(e);
            stream.close();
            return;
        } catch (RuntimeException e) {
            if (!stream.started()) {
                throw e;
            }
            stream.error(new JpodException(io.jpod.api.ErrorCode.INVALID_ARG, e.getClass().getSimpleName() + ": "
                    + e.getMessage()));
            stream.close();
            return;
        }
        stream.finish(result);
    }

    private static void refuseUnsupported(Exchange x, boolean podman) {
        String remote = x.query("remote");
        if (remote != null && !remote.isEmpty()) {
            throw ApiException.badRequest("building from a remote context (" + remote + ") is not supported: send "
                    + "the context in the request (docker build DIR)");
        }
        String version = x.query("version");
        if ("2".equals(version)) {
            throw ApiException.badRequest("BuildKit (version=2) is not supported: jpod has the classic builder "
                    + "(DOCKER_BUILDKIT=0)");
        }
        if (x.bool("squash", false)) {
            throw ApiException.badRequest("squash is not supported: build without --squash");
        }
        // podman's "output" is the first tag again; docker's "outputs" would export the result elsewhere
        String outputs = podman ? null : x.query("outputs");
        if (outputs != null && !outputs.isEmpty() && !outputs.equals("[]")) {
            throw ApiException.badRequest("outputs is not supported: the build's result is an image in the store");
        }
        String platform = x.query("platform");
        if (platform != null && !hostPlatform(platform)) {
            throw ApiException.badRequest("platform " + platform + " is not supported: jpod builds for linux/"
                    + Shapes.goArch() + " only");
        }
    }

    /** Empty parts (podman sends {@code /} when none was asked for) count as the host's. */
    static boolean hostPlatform(String platform) {
        String[] p = platform.split("/", -1);
        boolean os = p[0].isEmpty() || p[0].equals("linux");
        boolean arch = p.length < 2 || p[1].isEmpty() || p[1].equals(Shapes.goArch());
        return os && arch && p.length <= 3;
    }

    private static String dockerfile(Exchange x, boolean podman) {
        String d = x.query("dockerfile");
        if (d == null || d.isEmpty()) {
            return null;
        }
        if (podman && d.startsWith("[")) {
            JsonNode n;
            try {
                n = JSON.readTree(d);
            } catch (IOException e) {
                throw ApiException.badRequest("dockerfile must be a JSON array of names: " + e.getMessage());
            }
            if (n.size() > 1) {
                throw ApiException.badRequest("more than one Containerfile is not supported: give one");
            }
            d = n.size() == 0 ? null : n.get(0).asText();
        }
        return d;
    }

    private static Map<String, String> buildArgs(String json) {
        Map<String, String> out = new LinkedHashMap<>();
        if (json == null || json.isEmpty()) {
            return out;
        }
        JsonNode n = read(json, "buildargs");
        if (!n.isObject()) {
            throw ApiException.badRequest("buildargs must be a JSON object of names and values");
        }
        n.fields().forEachRemaining(e -> {
            if (!e.getValue().isNull()) {
                out.put(e.getKey(), e.getValue().asText());
            }
        });
        return out;
    }

    /** Docker's object of labels, or podman's array of {@code name=value}. */
    private static Map<String, String> labels(String json) {
        Map<String, String> out = new LinkedHashMap<>();
        if (json == null || json.isEmpty()) {
            return out;
        }
        JsonNode n = read(json, "labels");
        if (n.isObject()) {
            n.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        } else if (n.isArray()) {
            for (JsonNode e : n) {
                String s = e.asText();
                int eq = s.indexOf('=');
                out.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? "" : s.substring(eq + 1));
            }
        } else {
            throw ApiException.badRequest("labels must be a JSON object of names and values");
        }
        return out;
    }

    private static JsonNode read(String json, String what) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw ApiException.badRequest(what + " is not valid JSON: " + e.getMessage());
        }
    }

    /** Docker's names; podman's number (buildah's policy: 0 default, 1 disabled, 2 enabled). */
    private static String networkMode(Exchange x, boolean podman) {
        String m = x.query("networkmode");
        if (m == null || m.isEmpty() || m.equals("default") || m.equals("bridge")) {
            return "bridge";
        }
        if (podman && m.matches("\\d+")) {
            return m.equals("1") ? "none" : "bridge";
        }
        if (m.equals("host") || m.equals("none")) {
            return m;
        }
        throw ApiException.badRequest("network mode " + m + " is not supported for builds: use bridge, host or none");
    }

    private static String format(String outputFormat) {
        if (outputFormat == null || outputFormat.isEmpty()) {
            return "docker";
        }
        return outputFormat.contains("oci") ? "oci" : "docker";
    }

    /** A tag as the clients print it: {@code x:latest} (docker), {@code localhost/x:latest} (podman). */
    static String named(String tag, boolean podman) {
        String last = tag.substring(tag.lastIndexOf('/') + 1);
        String t = last.contains(":") || last.contains("@") ? tag : tag + ":latest";
        int slash = t.indexOf('/');
        boolean domain = slash > 0 && (t.substring(0, slash).contains(".") || t.substring(0, slash).contains(":")
                || t.startsWith("localhost/"));
        return podman && !domain ? "localhost/" + t : t;
    }

    private static String shortId(String id) {
        String b = Shapes.bare(id == null ? "" : id);
        return b.length() > 12 ? b.substring(0, 12) : b;
    }

    /** The answer's lines, started at the first. */
    private final class Stream implements BuildProgress {
        private final Exchange x;
        private final boolean podman;
        private final boolean quiet;
        private OutputStream out;

        Stream(Exchange x, boolean podman, boolean quiet) {
            this.x = x;
            this.podman = podman;
            this.quiet = quiet;
        }

        synchronized boolean started() {
            return out != null;
        }

        @Override
        public synchronized void event(Event e) {
            if (quiet && e.kind() != Kind.NOTE) {
                return;
            }
            switch (e.kind()) {
                case STEP -> {
                    if (podman) {
                        text("STEP " + e.step() + "/" + e.steps() + ": " + e.text() + "\n");
                    } else {
                        text("Step " + e.step() + "/" + e.steps() + " : " + e.text());
                        text("\n");
                    }
                }
                case USING_CACHE -> text(podman ? "--> Using cache " + Shapes.bare(e.id()) + "\n"
                        : " ---> Using cache\n");
                case RUNNING_IN -> {
                    if (!podman) {
                        text(" ---> Running in " + shortId(e.id()) + "\n");
                    }
                }
                case OUTPUT -> text(e.text());
                case REMOVED_CONTAINER -> {
                    if (!podman) {
                        text("Removing intermediate container " + shortId(e.id()) + "\n");
                    }
                }
                case STEP_DONE -> {
                    if (e.id() != null) {
                        text(podman ? "--> " + shortId(e.id()) + "\n" : " ---> " + shortId(e.id()) + "\n");
                    } else if (!podman) {
                        text(" ---> \n");
                    }
                }
                case TAGGED -> {
                    // the tags go after the image's ID, in finish
                }
                case NOTE -> text(e.text() + "\n");
                default -> {
                }
            }
        }

        private void text(String s) {
            ObjectNode o = shapes.object();
            o.put("stream", s);
            write(o);
        }

        private void write(ObjectNode o) {
            try {
                if (out == null) {
                    out = x.startStream(200, Exchange.JSON);
                }
                Streams.jsonLine(x, out, o);
            } catch (IOException ex) {
                // the client went away: the build stops at its next line and cleans up
                throw new IllegalStateException("the client went away", ex);
            }
        }

        synchronized void error(JpodException e) {
            ObjectNode o = shapes.object();
            ObjectNode d = o.putObject("errorDetail");
            if (e instanceof BuildStepException s) {
                d.put("code", s.exitCode());
            }
            d.put("message", e.getMessage());
            o.put("error", e.getMessage());
            write(o);
        }

        synchronized void finish(BuildResult r) throws IOException {
            String id = Shapes.bare(r.imageId());
            if (podman) {
                for (String t : r.tags()) {
                    if (!quiet) {
                        text("COMMIT " + t + "\n");
                    }
                }
                if (!quiet) {
                    text("--> " + shortId(id) + "\n");
                    for (String t : r.tags()) {
                        text("Successfully tagged " + named(t, true) + "\n");
                    }
                }
                text(id + "\n");
            } else {
                ObjectNode aux = shapes.object();
                aux.putObject("aux").put("ID", "sha256:" + id);
                write(aux);
                if (quiet) {
                    text("sha256:" + id + "\n");
                } else {
                    text("Successfully built " + shortId(id) + "\n");
                    for (String t : r.tags()) {
                        text("Successfully tagged " + named(t, false) + "\n");
                    }
                }
            }
            close();
        }

        synchronized void close() throws IOException {
            if (out == null) {
                out = x.startStream(200, Exchange.JSON);
            }
            out.close();
        }
    }
}
