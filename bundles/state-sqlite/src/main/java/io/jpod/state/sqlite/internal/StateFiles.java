package io.jpod.state.sqlite.internal;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.state.memory.internal.DatabaseErrors;
import io.jpod.state.memory.internal.DatabaseLock;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files of the database in the static directory: the directory (made 0700 when it is missing), the database
 * file (0600; SQLite gives its -wal and -journal files the database file's mode) and the lock file whose exclusive
 * lock makes this process the only one that opens the database.
 */
final class StateFiles implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StateFiles.class);

    static final String DB_FILE = "jpod.sqlite";
    static final String LOCK_FILE = "jpod.sqlite.lock";
    static final Set<PosixFilePermission> FILE_MODE = Set.copyOf(PosixFilePermissions.fromString("rw-------"));
    static final Set<PosixFilePermission> DIR_MODE = Set.copyOf(PosixFilePermissions.fromString("rwx------"));

    private final Path file;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private StateFiles(Path file, FileChannel lockChannel, FileLock lock) {
        this.file = file;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** The database file. */
    Path file() {
        return file;
    }

    /** Makes the directory and the files, waits up to {@code lockWait} for the lock, and holds it until closed. */
    static StateFiles claim(Path staticDir, Duration lockWait) {
        Path dir = staticDir.toAbsolutePath();
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIR_MODE));
            }
        } catch (IOException e) {
            throw DatabaseErrors.cannotCreateDir(dir, e);
        }
        Path lockFile = dir.resolve(LOCK_FILE);
        FileChannel channel;
        try {
            ownerOnly(lockFile);
            channel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw DatabaseErrors.cannotOpenLock(lockFile, dir, e);
        }
        Path file = dir.resolve(DB_FILE);
        try {
            FileLock lock = DatabaseLock.acquire(channel, file, lockFile, lockWait);
            try {
                ownerOnly(file);
                Path wal = dir.resolve(DB_FILE + "-wal");
                if (Files.exists(wal)) {
                    Files.setPosixFilePermissions(wal, FILE_MODE);
                }
            } catch (IOException e) {
                throw new JpodException(ErrorCode.INTERNAL, "cannot create the state database " + file + ": "
                        + DatabaseErrors.reason(e) + "; make " + dir + " writable or set static_dir to a writable directory");
            }
            return new StateFiles(file, channel, lock);
        } catch (RuntimeException | Error e) {
            try {
                channel.close(); // releases the lock too
            } catch (IOException c) {
                e.addSuppressed(c);
            }
            throw e;
        }
    }

    /** Creates {@code f} as 0600, or takes any access but the owner's from the one there. */
    private static void ownerOnly(Path f) throws IOException {
        try {
            Files.createFile(f, PosixFilePermissions.asFileAttribute(FILE_MODE));
        } catch (FileAlreadyExistsException e) {
            if (!Files.getPosixFilePermissions(f).equals(FILE_MODE) && Files.isRegularFile(f)) {
                Files.setPosixFilePermissions(f, FILE_MODE);
            }
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            LOG.warn("releasing the lock of the state database {} failed", file, e);
        }
    }
}
