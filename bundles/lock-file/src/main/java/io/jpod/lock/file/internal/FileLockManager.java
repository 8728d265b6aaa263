package io.jpod.lock.file.internal;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.spi.lock.LockManager;
import io.jpod.spi.lock.Locker;
import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.FileLockInterruptionException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.stream.Stream;

/**
 * libpod's file lock manager: allocating a number creates its file (atomically, so processes never
 * share a number), locking takes a POSIX lock on it. Within this JVM a semaphore per file comes first,
 * since the JVM holds POSIX locks for the whole process.
 */
final class FileLockManager implements LockManager {
    /** One guard per lock file for the whole JVM: two managers on one directory still exclude each other. */
    private static final ConcurrentHashMap<Path, Semaphore> GUARDS = new ConcurrentHashMap<>();
    static final Set<PosixFilePermission> DIR_MODE = Set.copyOf(PosixFilePermissions.fromString("rwx------"));
    static final Set<PosixFilePermission> FILE_MODE = Set.copyOf(PosixFilePermissions.fromString("rw-------"));

    private final Path dir;
    private final int numLocks;

    FileLockManager(Path dir, int numLocks) {
        this.dir = dir;
        this.numLocks = numLocks;
        try {
            Path parent = dir.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIR_MODE));
            } catch (FileAlreadyExistsException existing) {
                // made before, perhaps by an older version: tightened below
            }
        } catch (IOException e) {
            throw new JpodException(ErrorCode.INTERNAL, "cannot create the lock directory " + dir + ": " + e
                    + "; check that tmp_dir is writable");
        }
        restrict();
    }

    /**
     * Others must not take a lock (a shared one stalls every operation on the object): the directory is made
     * 0700 and its lock files 0600, where an older version made them 0755 and 0644.
     */
    private void restrict() {
        try {
            restrict(dir, DIR_MODE);
            try (Stream<Path> files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    if (isLockFile(p)) {
                        restrict(p, FILE_MODE);
                    }
                }
            }
        } catch (IOException e) {
            throw new JpodException(ErrorCode.INTERNAL, "cannot make the lock directory " + dir
                    + " and its files readable by their owner only: " + e);
        }
    }

    private static void restrict(Path p, Set<PosixFilePermission> mode) throws IOException {
        try {
            if (!Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS).equals(mode)) {
                Files.setPosixFilePermissions(p, EnumSet.copyOf(mode));
            }
        } catch (NoSuchFileException freedMeanwhile) {
            // nothing to restrict
        }
    }

    private static boolean isLockFile(Path p) {
        String n = p.getFileName().toString();
        return !n.isEmpty() && n.chars().allMatch(Character::isDigit);
    }

    /** Creates a lock number's file, mode 0600; fails if it exists. */
    private static void createLockFile(Path file) throws IOException {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE_MODE));
    }

    @Override
    public Locker allocateLock() {
        for (int i = 0; i < numLocks; i++) {
            try {
                createLockFile(file(i));
                return new FileLocker(i);
            } catch (FileAlreadyExistsException taken) {
                // allocated to someone else
            } catch (IOException e) {
                throw io("allocate a lock in " + dir, e);
            }
        }
        throw new JpodException(ErrorCode.LOCKS_EXHAUSTED, "allocation failed: all " + numLocks
                + " locks are in use; free some (remove containers, pods or volumes), or raise engine.num_locks"
                + " and run `jpod system renumber`");
    }

    @Override
    public Locker retrieveLock(int id) {
        checkRange(id);
        return new FileLocker(id);
    }

    @Override
    public Locker allocateAndRetrieveLock(int id) {
        checkRange(id);
        try {
            createLockFile(file(id));
        } catch (FileAlreadyExistsException e) {
            throw new JpodException(ErrorCode.INVALID_ARG, "lock " + id + " is already allocated");
        } catch (IOException e) {
            throw io("allocate lock " + id, e);
        }
        return new FileLocker(id);
    }

    @Override
    public void freeAllLocks() {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) {
                if (isLockFile(p)) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            throw io("free the locks in " + dir, e);
        }
    }

    @Override
    public OptionalInt availableLocks() {
        try (Stream<Path> files = Files.list(dir)) {
            long used = files.map(p -> p.getFileName().toString())
                    .filter(n -> !n.isEmpty() && n.length() < 9 && n.chars().allMatch(Character::isDigit))
                    .filter(n -> Integer.parseInt(n) < numLocks).count();
            return OptionalInt.of(numLocks - (int) used);
        } catch (IOException e) {
            throw io("count the locks in " + dir, e);
        }
    }

    @Override
    public int numLocks() {
        return numLocks;
    }

    @Override
    public void close() {
        // nothing held: each locker opens its file while locked
    }

    private Path file(int id) {
        return dir.resolve(Integer.toString(id));
    }

    private void checkRange(int id) {
        if (id < 0 || id >= numLocks) {
            throw new JpodException(ErrorCode.INVALID_ARG, "lock " + id + " is out of range: this manager has locks 0 to "
                    + (numLocks - 1));
        }
    }

    private static JpodException io(String what, IOException e) {
        return new JpodException(ErrorCode.INTERNAL, "cannot " + what + ": " + e);
    }

    private final class FileLocker implements Locker {
        private final int id;
        private final Semaphore guard;
        private FileChannel channel;
        private FileLock held;
        /** The file key of a file made by lock() for a number that had none, else null. */
        private Object madeForLock;

        FileLocker(int id) {
            this.id = id;
            this.guard = GUARDS.computeIfAbsent(file(id).toAbsolutePath().normalize(), p -> new Semaphore(1));
        }

        @Override
        public int id() {
            return id;
        }

        /**
         * Blocks until held; an interrupt does not end the wait (it is kept for the caller). A number
         * whose file is missing (freed meanwhile, or wiped with tmp_dir at boot) is locked through a
         * file made for the time it is held and deleted again on unlock, so locking never allocates.
         */
        @Override
        public void lock() {
            guard.acquireUninterruptibly();
            boolean interrupted = Thread.interrupted();
            try {
                while (true) {
                    Object temporary = null;
                    try {
                        createLockFile(file(id));
                        temporary = fileKey();
                    } catch (FileAlreadyExistsException allocated) {
                        // the usual case: lock the allocated number's file
                    }
                    FileChannel ch;
                    try {
                        ch = FileChannel.open(file(id), StandardOpenOption.WRITE);
                    } catch (NoSuchFileException freedMeanwhile) {
                        continue;
                    }
                    try {
                        FileLock l = ch.lock();
                        synchronized (this) {
                            channel = ch;
                            held = l;
                            madeForLock = temporary;
                        }
                        return;
                    } catch (ClosedByInterruptException | FileLockInterruptionException e) {
                        // the interrupt closed this channel: keep the interrupt for the caller and wait again
                        Thread.interrupted();
                        interrupted = true;
                        ch.close();
                        deleteIfSame(temporary);
                    } catch (IOException | RuntimeException e) {
                        ch.close();
                        deleteIfSame(temporary);
                        throw e;
                    }
                }
            } catch (IOException e) {
                guard.release();
                throw io("take lock " + id, e);
            } catch (RuntimeException e) {
                guard.release();
                throw e;
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public void unlock() {
            FileChannel ch;
            Object temporary;
            synchronized (this) {
                if (held == null) {
                    throw new JpodException(ErrorCode.INVALID_ARG, "lock " + id + " is not locked");
                }
                ch = channel;
                temporary = madeForLock;
                held = null;
                channel = null;
                madeForLock = null;
            }
            try {
                try {
                    // delete before closing, while still held, as free() does
                    deleteIfSame(temporary);
                } finally {
                    ch.close();
                }
            } catch (IOException e) {
                throw io("release lock " + id, e);
            } finally {
                guard.release();
            }
        }

        private Object fileKey() throws IOException {
            return Files.readAttributes(file(id), BasicFileAttributes.class).fileKey();
        }

        /** Deletes a file lock() made, unless it has been freed and allocated anew meanwhile. */
        private void deleteIfSame(Object key) throws IOException {
            if (key == null) {
                return;
            }
            try {
                if (key.equals(fileKey())) {
                    Files.deleteIfExists(file(id));
                }
            } catch (NoSuchFileException gone) {
                // freed meanwhile
            }
        }

        @Override
        public void free() {
            try {
                Files.deleteIfExists(file(id));
            } catch (IOException e) {
                throw io("free lock " + id, e);
            }
        }
    }
}
