package io.jpod.lock.shm.internal;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.spi.lock.LockManager;
import io.jpod.spi.lock.Locker;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The segment: a 64-byte header (magic, version, lock count), an allocation bitmap, then one byte
 * per lock whose POSIX byte-range lock is the lock between processes. Within this JVM a semaphore
 * per lock comes first. All managers of one JVM share one channel per segment, since closing any
 * channel of a file drops every POSIX lock the process holds on it.
 */
final class ShmLockManager implements LockManager {
    static final long MAGIC = 0x4A504F444C4F434BL; // "JPODLOCK"
    static final int VERSION = 1;
    static final int HEADER = 64;
    /** The segment's mode: only its owner may lock, read or write it. */
    static final Set<PosixFilePermission> MODE = Set.copyOf(PosixFilePermissions.fromString("rw-------"));

    private static final Map<Path, Segment> SEGMENTS = new HashMap<>();
    private static final ConcurrentHashMap<String, Semaphore> GUARDS = new ConcurrentHashMap<>();

    private final Path path;
    private final int numLocks;
    private final Segment segment;
    private boolean closed;

    ShmLockManager(Path path, int numLocks, boolean renumber) {
        this.path = path;
        this.numLocks = numLocks;
        this.segment = Segment.acquire(path);
        try {
            segment.init(numLocks, renumber);
        } catch (RuntimeException e) {
            Segment.release(segment);
            throw e;
        }
    }

    static int bitmapBytes(int n) {
        return (n + 7) / 8;
    }

    static long lockOffset(int n, int id) {
        long base = HEADER + bitmapBytes(n);
        return ((base + 7) & ~7L) + id;
    }

    @Override
    public Locker allocateLock() {
        return segment.underHeaderLock(() -> {
            byte[] bits = segment.readBitmap(numLocks);
            for (int i = 0; i < numLocks; i++) {
                if ((bits[i >> 3] & (1 << (i & 7))) == 0) {
                    segment.setBit(i, true);
                    return new ShmLocker(i);
                }
            }
            throw new JpodException(ErrorCode.LOCKS_EXHAUSTED, "allocation failed: all " + numLocks
                    + " locks in " + path + " are in use; free some (remove containers, pods or volumes), or raise"
                    + " engine.num_locks and run `jpod system renumber`");
        });
    }

    @Override
    public Locker retrieveLock(int id) {
        checkRange(id);
        return new ShmLocker(id);
    }

    @Override
    public Locker allocateAndRetrieveLock(int id) {
        checkRange(id);
        return segment.underHeaderLock(() -> {
            byte[] bits = segment.readBitmap(numLocks);
            if ((bits[id >> 3] & (1 << (id & 7))) != 0) {
                throw new JpodException(ErrorCode.INVALID_ARG, "lock " + id + " is already allocated");
            }
            segment.setBit(id, true);
            return new ShmLocker(id);
        });
    }

    @Override
    public void freeAllLocks() {
        segment.underHeaderLock(() -> {
            segment.write(ByteBuffer.allocate(bitmapBytes(numLocks)), HEADER);
            return null;
        });
    }

    @Override
    public OptionalInt availableLocks() {
        return segment.underHeaderLock(() -> {
            byte[] bits = segment.readBitmap(numLocks);
            int used = 0;
            for (int i = 0; i < numLocks; i++) {
                if ((bits[i >> 3] & (1 << (i & 7))) != 0) {
                    used++;
                }
            }
            return OptionalInt.of(numLocks - used);
        });
    }

