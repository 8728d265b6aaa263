package io.jpod.launcher;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The framework's bundle cache, one per running service. Felix cleans its storage when it starts: a second service
 * of the same install (another jpod.conf, another socket) would wipe the first one's cache under it. The first takes
 * the install's cache and holds a lock on it for its life; another takes a cache of its own next to it, named by its
 * process ID, which the next owner of the install's cache removes once that process is gone.
 */
final class FrameworkStorage {
    private static FileChannel held;

    private FrameworkStorage() {
    }

    /** The directory this process's framework keeps its bundles in, given the configured one. */
    static synchronized Path choose(Path configured) throws IOException {
        Path parent = configured.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path lockFile = parent.resolve(configured.getFileName() + ".lock");
        FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            Files.setPosixFilePermissions(lockFile, PosixFilePermissions.fromString("rw-------"));
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException inThisProcess) {
                lock = null;
            }
            if (lock != null) {
                held = ch;
                removeStale(parent, configured.getFileName().toString());
                return configured;
            }
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        ch.close();
        Path own = parent.resolve(configured.getFileName() + "-" + ProcessHandle.current().pid());
        System.err.println("jpod-service: another service of this install uses " + configured + "; this one keeps its"
                + " bundles in " + own);
        return own;
    }

    /** The caches of services of this install that are gone. */
    private static void removeStale(Path parent, String name) throws IOException {
        try (Stream<Path> entries = Files.list(parent)) {
            for (Path p : entries.toList()) {
                String n = p.getFileName().toString();
                if (n.startsWith(name + "-") && n.substring(name.length() + 1).matches("\\d+")
                        && ProcessHandle.of(Long.parseLong(n.substring(name.length() + 1))).isEmpty()) {
                    deleteTree(p);
                }
            }
        }
    }

    static void deleteTree(Path p) throws IOException {
        try (Stream<Path> all = Files.walk(p)) {
            for (Path x : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(x);
            }
        }
    }
}
