package io.jpod.image.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** An uncompressed layer tar in the spool, with its digest (the diff ID) and size. */
record SpooledLayer(Path file, String diffId, long size) {
    private static final Logger LOG = LoggerFactory.getLogger(SpooledLayer.class);

    /** Removes the spooled file, if the store has not taken it. */
    void discard() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.debug("cannot remove {}: {}", file, e.getMessage());
        }
    }
}
