package io.jpod.image.internal;

import static io.jpod.image.internal.ImageErrors.invalid;

import io.jpod.util.internal.RootPaths;
import io.jpod.util.internal.RootPaths.Escape;
import java.io.IOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Names of an archive's or a layout's files, resolved inside its directory without ever leaving it
 * ({@link RootPaths}): an absolute name or link target, or a {@code ..} above the directory, is refused. The path
 * returned holds no symbolic link, so opening it follows none.
 */
final class ArchivePaths {
    private ArchivePaths() {
    }

    /**
     * The regular file {@code name} names in {@code root} (a directory nobody else writes to), or null when
     * there is none.
     *
     * @throws io.jpod.api.JpodException INVALID_ARG when the name or a link on its way leads outside
     */
    static Path file(Path root, String name) throws IOException {
        Path p = resolve(root, name);
        if (p == null) {
            return null;
        }
        BasicFileAttributes a = lstat(p);
        return a != null && a.isRegularFile() ? p : null;
    }

    /** Whether {@code name} is a regular file of {@code root}; false too for a name that would leave it. */
    static boolean isFile(Path root, String name) {
        try {
            return file(root, name) != null;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static Path resolve(Path root, String name) throws IOException {
        if (name == null || name.isEmpty() || name.indexOf('\0') >= 0) {
            throw outside(name);
        }
        try {
            return RootPaths.resolve(root, name, Escape.REFUSE, RootPaths.MAX_LINKS);
        } catch (RootPaths.OutsideRootException e) {
            throw outside(name);
        } catch (FileSystemLoopException e) {
            throw invalid(name + " of the archive has too many levels of symbolic links");
        }
    }

    static BasicFileAttributes lstat(Path p) throws IOException {
        return RootPaths.lstat(p);
    }

    private static RuntimeException outside(String name) {
        return invalid("the archive's " + name + " points outside the archive");
    }
}
