package io.jpod.storage.common.internal;

import io.jpod.api.ErrorCode;
import io.jpod.api.FileChange;
import io.jpod.api.JpodException;
import io.jpod.spi.storage.Storage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The layer, image and container store of containers/storage, over a {@link LayerDriver}: one lock file
 * ({@code <graphroot>/storage.lock}, held while the store is open) over {@link LayerRecords},
 * {@link ImageRecords} and {@link ContainerLayers}, and the rules between them: an image uses its top layer, a
 * container's layer uses its image's top layer and keeps the image from being removed.
 *
 * <p>Each metadata file is rewritten whole through {@link MetadataFiles} (temp file, fsync, rename; mode
 * 0600). Files on disk are created before the metadata that names them and removed after it, so a crash
 * leaves at most unnamed directories, which {@link #open} removes.
 *
 * <p>Image layers are addressed by chain ID, so the same tar on the same parent is one layer.
 */
public final class Store implements Storage {
    private static final String LOCK_FILE = "storage.lock";

    private final LayerDriver driver;
    private final Path graphRoot;
    private final Path runRoot;
    private final LayerRecords layers;
    private final ImageRecords images;
    private final ContainerLayers containers;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private boolean closed;

    private Store(LayerDriver driver, Path graphRoot, Path runRoot, FileChannel lockChannel, FileLock lock) {
        this.driver = driver;
        this.graphRoot = graphRoot;
        this.runRoot = runRoot;
        this.lockChannel = lockChannel;
        this.lock = lock;
        MetadataFiles files = new MetadataFiles();
        this.layers = new LayerRecords(driver, files, graphRoot);
        this.images = new ImageRecords(driver.name(), files, graphRoot);
        this.containers = new ContainerLayers(driver, files, graphRoot, runRoot);
    }

    /** Opens (creating) the store: takes its lock, reads the metadata, drops leftovers of a crash or a reboot. */
    public static Store open(LayerDriver driver, Path graphRoot, Path runRoot) {
        FileChannel ch = null;
        try {
            MetadataFiles.directory(graphRoot);
            MetadataFiles.directory(runRoot);
            Path lockFile = graphRoot.resolve(LOCK_FILE);
            ch = FileChannel.open(lockFile, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(MetadataFiles.FILE_MODE));
            // one made 0644 by an older version: others could hold a shared lock on it
            MetadataFiles.restrict(lockFile, MetadataFiles.FILE_MODE);
            FileLock l;
            try {
                l = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                l = null;
            }
            if (l == null) {
                throw new JpodException(ErrorCode.INVALID_ARG, "the storage at " + graphRoot
                        + " is in use by another engine: stop it, or configure another graphroot");
            }
            Store s = new Store(driver, graphRoot, runRoot, ch, l);
            s.load();
            return s;
        } catch (IOException e) {
            close(ch);
            throw new JpodException(ErrorCode.INTERNAL, "cannot open the " + driver.name() + " storage at "
                    + graphRoot + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            close(ch);
            throw e;
        }
    }

    private static void close(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException e) {
                // nothing to do
            }
        }
    }

    private void load() throws IOException {
        layers.load();
        images.load();
        layers.removeUnnamedDirs();
        layers.repair();
        containers.load(layers::contains);
        images.sweepDirs();
    }

    private void checkOpen() {
        if (closed) {
            throw new JpodException(ErrorCode.RUNTIME_STOPPED, "the " + driver.name() + " storage is closed");
        }
    }

    @Override
    public String driverName() {
        return driver.name();
    }

    @Override
    public Path graphRoot() {
        return graphRoot;
    }

    @Override
    public Path runRoot() {
        return runRoot;
    }

    // ---- layers

    /**
     * Extracts the tar into a staging directory without holding the store's lock (other calls, a
     * container's mount among them, go on meanwhile); the parent is pinned so that it cannot go away. The
     * result is then renamed to its chain ID, or dropped when that layer exists already.
     */
    @Override
    public Layer createLayer(String parent, InputStream tar) {
        Objects.requireNonNull(tar, "tar");
        synchronized (this) {
            checkOpen();
            layers.pinParent(parent);
        }
        LayerRecords.Staged staged;
        try {
            staged = layers.stage(parent, tar);
        } catch (RuntimeException e) {
            unpin(parent);
            throw e;
        }
        synchronized (this) {
            layers.unpin(parent);
            if (closed) {
                layers.discard(staged);
                checkOpen();
            }
            return layers.commit(parent, staged);
        }
    }

    private synchronized void unpin(String parent) {
        layers.unpin(parent);
    }

    @Override
    public synchronized List<Layer> layers() {
        checkOpen();
        return layers.all();
    }

    /** How many users a layer has (child layers, container layers, images); -1 if there is no such layer. */
    public synchronized int layerRefs(String id) {
        return layers.refs(id);
    }

    /** Removes a layer no one uses (one created but never given to an image), and its unused parents. */
    @Override
    public synchronized void deleteLayer(String id) {
        checkOpen();
        layers.delete(id);
    }

    // ---- images

    @Override
    public synchronized Image createImage(String id, List<String> names, String topLayer, Map<String, byte[]> bigData) {
        checkOpen();
        Map<String, byte[]> data = bigData == null ? Map.of() : bigData;
        String imageId = images.newId(id, data);
        if (topLayer != null) {
            layers.requireImageLayer(topLayer);
        }
        Image img = images.create(imageId, names, topLayer, data);
        if (topLayer != null) {
            layers.addRef(topLayer);
            layers.save();
        }
        images.save();
        return img;
    }

    /** A named blob of an image (e.g. {@code manifest}, {@code config}), or null. */
    @Override
    public synchronized byte[] imageBigData(String idOrName, String key) {
        return images.bigData(idOrName, key);
    }

    @Override
    public synchronized Image image(String idOrName) {
        checkOpen();
        return ImageRecords.toImage(images.find(idOrName));
    }

    @Override
    public synchronized List<Image> images() {
        checkOpen();
        return images.all();
    }

    /** Removes the image unless a container's layer is on it; its top layer loses a user. */
    @Override
    public synchronized void deleteImage(String id) {
        checkOpen();
        ImageRecords.ImageRec img = images.find(id);
        List<String> users = containers.usersOf(img.id());
        if (!users.isEmpty()) {
            throw new JpodException(ErrorCode.IMAGE_IN_USE, "image " + img.id() + " is in use by container(s) "
                    + String.join(", ", users) + ": " + ErrorCode.IMAGE_IN_USE.text());
        }
        images.remove(img.id());
        List<String> gone = new ArrayList<>();
        if (img.topLayer() != null && layers.contains(img.topLayer())) {
            layers.release(img.topLayer(), gone);
        }
        images.save();
        layers.save();
        layers.removeDirs(gone);
        images.deleteFiles(img.id());
    }

    @Override
    public synchronized void setNames(String imageId, List<String> names) {
        checkOpen();
        images.setNames(imageId, names);
    }

    // ---- containers

    /** A writable layer on top of the image's top layer, which it uses from now on. */
    @Override
    public synchronized ContainerLayer createContainer(String containerId, String imageId) {
        checkOpen();
        containers.checkNew(containerId);
        ImageRecords.ImageRec img = imageId == null ? null : images.find(imageId);
        String parent = img == null ? null : img.topLayer();
        String now = Instant.now().toString();
        String layerId = layers.createContainerLayer(parent, containerId, now);
        ContainerLayer c = containers.add(containerId, img == null ? null : img.id(), layerId, now);
        layers.save();
        containers.save();
        return c;
    }

    @Override
    public synchronized Path mount(String containerId) {
        checkOpen();
        return containers.mount(containerId);
    }

    /** How many times the container's root filesystem is mounted (0: not mounted). */
    public synchronized int mountCount(String containerId) {
        return containers.mountCount(containerId);
    }

    @Override
    public synchronized boolean unmount(String containerId, boolean force) {
        checkOpen();
        return containers.unmount(containerId, force);
    }

    /** Unmounts and removes the container's layer; the layers below it lose a user. */
    @Override
    public synchronized void deleteContainer(String containerId) {
        checkOpen();
        String layerId = containers.remove(containerId);
        List<String> gone = new ArrayList<>();
        if (layers.contains(layerId)) {
            layers.drop(layerId, gone);
        }
        containers.save();
        layers.save();
        layers.removeDirs(gone);
    }

    @Override
    public synchronized boolean mounted(String containerId) {
        checkOpen();
        return containers.mountCount(containerId) > 0;
    }

    /** The container's layer and its parent, looked up under the store's lock; read outside it. */
    private synchronized String[] layerAndParent(String containerId) {
        checkOpen();
        String layerId = containers.layerOf(containerId);
        return new String[] {layerId, layers.parentOf(layerId)};
    }

    @Override
    public List<FileChange> changes(String containerId) {
        String[] l = layerAndParent(containerId);
        try {
            return driver.changes(l[0], l[1]);
        } catch (IOException e) {
            throw new JpodException(ErrorCode.INTERNAL, "cannot read the changes of container " + containerId + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void writeLayer(String containerId, OutputStream out) {
        String[] l = layerAndParent(containerId);
        try {
            driver.writeLayer(l[0], l[1], out);
        } catch (IOException e) {
            throw new JpodException(ErrorCode.INTERNAL, "cannot write the layer of container " + containerId + ": "
                    + e.getMessage(), e);
        }
    }

    /** Mounted (counted) for the duration; the tar is written outside the store's lock. */
    @Override
    public void exportRootfs(String containerId, OutputStream out) {
        Path root = mount(containerId);
        try {
            RootfsTar.write(root, out);
        } catch (IOException e) {
            throw new JpodException(ErrorCode.INTERNAL, "cannot export container " + containerId + ": "
                    + e.getMessage(), e);
        } finally {
            unmount(containerId, false);
        }
    }

    @Override
    public synchronized List<ContainerLayer> containers() {
        checkOpen();
        return containers.all();
    }

    /** Closes the store. Mounts stay (containers keep running); their counts are in the runroot. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            lock.release();
        } catch (IOException e) {
            // closing the channel releases it too
        }
        close(lockChannel);
    }

    /** The SHA-256 of {@code b} in hex, as image IDs are made from their config. */
    static String sha256(byte[] b) {
        return Ids.sha256(b);
    }

    /** The set of all IDs in use, for tests. */
    synchronized Set<String> layerIds() {
        return layers.ids();
    }
}
