package io.jpod.image.internal;

import java.util.List;

/** An image read but not stored yet: its config, its uncompressed layers (spooled), its names. */
record Candidate(String id, byte[] config, List<SpooledLayer> layers, List<String> names) {

    /** Removes the spooled layers of all of them: after storing, or after a failure on the way. */
    static void discard(List<Candidate> candidates) {
        for (Candidate c : candidates) {
            c.layers().forEach(SpooledLayer::discard);
        }
    }
}
