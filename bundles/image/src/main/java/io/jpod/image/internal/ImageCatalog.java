package io.jpod.image.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jpod.api.ErrorCode;
import io.jpod.api.ImageConfig;
import io.jpod.api.ImageInfo;
import io.jpod.api.JpodException;
import io.jpod.spi.storage.Storage;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The images of the storage as the API shows them: lookups by ID or name, and {@link ImageInfo} read from
 * the stored config. Read only, and without a lock: a container can be created from one image while another
 * loads.
 */
final class ImageCatalog {
    private static final Logger LOG = LoggerFactory.getLogger(ImageCatalog.class);

    /** The big data keys of a stored image: its config (also kept under its digest) and its manifest. */
    static final String KEY_CONFIG = "config";
    static final String KEY_MANIFEST = "manifest";

    private final Storage storage;
    private final ObjectMapper json;
    /** The registry digests recorded beside the store, or null (none but the names' own). */
    private volatile RepoDigestRecords records;

    ImageCatalog(Storage storage, ObjectMapper json) {
        this.storage = storage;
        this.json = json;
    }

    void records(RepoDigestRecords r) {
        this.records = r;
    }

    List<ImageInfo> list() {
        Map<String, Storage.Layer> layers = layerMap();
        return storage.images().stream().map(i -> info(i, layers)).toList();
    }

    /** By ID, unique ID prefix, full name, normalised name or short name; podman's error otherwise. */
    Storage.Image resolve(String image) {
        if (image == null || image.isBlank()) {
            throw JpodException.of(ErrorCode.EMPTY_ID, "image");
        }
        try {
            return storage.image(image);
        } catch (JpodException e) {
            if (e.code() != ErrorCode.NO_SUCH_IMAGE) {
                throw e;
            }
        }
        for (String n : Names.spellings(image)) {
            if (!n.equals(image)) {
                for (Storage.Image i : storage.images()) {
                    if (i.names().contains(n)) {
                        return i;
                    }
                }
            }
        }
        throw new JpodException(ErrorCode.NO_SUCH_IMAGE, image + ": image not known");
    }

    /** The name of {@code img} that {@code ref} means, or null when {@code ref} is its ID. */
    static String nameMatching(Storage.Image img, String ref) {
        if (img.names().contains(ref)) {
            return ref;
        }
        for (String n : Names.spellings(ref)) {
            if (img.names().contains(n)) {
                return n;
            }
        }
        if (!ref.contains("@")) {
            String full = Names.tag(ref) == null ? ref + ":latest" : ref;
            for (String n : img.names()) {
                if (n.endsWith("/" + full)) {
                    return n;
                }
            }
        }
        return null;
    }

    ImageInfo info(Storage.Image img) {
        return info(img, layerMap());
    }

    private ImageInfo info(Storage.Image img, Map<String, Storage.Layer> layers) {
        byte[] config = config(img.id());
        JsonNode root = json.createObjectNode();
        if (config != null) {
            try {
                root = json.readTree(config);
            } catch (IOException e) {
                LOG.warn("the config of image {} is not valid JSON: {}", img.id(), e.getMessage());
            }
        }
        Instant created = img.created();
        String c = root.path("created").asText("");
        if (!c.isEmpty()) {
            try {
                created = Instant.parse(c);
            } catch (DateTimeParseException e) {
                LOG.debug("image {} has an unreadable creation time {}", img.id(), c);
            }
        }
        List<String> diffIds = new ArrayList<>();
        long size = 0;
        for (Storage.Layer l : chain(img.topLayer(), layers)) {
            diffIds.add(l.diffId());
            size += l.size();
        }
        return new ImageInfo(img.id(), img.names(), img.digest(), created, size, imageConfig(root.path("config")),
                diffIds, repoDigests(img), text(root, "os"), text(root, "architecture"), text(root, "variant"));
    }

    private static String text(JsonNode config, String field) {
        String v = config.path(field).asText("");
        return v.isEmpty() ? null : v;
    }

    /** Docker's RepoDigests: each name's repository with the stored manifest's digest, then those recorded. */
    private List<String> repoDigests(Storage.Image img) {
        List<String> out = new ArrayList<>();
        if (img.digest() != null) {
            for (String n : img.names()) {
                String d = repository(n) + "@" + img.digest();
                if (!out.contains(d)) {
                    out.add(d);
                }
            }
        }
        RepoDigestRecords r = records;
        if (r != null) {
            for (String d : r.of(img.id())) {
                if (!out.contains(d)) {
                    out.add(d);
                }
            }
        }
        return out;
    }

    /** A name without its tag or digest. */
    static String repository(String name) {
        int at = name.indexOf('@');
        String n = at < 0 ? name : name.substring(0, at);
        int slash = n.lastIndexOf('/');
        int colon = n.lastIndexOf(':');
        return colon > slash ? n.substring(0, colon) : n;
    }

    private static ImageConfig imageConfig(JsonNode c) {
        Map<String, String> labels = new LinkedHashMap<>();
        c.path("Labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        List<String> ports = new ArrayList<>();
        c.path("ExposedPorts").fieldNames().forEachRemaining(ports::add);
        List<String> volumes = new ArrayList<>();
        c.path("Volumes").fieldNames().forEachRemaining(volumes::add);
        String workdir = c.path("WorkingDir").asText("");
        String user = c.path("User").asText("");
        String stop = c.path("StopSignal").asText("");
        return new ImageConfig(strings(c.path("Env")), strings(c.path("Cmd")), strings(c.path("Entrypoint")),
                workdir.isEmpty() ? null : workdir, user.isEmpty() ? null : user, ports, volumes, labels,
                stop.isEmpty() ? null : stop, HealthcheckInstruction.fromConfig(c.path("Healthcheck")),
                strings(c.path("OnBuild")));
    }

    private static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n.isArray()) {
            n.forEach(e -> out.add(e.asText()));
        } else if (n.isTextual()) {
            out.add(n.asText());
        }
        return out;
    }

    /** The layers from the base to {@code top}. */
    List<Storage.Layer> chain(String top) {
        return chain(top, layerMap());
    }

    private Map<String, Storage.Layer> layerMap() {
        Map<String, Storage.Layer> m = new HashMap<>();
        for (Storage.Layer l : storage.layers()) {
            m.put(l.id(), l);
        }
        return m;
    }

    private static List<Storage.Layer> chain(String top, Map<String, Storage.Layer> layers) {
        List<Storage.Layer> out = new ArrayList<>();
        for (String id = top; id != null; ) {
            Storage.Layer l = layers.get(id);
            if (l == null) {
                throw new JpodException(ErrorCode.INTERNAL, "layer " + id + " is missing from the storage");
            }
            out.add(0, l);
            id = l.parent();
        }
        return out;
    }

    /** The image's config: big data {@code config}, else under its digest; null when neither is there. */
    byte[] config(String id) {
        byte[] b = storage.imageBigData(id, KEY_CONFIG);
        return b != null ? b : storage.imageBigData(id, Digests.SHA256 + id);
    }
}
