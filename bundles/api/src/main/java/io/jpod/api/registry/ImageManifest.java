package io.jpod.api.registry;

import java.util.List;

/**
 * An image manifest (Docker schema 2 or OCI) as the registry served it, for one platform.
 *
 * @param reference   the reference it was fetched by, with the manifest's digest
 * @param mediaType   the manifest's media type
 * @param raw         its bytes, exactly as served (their sha256 is {@code reference.digest()})
 * @param config      the image's config blob
 * @param layers      its layers, base first
 * @param indexDigest the digest of the manifest list or OCI index it was chosen from (what docker shows as the
 *                    image's repo digest after a pull by tag), or null when the reference named the manifest itself
 *                    (since 1.1.0)
 */
public record ImageManifest(ImageReference reference, String mediaType, byte[] raw, Descriptor config,
        List<Descriptor> layers, String indexDigest) {
    public ImageManifest {
        raw = raw.clone();
        layers = List.copyOf(layers);
    }

    /** A manifest that no manifest list led to. */
    public ImageManifest(ImageReference reference, String mediaType, byte[] raw, Descriptor config,
            List<Descriptor> layers) {
        this(reference, mediaType, raw, config, layers, null);
    }

    @Override
    public byte[] raw() {
        return raw.clone();
    }
}