    @Override
    public int numLocks() {
        return numLocks;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            Segment.release(segment);
        }
    }

    private void checkRange(int id) {
        if (id < 0 || id >= numLocks) {
            throw new JpodException(ErrorCode.INVALID_ARG, "lock " + id + " is out of range: " + path + " has locks 0 to "
                    + (numLocks - 1));
        }
    }

    private final class ShmLocker implements Locker {
        private final int id;
        private final Semaphore guard;
        private FileLock held;

        ShmLocker(int id) {
            this.id = id;
            this.guard = GUARDS.computeIfAbsent(path + "#" + id, k -> new Semaphore(1));
        }

        @Override
        public int id() {
            return id;
        }

        @Override
        public void lock() {
            guard.acquireUninterruptibly();
            try {
                FileLock l = segment.io(() -> segment.channel.lock(lockOffset(numLocks, id), 1, false));
                synchronized (this) {
                    held = l;
                }
            } catch (IOException | RuntimeException e) {
                guard.release();
                throw new JpodException(ErrorCode.INTERNAL, "cannot take lock " + id + " in " + path + ": " + e);
            }
        }

        @Override
        public void unlock() {
            FileLock l;
            synchronized (this) {
                if (held == null) {
                    throw new JpodException(ErrorCode.INVALID_ARG, "lock " + id + " is not locked");
                }
                l = held;
                held = null;
            }
            try {
                segment.io(() -> {
                    l.release();
                    return null;
                });
            } catch (IOException | RuntimeException e) {
                throw new JpodException(ErrorCode.INTERNAL, "cannot release lock " + id + " in " + path + ": " + e);
            } finally {
                guard.release();
            }
        }

        @Override
        public void free() {
            segment.underHeaderLock(() -> {
                segment.setBit(id, false);
                return null;
            });
        }
    }

    /** One open segment file per JVM, counted. */
    static final class Segment {
        final Path path;
        final FileChannel channel;
        private final Semaphore headerGuard = new Semaphore(1);
        /**
         * Every operation on the channel runs on these threads, never on a caller's: an interrupt of a
         * thread inside a channel operation closes the channel, which would drop every lock this JVM
         * holds on the segment. Callers wait for them uninterruptibly and keep their interrupt.
         */
        private final ExecutorService ioThreads;
        private int users;

        private Segment(Path path, FileChannel channel) {
            this.path = path;
            this.channel = channel;
            AtomicInteger count = new AtomicInteger();
            this.ioThreads = Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "jpod-shm-lock-" + count.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }

        /** Runs {@code body} on an I/O thread and waits for it; an interrupt does not end the wait. */
        <T> T io(Body<T> body) throws IOException {
            Future<T> f;
            try {
                f = ioThreads.submit(body::run);
            } catch (RejectedExecutionException e) {
                throw new ClosedChannelException();
            }
            boolean interrupted = false;
            try {
                while (true) {
                    try {
                        return f.get();
                    } catch (InterruptedException e) {
                        interrupted = true;
                    } catch (ExecutionException e) {
                        Throwable c = e.getCause();
                        if (c instanceof IOException io) {
                            throw io;
                        }
                        if (c instanceof RuntimeException re) {
                            throw re;
                        }
                        if (c instanceof Error err) {
                            throw err;
                        }
                        throw new IOException(c);
                    }
                }
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        static Segment acquire(Path path) {
            synchronized (SEGMENTS) {
                Segment s = SEGMENTS.get(path);
                if (s == null) {
                    try {
                        s = new Segment(path, FileChannel.open(path, Set.of(StandardOpenOption.CREATE,
                                StandardOpenOption.READ, StandardOpenOption.WRITE), PosixFilePermissions
                                .asFileAttribute(MODE)));
                    } catch (IOException e) {
                        throw new JpodException(ErrorCode.INTERNAL, "cannot open the lock segment " + path + ": " + e
                                + "; check that /dev/shm is mounted and writable");
                    }
                    restrict(s);
                    SEGMENTS.put(path, s);
                }
                s.users++;
                return s;
            }
        }

        /**
         * A segment that an older version made 0644 lets any local user hold a lock byte and stall the engine:
         * it is made 0600 (its owner, root, only).
         */
        private static void restrict(Segment s) {
            try {
                if (!Files.getPosixFilePermissions(s.path).equals(MODE)) {
                    Files.setPosixFilePermissions(s.path, EnumSet.copyOf(MODE));
                }
            } catch (IOException e) {
                s.ioThreads.shutdown();
                try {
                    s.channel.close();
                } catch (IOException ignored) {
                    // failing anyway
                }
                throw new JpodException(ErrorCode.INTERNAL, "cannot make the lock segment " + s.path
                        + " readable by its owner only: " + e + "; remove it while no engine runs");
            }
        }

        static void release(Segment s) {
            synchronized (SEGMENTS) {
                if (--s.users == 0) {
                    SEGMENTS.remove(s.path);
                    s.ioThreads.shutdown();
                    try {
                        s.channel.close();
                    } catch (IOException ignored) {
                        // the segment stays for other processes
                    }
                }
            }
        }

        /** Creates the segment when new; checks its size against num_locks, or resizes it when renumbering. */
        void init(int numLocks, boolean renumber) {
            underHeaderLock(() -> {
                ByteBuffer h = ByteBuffer.allocate(16);
                read(h, 0);
                h.flip();
                boolean fresh = h.remaining() < 16 || h.getLong(0) != MAGIC;
                int existing = fresh ? 0 : h.getInt(12);
                if (!fresh && existing != numLocks && !renumber) {
                    throw new JpodException(ErrorCode.CONFIG_INVALID, "lock segment " + path + " has " + existing
                            + " locks but engine.num_locks is " + numLocks
                            + ": run `jpod system renumber` to resize it");
                }
                if (fresh || existing != numLocks) {
                    channel.truncate(0);
                    ByteBuffer header = ByteBuffer.allocate(HEADER);
                    header.putLong(MAGIC).putInt(VERSION).putInt(numLocks).rewind();
                    write(header, 0);
                    write(ByteBuffer.allocate(bitmapBytes(numLocks)), HEADER);
                    write(ByteBuffer.allocate(1), lockOffset(numLocks, numLocks - 1));
                    channel.force(true);
                }
                return null;
            });
        }

        byte[] readBitmap(int numLocks) throws IOException {
            ByteBuffer b = ByteBuffer.allocate(bitmapBytes(numLocks));
            read(b, HEADER);
            return b.array();
        }

        void setBit(int id, boolean on) throws IOException {
            ByteBuffer b = ByteBuffer.allocate(1);
            read(b, HEADER + (id >> 3));
            byte v = b.get(0);
            v = (byte) (on ? v | (1 << (id & 7)) : v & ~(1 << (id & 7)));
            write(ByteBuffer.wrap(new byte[] {v}), HEADER + (id >> 3));
            channel.force(false);
        }

        void read(ByteBuffer b, long pos) throws IOException {
            while (b.hasRemaining()) {
                if (channel.read(b, pos + b.position()) < 0) {
                    break;
                }
            }
        }

        void write(ByteBuffer b, long pos) throws IOException {
            while (b.hasRemaining()) {
                channel.write(b, pos + b.position());
            }
        }

        interface Body<T> {
            T run() throws IOException;
        }

        /** The header's byte-range lock serialises allocation between processes; the guard within this JVM. */
        <T> T underHeaderLock(Body<T> body) {
            headerGuard.acquireUninterruptibly();
            try {
                return io(() -> {
                    FileLock header = channel.lock(0, HEADER, false);
                    try {
                        return body.run();
                    } finally {
                        header.release();
                    }
                });
            } catch (IOException e) {
                throw new JpodException(ErrorCode.INTERNAL, "cannot use the lock segment " + path + ": " + e);
            } finally {
                headerGuard.release();
            }
        }
    }
}
