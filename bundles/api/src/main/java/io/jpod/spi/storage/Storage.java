package io.jpod.spi.storage;

import io.jpod.api.ErrorCode;
import io.jpod.api.FileChange;
import io.jpod.api.JpodException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.osgi.annotation.versioning.ConsumerType;

/** Layers, images and container root filesystems, as containers/storage's Store. */
@ConsumerType
public interface Storage extends AutoCloseable {

    /** The driver's name, e.g. {@code overlay}. */
    String driverName();

    Path graphRoot();

    Path runRoot();

    /** Extracts a layer from a tar stream (plain or gzip) on top of {@code parent} (null for a base layer). */
    Layer createLayer(String parent, InputStream tar);

    List<Layer> layers();

    /** Removes a layer that no image, layer or container uses. */
    void deleteLayer(String id);

    /** Records an image whose top layer is {@code topLayer}. */
    Image createImage(String id, List<String> names, String topLayer, Map<String, byte[]> bigData);

    /** By ID, unique ID prefix or name. */
    Image image(String idOrName);

    /** A named blob stored with the image (its manifest, its config), or null when it has none of that key. */
    byte[] imageBigData(String idOrName, String key);

    List<Image> images();

    /** Removes the image, and its layers that no other image uses. */
    void deleteImage(String id);

    /** Sets the image's names, replacing the old ones. */
    void setNames(String imageId, List<String> names);

    /** Creates the writable layer of a container on top of the image's layers ({@code imageId} null for none). */
    ContainerLayer createContainer(String containerId, String imageId);

    /** Mounts the container's root filesystem; returns where. Counted: each mount needs an unmount. */
    Path mount(String containerId);

    /** Unmounts once, or completely with {@code force}. Returns whether it is still mounted. */
    boolean unmount(String containerId, boolean force);

    void deleteContainer(String containerId);

    /**
     * Whether the container's root filesystem is mounted (a running container's is). A driver that cannot tell
     * says it is, so that nothing deletes what may be in use.
     */
    default boolean mounted(String containerId) {
        return true;
    }

    /**
     * The paths the container's layer added, changed or deleted against its image, sorted by path. The layer
     * was written by the container: the driver follows no symlink in it and trusts none of its names.
     */
    default List<FileChange> changes(String containerId) {
        throw new JpodException(ErrorCode.NOT_IMPLEMENTED, driverName() + " storage cannot list a container's changes");
    }

    /**
     * Writes the container's layer as an uncompressed image layer tar: the added and changed files (and their
     * parent directories), {@code .wh.NAME} for a deleted path, {@code DIR/.wh..wh..opq} for an opaque
     * directory. As hostile as {@link #changes}.
     */
    default void writeLayer(String containerId, OutputStream out) {
        throw new JpodException(ErrorCode.NOT_IMPLEMENTED, driverName() + " storage cannot write a container's layer");
    }

    /** Writes the container's whole root filesystem as an uncompressed tar, mounting it for the duration. */
    default void exportRootfs(String containerId, OutputStream out) {
        throw new JpodException(ErrorCode.NOT_IMPLEMENTED, driverName() + " storage cannot export a container");
    }

    List<ContainerLayer> containers();

    @Override
    void close();

    /** A layer: its ID, its parent's, the digest of its uncompressed tar, its size. */
    record Layer(String id, String parent, String diffId, long size, Instant created) {
    }

    /** An image as stored: names, top layer, and named blobs such as its manifest and config. */
    record Image(String id, List<String> names, String topLayer, String digest, Instant created) {
        public Image {
            names = List.copyOf(names);
        }
    }

    /** A container's writable layer. */
    record ContainerLayer(String id, String imageId, String layerId, Instant created) {
    }
}
