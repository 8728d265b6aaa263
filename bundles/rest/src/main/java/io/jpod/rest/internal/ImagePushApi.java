package io.jpod.rest.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpod.api.ImageInfo;
import io.jpod.api.JpodException;
import io.jpod.api.PullEvent;
import io.jpod.api.registry.ImageReference;
import io.jpod.api.registry.RegistryOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Pushes: docker's {@code POST /images/{name}/push?tag=} (its progress stream: Preparing, Pushing, Pushed or
 * Layer already exists, then {@code <tag>: digest: ...} and an {@code aux} with the digest) and libpod's
 * {@code POST /libpod/images/{name}/push?destination=} (podman's lines as {@code stream}, then
 * {@code manifestdigest}). Errors before the stream starts are plain statuses, after it in the stream.
 */
final class ImagePushApi {
    private static final java.util.regex.Pattern LIBPOD_VERSION = java.util.regex.Pattern.compile(
            "^/v(\\d+)[.\\d]*/libpod/");

    private final Services services;
    private final Shapes shapes;

    ImagePushApi(Services services, Shapes shapes) {
        this.services = services;
        this.shapes = shapes;
    }

    void register(Router docker, Router libpod) {
        docker.add("POST", "/images/{name*}/push", this::docker);
        libpod.add("POST", "/images/{name*}/push", this::libpod);
    }

    private void docker(Exchange x) throws IOException {
        String name = x.param("name");
        String tag = x.query("tag");
        String image = tag == null || tag.isEmpty() ? name : name + (tag.startsWith("sha256:") ? "@" : ":") + tag;
        var registries = services.registries();
        ImageReference dest = registries.parse(image);
        ImageInfo local = inspect(image);
        RegistryOptions options = RegistryAuths.options(x, dest.registry());
        x.noIdleTimeout();
        TransferWatch watch = new TransferWatch(x);
        OutputStream out = x.startStream(200, Exchange.JSON);
        try (out; watch) {
            status(x, out, "The push refers to repository [" + dest.name() + "]", null);
            Set<String> told = new HashSet<>();
            Consumer<PullEvent> progress = watch.progress(e -> {
                try {
                    synchronized (out) {
                        switch (e.kind()) {
                            case PUSH_WAITING -> {
                                if (told.add(e.id())) {
                                    status(x, out, "Preparing", ImagePullApi.shortId(e.id()));
                                }
                            }
                            case PUSH_EXISTS -> status(x, out, "Layer already exists", ImagePullApi.shortId(e.id()));
                            case UPLOADING -> {
                                ObjectNode o = shapes.object();
                                o.put("status", "Pushing");
                                ObjectNode d = o.putObject("progressDetail");
                                d.put("current", e.current());
                                d.put("total", e.total());
                                o.put("progress", ImagePullApi.bar(e.current(), e.total()));
                                o.put("id", ImagePullApi.shortId(e.id()));
                                ImagePullApi.line(x, out, o);
                            }
                            case PUSHED -> status(x, out, "Pushed", ImagePullApi.shortId(e.id()));
                            default -> {
                            }
                        }
                    }
                } catch (IOException ex) {
                    throw new UncheckedIOException(ex);
                }
            });
            String digest;
            try {
                digest = services.images().push(local.id(), dest.toString(), options, progress);
            } catch (RuntimeException e) {
                if (watch.gone()) {
                    return;
                }
                String m = e instanceof JpodException ? e.getMessage() : e.getClass().getSimpleName() + ": "
                        + e.getMessage();
                ObjectNode o = shapes.object();
                o.putObject("errorDetail").put("message", m);
                o.put("error", m);
                ImagePullApi.line(x, out, o);
                return;
            }
            String t = dest.tag() != null ? dest.tag() : dest.digest();
            status(x, out, t + ": digest: " + digest, null);
            ObjectNode aux = shapes.object();
            aux.set("progressDetail", shapes.object());
            ObjectNode a = aux.putObject("aux");
            a.put("Tag", t);
            a.put("Digest", digest);
            ImagePullApi.line(x, out, aux);
        }
    }

