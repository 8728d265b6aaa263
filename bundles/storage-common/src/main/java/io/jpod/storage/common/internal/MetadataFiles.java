package io.jpod.storage.common.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.util.internal.AtomicFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's metadata files: JSON lists read whole and rewritten whole through {@link AtomicFiles}, readable
 * by the owner (root) only, since they name every image and container and {@code storage.lock} beside them
 * must not be lockable by others. Files are 0600 and the directories that hold them 0700; those made 0644 and
 * 0755 by an older version are tightened when read.
 *
 * <p>Every container has a layer, so a create rewrites lists that grow with the containers. Their elements are
 * immutable records (a change is a new instance), and each one's JSON is kept from the last write of its file:
 * a write serialises only the records that are new since, where serialising the whole list was about a
 * quarter of a create with a hundred containers.
 */
final class MetadataFiles {
    static final Set<PosixFilePermission> FILE_MODE = AtomicFiles.OWNER_ONLY;
    static final Set<PosixFilePermission> DIR_MODE = Set.copyOf(PosixFilePermissions.fromString("rwx------"));
    private static final Logger LOG = LoggerFactory.getLogger(MetadataFiles.class);

    private final ObjectMapper json = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    /** Each file's elements as last written, by identity, with their JSON. */
    private final Map<Path, Map<Object, byte[]>> written = new HashMap<>();

    /** The list in {@code file}, empty when there is no such file; the file and its directory are tightened. */
    <T> List<T> read(Path file, TypeReference<List<T>> type) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        restrict(file.getParent(), DIR_MODE);
        restrict(file, FILE_MODE);
        return json.readValue(file.toFile(), type);
    }

    /**
     * Replaces {@code file} with the JSON list of {@code records} (immutable), mode 0600, its directory made 0700
     * when missing.
     */
    void write(Path file, Collection<?> records) {
        write(file, records, true);
    }

    /**
     * {@link #write(Path, Collection)} without the fsyncs ({@link AtomicFiles#writeVolatile}): for the run root's
     * files, which a reboot makes stale in any case.
     */
    void writeVolatile(Path file, Collection<?> records) {
        write(file, records, false);
    }

    private synchronized void write(Path file, Collection<?> records, boolean durable) {
        Map<Object, byte[]> before = written.getOrDefault(file, Map.of());
        Map<Object, byte[]> now = new IdentityHashMap<>(records.size() * 2);
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + records.size() * 256);
        out.write('[');
        boolean first = true;
        try {
            for (Object r : records) {
                byte[] b = before.get(r);
                if (b == null) {
                    b = json.writeValueAsBytes(r);
                }
                if (!first) {
                    out.write(',');
                }
                first = false;
                now.put(r, b);
                out.write(b);
            }
            out.write(']');
            writeBytes(file, out.toByteArray(), durable);
        } catch (IOException e) {
            written.remove(file);
            throw new JpodException(ErrorCode.INTERNAL, "cannot write " + file + ": " + e.getMessage(), e);
        }
        written.put(file, now);
    }

    /** Replaces {@code file} with {@code data}, mode 0600, its directory made 0700 when missing. */
    static void writeBytes(Path file, byte[] data) throws IOException {
        writeBytes(file, data, true);
    }

    private static void writeBytes(Path file, byte[] data, boolean durable) throws IOException {
        directory(file.toAbsolutePath().getParent());
        if (durable) {
            AtomicFiles.write(file, data, FILE_MODE);
        } else {
            AtomicFiles.writeVolatile(file, data, FILE_MODE);
        }
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
