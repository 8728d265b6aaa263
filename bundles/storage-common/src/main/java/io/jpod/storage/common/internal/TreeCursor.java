package io.jpod.storage.common.internal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Entries of a tree looked up by relative name, in walk order, each through the {@link SafeDir}s of the
 * directories above it. The open directories of the last lookup are kept, so a walk-ordered series of names
 * opens each directory once.
 */
public final class TreeCursor implements Closeable {
    /** An entry: its directory (open while the cursor stays there), its name in it, its lstat. */
    public record Entry(SafeDir dir, String name, FileStat stat) {
    }

    private final List<String> names = new ArrayList<>();
    private final List<SafeDir> dirs = new ArrayList<>();

    public TreeCursor(Path root) throws IOException {
        dirs.add(SafeDir.open(root));
    }

    /** The entry {@code rel} ({@code a/b/c}), or null when it or a directory above it is gone or was replaced. */
    public Entry at(String rel) throws IOException {
        String[] parts = rel.split("/");
        int keep = 0;
        while (keep < names.size() && keep < parts.length - 1 && names.get(keep).equals(parts[keep])) {
            keep++;
        }
        while (names.size() > keep) {
            names.remove(names.size() - 1);
            dirs.remove(dirs.size() - 1).close();
        }
        for (int i = keep; i < parts.length - 1; i++) {
            SafeDir top = dirs.get(dirs.size() - 1);
            FileStat st = top.find(parts[i]);
            if (st == null || !st.isDir()) {
                return null;
            }
            SafeDir sub = top.enter(parts[i], st);
            if (sub == null) {
                return null;
            }
            names.add(parts[i]);
            dirs.add(sub);
        }
        SafeDir dir = dirs.get(dirs.size() - 1);
        FileStat st = dir.find(parts[parts.length - 1]);
        return st == null ? null : new Entry(dir, parts[parts.length - 1], st);
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (SafeDir d : dirs) {
            try {
                d.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        dirs.clear();
        names.clear();
        if (first != null) {
            throw first;
        }
    }
}
