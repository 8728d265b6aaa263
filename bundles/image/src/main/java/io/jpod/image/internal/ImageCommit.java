package io.jpod.image.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpod.api.CommitRequest;
import io.jpod.api.ErrorCode;
import io.jpod.api.HistoryEntry;
import io.jpod.api.ImageConfig;
import io.jpod.api.JpodException;
import io.jpod.spi.storage.Storage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code commit}: the image a parent and a layer make, as a candidate for the store. Its config is the parent's
 * with the request's config and changes applied, its diff IDs and history the parent's with the new layer's
 * (the sha256 of its tar, as for a loaded layer) and the new entry appended.
 */
final class ImageCommit {
    private static final Logger LOG = LoggerFactory.getLogger(ImageCommit.class);
    /** Fields of docker's image config the OCI image spec does not have: a commit in the OCI format drops them. */
    private static final List<String> DOCKER_ONLY = List.of("Healthcheck", "OnBuild", "Shell");

    private final ImageCatalog catalog;
    private final LayerTars tars;
    private final ArchiveSpool spool;
    private final ObjectMapper json;

    ImageCommit(ImageCatalog catalog, LayerTars tars, ArchiveSpool spool, ObjectMapper json) {
        this.catalog = catalog;
        this.tars = tars;
        this.spool = spool;
        this.json = json;
    }

    Candidate read(CommitRequest r) {
        String format = r.format() == null || r.format().isBlank() ? "oci" : r.format();
        if (!format.equals("oci") && !format.equals("docker")) {
            throw ImageErrors.invalid("unrecognized image format \"" + format + "\": give oci or docker");
        }
        List<String> names = r.reference() == null || r.reference().isBlank() ? List.of()
                : List.of(Names.normalize(r.reference(), Names.LOCALHOST));
        Storage.Image parent = r.parent() == null || r.parent().isBlank() ? null : catalog.resolve(r.parent());
        ObjectNode root = parentConfig(parent);
        JsonNode c = root.get("config");
        ObjectNode config = c instanceof ObjectNode o ? o : root.putObject("config");
        if (r.config() != null) {
            replace(config, r.config());
        }
        CommitChanges.apply(json, config, r.changes());
        if (format.equals("oci")) {
            for (String f : DOCKER_ONLY) {
                if (config.remove(f) != null) {
                    LOG.warn("{} is not supported by the OCI image format and is left out: commit in the docker "
                            + "format to keep it", f.toUpperCase(java.util.Locale.ROOT));
                }
            }
        }
        List<SpooledLayer> layers = new ArrayList<>();
        try {
            List<Storage.Layer> chain = parent == null ? List.of() : catalog.chain(parent.topLayer());
            for (Storage.Layer l : chain) {
                layers.add(spool.link(tars.of(l.diffId()), l.diffId()));
            }
            SpooledLayer added = layer(r.layer());
            if (added != null) {
                layers.add(added);
            }
            HistoryEntry h = r.history();
            Instant created = h == null || h.created() == null ? Instant.now() : h.created();
            root.put("created", created.toString());
            if (h != null && h.author() != null && !h.author().isEmpty()) {
                root.put("author", h.author());
            }
            if (!root.hasNonNull("architecture")) {
                root.put("architecture", Oci.arch());
            }
            if (!root.hasNonNull("os")) {
                root.put("os", "linux");
            }
            ObjectNode rootfs = root.putObject("rootfs");
            rootfs.put("type", "layers");
            ArrayNode diffIds = rootfs.putArray("diff_ids");
            chain.forEach(l -> diffIds.add(l.diffId()));
            if (added != null) {
                diffIds.add(added.diffId());
            }
            JsonNode oldHistory = root.get("history");
            ArrayNode history = oldHistory instanceof ArrayNode a ? a : root.putArray("history");
            ObjectNode entry = history.addObject();
            entry.put("created", created.toString());
            putIfSet(entry, "created_by", h == null ? null : h.createdBy());
            putIfSet(entry, "author", h == null ? null : h.author());
            putIfSet(entry, "comment", h == null ? null : h.comment());
            if (added == null) {
                entry.put("empty_layer", true);
            }
            byte[] bytes = json.writeValueAsBytes(root);
            return new Candidate(Digests.sha256(bytes), bytes, layers, names);
        } catch (IOException | RuntimeException e) {
            layers.forEach(SpooledLayer::discard);
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw new JpodException(ErrorCode.INTERNAL, "cannot commit the image: " + e.getMessage(), e);
        }
    }

    /** The parent's config, a copy to change; an empty one for scratch. */
    private ObjectNode parentConfig(Storage.Image parent) {
        if (parent == null) {
            return json.createObjectNode();
        }
        byte[] b = catalog.config(parent.id());
        try {
            JsonNode n = b == null ? null : json.readTree(b);
            if (n instanceof ObjectNode o) {
                o.remove("rootfs");
                return o;
            }
        } catch (IOException e) {
            LOG.warn("the config of image {} is not valid JSON: {}", parent.id(), e.getMessage());
        }
        throw new JpodException(ErrorCode.INTERNAL, "image " + parent.id() + " has no readable config to commit on");
    }

    /** The layer tar spooled (its digest taken as it is copied), or null for none: no file, or an empty one. */
    private SpooledLayer layer(Path tar) throws IOException {
        if (tar == null || Files.size(tar) == 0 && Files.isRegularFile(tar, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        try (InputStream in = Files.newInputStream(tar)) {
            return spool.spool(in, "the layer " + tar.getFileName());
        }
    }

    /**
     * The fields ImageConfig has replace the parent's; the others (Healthcheck, Shell...) stay. The parent's ONBUILD
     * triggers are not the child's (a build ran them), as Docker's: only the request's.
     */
    private void replace(ObjectNode config, ImageConfig ic) {
        putList(config, "Env", ic.env());
        putList(config, "Cmd", ic.cmd());
        putList(config, "Entrypoint", ic.entrypoint());
        putText(config, "WorkingDir", ic.workingDir());
        putText(config, "User", ic.user());
        putSet(config, "ExposedPorts", ic.exposedPorts());
        putSet(config, "Volumes", ic.volumes());
        if (ic.labels().isEmpty()) {
            config.remove("Labels");
        } else {
            ObjectNode labels = config.putObject("Labels");
            for (Map.Entry<String, String> e : new java.util.TreeMap<>(ic.labels()).entrySet()) {
                labels.put(e.getKey(), e.getValue());
            }
        }
        putText(config, "StopSignal", ic.stopSignal());
        putList(config, "OnBuild", ic.onBuild());
    }

    private static void putList(ObjectNode config, String field, List<String> values) {
        if (values.isEmpty()) {
            config.remove(field);
        } else {
            ArrayNode a = config.putArray(field);
            values.forEach(a::add);
        }
    }

    private static void putSet(ObjectNode config, String field, List<String> keys) {
        if (keys.isEmpty()) {
            config.remove(field);
        } else {
            ObjectNode o = config.putObject(field);
            keys.forEach(o::putObject);
        }
    }

    private static void putText(ObjectNode config, String field, String value) {
        if (value == null || value.isEmpty()) {
            config.remove(field);
        } else {
            config.put(field, value);
        }
    }

    private static void putIfSet(ObjectNode o, String field, String value) {
        if (value != null && !value.isEmpty()) {
            o.put(field, value);
        }
    }
}
