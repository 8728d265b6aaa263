package io.jpod.storage.common.internal;

import io.jpod.api.ErrorCode;
import io.jpod.api.FileChange;
import io.jpod.api.JpodException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** What differs between the storage drivers: how a layer is laid out, filled, mounted and removed. */
public interface LayerDriver {

    String name();

    /** How whiteouts in a layer tar are written into {@link #create}'s directory. */
    TarApplier.Whiteouts whiteouts();

    /**
     * Prepares the directory of a new layer {@code id} on top of {@code parent} (null for none) and returns
     * the directory a tar is applied to.
     */
    Path create(String id, String parent) throws IOException;

    /**
     * Prepares the directory of a new container layer (read-write, empty) as {@link #create} does; a driver
     * whose {@link #repair} makes its files again may leave them unsynced (containers/storage's
     * {@code CreateReadWrite}).
     */
    default Path createReadWrite(String id, String parent) throws IOException {
        return create(id, parent);
    }

    /**
     * A layer as the store records it, for {@link #repair}.
     *
     * @param container whether it is a container's layer (empty when created: all of it can be made again)
     */
    record Recorded(String id, String parent, boolean container) {
    }

    /**
     * Makes again what a power cut may have taken of the layers' files that the driver can derive (overlay: a
     * link and short name, a lower list, a container layer's empty directories), at the store's open. Each layer
     * comes after its parent; one that cannot be repaired is logged, and the others are repaired all the same.
     */
    default void repair(List<Recorded> layers) {
    }

    /** Renames a layer prepared under a staging ID to its final ID. */
    void rename(String from, String to) throws IOException;

    /** Mounts the layer with its parents below it (vfs: nothing to mount); returns the root filesystem. */
    Path mount(String id) throws IOException;

    void unmount(String id, boolean force) throws IOException;

    /** Whether the layer's root filesystem is mounted now (vfs: always true). */
    boolean isMounted(String id);

    /** Removes the layer's files. */
    void remove(String id) throws IOException;

    /** The IDs of the layer directories on disk (to remove leftovers of a crash). */
    Set<String> layerDirs() throws IOException;

    /**
     * What layer {@code id} (a container's, written by it: hostile) changed against {@code parent} (null for
     * none), in walk order.
     */
    default List<FileChange> changes(String id, String parent) throws IOException {
        throw new JpodException(ErrorCode.NOT_IMPLEMENTED, name() + " storage cannot list a layer's changes");
    }

    /** Layer {@code id} as an image layer tar with whiteouts, as hostile as {@link #changes}. */
    default void writeLayer(String id, String parent, OutputStream out) throws IOException {
        throw new JpodException(ErrorCode.NOT_IMPLEMENTED, name() + " storage cannot write a layer");
    }
}
