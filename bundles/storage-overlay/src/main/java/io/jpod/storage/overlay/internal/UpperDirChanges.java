package io.jpod.storage.overlay.internal;

import io.jpod.api.FileChange;
import io.jpod.storage.common.internal.FileStat;
import io.jpod.storage.common.internal.LayerTarWriter;
import io.jpod.storage.common.internal.SafeDir;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A container's changes read from its overlay upper directory, as containers/storage's overlay driver reads
 * them (archive.OverlayChanges): a 0/0 character device is a deleted path, an opaque directory over one the
 * image has is a deleted (then re-made) directory, anything else is added, or changed when the image has the
 * path; a directory the copy-up left as it was (same mode, size and time) is no change itself; the parent of
 * an added or deleted path is changed. The layer tar is the upper directory as is, its whiteouts written the
 * OCI way. The directory was written by the container: it is read as {@link SafeDir} reads, nothing followed.
 */
final class UpperDirChanges {
    private static final String REDIRECT = "trusted.overlay.redirect";

    private final List<FileChange> changes = new ArrayList<>();
    private final Set<String> changedDirs = new HashSet<>();

    private UpperDirChanges() {
    }

    /** The changes of {@code upper} over {@code lowers} (the image's layer directories, nearest first). */
    static List<FileChange> changes(Path upper, List<Path> lowers) throws IOException {
        UpperDirChanges c = new UpperDirChanges();
        try (SafeDir root = SafeDir.open(upper)) {
            c.walk(root, "", lowers);
        }
        return List.copyOf(c.changes);
    }

    private void walk(SafeDir dir, String prefix, List<Path> lowers) throws IOException {
        for (String name : dir.names()) {
            String path = prefix + "/" + name;
            FileStat st = dir.find(name);
            if (st == null) {
                continue;
            }
            LowerLayers.Found low = lowers.isEmpty() ? null : LowerLayers.lookup(lowers, name);
            boolean opaque = st.isDir() && "y".equals(dir.xattr(name, LowerLayers.OPAQUE));
            int kind;
            boolean record = true;
            if (st.isWhiteout() || opaque && low != null) {
                kind = FileChange.DELETED;
            } else if (low == null) {
                kind = FileChange.ADDED;
            } else {
                kind = FileChange.MODIFIED;
                FileStat ls = low.stat();
                record = !(st.isDir() && ls.isDir() && st.size() == ls.size() && st.mode() == ls.mode()
                        && sameTime(st, ls));
            }
            if (record) {
                if (st.isDir()) {
                    changedDirs.add(path);
                }
                if (kind != FileChange.MODIFIED) {
                    String parent = prefix.isEmpty() ? "/" : prefix;
                    if (!parent.equals("/") && changedDirs.add(parent)) {
                        changes.add(new FileChange(parent, FileChange.MODIFIED));
                    }
                }
                changes.add(new FileChange(path, kind));
            }
            if (st.isDir()) {
                SafeDir sub = dir.enter(name, st);
                if (sub != null) {
                    try (sub) {
                        walk(sub, path, opaque || low == null ? List.of() : low.dirs());
                    }
                }
            }
        }
    }

    /** As Go's sameFsTime: equal, or equal seconds where one side has no nanoseconds. */
    private static boolean sameTime(FileStat a, FileStat b) {
        java.time.Instant x = a.mtime().toInstant();
        java.time.Instant y = b.mtime().toInstant();
        return x.equals(y) || x.getEpochSecond() == y.getEpochSecond() && (x.getNano() == 0 || y.getNano() == 0);
    }

    /** Writes {@code upper} as an image layer tar: whiteouts as {@code .wh.} entries, opaque directories marked. */
    static long writeLayer(Path upper, OutputStream out) throws IOException {
        LayerTarWriter tar = new LayerTarWriter(out);
        try (SafeDir root = SafeDir.open(upper)) {
            writeTree(root, "", tar);
        }
        tar.finish();
        return tar.entries();
    }

    private static void writeTree(SafeDir dir, String prefix, LayerTarWriter tar) throws IOException {
        for (String name : dir.names()) {
            String rel = prefix.isEmpty() ? name : prefix + "/" + name;
            FileStat st = dir.find(name);
            if (st == null) {
                continue;
            }
            if (st.isWhiteout()) {
                tar.whiteout(prefix, name);
                continue;
            }
            if (st.isDir() && dir.xattr(name, REDIRECT) != null) {
                // the directory's content is in a lower layer under another name: a tar of it would lose it
                throw new FileSystemException(dir.path().resolve(name).toString(), null,
                        "is a renamed directory (overlay redirect_dir), which jpod cannot write as a layer");
            }
            if (!tar.add(rel, dir, name, st) || !st.isDir()) {
                continue;
            }
            if ("y".equals(dir.xattr(name, LowerLayers.OPAQUE))) {
                tar.opaque(rel);
            }
            SafeDir sub = dir.enter(name, st);
            if (sub != null) {
                try (sub) {
                    writeTree(sub, rel, tar);
                }
            }
        }
    }
}
