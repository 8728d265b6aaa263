package io.jpod.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.function.Function;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Files inside a container, as {@code docker cp} and {@code podman cp} move them: a path's stat, a path read as a
 * tar, a tar written into a directory. A container may be running or not: its root filesystem is mounted for the
 * call when it is not, and the container's lock is held throughout; a running container is paused while its files
 * are read or written (and unpaused after), so that its processes cannot swap a directory for a link between the
 * lookup of a path and its use. A path in one of the container's bind mounts
 * or named volumes is the mount's source. Every name, the container's links included, is resolved inside the
 * container: a link to {@code /} or {@code ..} leads to the container's root, never to the host's.
 *
 * <p>Paths are absolute in the container; a relative path counts from {@code /}. As docker's, a path's last
 * component is not followed when it is a symbolic link, unless the path ends in {@code /} or {@code /.}.
 *
 * <p>Errors are {@link JpodException}s: {@link ErrorCode#NO_SUCH_CTR}, {@link ErrorCode#NO_SUCH_PATH} for a path
 * that is not there, {@link ErrorCode#INVALID_ARG} for a bad path or a destination that is no directory or an
 * archive that is refused (naming its entry), {@link ErrorCode#READ_ONLY} for a destination on a read-only mount.
 */
@ProviderType
public interface ContainerFiles {

    /**
     * What {@code lstat} tells of a path in a container.
     *
     * @param name       the path's last component, as the caller spelled it ({@code /} for the root)
     * @param size       the size in bytes
     * @param mode       {@code st_mode}: the file type bits ({@code S_IFDIR}...) and the permission bits
     * @param mtime      the modification time
     * @param linkTarget for a symbolic link, where it leads when followed inside the container (an absolute
     *                   path in the container); empty otherwise
     * @param path       the absolute path in the container, a link at its end followed, a trailing {@code /} or
     *                   {@code /.} kept as given (what podman's stat calls the link target)
     * @param directory  whether {@code path} is a directory (a link to a directory counts)
     */
    record PathStat(String name, long size, int mode, Instant mtime, String linkTarget, String path,
            boolean directory) {
        public static final int S_IFMT = 0170000, S_IFDIR = 0040000, S_IFLNK = 0120000, S_IFREG = 0100000;

        public boolean isDirectory() {
            return (mode & S_IFMT) == S_IFDIR;
        }

        public boolean isSymbolicLink() {
            return (mode & S_IFMT) == S_IFLNK;
        }
    }

    /**
     * How an archive is written into a container.
     *
     * @param noOverwriteDirNonDir refuse to replace a directory by a non-directory or the reverse (else what is
     *                             there is replaced, as docker's archive does)
     * @param chownToUser          every entry owned by the container's user and its primary group (docker's
     *                             {@code copyUIDGID}, podman's default); else the archive's owners are kept
     */
    record WriteOptions(boolean noOverwriteDirNonDir, boolean chownToUser) {
    }

    /** The stat of {@code path} in the container. */
    PathStat stat(String idOrName, String path);

    /**
     * Writes {@code path} as an uncompressed tar: a file as one entry of its base name, a directory as its base
     * name and everything below it, {@code dir/.} as the directory's contents only. {@code sink} is called once
     * with the stat, after every check passed and before the first byte, and gives the stream to write to.
     *
     * @return the stat given to {@code sink}
     * @throws IOException when the stream fails (the client went away)
     */
    PathStat read(String idOrName, String path, Function<PathStat, OutputStream> sink) throws IOException;

    /**
     * Extracts {@code tar} (plain, gzip, bzip2 or xz) into the directory {@code dir} of the container, which must
     * exist. Entries are hostile until checked: names that climb out of {@code dir}, links whose target leaves
     * it, and entries written through a link the archive made are refused.
     *
     * @throws IOException when reading the stream fails
     */
    void write(String idOrName, String dir, InputStream tar, WriteOptions options) throws IOException;
}
