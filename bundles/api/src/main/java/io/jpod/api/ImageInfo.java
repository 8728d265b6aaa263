package io.jpod.api;

import java.time.Instant;
import java.util.List;

/**
 * An image as {@code podman images} and {@code podman image inspect} show it.
 *
 * @param id      the image ID (the sha256 of its config, without the algorithm)
 * @param names   its names, e.g. {@code localhost/busybox:latest}
 * @param digest  the digest of its manifest, {@code sha256:...}
 * @param created when it was made, from its config
 * @param size    the size of its layers, uncompressed
 * @param config  what its config says about containers
 * @param layers  its layers' diff IDs, base first
 * @param repoDigests the digests it is known by in registries, {@code registry/repository@sha256:...} (docker's
 *                RepoDigests): its names' repositories with its manifest's digest, and where it was pulled
 *                from and pushed to
 * @param os           the platform its config names ({@code linux}), or null when it names none
 * @param architecture Go's name of its architecture ({@code amd64}, {@code s390x}), or null
 * @param variant      the architecture's variant ({@code v8}), or null
 */
public record ImageInfo(String id, List<String> names, String digest, Instant created, long size, ImageConfig config,
        List<String> layers, List<String> repoDigests, String os, String architecture, String variant) {
    public ImageInfo {
        names = names == null ? List.of() : List.copyOf(names);
        layers = layers == null ? List.of() : List.copyOf(layers);
        repoDigests = repoDigests == null ? List.of() : List.copyOf(repoDigests);
    }

    /** An image whose config names no platform (the shape of io.jpod.api 1.2). */
    public ImageInfo(String id, List<String> names, String digest, Instant created, long size, ImageConfig config,
            List<String> layers, List<String> repoDigests) {
        this(id, names, digest, created, size, config, layers, repoDigests, null, null, null);
    }

    /** An image known by no registry digest but its names' (the shape of io.jpod.api 1.1). */
    public ImageInfo(String id, List<String> names, String digest, Instant created, long size, ImageConfig config,
            List<String> layers) {
        this(id, names, digest, created, size, config, layers, List.of());
    }
}
