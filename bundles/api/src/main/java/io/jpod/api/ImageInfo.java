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
 */
public record ImageInfo(String id, List<String> names, String digest, Instant created, long size, ImageConfig config,
        List<String> layers) {
    public ImageInfo {
        names = names == null ? List.of() : List.copyOf(names);
        layers = layers == null ? List.of() : List.copyOf(layers);
    }
}
