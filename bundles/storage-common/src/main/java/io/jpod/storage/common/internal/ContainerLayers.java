package io.jpod.storage.common.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.spi.storage.Storage.ContainerLayer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The containers' writable layers: {@code <graphroot>/D-containers/containers.json} (which container has which
 * layer on which image) and their mounts, counted per boot in {@code <runroot>/D-layers/mountpoints.json}
 * (written without fsync: it is run state).
 * Guarded by the {@link Store}'s monitor.
 */
final class ContainerLayers {
    record CtrRec(String id, String imageId, String layerId, String created) {
    }

    record MountRec(String layer, String path, int count) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(ContainerLayers.class);

    private final LayerDriver driver;
    private final MetadataFiles files;
    private final Path containersFile;
    private final Path mountsFile;
    private final Map<String, CtrRec> containers = new LinkedHashMap<>();
    private final Map<String, MountRec> mounts = new LinkedHashMap<>();

    ContainerLayers(LayerDriver driver, MetadataFiles files, Path graphRoot, Path runRoot) {
        this.driver = driver;
        this.files = files;
        this.containersFile = graphRoot.resolve(driver.name() + "-containers").resolve("containers.json");
        this.mountsFile = runRoot.resolve(driver.name() + "-layers").resolve("mountpoints.json");
    }

    /** Reads the records; drops the mount counts of layers that are gone or no longer mounted (a reboot). */
    void load(Predicate<String> layerExists) throws IOException {
        for (CtrRec c : files.read(containersFile, new TypeReference<List<CtrRec>>() { })) {
            containers.put(c.id(), c);
        }
        boolean dropped = false;
        List<MountRec> counted;
        try {
            counted = files.read(mountsFile, new TypeReference<List<MountRec>>() { });
        } catch (JsonProcessingException e) {
            // written without fsync (run state): after a power cut it may be cut short; the mounts went with it
            LOG.warn("{} cannot be read ({}): counting no layer as mounted", mountsFile, e.getOriginalMessage());
            counted = List.of();
            dropped = true;
        }
        for (MountRec m : counted) {
            if (layerExists.test(m.layer()) && m.count() > 0 && driver.isMounted(m.layer())) {
                mounts.put(m.layer(), m);
            } else {
                dropped = true;
            }
        }
        if (dropped) {
            saveMounts();
        }
    }

    void save() {
        files.write(containersFile, containers.values());
    }

    private void saveMounts() {
        files.writeVolatile(mountsFile, mounts.values());
    }

    /** Checks that a container of this ID can be given a layer. */
    void checkNew(String containerId) {
        if (containerId == null || containerId.isEmpty()) {
            throw JpodException.of(ErrorCode.EMPTY_ID, "container");
        }
        if (containers.containsKey(containerId)) {
            throw JpodException.of(ErrorCode.CTR_EXISTS, "container " + containerId);
        }
    }

    /** Records the container's layer; not saved yet. */
    ContainerLayer add(String containerId, String imageId, String layerId, String created) {
        CtrRec c = new CtrRec(containerId, imageId, layerId, created);
        containers.put(containerId, c);
        return toCtr(c);
    }

    /** The containers whose layer is on the image. */
    List<String> usersOf(String imageId) {
        return containers.values().stream().filter(c -> imageId.equals(c.imageId())).map(CtrRec::id).toList();
    }

    private CtrRec ctr(String id) {
        CtrRec c = containers.get(id);
        if (c == null) {
            throw JpodException.of(ErrorCode.NO_SUCH_CTR, "container " + id + " has no storage");
        }
        return c;
    }

    /** The ID of the container's writable layer. */
    String layerOf(String containerId) {
        return ctr(containerId).layerId();
    }

    Path mount(String containerId) {
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
    int mountCount(String containerId) {
        MountRec m = mounts.get(ctr(containerId).layerId());
        return m == null ? 0 : m.count();
    }

    /** Unmounts once, or completely with {@code force}; whether it is still mounted. */
    boolean unmount(String containerId, boolean force) {
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

    /** Unmounts the container's layer if mounted and drops its record (not saved yet); returns its layer's ID. */
    String remove(String containerId) {
        CtrRec c = ctr(containerId);
        if (mounts.containsKey(c.layerId()) || driver.isMounted(c.layerId())) {
            doUnmount(containerId, c.layerId(), true);
            if (mounts.remove(c.layerId()) != null) {
                saveMounts();
            }
        }
        containers.remove(containerId);
        return c.layerId();
    }

    List<ContainerLayer> all() {
        return containers.values().stream().map(ContainerLayers::toCtr).toList();
    }

    private static ContainerLayer toCtr(CtrRec c) {
        return new ContainerLayer(c.id(), c.imageId(), c.layerId(), Instant.parse(c.created()));
    }
}
