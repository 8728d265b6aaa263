package io.jpod.state.mapdb.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The modes that keep the state database root's alone, as podman's: files 0600, the directories made for
 * them 0700. A file is made with its mode, never chmod-ed after: whoever opened it while it was readable
 * would keep reading through that descriptor.
 */
final class OwnerOnlyFiles {
    static final Set<PosixFilePermission> FILE_MODE = Set.copyOf(PosixFilePermissions.fromString("rw-------"));
    static final FileAttribute<Set<PosixFilePermission>> FILE = PosixFilePermissions.asFileAttribute(FILE_MODE);
    private static final FileAttribute<Set<PosixFilePermission>> DIRECTORY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

    private OwnerOnlyFiles() {
    }

    /** Makes {@code dir} and its missing parents 0700; one that exists keeps its mode. */
    static void directory(Path dir) throws IOException {
        Files.createDirectories(dir, DIRECTORY);
    }

    /** Makes {@code file} empty and 0600 unless it exists. */
    static void createMissing(Path file) throws IOException {
        try {
            Files.createFile(file, FILE);
        } catch (FileAlreadyExistsException e) {
            // kept as it is; tighten() sees to its mode
        }
    }

    /** Sets every regular file in {@code dir} whose name matches {@code glob} to 0600 (an older jpod made them 0644). */
    static void tighten(Path dir, String glob) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, glob)) {
            for (Path f : files) {
                if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS) && !Files.getPosixFilePermissions(f).equals(FILE_MODE)) {
                    Files.setPosixFilePermissions(f, FILE_MODE);
                }
            }
        }
    }
}
