package io.jpod.storage.common.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.spi.storage.Storage.Layer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The layers: {@code <graphroot>/D-layers/layers.json}, the driver's layer directories, each layer's parent and
 * the count of its users (child layers, container layers, images whose top layer it is). A layer whose last
 * user goes is removed with its now unused parents. Guarded by the {@link Store}'s monitor, except
 * {@link #stage}, which touches no record.
 */
final class LayerRecords {
    private static final Logger LOG = LoggerFactory.getLogger(LayerRecords.class);
    private static final String STAGING = "staging-";

    /** A layer as stored. {@code refs}: its users. {@code container}: a container's writable layer. */
    record LayerRec(String id, String parent, String diffId, long size, String created, int refs, boolean container) {
    }

    /** A layer extracted under a staging ID, not yet recorded. */
    record Staged(String dir, TarApplier.Result result) {
    }

    private final LayerDriver driver;
    private final MetadataFiles files;
    private final Path file;
    private final Map<String, LayerRec> layers = new LinkedHashMap<>();
    /** Layers that a running extraction is on top of: kept even when their last user goes. */
    private final Map<String, Integer> pins = new HashMap<>();

    LayerRecords(LayerDriver driver, MetadataFiles files, Path graphRoot) {
        this.driver = driver;
        this.files = files;
        this.file = graphRoot.resolve(driver.name() + "-layers").resolve("layers.json");
    }

    void load() throws IOException {
        for (LayerRec l : files.read(file, new TypeReference<List<LayerRec>>() { })) {
            layers.put(l.id(), l);
        }
    }

    /** Lets the driver make again, parents first, what a power cut took of each layer's derived files. */
    void repair() {
        Map<String, LayerDriver.Recorded> ordered = new LinkedHashMap<>();
        for (LayerRec l : layers.values()) {
            addParentFirst(l, ordered);
        }
        driver.repair(List.copyOf(ordered.values()));
    }

    private void addParentFirst(LayerRec l, Map<String, LayerDriver.Recorded> ordered) {
        if (ordered.containsKey(l.id())) {
            return;
        }
        LayerRec parent = l.parent() == null ? null : layers.get(l.parent());
        if (parent != null) {
            addParentFirst(parent, ordered);
        }
        ordered.put(l.id(), new LayerDriver.Recorded(l.id(), l.parent(), l.container()));
    }

    /** Removes the layer directories that no record names: leftovers of a crash. */
    void removeUnnamedDirs() throws IOException {
        for (String dir : driver.layerDirs()) {
            if (!layers.containsKey(dir)) {
                LOG.info("removing layer directory {} that no metadata names (left by a crash)", dir);
                driver.remove(dir);
            }
        }
    }

    void save() {
        files.write(file, layers.values());
    }

    boolean contains(String id) {
        return layers.containsKey(id);
    }

    /** Checks that {@code parent} (null for none) can have a child, and keeps it until {@link #unpin}. */
    void pinParent(String parent) {
        if (parent == null) {
            return;
        }
        LayerRec p = layers.get(parent);
        if (p == null) {
            throw new JpodException(ErrorCode.INVALID_ARG, "parent layer " + parent + " does not exist: "
                    + ErrorCode.INVALID_ARG.text());
        }
        if (p.container()) {
            throw new JpodException(ErrorCode.INVALID_ARG, "layer " + parent + " is a container's writable"
                    + " layer and cannot be a parent: " + ErrorCode.INVALID_ARG.text());
        }
        pins.merge(parent, 1, Integer::sum);
    }

    void unpin(String parent) {
        if (parent != null) {
            pins.computeIfPresent(parent, (k, n) -> n > 1 ? n - 1 : null);
        }
    }

    /** Extracts the tar into a staging directory on top of a pinned {@code parent}; on failure leaves nothing. */
    Staged stage(String parent, InputStream tar) {
        String staging = STAGING + Ids.random().substring(0, 16);
        try {
            Path dir = driver.create(staging, parent);
            return new Staged(staging, TarApplier.apply(tar, dir, driver.whiteouts()));
        } catch (IOException | RuntimeException e) {
            removeQuietly(staging);
            if (e instanceof JpodException je) {
                throw je;
            }
            throw new JpodException(ErrorCode.INTERNAL, "cannot extract the layer: " + e.getMessage(), e);
        }
    }

    void discard(Staged staged) {
        removeQuietly(staged.dir());
    }

    /**
     * Records a staged layer under its chain ID (the diff ID for a base layer, else sha256 of
     * {@code "<parent chain ID> <diff ID>"}), or drops it when that layer exists already.
     */
    Layer commit(String parent, Staged staged) {
        String diffId = staged.result().diffId();
        String id = parent == null ? Ids.stripDigest(diffId) : Ids.sha256("sha256:" + parent + " " + diffId);
        LayerRec existing = layers.get(id);
        if (existing != null) {
            removeQuietly(staged.dir());
            return toLayer(existing);
        }
        try {
            driver.rename(staged.dir(), id);
        } catch (IOException e) {
            removeQuietly(staged.dir());
            throw new JpodException(ErrorCode.INTERNAL, "cannot store layer " + id + ": " + e.getMessage(), e);
        }
        LayerRec l = new LayerRec(id, parent, diffId, staged.result().size(), Instant.now().toString(), 0, false);
        layers.put(id, l);
        if (parent != null) {
            addRef(parent, 1);
        }
        save();
        return toLayer(l);
    }

    /**
     * Makes the empty writable layer of a container on top of {@code parent} (null for none), which it uses
     * from now on; returns its ID. Not saved yet.
     */
    String createContainerLayer(String parent, String containerId, String created) {
        String layerId = Ids.random();
        try {
            driver.createReadWrite(layerId, parent);
        } catch (IOException | RuntimeException e) {
            removeQuietly(layerId);
            throw new JpodException(ErrorCode.INTERNAL, "cannot create the layer of container " + containerId
                    + ": " + e.getMessage(), e);
        }
        layers.put(layerId, new LayerRec(layerId, parent, null, 0, created, 0, true));
        if (parent != null) {
            addRef(parent, 1);
        }
        return layerId;
    }

    /** Checks that an image can have {@code id} as its top layer. */
    void requireImageLayer(String id) {
        LayerRec top = layers.get(id);
        if (top == null || top.container()) {
            throw new JpodException(ErrorCode.INVALID_ARG, "layer " + id + " does not exist: "
                    + ErrorCode.INVALID_ARG.text());
        }
    }

    /** The layer's parent, null for a base layer. */
    String parentOf(String id) {
        LayerRec l = layers.get(id);
        if (l == null) {
            throw new JpodException(ErrorCode.INTERNAL, "layer " + id + " is not recorded");
        }
        return l.parent();
    }

    List<Layer> all() {
        return layers.values().stream().map(LayerRecords::toLayer).toList();
    }

    /** How many users a layer has; -1 if there is no such layer. */
    int refs(String id) {
        LayerRec l = layers.get(id);
        return l == null ? -1 : l.refs();
    }

    Set<String> ids() {
        return new HashSet<>(layers.keySet());
    }

    /** Removes a layer no one uses (one created but never given to an image), and its unused parents. */
    void delete(String id) {
        LayerRec l = layers.get(id);
        if (l == null || l.container()) {
            throw new JpodException(ErrorCode.INVALID_ARG, "layer " + id + " does not exist: "
                    + ErrorCode.INVALID_ARG.text());
        }
        if (l.refs() > 0 || pins.containsKey(id)) {
            throw new JpodException(ErrorCode.INVALID_ARG, "layer " + id + " is in use (" + l.refs()
                    + " images or layers, or a layer being extracted on it): " + ErrorCode.INVALID_ARG.text());
        }
        List<String> gone = new ArrayList<>();
        drop(id, gone);
        save();
        removeDirs(gone);
    }

    /** One more user of the layer. */
    void addRef(String id) {
        addRef(id, 1);
    }

    private void addRef(String id, int delta) {
        LayerRec l = layers.get(id);
        layers.put(id, new LayerRec(l.id(), l.parent(), l.diffId(), l.size(), l.created(), l.refs() + delta,
                l.container()));
    }

    /** Drops a layer from the records and releases its parent; collects the directories to remove. */
    void drop(String id, List<String> gone) {
        LayerRec l = layers.remove(id);
        gone.add(id);
        if (l.parent() != null && layers.containsKey(l.parent())) {
            release(l.parent(), gone);
        }
    }

    /** One user less; a layer left without users (and not pinned) is dropped, its directory collected. */
    void release(String id, List<String> gone) {
        addRef(id, -1);
        if (layers.get(id).refs() <= 0 && !pins.containsKey(id)) {
            drop(id, gone);
        }
    }

    /** Removes the directories of dropped layers, after the records that named them are saved. */
    void removeDirs(List<String> ids) {
        for (String id : ids) {
            removeQuietly(id);
        }
    }

    private void removeQuietly(String id) {
        try {
            driver.remove(id);
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot remove layer directory {}: {} (removed at the next start)", id, e.getMessage());
        }
    }

    private static Layer toLayer(LayerRec l) {
        return new Layer(l.id(), l.parent(), l.diffId(), l.size(), Instant.parse(l.created()));
    }
}
