package io.jpod.image.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jpod.api.ErrorCode;
import io.jpod.api.ImageInfo;
import io.jpod.api.JpodException;
import io.jpod.spi.storage.Storage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts candidates into the storage, all or nothing: on a failure, the images and layers created here are
 * removed again. The caller holds the service's lock.
 */
final class ImageStore {
    private static final Logger LOG = LoggerFactory.getLogger(ImageStore.class);

    private final Storage storage;
    private final LayerTars tars;
    private final ImageCatalog catalog;
    private final ObjectMapper json;

    ImageStore(Storage storage, LayerTars tars, ImageCatalog catalog, ObjectMapper json) {
        this.storage = storage;
        this.tars = tars;
        this.catalog = catalog;
        this.json = json;
    }

    /** The images stored, once each, in the order of the candidates; one already there gains their names. */
    List<ImageInfo> store(List<Candidate> candidates) {
        Set<String> layersBefore = storage.layers().stream().map(Storage.Layer::id).collect(Collectors.toSet());
        List<String> created = new ArrayList<>();
        Map<String, List<String>> moreNames = new LinkedHashMap<>();
        List<String> ids = new ArrayList<>();
        try {
            for (Candidate c : candidates) {
                String parent = null;
                List<Long> sizes = new ArrayList<>();
                List<String> diffIds = new ArrayList<>();
                for (SpooledLayer s : c.layers()) {
                    parent = addLayer(parent, s).id();
                    sizes.add(s.size());
                    diffIds.add(s.diffId());
                }
                Storage.Image existing = storage.images().stream().filter(i -> i.id().equals(c.id())).findFirst()
                        .orElse(null);
                if (existing != null || created.contains(c.id())) {
                    moreNames.computeIfAbsent(c.id(), k -> new ArrayList<>()).addAll(c.names());
                } else {
                    Map<String, byte[]> data = new LinkedHashMap<>();
                    data.put(ImageCatalog.KEY_CONFIG, c.config());
                    data.put(Digests.SHA256 + c.id(), c.config());
                    data.put(ImageCatalog.KEY_MANIFEST, c.manifest() != null ? c.manifest()
                            : Oci.manifest(json, c.config(), diffIds, sizes));
                    storage.createImage(c.id(), c.names(), parent, data);
                    created.add(c.id());
                }
                if (!ids.contains(c.id())) {
                    ids.add(c.id());
                }
            }
            for (Map.Entry<String, List<String>> e : moreNames.entrySet()) {
                addNames(e.getKey(), e.getValue());
            }
        } catch (IOException | RuntimeException e) {
            rollback(created, layersBefore);
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw new JpodException(ErrorCode.INTERNAL, "cannot store the image: " + e.getMessage(), e);
        }
        return ids.stream().map(id -> catalog.info(storage.image(id))).toList();
    }

    private void addNames(String id, List<String> more) {
        List<String> names = new ArrayList<>(storage.image(id).names());
        boolean changed = false;
        for (String n : more) {
            if (!names.contains(n)) {
                names.add(n);
                changed = true;
            }
        }
        if (changed) {
            storage.setNames(id, names);
        }
    }

    /**
     * Keeps the tar first, then stores the layer from it: after a crash there may be a tar no layer has
     * (removed at the next start), never a layer without its tar. A layer of that diff ID on that parent
     * stored already is used as it is, not extracted again.
     */
    private Storage.Layer addLayer(String parent, SpooledLayer s) throws IOException {
        Path target = tars.keep(s);
        for (Storage.Layer have : storage.layers()) {
            if (s.diffId().equals(have.diffId()) && Objects.equals(parent, have.parent())) {
                return have;
            }
        }
        Storage.Layer l;
        try (InputStream in = Files.newInputStream(target)) {
            l = storage.createLayer(parent, in);
        }
        if (!s.diffId().equals(l.diffId())) {
            throw new JpodException(ErrorCode.INTERNAL, "the storage computed diff ID " + l.diffId()
                    + " for a layer whose tar has digest " + s.diffId());
        }
        return l;
    }

    /** Removes the images created by a failed load and the layers it left that nothing uses. */
    private void rollback(List<String> createdImages, Set<String> layersBefore) {
        for (String id : createdImages) {
            try {
                storage.deleteImage(id);
            } catch (RuntimeException e) {
                LOG.warn("cannot remove image {} after a failed load: {}", id, e.getMessage());
            }
        }
        try {
            // the new layers nothing uses, leaves first (a removed layer may free its parent)
            boolean more = true;
            while (more) {
                more = false;
                List<Storage.Layer> all = storage.layers();
                Set<String> parents = all.stream().map(Storage.Layer::parent).filter(Objects::nonNull)
                        .collect(Collectors.toSet());
                Set<String> tops = storage.images().stream().map(Storage.Image::topLayer).filter(Objects::nonNull)
                        .collect(Collectors.toSet());
                for (Storage.Layer l : all) {
                    if (!layersBefore.contains(l.id()) && !parents.contains(l.id()) && !tops.contains(l.id())) {
                        storage.deleteLayer(l.id());
                        more = true;
                        break;
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("cannot remove the layers of a failed load: {}", e.getMessage());
        }
        tars.gc();
    }
}
