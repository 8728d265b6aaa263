package io.jpod.api;

import java.io.OutputStream;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * What a container changed in its root filesystem: {@code diff}, {@code export}, and the layer
 * {@code commit} stores. Registered while the engine is. Each call takes the container's lock and mounts its
 * root filesystem for the duration when it is not mounted. Errors are {@link JpodException}s: NO_SUCH_CTR,
 * CTR_STATE_INVALID (a container being removed), NOT_IMPLEMENTED (a storage driver that cannot tell).
 */
@ProviderType
public interface ContainerChanges {

    /**
     * {@code docker diff}: the paths the container's layer added, changed or deleted against its image,
     * sorted by path, a changed directory listed as well as what changed under it (as docker does).
     */
    List<FileChange> changes(String idOrName);

    /** {@code docker export}: the container's whole root filesystem as one uncompressed tar. */
    void exportRootfs(String idOrName, OutputStream out);

    /** {@link #writeLayer(String, OutputStream, boolean)} pausing a running container (docker's default). */
    default void writeLayer(String idOrName, OutputStream out) {
        writeLayer(idOrName, out, true);
    }

    /**
     * The container's layer as an image layer tar (uncompressed), as the OCI image spec's changesets say: the
     * added and changed files, a {@code .wh.NAME} entry for each deleted path and {@code DIR/.wh..wh..opq} for
     * a directory made opaque (replaced). Parent directories of changed paths are included. A running container
     * is paused while the layer is read when {@code pause} is set, and unpaused after, also when it fails.
     */
    void writeLayer(String idOrName, OutputStream out, boolean pause);
}
