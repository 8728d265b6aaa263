package io.jpod.rest.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpod.api.ErrorCode;
import io.jpod.api.ImageInfo;
import io.jpod.api.JpodException;
import io.jpod.api.PullEvent;
import io.jpod.api.PullOptions;
import io.jpod.api.PullPolicy;
import io.jpod.api.registry.ImageReference;
import io.jpod.api.registry.Platform;
import io.jpod.api.registry.Registries;
import io.jpod.api.registry.RegistryOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Pulls, as docker's {@code POST /images/create?fromImage=} and libpod's {@code POST /libpod/images/pull}
 * answer them: a stream of JSON lines the clients show as progress. Docker's stream starts once the
 * registry has the manifest (an unknown image is a plain 404 before it, as dockerd's); libpod's at once,
 * its errors in the stream.
 */
final class ImagePullApi {
    private final Services services;
    private final Shapes shapes;

    ImagePullApi(Services services, Shapes shapes) {
        this.services = services;
        this.shapes = shapes;
    }

    /** Docker's pull: {@code fromImage}, {@code tag} (a tag or a digest), {@code platform}, X-Registry-Auth. */
    void docker(Exchange x, String from, String tag) throws IOException {
        String ref = tag == null || tag.isEmpty() || from.contains("@") ? from
                : tag.startsWith("sha256:") ? from + "@" + tag : from + ":" + tag;
        Registries registries = services.registriesOrNull();
        String full = ref;
        ImageReference parsed = null;
        if (registries != null) {
            parsed = registries.parse(ref);
            full = parsed.toString();
        }
        Platform platform = RegistryAuths.platform(x, registries == null ? null : registries.hostPlatform());
        RegistryOptions ropts = RegistryAuths.options(x, parsed == null ? null : parsed.registry());
        ImageInfo before = storedOrNull(full);
        if (before == null && !full.equals(ref)) {
            before = storedOrNull(ref);
        }
        // an image stored under another spelling (docker.io/library/busybox is the shipped localhost/busybox)
        Set<String> idsBefore = new HashSet<>();
        services.images().list().forEach(l -> idsBefore.add(l.id()));
        DockerStream stream = new DockerStream(x, parsed);
        TransferWatch watch = new TransferWatch(x);
        ImageInfo i;
        try {
            i = services.images().pull(full, new PullOptions(PullPolicy.ALWAYS, platform, ropts),
                    watch.progress(stream));
        } catch (JpodException e) {
            if (!stream.started()) {
                throw notFoundAsDocker(e, full);
            }
            if (!watch.gone()) {
                stream.error(e.getMessage());
                stream.close();
            }
            return;
        } catch (RuntimeException e) {
            if (!stream.started()) {
                throw e;
            }
            if (!watch.gone()) {
                stream.error(e.getClass().getSimpleName() + ": " + e.getMessage());
                stream.close();
            }
            return;
        } finally {
            watch.close();
        }
        boolean upToDate = stream.upToDate || (before == null ? idsBefore.contains(i.id()) : before.id().equals(i.id()));
        // an image the install ships (no registry was asked) keeps the name it is stored by, as before registries
        try {
            stream.finish(i, upToDate, stream.digest == null && !i.names().isEmpty() ? i.names().get(0)
                    : familiar(parsed, i, full));
        } catch (UncheckedIOException gone) {
            // the client left as the pull ended: the image is stored all the same
        }
    }

    /** Docker's 404 for an unknown image ("manifest unknown"), so that its CLI says what it says. */
    private static RuntimeException notFoundAsDocker(JpodException e, String ref) {
        if (JpodException.is(e, ErrorCode.NO_SUCH_IMAGE)) {
            return ApiException.notFound(e.getMessage());
        }
        return e;
    }

    private ImageInfo storedOrNull(String ref) {
        try {
            return services.images().inspect(ref);
        } catch (JpodException e) {
            return null;
        }
    }

    /** Docker's familiar name: {@code busybox:latest} for {@code docker.io/library/busybox:latest}. */
    static String familiar(ImageReference ref, ImageInfo i, String fallback) {
        String s = ref != null ? ref.toString() : !i.names().isEmpty() ? i.names().get(0) : fallback;
        if (s.startsWith("docker.io/library/")) {
            return s.substring("docker.io/library/".length());
        }
        if (s.startsWith("docker.io/")) {
            return s.substring("docker.io/".length());
        }
        return s;
    }

    /** The 12 hex digits docker shows of a digest. */
    static String shortId(String digest) {
        String h = Shapes.bare(digest == null ? "" : digest);
        return h.length() > 12 ? h.substring(0, 12) : h;
    }

    /** Docker's progress stream. */
    private final class DockerStream implements Consumer<PullEvent> {
        private final Exchange x;
        private final ImageReference ref;
        private OutputStream out;
        private String config;
        private String digest;
        private boolean upToDate;
        private final Set<String> announced = new HashSet<>();

        DockerStream(Exchange x, ImageReference ref) {
            this.x = x;
            this.ref = ref;
        }

        synchronized boolean started() {
            return out != null;
        }

        @Override
        public synchronized void accept(PullEvent e) {
            switch (e.kind()) {
                case TRYING -> {
                    // nothing yet: an unknown image is still a plain 404
                }
                case RESOLVED -> {
                    digest = e.id();
                    String tagOrDigest = ref == null ? "latest" : ref.tag() != null ? ref.tag() : ref.digest();
                    status("Pulling from " + (ref == null ? e.reference() : ref.repository()), tagOrDigest);
                }
                case CONFIG -> config = e.id();
                case LAYER_EXISTS -> status("Already exists", shortId(e.id()));
                case LAYER_WAITING -> {
                    if (announced.add(e.id())) {
                        status("Pulling fs layer", shortId(e.id()));
                    } else {
                        status("Waiting", shortId(e.id()));
                    }
                }
                case DOWNLOADING -> {
                    if (!e.id().equals(config)) {
                        ObjectNode o = shapes.object();
                        o.put("status", "Downloading");
                        ObjectNode d = o.putObject("progressDetail");
                        d.put("current", e.current());
                        if (e.total() > 0) {
                            d.put("total", e.total());
                        }
                        o.put("progress", bar(e.current(), e.total()));
                        o.put("id", shortId(e.id()));
                        write(o);
                    }
                }
                case DOWNLOADED -> {
                    if (!e.id().equals(config)) {
                        status("Verifying Checksum", shortId(e.id()));
                        status("Download complete", shortId(e.id()));
                    }
                }
                case EXTRACTING -> status("Extracting", shortId(e.id()));
                case LAYER_DONE -> status("Pull complete", shortId(e.id()));
                case UP_TO_DATE -> upToDate = true;
                default -> {
                }
            }
        }

        private void status(String status, String id) {
            ObjectNode o = shapes.object();
            o.put("status", status);
            if (id != null) {
                o.set("progressDetail", shapes.object());
                o.put("id", id);
            }
            write(o);
        }

        synchronized void error(String message) {
            ObjectNode o = shapes.object();
            o.putObject("errorDetail").put("message", message);
            o.put("error", message);
            write(o);
        }

        synchronized void finish(ImageInfo i, boolean upToDate, String name) throws IOException {
            if (digest != null) {
                status("Digest: " + digest, null);
            }
            status("Status: " + (upToDate ? "Image is up to date for " : "Downloaded newer image for ") + name, null);
            close();
        }

        synchronized void close() throws IOException {
            if (out == null) {
                out = x.startStream(200, Exchange.JSON);
            }
            out.close();
        }

        private void write(ObjectNode o) {
            try {
                if (out == null) {
                    x.noIdleTimeout();
                    out = x.startStream(200, Exchange.JSON);
                }
                Streams.jsonLine(x, out, o);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Docker's progress bar text, {@code [=====>     ]  1.2MB/3.4MB}. */
    static String bar(long current, long total) {
        if (total <= 0) {
            return human(current);
        }
        int width = 50;
        int filled = (int) Math.min(width, current * width / total);
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < width; i++) {
            b.append(i < filled ? '=' : i == filled ? '>' : ' ');
        }
        return b.append("] ").append(human(current)).append('/').append(human(total)).toString();
    }

    private static String human(long n) {
        if (n < 1000) {
            return n + "B";
        }
        if (n < 1_000_000) {
            return String.format("%.1fkB", n / 1000.0);
        }
        if (n < 1_000_000_000) {
            return String.format("%.1fMB", n / 1_000_000.0);
        }
        return String.format("%.2fGB", n / 1_000_000_000.0);
    }

    /** libpod's pull: {@code reference}, {@code quiet}, {@code policy}, {@code tlsVerify}, the platform. */
    void libpod(Exchange x) throws IOException {
        String ref = x.query("reference");
        if (ref == null || ref.isEmpty()) {
            throw ApiException.badRequest("reference is required: name the image to pull");
        }
        if (ref.startsWith("docker://")) {
            ref = ref.substring("docker://".length());
        }
        boolean quiet = x.bool("quiet", false);
        PullPolicy policy;
        try {
            policy = PullPolicy.parse(x.query("policy") == null ? "always" : x.query("policy"));
        } catch (JpodException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        Registries registries = services.registriesOrNull();
        Platform host = registries == null ? new Platform("linux", "amd64", null) : registries.hostPlatform();
        Platform platform = RegistryAuths.platform(x, host);
        RegistryOptions ropts = RegistryAuths.options(x, registryOf(registries, ref));
        var images = services.images();
        x.noIdleTimeout();
        TransferWatch watch = new TransferWatch(x);
        OutputStream out = x.startStream(200, Exchange.JSON);
        Consumer<PullEvent> progress = watch.progress(quiet ? e -> {
        } : new LibpodStream(x, out));
        try (out; watch) {
            ImageInfo i;
            try {
                i = images.pull(ref, new PullOptions(policy, platform, ropts), progress);
            } catch (RuntimeException e) {
                if (watch.gone()) {
                    return;
                }
                ObjectNode o = shapes.object();
                o.put("error", e instanceof JpodException ? e.getMessage()
                        : e.getClass().getSimpleName() + ": " + e.getMessage());
                line(x, out, o);
                return;
            }
            ObjectNode o = shapes.object();
            o.set("images", shapes.strings(List.of(Shapes.bare(i.id()))));
            o.put("id", Shapes.bare(i.id()));
            line(x, out, o);
        }
    }

    private static String registryOf(Registries registries, String ref) {
        if (registries == null) {
            return null;
        }
        try {
            return registries.parse(ref).registry();
        } catch (RuntimeException e) {
            return null;
        }
    }

    static void line(Exchange x, OutputStream out, ObjectNode o) throws IOException {
        Streams.jsonLine(x, out, o);
    }

    /** podman's lines: Trying to pull, Getting image source signatures, Copying blob, Copying config... */
    private final class LibpodStream implements Consumer<PullEvent> {
        private final Exchange x;
        private final OutputStream out;
        private final Set<String> told = new HashSet<>();

        LibpodStream(Exchange x, OutputStream out) {
            this.x = x;
            this.out = out;
        }

        @Override
        public synchronized void accept(PullEvent e) {
            String s = switch (e.kind()) {
                case TRYING -> "Trying to pull " + e.reference() + "...";
                case RESOLVED -> "Getting image source signatures";
                case LAYER_EXISTS -> told.add(e.id()) ? "Copying blob " + e.id() + " skipped: already exists" : null;
                case LAYER_WAITING -> told.add(e.id()) ? "Copying blob " + e.id() : null;
                case CONFIG -> "Copying config " + e.id();
                case STORED -> "Writing manifest to image destination\nStoring signatures";
                default -> null;
            };
            if (s == null) {
                return;
            }
            ObjectNode o = shapes.object();
            o.put("stream", s + "\n");
            try {
                line(x, out, o);
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
    }
}
