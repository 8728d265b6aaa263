package io.jpod.storage.overlay.internal;

import io.jpod.storage.common.internal.FileStat;
import io.jpod.storage.common.internal.Xattrs;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the image's layers (overlayfs's lower directories, nearest first) show at a path, looked up as
 * overlayfs does: the nearest layer that has the name decides, a whiteout hides it, an opaque directory hides
 * the same directory of the layers further down. Only real directories are descended into, so no link in an
 * image layer is followed.
 */
final class LowerLayers {
    static final String OPAQUE = "trusted.overlay.opaque";

    /** A name the lower layers show: its lstat, and the directories to look into below it (for a directory). */
    record Found(FileStat stat, List<Path> dirs) {
    }

    private LowerLayers() {
    }

    /** {@code name} in the directories {@code dirs} (one path, nearest layer first); null when none shows it. */
    static Found lookup(List<Path> dirs, String name) throws IOException {
        for (int i = 0; i < dirs.size(); i++) {
            Path p = dirs.get(i).resolve(name);
            FileStat st = lstat(p);
            if (st == null) {
                continue;
            }
            if (st.isWhiteout()) {
                return null;
            }
            if (!st.isDir()) {
                return new Found(st, List.of());
            }
            List<Path> below = new ArrayList<>();
            below.add(p);
            for (int j = i + 1; j < dirs.size() && !opaque(below.get(below.size() - 1)); j++) {
                Path q = dirs.get(j).resolve(name);
                FileStat qs = lstat(q);
                if (qs == null) {
                    continue;
                }
                if (!qs.isDir()) {
                    break;
                }
                below.add(q);
            }
            return new Found(st, List.copyOf(below));
        }
        return null;
    }

    static boolean opaque(Path dir) {
        return "y".equals(Xattrs.getTrusted(dir, OPAQUE));
    }

    private static FileStat lstat(Path p) throws IOException {
        try {
            return FileStat.lstat(p);
        } catch (NoSuchFileException e) {
            return null;
        }
    }
}
