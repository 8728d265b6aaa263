package io.jpod.api;

import io.jpod.api.registry.RegistryOptions;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
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

    /** {@link #pull(String, PullOptions, Consumer)} with the default options and no progress. */
    default ImageInfo pull(String reference) {
        return pull(reference, PullOptions.defaults(), e -> {
        });
    }

    /**
     * {@code podman pull}: the image as {@code options.policy()} says. A name that matches an image the install
     * ships ({@code <jpod.home>/etc/<name>.tar}, a root filesystem, as {@code bin/jpod-busybox-image} writes
     * busybox's) is imported from there and no registry is asked. Otherwise the registries the name may mean
     * are tried in order (registries.conf's search for a short name); the manifest for the platform is
     * resolved, the config and layers fetched in parallel, every blob verified, and the image stored all or
     * nothing; layers stored already are not fetched again. Errors: NO_SUCH_IMAGE (naming the references
     * tried), UNAUTHORIZED, REGISTRY_UNREACHABLE, REGISTRY_BLOCKED, INVALID_ARG; NOT_IMPLEMENTED when the
     * registry bundle is not installed.
     *
     * @param progress told of each step, on the pulling threads; what it throws is ignored, except a
     *        {@link java.util.concurrent.CancellationException} (nobody waits for the pull any more): the pull then
     *        stops soon, stores nothing and fails
     */
    default ImageInfo pull(String reference, PullOptions options, Consumer<PullEvent> progress) {
        return inspect(reference);
    }

    /**
     * {@code podman push}: the image's config and layers (gzip-compressed when the store keeps them
     * uncompressed; blobs the registry has are not sent), then its manifest, to {@code destination} (a
     * reference, optionally with {@code docker://}; null for the image's own name). Returns the manifest's
     * digest, which a pull of the destination gives back. A {@link java.util.concurrent.CancellationException}
     * from {@code progress} stops the push before its manifest is sent.
     */
    default String push(String image, String destination, RegistryOptions options, Consumer<PullEvent> progress) {
        throw new JpodException(ErrorCode.NOT_IMPLEMENTED, "this image service cannot push");
    }

    /**
     * {@code docker commit} and a build step: stores an image made of the parent's layers and the request's
     * layer (its diff ID the sha256 of the tar), a config with {@code rootfs.diff_ids} and {@code history}
     * extended, the parent's config with the request's config and changes applied, and a manifest; tags it.
     * Errors: NO_SUCH_IMAGE (the parent), INVALID_ARG (a change, the reference, the layer tar).
     */
    default ImageInfo commit(CommitRequest request) {
        throw new JpodException(ErrorCode.NOT_IMPLEMENTED, "this image service cannot commit");
    }

    /** {@code docker history}: the image's config history, newest first. Errors: NO_SUCH_IMAGE. */
    default List<ImageHistory> history(String image) {
        throw new JpodException(ErrorCode.NOT_IMPLEMENTED, "this image service keeps no history");
    }

    /**
     * The container spec with the image's defaults applied as podman does: image resolved to its ID,
     * Entrypoint and Cmd unless given, Env merged (the spec's win), WorkingDir, User, Labels and
     * StopSignal unless given.
     */
    ContainerConfig withImageDefaults(ContainerConfig spec);
}
