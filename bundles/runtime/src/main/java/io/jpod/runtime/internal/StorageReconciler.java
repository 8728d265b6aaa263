package io.jpod.runtime.internal;

import io.jpod.api.Container;
import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.spi.state.State;
import io.jpod.spi.storage.Storage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes storage and state agree when an engine is assembled, as podman's check of storage against its state:
 * a container is created in storage first and in the state second (and removed in the other order), so a crash
 * in between leaves a container layer that no container record names, which pins its image for good. Such
 * layers are removed. A container of the state whose layer is missing is only reported: its record (name,
 * config, volumes) is the user's to remove.
 *
 * <p>Runs before the engine's services are registered, so no creation is in flight. A container of another
 * namespace is not "missing" from the state (its lookup says NS_MISMATCH) and its layer is kept, and so is a
 * mounted layer. With a state that does not outlive the engine (the {@code memory} backend) every container layer
 * of an earlier assembly is such an orphan: the stopped ones go, the running ones stay mounted and are kept.
 */
final class StorageReconciler {
    private static final Logger LOG = LoggerFactory.getLogger(StorageReconciler.class);

    /** What one pass did: the containers whose orphaned layers were removed, those of the state without a layer. */
    record Result(List<String> removed, List<String> missing) {
    }

    private final State state;
    private final Storage storage;

    StorageReconciler(State state, Storage storage) {
        this.state = state;
        this.storage = storage;
    }

    /** One pass; never fails (what it cannot do is logged and left for the next start). */
    Result reconcile() {
        List<String> removed = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        List<Storage.ContainerLayer> layers;
        try {
            layers = storage.containers();
        } catch (RuntimeException e) {
            LOG.warn("cannot list the container layers of the {} storage: {}; storage and state not reconciled",
                    storage.driverName(), e.getMessage());
            return new Result(removed, missing);
        }
        Set<String> inStorage = new HashSet<>();
        for (Storage.ContainerLayer c : layers) {
            inStorage.add(c.id());
            if (inState(c.id())) {
                continue;
            }
            // a mounted layer is some process's root filesystem: a running container that a state which does
            // not outlive the engine (memory) forgot, or one whose record is being written
            if (mounted(c.id())) {
                LOG.warn("container {}'s layer {} is not in the state but mounted: kept; remove it with the"
                        + " container once stopped", c.id(), c.layerId());
                continue;
            }
            try {
                storage.deleteContainer(c.id());
                removed.add(c.id());
                LOG.info("removed the layer {} of container {} (image {}): the state has no such container, the"
                        + " layer was left by a crash between the storage write and the state write", c.layerId(),
                        c.id(), c.imageId() == null ? "none" : c.imageId());
            } catch (RuntimeException e) {
                LOG.warn("cannot remove the layer {} of container {}, which the state does not have: {}; tried"
                        + " again at the next start", c.layerId(), c.id(), e.getMessage());
            }
        }
        List<Container> all;
        try {
            all = state.allContainers();
        } catch (RuntimeException e) {
            LOG.warn("cannot list the containers of the state: {}; their layers not checked", e.getMessage());
            return new Result(removed, missing);
        }
        for (Container ctr : all) {
            String rootfs = ctr.config().rootfs();
            if ((rootfs == null || rootfs.isEmpty()) && !inStorage.contains(ctr.id())) {
                missing.add(ctr.id());
                LOG.warn("container {} ({}) has no layer in the {} storage: it cannot be started; remove it"
                        + " (jpod rm {})", ctr.name(), ctr.id(), storage.driverName(), ctr.name());
            }
        }
        return new Result(removed, missing);
    }

    private boolean mounted(String id) {
        try {
            return storage.mounted(id);
        } catch (RuntimeException e) {
            return true;
        }
    }

    /** Whether the state has the container, in our namespace or another; when it cannot tell, it has. */
    private boolean inState(String id) {
        try {
            state.container(id);
            return true;
        } catch (JpodException e) {
            if (e.code() == ErrorCode.NO_SUCH_CTR) {
                return false;
            }
            if (e.code() == ErrorCode.NS_MISMATCH) {
                return true;
            }
            LOG.warn("cannot look up container {} in the state: {}; its layer is kept", id, e.getMessage());
            return true;
        } catch (RuntimeException e) {
            LOG.warn("cannot look up container {} in the state: {}; its layer is kept", id, e.getMessage());
            return true;
        }
    }
}
