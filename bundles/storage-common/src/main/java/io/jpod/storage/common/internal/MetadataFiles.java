package io.jpod.storage.common.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.util.internal.AtomicFiles;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's metadata files: JSON lists read whole and rewritten whole through {@link AtomicFiles}, readable
 * by the owner (root) only, since they name every image and container and {@code storage.lock} beside them
 * must not be lockable by others. Files are 0600 and the directories that hold them 0700; those made 0644 and
 * 0755 by an older version are tightened when read.
 */
final class MetadataFiles {
    static final Set<PosixFilePermission> FILE_MODE = AtomicFiles.OWNER_ONLY;
    static final Set<PosixFilePermission> DIR_MODE = Set.copyOf(PosixFilePermissions.fromString("rwx------"));
    private static final Logger LOG = LoggerFactory.getLogger(MetadataFiles.class);

    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** The list in {@code file}, empty when there is no such file; the file and its directory are tightened. */
    <T> List<T> read(Path file, TypeReference<List<T>> type) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        restrict(file.getParent(), DIR_MODE);
        restrict(file, FILE_MODE);
        return json.readValue(file.toFile(), type);
    }

    /** Replaces {@code file} with {@code value} as JSON, mode 0600, its directory made 0700 when missing. */
    void write(Path file, Object value) {
        try {
            writeBytes(file, json.writeValueAsBytes(value));
        } catch (IOException e) {
            throw new JpodException(ErrorCode.INTERNAL, "cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Replaces {@code file} with {@code data}, mode 0600, its directory made 0700 when missing. */
    static void writeBytes(Path file, byte[] data) throws IOException {
        directory(file.toAbsolutePath().getParent());
        AtomicFiles.write(file, data, FILE_MODE);
    }

    /** Creates {@code dir} with mode 0700 when missing (its missing parents get the default mode). */
    static void directory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Path parent = dir.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIR_MODE));
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw e;
            }
            return;
        }
        // the umask may have taken bits: set the mode exactly
        Files.setPosixFilePermissions(dir, EnumSet.copyOf(DIR_MODE));
    }

    /** Sets {@code path}'s mode to {@code mode} where it differs (not through a symbolic link). */
    static void restrict(Path path, Set<PosixFilePermission> mode) throws IOException {
        if (Files.isSymbolicLink(path) || !Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Set<PosixFilePermission> now = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
        if (!now.equals(mode)) {
            Files.setPosixFilePermissions(path, EnumSet.copyOf(mode));
            LOG.debug("tightened the mode of {} from {} to {}", path, PosixFilePermissions.toString(now),
                    PosixFilePermissions.toString(mode));
        }
    }
}
