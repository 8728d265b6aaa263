package io.jpod.storage.common.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;

/** {@code export}: a whole root filesystem as a tar, every entry read as {@link SafeDir} reads it. */
public final class RootfsTar {
    private RootfsTar() {
    }

    /** Writes the tree under {@code root} (the root itself not as an entry); returns the number of entries. */
    public static long write(Path root, OutputStream out) throws IOException {
        LayerTarWriter tar = LayerTarWriter.plain(out);
        try (SafeDir dir = SafeDir.open(root)) {
            walk(dir, "", tar);
        }
        tar.finish();
        return tar.entries();
    }

    private static void walk(SafeDir dir, String prefix, LayerTarWriter tar) throws IOException {
        for (String name : dir.names()) {
            String rel = prefix + name;
            FileStat st = dir.find(name);
            if (st == null || !tar.add(rel, dir, name, st) || !st.isDir()) {
                continue;
            }
            SafeDir sub = dir.enter(name, st);
            if (sub != null) {
                try (sub) {
                    walk(sub, rel + "/", tar);
                }
            }
        }
    }
}
