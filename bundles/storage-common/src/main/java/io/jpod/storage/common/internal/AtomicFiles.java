package io.jpod.storage.common.internal;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The store's crash-safe writes, as the drivers that embed this package call them: the one implementation is
 * {@link io.jpod.util.internal.AtomicFiles} (temporary file beside the target, fsync, atomic rename, fsync of
 * the directory), which new code calls directly.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** Replaces {@code target} with {@code data}: {@link io.jpod.util.internal.AtomicFiles#write(Path, byte[])}. */
    public static void write(Path target, byte[] data) throws IOException {
        io.jpod.util.internal.AtomicFiles.write(target, data);
    }

    /** fsync of a directory: {@link io.jpod.util.internal.AtomicFiles#syncDirectory(Path)}. */
    public static void syncDir(Path dir) {
        io.jpod.util.internal.AtomicFiles.syncDirectory(dir);
    }
}
