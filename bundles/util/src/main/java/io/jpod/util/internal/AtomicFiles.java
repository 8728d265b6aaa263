package io.jpod.util.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Crash-safe replacement of a whole file: a reader sees the old content or the new one, never a part, and
 * after the call returns the new content survives a crash. The steps: a new temporary file in the target's
 * directory (same file system, so the rename is atomic), write, fsync of the file, {@code rename(2)}
 * ({@link StandardCopyOption#ATOMIC_MOVE}), fsync of the directory. On any failure the temporary file is
 * removed and the target is left as it was.
 *
 * <p>{@link #writeVolatile} is the same replacement without the two fsyncs, for run state that a reboot ends
 * anyway (the files under the run directories, which describe mounts, processes and network namespaces): a
 * reader and a killed process still see the old content or the new one whole.
 */
public final class AtomicFiles {
    /** {@code 0600}: for state files only root (the owner) may read, such as credentials. */
    public static final Set<PosixFilePermission> OWNER_ONLY = Set.copyOf(PosixFilePermissions.fromString("rw-------"));

    private static final Logger LOG = LoggerFactory.getLogger(AtomicFiles.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Leaves room in a 255-byte file name for the temporary file's prefix and suffix. */
    private static final int MAX_NAME_PART = 200;

    private AtomicFiles() {
    }

    /** Replaces {@code target} with {@code data}; a new file gets the mode a new file gets (0666 less the umask). */
    public static void write(Path target, byte[] data) throws IOException {
        write(target, data, null);
    }

    /**
     * Replaces {@code target} with {@code data}, the file's mode exactly {@code mode} (not less the umask) from
     * the moment the temporary file is made, so the content is never readable by others, not even briefly.
     *
     * @param mode the permissions, e.g. {@link #OWNER_ONLY}; null for the default of a new file
     */
    public static void write(Path target, byte[] data, Set<PosixFilePermission> mode) throws IOException {
        replace(target, data, mode, true);
    }

    /**
     * Replaces {@code target} with {@code data} as {@link #write(Path, byte[], Set)} does, atomically, but
     * without syncing the file or its directory: for files that do not outlive a reboot, where what a power cut
     * could lose is gone with the mounts and processes it describes.
     *
     * @param mode the permissions, e.g. {@link #OWNER_ONLY}; null for the default of a new file
     */
    public static void writeVolatile(Path target, byte[] data, Set<PosixFilePermission> mode) throws IOException {
        replace(target, data, mode, false);
    }

    private static void replace(Path target, byte[] data, Set<PosixFilePermission> mode, boolean durable)
            throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = tempFile(dir, target.getFileName().toString(), mode);
        boolean moved = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                writeAll(ch, data);
                if (durable) {
                    ch.force(true);
                }
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(tmp);
            }
        }
        if (durable) {
            syncDirectory(dir);
        }
    }

    /**
     * Creates {@code target}, which must not exist, with {@code data} on disk (fsync) before it returns, with no
     * temporary file and no rename: for a file in a new directory that nothing reads before the caller's next
     * step names it (a new layer's files). The caller syncs that directory once, after its last file.
     */
    public static void writeNew(Path target, byte[] data) throws IOException {
        try (FileChannel ch = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            writeAll(ch, data);
            ch.force(true);
        }
    }

    private static void writeAll(FileChannel ch, byte[] data) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(data);
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

    /** {@link #write(Path, byte[], Set)} of {@code text} in UTF-8. */
    public static void writeString(Path target, CharSequence text, Set<PosixFilePermission> mode) throws IOException {
        write(target, text.toString().getBytes(StandardCharsets.UTF_8), mode);
    }

    /**
     * fsync of a directory, so that a rename in it or a new entry survives a crash. A file system that refuses
     * it (some do, with EINVAL) is logged at debug and otherwise ignored: the rename is atomic there all the same.
     */
    public static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            LOG.debug("fsync of the directory {}: {}", dir, e.toString());
        }
    }

    private static Path tempFile(Path dir, String name, Set<PosixFilePermission> mode) throws IOException {
        String base = name.length() > MAX_NAME_PART ? name.substring(0, MAX_NAME_PART) : name;
        FileAttribute<?>[] attrs = mode == null ? new FileAttribute<?>[0]
                : new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(mode)};
        for (int attempt = 0;; attempt++) {
            byte[] r = new byte[8];
            RANDOM.nextBytes(r);
            Path tmp = dir.resolve("." + base + ".tmp-" + HexFormat.of().formatHex(r));
            try {
                Files.createFile(tmp, attrs);
            } catch (FileAlreadyExistsException e) {
                if (attempt < 10) {
                    continue;
                }
                throw e;
            }
            if (mode != null) {
                try {
                    // the umask may have taken bits the caller asked for: set the mode exactly
                    Files.setPosixFilePermissions(tmp, mode.isEmpty() ? EnumSet.noneOf(PosixFilePermission.class)
                            : EnumSet.copyOf(mode));
                } catch (IOException | RuntimeException e) {
                    Files.deleteIfExists(tmp);
                    throw e;
                }
            }
            return tmp;
        }
    }
}
