package io.jpod.api.registry;

import java.util.List;

/**
 * An image manifest (Docker schema 2 or OCI) as the registry served it, for one platform.
 *
 * @param reference the reference it was fetched by, with the manifest's digest
 * @param mediaType the manifest's media type
 * @param raw       its bytes, exactly as served (their sha256 is {@code reference.digest()})
 * @param config    the image's config blob
 * @param layers    its layers, base first
 */
public record ImageManifest(ImageReference reference, String mediaType, byte[] raw, Descriptor config,
        List<Descriptor> layers) {
    public ImageManifest {
        raw = raw.clone();
        layers = List.copyOf(layers);
    }

    @Override
    public byte[] raw() {
        return raw.clone();
    }
}
