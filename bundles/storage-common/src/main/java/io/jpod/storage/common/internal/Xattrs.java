package io.jpod.storage.common.internal;

import io.jpod.linux.Linux;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * trusted.* extended attributes, which Java's UserDefinedFileAttributeView cannot reach (it only knows
 * user.*). Only the overlay driver needs them, for opaque directories. They are set and read with
 * lsetxattr(2) and lgetxattr(2) (io.jpod.linux), on the path itself, never a symbolic link's target.
 */
public final class Xattrs {
    private Xattrs() {
    }

    public static void setTrusted(Path p, String name, String value) throws IOException {
        Linux.lsetxattr(p, name, value.getBytes(StandardCharsets.UTF_8), 0);
    }

    /** The value, or null when the file has no such attribute (or cannot be read). */
    public static String getTrusted(Path p, String name) {
        try {
            byte[] v = Linux.lgetxattr(p, name);
            return v == null ? null : new String(v, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }
}