    private ImageInfo inspect(String image) {
        try {
            return services.images().inspect(image);
        } catch (JpodException e) {
            if (JpodException.is(e, io.jpod.api.ErrorCode.NO_SUCH_IMAGE)) {
                throw ApiException.notFound("An image does not exist locally with the tag: " + image);
            }
            throw e;
        }
    }

    /** Whether the client's path names libpod API 5 or later ({@code /v5.0.0/libpod/...}). */
    private static boolean libpodAtLeast5(Exchange x) {
        String p = x.request.getHttpURI().getPath();
        java.util.regex.Matcher m = LIBPOD_VERSION.matcher(p == null ? "" : p);
        return m.find() && Integer.parseInt(m.group(1)) >= 5;
    }

    private void status(Exchange x, OutputStream out, String status, String id) throws IOException {
        ObjectNode o = shapes.object();
        o.put("status", status);
        if (id != null) {
            o.set("progressDetail", shapes.object());
            o.put("id", id);
        }
        ImagePullApi.line(x, out, o);
    }

    private void libpod(Exchange x) throws IOException {
        String name = x.param("name");
        String destination = x.query("destination");
        if (destination == null || destination.isEmpty()) {
            destination = name;
        }
        if (destination.startsWith("docker://")) {
            destination = destination.substring("docker://".length());
        }
        var registries = services.registries();
        ImageReference dest = registries.parse(destination);
        ImageInfo local;
        try {
            local = services.images().inspect(name);
        } catch (JpodException e) {
            if (JpodException.is(e, io.jpod.api.ErrorCode.NO_SUCH_IMAGE)) {
                throw ApiException.notFound(name + ": image not known");
            }
            throw e;
        }
        boolean quiet = x.bool("quiet", false);
        RegistryOptions options = RegistryAuths.options(x, dest.registry());
        x.noIdleTimeout();
        TransferWatch watch = new TransferWatch(x);
        OutputStream out = x.startStream(200, Exchange.JSON);
        try (out; watch) {
            Set<String> told = new HashSet<>();
            Consumer<PullEvent> progress = watch.progress(quiet ? e -> {
            } : e -> {
                String s = switch (e.kind()) {
                    case PUSH_WAITING, PUSH_EXISTS -> told.add(e.id())
                            ? "Copying blob " + e.id() + (e.kind() == PullEvent.Kind.PUSH_EXISTS
                                    ? " skipped: already exists" : "") : null;
                    case MANIFEST_PUSHED -> "Writing manifest to image destination";
                    default -> null;
                };
                if (s != null) {
                    ObjectNode o = shapes.object();
                    o.put("stream", s + "\n");
                    try {
                        synchronized (out) {
                            ImagePullApi.line(x, out, o);
                        }
                    } catch (IOException ex) {
                        throw new UncheckedIOException(ex);
                    }
                }
            });
            if (!quiet) {
                ObjectNode o = shapes.object();
                o.put("stream", "Getting image source signatures\n");
                ImagePullApi.line(x, out, o);
            }
            try {
                String digest = services.images().push(local.id(), dest.toString(), options, progress);
                // podman 4's client takes every line that is neither stream nor error for garbage: the digest
                // line goes to podman 5 and to whoever asks for it (jpod's CLI)
                if (x.bool("manifestdigest", false) || libpodAtLeast5(x)) {
                    ObjectNode o = shapes.object();
                    o.put("manifestdigest", digest);
                    ImagePullApi.line(x, out, o);
                }
            } catch (RuntimeException e) {
                if (watch.gone()) {
                    return;
                }
                ObjectNode o = shapes.object();
                o.put("error", e instanceof JpodException ? e.getMessage()
                        : e.getClass().getSimpleName() + ": " + e.getMessage());
                ImagePullApi.line(x, out, o);
            }
        }
    }
}
