package io.jpod.api;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The image service: libpod's libimage runtime over the engine's storage. Registered while an
 * engine is. Errors are {@link JpodException}s: NO_SUCH_IMAGE, IMAGE_IN_USE, INVALID_ARG.
 */
@ProviderType
public interface Images {

    /** {@code podman import}: a root filesystem tarball (plain or gzip) as a one-layer image, with {@code --change} instructions (CMD, ENTRYPOINT, ENV, WORKDIR, USER, LABEL, EXPOSE, VOLUME, STOPSIGNAL). */
    ImageInfo importRootfs(InputStream tar, String reference, List<String> changes);

    /** {@code podman load}: a docker-archive (as {@code docker save} writes it) or an OCI archive; the format is detected. */
    List<ImageInfo> load(InputStream archive);

    /** Loads an OCI image layout directory (as {@code skopeo copy ... oci:DIR} writes it). */
    List<ImageInfo> loadLayout(Path dir);

    /** {@code podman save}: {@code format} is {@code docker-archive} or {@code oci-archive}. */
    void save(List<String> references, String format, OutputStream out);

    /** Adds a name; a short name is normalised ({@code busybox} → {@code localhost/busybox:latest}). */
    void tag(String image, String reference);

    void untag(String image, String reference);

    /** Removes an image; refused with IMAGE_IN_USE while a container uses it, unless forced (which removes those containers). */
    void remove(String image, boolean force);

    List<ImageInfo> list();

    /** By ID, unique ID prefix, full name, or short name ({@code busybox} matching {@code localhost/busybox:latest}). */
    ImageInfo inspect(String image);

    /**
     * What a pull gives, as jpod has no registries yet: the image when it is stored, else one the install
     * ships ({@code <jpod.home>/etc/<name>.tar}, a root filesystem, as {@code bin/jpod-busybox-image} writes
     * busybox's) imported under that name; else NO_SUCH_IMAGE saying how to get it.
     */
    default ImageInfo pull(String reference) {
        return inspect(reference);
    }

    /**
     * The container spec with the image's defaults applied as podman does: image resolved to its ID,
     * Entrypoint and Cmd unless given, Env merged (the spec's win), WorkingDir, User, Labels and
     * StopSignal unless given.
     */
    ContainerConfig withImageDefaults(ContainerConfig spec);
}
