package io.jpod.oci.conmon.internal;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.util.internal.RootPaths;
import io.jpod.util.internal.RootPaths.Escape;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.FileSystemLoopException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Small files of a container's root filesystem read from the host side, which the container (or its image) may
 * have turned into anything: the path is resolved inside the root as the container sees it (a symbolic link is
 * expanded with the root as {@code /}, a {@code ..} stops at the root, as securejoin does), so no link leads out
 * of it; only a regular file is read, opened without following a last link, and never more than a bound.
 */
final class RootfsFiles {
    private RootfsFiles() {
    }

    /**
     * The bytes of {@code file} (absolute, as the container names it) in {@code rootfs}; null when there is no such
     * file.
     *
     * @throws JpodException INVALID_ARG when it is not a regular file or has more than {@code max} bytes
     */
    static byte[] read(Path rootfs, String file, int max) throws IOException {
        Path p = resolve(rootfs, file);
        BasicFileAttributes a = p == null ? null : RootPaths.lstat(p);
        if (a == null) {
            return null;
        }
        if (!a.isRegularFile()) {
            throw new JpodException(ErrorCode.INVALID_ARG, file + " of the container is not a regular file: "
                    + "make it one to run or exec as a user named there, or give a numeric uid:gid");
        }
        byte[] data;
        try (InputStream in = Channels.newInputStream(Files.newByteChannel(p, StandardOpenOption.READ,
                LinkOption.NOFOLLOW_LINKS))) {
            data = in.readNBytes(max + 1);
        }
        if (data.length > max) {
            throw new JpodException(ErrorCode.INVALID_ARG, file + " of the container is larger than "
                    + (max >= 1 << 20 ? (max >> 20) + " MiB" : (max >> 10) + " KiB") + ": shorten it to run or exec as a user named there, or give a numeric uid:gid");
        }
        return data;
    }

    /** The host path of {@code file} inside {@code rootfs} with every link expanded there; null when a part is missing. */
    private static Path resolve(Path rootfs, String file) throws IOException {
        try {
            return RootPaths.resolve(rootfs, file, Escape.CLAMP, RootPaths.MAX_LINKS);
        } catch (FileSystemLoopException e) {
            throw new JpodException(ErrorCode.INVALID_ARG, file + " of the container has too many levels of"
                    + " symbolic links");
        }
    }
}
