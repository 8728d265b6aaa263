package io.jpod.image.internal;

import java.util.List;

/**
 * An image read but not stored yet: its config, its uncompressed layers (spooled), its names; and, for one
 * pulled from a registry, the manifest as the registry served it (stored as is, so that the image's digest is
 * the registry's), else null (the store writes the manifest of the uncompressed layers).
 */
record Candidate(String id, byte[] config, List<SpooledLayer> layers, List<String> names, byte[] manifest) {

    Candidate(String id, byte[] config, List<SpooledLayer> layers, List<String> names) {
        this(id, config, layers, names, null);
    }

    /** Removes the spooled layers of all of them: after storing, or after a failure on the way. */
    static void discard(List<Candidate> candidates) {
        for (Candidate c : candidates) {
            c.layers().forEach(SpooledLayer::discard);
        }
    }
}
