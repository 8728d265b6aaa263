package io.jpod.storage.common.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.spi.storage.Storage;
import io.jpod.util.internal.FileTrees;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The layer, image and container store of containers/storage, over a {@link LayerDriver}.
 *
 * <p>On disk, for driver {@code D}: {@code <graphroot>/D-layers/layers.json},
 * {@code <graphroot>/D-images/images.json} with each image's big data in
 * {@code <graphroot>/D-images/<id>/=<base64 key>}, {@code <graphroot>/D-containers/containers.json}, and the
 * per-boot mount counts in {@code <runroot>/D-layers/mountpoints.json}. Each is rewritten whole through
 * {@link AtomicFiles} (temp file, fsync, rename). Files on disk are created before the metadata that names
 * them and removed after it, so a crash leaves at most unnamed directories, which {@link #open} removes.
 *
 * <p>Image layers are addressed by chain ID (the diff ID for a base layer, else
 * {@code sha256(parentChainID + " " + diffID)}), so the same tar on the same parent is one layer. A layer
 * counts its users (child layers, including container layers, and images whose top layer it is) and is
 * removed with its now unused parents when the last one goes.
 */
public final class Store implements Storage {
    private static final Logger LOG = LoggerFactory.getLogger(Store.class);
    private static final Pattern ID = Pattern.compile("[0-9a-f]{64}");
    private static final String STAGING = "staging-";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A layer as stored. {@code refs}: its users. {@code container}: a container's writable layer. */
    record LayerRec(String id, String parent, String diffId, long size, String created, int refs, boolean container) {
    }

    record ImageRec(String id, List<String> names, String topLayer, String digest, String created,
            List<String> bigData) {
    }

    record CtrRec(String id, String imageId, String layerId, String created) {
    }

    record MountRec(String layer, String path, int count) {
    }

    private final LayerDriver driver;
    private final Path graphRoot;
    private final Path runRoot;
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private final Map<String, LayerRec> layers = new LinkedHashMap<>();
    private final Map<String, ImageRec> images = new LinkedHashMap<>();
    private final Map<String, CtrRec> containers = new LinkedHashMap<>();
    private final Map<String, MountRec> mounts = new LinkedHashMap<>();
    /** Layers that a running createLayer extracts on top of: kept even when their last user goes. */
    private final Map<String, Integer> pins = new HashMap<>();
    private final FileChannel lockChannel;
    private final FileLock lock;
    private boolean closed;

    private Store(LayerDriver driver, Path graphRoot, Path runRoot, FileChannel lockChannel, FileLock lock) {
        this.driver = driver;
        this.graphRoot = graphRoot;
        this.runRoot = runRoot;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** Opens (creating) the store: takes its lock, reads the metadata, drops leftovers of a crash or a reboot. */
    public static Store open(LayerDriver driver, Path graphRoot, Path runRoot) {
        FileChannel ch = null;
        try {
            Files.createDirectories(graphRoot);
            Files.createDirectories(runRoot);
            ch = FileChannel.open(graphRoot.resolve("storage.lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
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

    private Path layersFile() {
        return graphRoot.resolve(driver.name() + "-layers").resolve("layers.json");
    }

    private Path imagesDir() {
        return graphRoot.resolve(driver.name() + "-images");
    }

    private Path containersFile() {
        return graphRoot.resolve(driver.name() + "-containers").resolve("containers.json");
    }

    private Path mountsFile() {
        return runRoot.resolve(driver.name() + "-layers").resolve("mountpoints.json");
    }

    private void load() throws IOException {
        for (LayerRec l : read(layersFile(), new TypeReference<List<LayerRec>>() { })) {
            layers.put(l.id(), l);
        }
        for (ImageRec i : read(imagesDir().resolve("images.json"), new TypeReference<List<ImageRec>>() { })) {
            images.put(i.id(), i);
        }
        for (CtrRec c : read(containersFile(), new TypeReference<List<CtrRec>>() { })) {
            containers.put(c.id(), c);
        }
        boolean dropped = false;
        for (MountRec m : read(mountsFile(), new TypeReference<List<MountRec>>() { })) {
            if (layers.containsKey(m.layer()) && m.count() > 0 && driver.isMounted(m.layer())) {
                mounts.put(m.layer(), m);
            } else {
                dropped = true;
            }
        }
        if (dropped) {
            saveMounts();
        }
        for (String dir : driver.layerDirs()) {
            if (!layers.containsKey(dir)) {
                LOG.info("removing layer directory {} that no metadata names (left by a crash)", dir);
                driver.remove(dir);
            }
        }
        Path imgs = imagesDir();
        if (Files.isDirectory(imgs)) {
            try (var ds = Files.newDirectoryStream(imgs, Files::isDirectory)) {
                for (Path p : ds) {
                    if (!images.containsKey(p.getFileName().toString())) {
                        FileTrees.delete(p);
                    }
                }
            }
        }
    }

    private <T> List<T> read(Path file, TypeReference<List<T>> type) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        return json.readValue(file.toFile(), type);
    }

    private void write(Path file, Object value) {
        try {
            AtomicFiles.write(file, json.writeValueAsBytes(value));
        } catch (IOException e) {
            throw new JpodException(ErrorCode.INTERNAL, "cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private void saveLayers() {
        write(layersFile(), new ArrayList<>(layers.values()));
    }

    private void saveImages() {
        write(imagesDir().resolve("images.json"), new ArrayList<>(images.values()));
    }

    private void saveContainers() {
        write(containersFile(), new ArrayList<>(containers.values()));
    }

    private void saveMounts() {
        write(mountsFile(), new ArrayList<>(mounts.values()));
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
            if (parent != null) {
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
        }
        String staging = STAGING + randomId().substring(0, 16);
        TarApplier.Result r;
        try {
            Path dir = driver.create(staging, parent);
            r = TarApplier.apply(tar, dir, driver.whiteouts());
        } catch (IOException | RuntimeException e) {
            unpin(parent);
            removeQuietly(staging);
            if (e instanceof JpodException je) {
                throw je;
            }
            throw new JpodException(ErrorCode.INTERNAL, "cannot extract the layer: " + e.getMessage(), e);
        }
        synchronized (this) {
            unpin(parent);
            if (closed) {
                removeQuietly(staging);
                checkOpen();
            }
            // the OCI chain ID: the diff ID for a base layer, else sha256 of "<parent chain ID> <diff ID>"
            String id = parent == null ? hex(r.diffId()) : sha256("sha256:" + parent + " " + r.diffId());
            LayerRec existing = layers.get(id);
            if (existing != null) {
                removeQuietly(staging);
                return toLayer(existing);
            }
            try {
                driver.rename(staging, id);
            } catch (IOException e) {
                removeQuietly(staging);
                throw new JpodException(ErrorCode.INTERNAL, "cannot store layer " + id + ": " + e.getMessage(), e);
            }
            LayerRec l = new LayerRec(id, parent, r.diffId(), r.size(), Instant.now().toString(), 0, false);
            layers.put(id, l);
            if (parent != null) {
                addRef(parent, 1);
            }
            saveLayers();
            return toLayer(l);
        }
    }

    private synchronized void unpin(String parent) {
        if (parent != null) {
            pins.computeIfPresent(parent, (k, n) -> n > 1 ? n - 1 : null);
        }
    }

    @Override
    public synchronized List<Layer> layers() {
        checkOpen();
        return layers.values().stream().map(Store::toLayer).toList();
    }

    /** How many users a layer has (child layers, container layers, images); -1 if there is no such layer. */
    public synchronized int layerRefs(String id) {
        LayerRec l = layers.get(id);
        return l == null ? -1 : l.refs();
    }

    /** Removes a layer no one uses (one created but never given to an image), and its unused parents. */
    public synchronized void deleteLayer(String id) {
        checkOpen();
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
        dropLayer(id, gone);
        saveLayers();
        removeDirs(gone);
    }

    private void addRef(String id, int delta) {
        LayerRec l = layers.get(id);
        layers.put(id, new LayerRec(l.id(), l.parent(), l.diffId(), l.size(), l.created(), l.refs() + delta,
                l.container()));
    }

    /** Drops a layer from the metadata and releases its parent; collects the directories to remove. */
    private void dropLayer(String id, List<String> gone) {
        LayerRec l = layers.remove(id);
        gone.add(id);
        if (l.parent() != null && layers.containsKey(l.parent())) {
            release(l.parent(), gone);
        }
    }

    private void release(String id, List<String> gone) {
        addRef(id, -1);
        if (layers.get(id).refs() <= 0 && !pins.containsKey(id)) {
            dropLayer(id, gone);
        }
    }

    private void removeDirs(List<String> ids) {
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

    // ---- images

    @Override
    public synchronized Image createImage(String id, List<String> names, String topLayer, Map<String, byte[]> bigData) {
        checkOpen();
        Map<String, byte[]> data = bigData == null ? Map.of() : bigData;
        if (id == null || id.isEmpty()) {
            byte[] config = data.get("config");
            id = config != null ? sha256(config) : randomId();
        }
        id = stripDigest(id);
        if (!ID.matcher(id).matches()) {
            throw new JpodException(ErrorCode.INVALID_ARG, "image ID " + id + " is not 64 hex digits: "
                    + ErrorCode.INVALID_ARG.text());
        }
        if (images.containsKey(id)) {
            throw JpodException.of(ErrorCode.IMAGE_EXISTS, "image " + id);
        }
        if (topLayer != null) {
            LayerRec top = layers.get(topLayer);
            if (top == null || top.container()) {
                throw new JpodException(ErrorCode.INVALID_ARG, "layer " + topLayer + " does not exist: "
                        + ErrorCode.INVALID_ARG.text());
            }
        }
        List<String> nameList = checkNames(names);
        Path dir = imagesDir().resolve(id);
        try {
            Files.createDirectories(dir);
            for (Map.Entry<String, byte[]> e : data.entrySet()) {
                AtomicFiles.write(dir.resolve(bigDataFile(e.getKey())), e.getValue());
            }
        } catch (IOException e) {
            throw new JpodException(ErrorCode.INTERNAL, "cannot store image " + id + ": " + e.getMessage(), e);
        }
        byte[] manifest = data.get("manifest");
        String digest = manifest == null ? null : "sha256:" + sha256(manifest);
        takeNames(nameList, id);
        ImageRec img = new ImageRec(id, nameList, topLayer, digest, Instant.now().toString(),
                new ArrayList<>(data.keySet()));
        images.put(id, img);
        if (topLayer != null) {
            addRef(topLayer, 1);
            saveLayers();
        }
        saveImages();
        return toImage(img);
    }

    private static List<String> checkNames(List<String> names) {
        List<String> out = new ArrayList<>();
        for (String n : names == null ? List.<String>of() : names) {
            if (n == null || n.isBlank() || n.chars().anyMatch(c -> c <= ' ')) {
                throw new JpodException(ErrorCode.INVALID_ARG, "invalid image name \"" + n + "\": "
                        + ErrorCode.INVALID_ARG.text());
            }
            if (!out.contains(n)) {
                out.add(n);
            }
        }
        return out;
    }

    /** Takes the names away from the other images that have them, as containers/storage does. */
    private void takeNames(List<String> names, String owner) {
        for (ImageRec other : List.copyOf(images.values())) {
            if (!other.id().equals(owner) && other.names().stream().anyMatch(names::contains)) {
                List<String> left = new ArrayList<>(other.names());
                left.removeAll(names);
                images.put(other.id(), new ImageRec(other.id(), left, other.topLayer(), other.digest(),
                        other.created(), other.bigData()));
            }
        }
    }

    private static String bigDataFile(String key) {
        return "=" + Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    }

    /** A named blob of an image (e.g. {@code manifest}, {@code config}), or null. */
    public synchronized byte[] imageBigData(String idOrName, String key) {
        ImageRec img = find(idOrName);
        if (!img.bigData().contains(key)) {
            return null;
        }
        try {
            return Files.readAllBytes(imagesDir().resolve(img.id()).resolve(bigDataFile(key)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized Image image(String idOrName) {
        checkOpen();
        return toImage(find(idOrName));
    }

    private ImageRec find(String idOrName) {
        if (idOrName == null || idOrName.isEmpty()) {
            throw JpodException.of(ErrorCode.EMPTY_ID, "image");
        }
        String q = stripDigest(idOrName);
        ImageRec byId = images.get(q);
        if (byId != null) {
            return byId;
        }
        for (ImageRec i : images.values()) {
            if (i.names().contains(idOrName)) {
                return i;
            }
        }
        if (q.matches("[0-9a-f]{1,63}")) {
            List<ImageRec> m = images.values().stream().filter(i -> i.id().startsWith(q)).toList();
            if (m.size() == 1) {
                return m.get(0);
            }
            if (m.size() > 1) {
                throw new JpodException(ErrorCode.INVALID_ARG, "image ID prefix " + q + " is ambiguous: "
                        + ErrorCode.INVALID_ARG.text());
            }
        }
        // a short name: "busybox" or "busybox:1" for "<registry>/[...]/busybox:latest" when only one matches
        if (!idOrName.contains("@")) {
            int slash = idOrName.lastIndexOf('/');
            String full = idOrName.indexOf(':', slash + 1) < 0 ? idOrName + ":latest" : idOrName;
            List<ImageRec> m = images.values().stream()
                    .filter(i -> i.names().stream().anyMatch(n -> n.equals(full) || n.endsWith("/" + full)))
                    .toList();
            if (m.size() == 1) {
                return m.get(0);
            }
            if (m.size() > 1) {
                throw new JpodException(ErrorCode.INVALID_ARG, "short name " + idOrName
                        + " matches several images: use the full name: " + ErrorCode.INVALID_ARG.text());
            }
        }
        throw JpodException.of(ErrorCode.NO_SUCH_IMAGE, idOrName);
    }

    private static String stripDigest(String s) {
        return s.startsWith("sha256:") ? s.substring(7) : s;
    }

    @Override
    public synchronized List<Image> images() {
        checkOpen();
        return images.values().stream().map(Store::toImage).toList();
    }

    @Override
    public synchronized void deleteImage(String id) {
        checkOpen();
        ImageRec img = find(id);
        List<String> users = containers.values().stream().filter(c -> img.id().equals(c.imageId()))
                .map(CtrRec::id).toList();
        if (!users.isEmpty()) {
            throw new JpodException(ErrorCode.IMAGE_IN_USE, "image " + img.id() + " is in use by container(s) "
                    + String.join(", ", users) + ": " + ErrorCode.IMAGE_IN_USE.text());
        }
        images.remove(img.id());
        List<String> gone = new ArrayList<>();
        if (img.topLayer() != null && layers.containsKey(img.topLayer())) {
            release(img.topLayer(), gone);
        }
        saveImages();
        saveLayers();
        removeDirs(gone);
        try {
            FileTrees.delete(imagesDir().resolve(img.id()));
        } catch (IOException e) {
            LOG.warn("cannot remove the files of image {}: {}", img.id(), e.getMessage());
        }
    }

    @Override
    public synchronized void setNames(String imageId, List<String> names) {
        checkOpen();
        ImageRec img = find(imageId);
        List<String> n = checkNames(names);
        takeNames(n, img.id());
        images.put(img.id(), new ImageRec(img.id(), n, img.topLayer(), img.digest(), img.created(), img.bigData()));
        saveImages();
    }

    private static Image toImage(ImageRec i) {
        return new Image(i.id(), i.names(), i.topLayer(), i.digest(), Instant.parse(i.created()));
    }

    // ---- containers

    @Override
    public synchronized ContainerLayer createContainer(String containerId, String imageId) {
        checkOpen();
        if (containerId == null || containerId.isEmpty()) {
            throw JpodException.of(ErrorCode.EMPTY_ID, "container");
        }
        if (containers.containsKey(containerId)) {
            throw JpodException.of(ErrorCode.CTR_EXISTS, "container " + containerId);
        }
        ImageRec img = imageId == null ? null : find(imageId);
        String parent = img == null ? null : img.topLayer();
        String layerId = randomId();
        try {
            driver.create(layerId, parent);
        } catch (IOException | RuntimeException e) {
            removeQuietly(layerId);
            throw new JpodException(ErrorCode.INTERNAL, "cannot create the layer of container " + containerId
                    + ": " + e.getMessage(), e);
        }
        String now = Instant.now().toString();
        layers.put(layerId, new LayerRec(layerId, parent, null, 0, now, 0, true));
        if (parent != null) {
            addRef(parent, 1);
        }
        CtrRec c = new CtrRec(containerId, img == null ? null : img.id(), layerId, now);
        containers.put(containerId, c);
        saveLayers();
        saveContainers();
        return toCtr(c);
    }

    private CtrRec ctr(String id) {
        CtrRec c = containers.get(id);
        if (c == null) {
            throw JpodException.of(ErrorCode.NO_SUCH_CTR, "container " + id + " has no storage");
        }
        return c;
    }

    @Override
    public synchronized Path mount(String containerId) {
        checkOpen();
        CtrRec c = ctr(containerId);
        MountRec m = mounts.get(c.layerId());
        try {
            if (m != null && m.count() > 0 && driver.isMounted(c.layerId())) {
                m = new MountRec(m.layer(), m.path(), m.count() + 1);
            } else {
                Path p = driver.mount(c.layerId());
                m = new MountRec(c.layerId(), p.toString(), 1);
            }
        } catch (IOException e) {
            throw new JpodException(ErrorCode.INTERNAL, "cannot mount the root filesystem of container "
                    + containerId + ": " + e.getMessage(), e);
        }
        mounts.put(c.layerId(), m);
        saveMounts();
        return Path.of(m.path());
    }

    /** How many times the container's root filesystem is mounted (0: not mounted). */
    public synchronized int mountCount(String containerId) {
        MountRec m = mounts.get(ctr(containerId).layerId());
        return m == null ? 0 : m.count();
    }

    @Override
    public synchronized boolean unmount(String containerId, boolean force) {
        checkOpen();
        CtrRec c = ctr(containerId);
        MountRec m = mounts.get(c.layerId());
        if (m == null || m.count() <= 0) {
            if (force && driver.isMounted(c.layerId())) {
                doUnmount(containerId, c.layerId(), true);
            }
            return false;
        }
        int left = force ? 0 : m.count() - 1;
        if (left == 0) {
            doUnmount(containerId, c.layerId(), force);
            mounts.remove(c.layerId());
        } else {
            mounts.put(c.layerId(), new MountRec(m.layer(), m.path(), left));
        }
        saveMounts();
        return left > 0;
    }

    private void doUnmount(String containerId, String layerId, boolean force) {
        try {
            driver.unmount(layerId, force);
        } catch (IOException e) {
            throw new JpodException(ErrorCode.INTERNAL, "cannot unmount the root filesystem of container "
                    + containerId + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void deleteContainer(String containerId) {
        checkOpen();
        CtrRec c = ctr(containerId);
        if (mounts.containsKey(c.layerId()) || driver.isMounted(c.layerId())) {
            doUnmount(containerId, c.layerId(), true);
            if (mounts.remove(c.layerId()) != null) {
                saveMounts();
            }
        }
        containers.remove(containerId);
        List<String> gone = new ArrayList<>();
        if (layers.containsKey(c.layerId())) {
            dropLayer(c.layerId(), gone);
        }
        saveContainers();
        saveLayers();
        removeDirs(gone);
    }

    @Override
    public synchronized List<ContainerLayer> containers() {
        checkOpen();
        return containers.values().stream().map(Store::toCtr).toList();
    }

    private static ContainerLayer toCtr(CtrRec c) {
        return new ContainerLayer(c.id(), c.imageId(), c.layerId(), Instant.parse(c.created()));
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

    // ---- ids

    static String randomId() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    static String sha256(String s) {
        return sha256(s.getBytes(StandardCharsets.UTF_8));
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(String digest) {
        return stripDigest(digest);
    }

    /** The set of all IDs in use, for tests. */
    synchronized Set<String> layerIds() {
        return new HashSet<>(layers.keySet());
    }
}
