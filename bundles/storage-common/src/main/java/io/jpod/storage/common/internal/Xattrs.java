package io.jpod.storage.common.internal;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * trusted.* extended attributes, which Java's UserDefinedFileAttributeView cannot reach (it only knows
 * user.*): set with {@code setfattr} from Debian's {@code attr} package. Only the overlay driver needs them,
 * for opaque directories.
 */
public final class Xattrs {
    private Xattrs() {
    }

    public static void setTrusted(Path p, String name, String value) throws IOException {
        try {
            Exec.run(null, List.of("setfattr", "-h", "-n", name, "-v", value, p.toString()));
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("cannot run")) {
                throw new JpodException(ErrorCode.INTERNAL, "cannot mark " + p + " opaque for overlayfs: setfattr"
                        + " is missing (install the attr package)", e);
            }
            throw e;
        }
    }

    /** The value, or null when the file has no such attribute. */
    public static String getTrusted(Path p, String name) {
        try {
            return Exec.run(null, List.of("getfattr", "-h", "--absolute-names", "--only-values", "-n", name, p.toString()));
        } catch (IOException e) {
            return null;
        }
    }
}
