package io.jpod.storage.vfs.internal;

import io.jpod.api.FileChange;
import io.jpod.storage.common.internal.FileStat;
import io.jpod.storage.common.internal.LayerTarWriter;
import io.jpod.storage.common.internal.SafeDir;
import io.jpod.storage.common.internal.TreeCursor;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A container's changes found by comparing its directory with its image's top layer, as containers/storage's
 * naive diff does (archive.ChangesDirs): a path only the container has is added, one only the image has is
 * deleted (its subtree not listed), one whose type, mode, owner, device, link target or, for a non-directory,
 * size or modification time differs is changed; a directory with changes under it is changed too. The
 * container's side was written by it and is read as {@link SafeDir} reads; the image's side is only descended
 * through real directories.
 */
final class NaiveChanges {
    private final List<FileChange> changes = new ArrayList<>();

    private NaiveChanges() {
    }

    /** The changes of {@code dir} against {@code parent} (null: an empty parent). */
    static List<FileChange> changes(Path dir, Path parent) throws IOException {
        NaiveChanges c = new NaiveChanges();
        try (SafeDir root = SafeDir.open(dir)) {
            c.compare(root, parent, "", true);
        }
        return List.copyOf(c.changes);
    }

    private void compare(SafeDir dir, Path old, String path, boolean added) throws IOException {
        int atEntry = changes.size();
        Set<String> nowNames = new HashSet<>(dir.names());
        Set<String> oldNames = old == null ? Set.of() : list(old);
        TreeSet<String> names = new TreeSet<>(nowNames);
        names.addAll(oldNames);
        for (String name : names) {
            String child = path + "/" + name;
            FileStat now = nowNames.contains(name) ? dir.find(name) : null;
            FileStat was = oldNames.contains(name) ? lstat(old.resolve(name)) : null;
            if (now == null) {
                if (was != null && !nowNames.contains(name)) {
                    changes.add(new FileChange(child, FileChange.DELETED));
                }
                continue;
            }
            boolean childAdded = false;
            if (was == null) {
                changes.add(new FileChange(child, FileChange.ADDED));
                childAdded = true;
            } else if (different(was, now) || now.isSymlink() && !sameTarget(old.resolve(name), dir, name, now)) {
                changes.add(new FileChange(child, FileChange.MODIFIED));
                childAdded = true;
            }
            if (now.isDir()) {
                SafeDir sub = dir.enter(name, now);
                if (sub != null) {
                    try (sub) {
                        compare(sub, was != null && was.isDir() ? old.resolve(name) : null, child, childAdded);
                    }
                }
            }
        }
        if (changes.size() > atEntry && !added && !path.isEmpty()) {
            changes.add(atEntry, new FileChange(path, FileChange.MODIFIED));
        }
    }

    /** As Go's statDifferent: a directory's size and time say nothing. */
    private static boolean different(FileStat a, FileStat b) {
        return a.mode() != b.mode() || a.uid() != b.uid() || a.gid() != b.gid() || a.rdev() != b.rdev()
                || !a.isDir() && (a.size() != b.size() || !a.mtime().equals(b.mtime()));
    }

    private static Set<String> list(Path dir) throws IOException {
        Set<String> out = new HashSet<>();
        try (var ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                out.add(p.getFileName().toString());
            }
        }
        return out;
    }

    private static FileStat lstat(Path p) throws IOException {
        try {
            return FileStat.lstat(p);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Whether both links lead to the same name; a link the container changed while it was read is changed. */
    private static boolean sameTarget(Path old, SafeDir dir, String name, FileStat now) {
        try {
            return Files.readSymbolicLink(old).toString().equals(dir.readLink(name, now));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Writes the changes of {@code dir} against {@code parent} as an image layer tar: each added or changed path
     * as it is in {@code dir} (a changed directory as an entry only; what changed under it follows), a deleted
     * one as its {@code .wh.} entry.
     */
    static long writeLayer(Path dir, Path parent, OutputStream out) throws IOException {
        List<FileChange> list = changes(dir, parent);
        LayerTarWriter tar = new LayerTarWriter(out);
        try (TreeCursor cursor = new TreeCursor(dir)) {
            for (FileChange c : list) {
                String rel = c.path().substring(1);
                if (c.kind() == FileChange.DELETED) {
                    int slash = rel.lastIndexOf('/');
                    tar.whiteout(slash < 0 ? "" : rel.substring(0, slash), rel.substring(slash + 1));
                    continue;
                }
                TreeCursor.Entry e = cursor.at(rel);
                if (e != null) {
                    tar.add(rel, e.dir(), e.name(), e.stat());
                }
            }
        }
        tar.finish();
        return tar.entries();
    }
}
