package io.jpod.image.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Tree deletion, the bundle's only copy, kept apart so that a shared library can replace it in one place. */
final class FileTrees {
    private static final Logger LOG = LoggerFactory.getLogger(FileTrees.class);

    private FileTrees() {
    }

    /** Removes {@code p} and everything under it, not following links; nothing there is fine. */
    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            try (var ds = Files.newDirectoryStream(p)) {
                for (Path c : ds) {
                    deleteTree(c);
                }
            }
        }
        Files.delete(p);
    }

    /** As {@link #deleteTree}, a failure only logged: for clean-up after the real work is done or failed. */
    static void deleteQuietly(Path p) {
        try {
            deleteTree(p);
        } catch (IOException e) {
            LOG.warn("cannot remove {}: {}", p, e.getMessage());
        }
    }
}
