package io.jpod.state.sqlite.internal;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
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
            throw new JpodException(ErrorCode.INTERNAL, "cannot create the state directory " + dir + ": " + reason(e)
                    + "; make it writable or set static_dir to a writable directory");
        }
        Path lockFile = dir.resolve(LOCK_FILE);
        FileChannel channel;
        try {
            ownerOnly(lockFile);
            channel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new JpodException(ErrorCode.INTERNAL, "cannot open the state database lock file " + lockFile + ": "
                    + reason(e) + "; make " + dir + " writable or set static_dir to a writable directory");
        }
        Path file = dir.resolve(DB_FILE);
        try {
            FileLock lock = acquire(channel, file, lockWait);
            try {
                ownerOnly(file);
                Path wal = dir.resolve(DB_FILE + "-wal");
                if (Files.exists(wal)) {
                    Files.setPosixFilePermissions(wal, FILE_MODE);
                }
            } catch (IOException e) {
                throw new JpodException(ErrorCode.INTERNAL, "cannot create the state database " + file + ": "
                        + reason(e) + "; make " + dir + " writable or set static_dir to a writable directory");
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

    private static FileLock acquire(FileChannel channel, Path file, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        boolean logged = false;
        while (true) {
            try {
                FileLock lock = channel.tryLock();
                if (lock != null) {
                    return lock;
                }
            } catch (OverlappingFileLockException e) {
                // held by another state in this very process: wait as for another process
            } catch (IOException e) {
                throw new JpodException(ErrorCode.INTERNAL, "cannot lock the state database " + file + ": " + reason(e));
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new JpodException(ErrorCode.INTERNAL, "the state database " + file
                        + " is in use by another jpod service (waited " + wait.toMillis() + " ms for its lock "
                        + file.resolveSibling(LOCK_FILE) + "): stop the other service first, or set static_dir to"
                        + " another directory to run a second one");
            }
            if (!logged) {
                LOG.info("the state database {} is in use by another process; waiting up to {} ms", file, wait.toMillis());
                logged = true;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new JpodException(ErrorCode.INTERNAL, "interrupted while waiting for the state database " + file);
            }
        }
    }

    /** The OS's reason for a failed file operation, in its words where Java keeps them. */
    static String reason(IOException e) {
        String why = e instanceof FileSystemException fse ? fse.getReason() : e.getMessage();
        if (why != null) {
            return why;
        }
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof NotDirectoryException) {
            return "Not a directory";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "File exists (and is not a directory)";
        }
        return e.getClass().getSimpleName();
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
