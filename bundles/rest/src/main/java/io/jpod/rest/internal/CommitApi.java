package io.jpod.rest.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpod.api.CommitRequest;
import io.jpod.api.Container;
import io.jpod.api.ContainerChanges;
import io.jpod.api.HistoryEntry;
import io.jpod.api.ImageConfig;
import io.jpod.api.ImageInfo;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code docker commit} ({@code POST /commit}, 201 {@code {"Id":"sha256:..."}}) and {@code podman commit}
 * ({@code POST /libpod/commit}, 200 {@code {"Id":"..."}}): the container's layer is written to a temporary tar
 * (the container paused meanwhile unless {@code pause=false}; docker's default is to pause, podman's not), then
 * stored as an image on the container's image, with the container's config and the {@code changes} applied.
 */
final class CommitApi {
    private static final Logger LOG = LoggerFactory.getLogger(CommitApi.class);

    private final Services services;
    private final Shapes shapes;

    CommitApi(Services services, Shapes shapes) {
        this.services = services;
        this.shapes = shapes;
    }

    void register(Router docker, Router libpod) {
        docker.add("POST", "/commit", x -> commit(x, false));
        libpod.add("POST", "/commit", x -> commit(x, true));
    }

    private void commit(Exchange x, boolean libpod) throws IOException {
        String id = x.query("container");
        if (id == null || id.isEmpty()) {
            throw ApiException.badRequest("container is required: give the container to commit as container=");
        }
        if (x.bool("squash", false)) {
            throw ApiException.badRequest("squash is not supported by jpod's commit: leave it out");
        }
        String format = libpod ? x.query("format") : "docker";
        if (format == null || format.isEmpty()) {
            format = "oci";
        }
        if (!format.equals("oci") && !format.equals("docker")) {
            throw ApiException.badRequest("unrecognized image format \"" + format + "\": use oci or docker");
        }
        List<String> changes = CommitInstructions.check(x.queryAll("changes"));
        String reference = reference(x.query("repo"), x.query("tag"));
        boolean pause = x.bool("pause", !libpod);
        JsonNode body = libpod ? null : x.body();
        ContainerChanges layers = ChangesApi.of(services);
        Container c = services.containers().container(id);
        ImageConfig parent = c.config().imageId() == null ? null
                : services.images().inspect(c.config().imageId()).config();
        ImageConfig config = CommitConfig.of(c.config(), parent, body, libpod);
        HistoryEntry history = new HistoryEntry(Instant.now(), String.join(" ", c.config().command()),
                blank(x.query("author")), blank(x.query("comment")), false);
        Path tar = Files.createTempFile("jpod-commit-", ".tar",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        ImageInfo image;
        try {
            try (OutputStream out = Files.newOutputStream(tar)) {
                layers.writeLayer(c.id(), out, pause);
            }
            image = services.images().commit(new CommitRequest(c.config().imageId(), tar, config, changes, history,
                    reference, format));
        } finally {
            try {
                Files.deleteIfExists(tar);
            } catch (IOException e) {
                LOG.warn("cannot remove {}: {}", tar, e.getMessage());
            }
        }
        ObjectNode o = shapes.object();
        o.put("Id", libpod ? image.id() : Shapes.imageId(image.id()));
        x.json(libpod ? 200 : 201, o);
    }

    /** {@code repo[:tag]}, null for an untagged image; a tag without a repository is refused. */
    static String reference(String repo, String tag) {
        if (repo == null || repo.isEmpty()) {
            if (tag != null && !tag.isEmpty()) {
                throw ApiException.badRequest("tag " + tag + " needs a repository: give repo= too");
            }
            return null;
        }
        return tag == null || tag.isEmpty() ? repo : repo + ":" + tag;
    }

    private static String blank(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
