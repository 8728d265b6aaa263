package io.jpod.events.file.internal;

import io.jpod.api.ErrorCode;
import io.jpod.api.Event;
import io.jpod.api.JpodException;
import io.jpod.spi.events.EventFilters;
import io.jpod.api.EventReadOptions;
import io.jpod.spi.events.Eventer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.FileLockInterruptionException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Events as JSON lines in one file, as libpod's EventLogFile.
 *
 * <p><b>Writing.</b> Every write holds, in this order, a lock of this JVM for the file's path and an
 * exclusive {@link FileLock} on {@code <file>.lock} (libpod also locks {@code <file>.lock}); under both
 * it rotates if needed and appends the whole line with one write to a file opened with O_APPEND. So
 * lines of two threads or two processes never interleave. A write fails with
 * {@link JpodException} ({@link ErrorCode#INTERNAL}) when the file cannot be written; callers log it,
 * as libpod's callers of Eventer.Write do.
 *
 * <p><b>Rotation.</b> When {@code maxSize > 0} and appending a line would take a non-empty file past
 * {@code maxSize} bytes, the file is renamed to {@code <file>.1} (replacing an older one) and a new
 * file is started, whose first line is a {@code system} event {@code log-rotation} (libpod's Rotate
 * status). So at most about {@code 2 * maxSize} bytes are kept: the events of {@code <file>.1} and of
 * the file. (libpod instead truncates the file to its newer half; renaming keeps every line whole
 * without rewriting the file under the lock.)
 *
 * <p><b>Reading.</b> Opens {@code <file>.1} and the file under the lock, then reads them without it:
 * first {@code <file>.1}, then the file. Lines that are not events are skipped with a debug message.
 * With follow it then polls the file every {@value #POLL_MILLIS} ms; when it has been rotated it reads
 * the rest of the old one and goes on with the new one (two rotations within one poll would skip the
 * middle file). It returns when the sink returns false, when {@code until} has passed or when the
 * eventer is closed; when the thread is interrupted it throws {@link InterruptedException}.
 */
final class FileEventer implements Eventer {
    static final String ROTATED_SUFFIX = ".1";
    static final String LOCK_SUFFIX = ".lock";
    /** The events file, its rotated part and its lock are root's only, as the rest of the state. */
    static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> DIRECTORY_MODE = PosixFilePermissions.fromString("rwx------");
    private static final FileAttribute<Set<PosixFilePermission>> FILE_ATTRIBUTE =
            PosixFilePermissions.asFileAttribute(FILE_MODE);
    private static final Set<StandardOpenOption> APPEND =
            Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    /** libpod's events.Rotate */
    static final String ROTATE_STATUS = "log-rotation";
    static final long POLL_MILLIS = 100;

    private static final Logger LOG = LoggerFactory.getLogger(FileEventer.class);
    private static final Map<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

    private final Path path;
    private final Path rotated;
    private final Path lockFile;
    private final long maxSize;
    private final ReentrantLock jvmLock;
    private volatile boolean closed;

    FileEventer(Path file, long maxSize) {
        this.path = file.toAbsolutePath().normalize();
        this.rotated = path.resolveSibling(path.getFileName() + ROTATED_SUFFIX);
        this.lockFile = path.resolveSibling(path.getFileName() + LOCK_SUFFIX);
        this.maxSize = maxSize;
        this.jvmLock = JVM_LOCKS.computeIfAbsent(path, p -> new ReentrantLock());
        try {
            if (!Files.isDirectory(path.getParent())) {
                Files.createDirectories(path.getParent(), PosixFilePermissions.asFileAttribute(DIRECTORY_MODE));
            }
            // written before files were created root-only: events name containers and images
            for (Path p : new Path[] {path, rotated, lockFile}) {
                if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                    Files.setPosixFilePermissions(p, FILE_MODE);
                }
            }
        } catch (IOException ex) {
            throw new JpodException(ErrorCode.CONFIG_INVALID, "cannot create the directory of the events file "
                    + path + " (engine.events_logfile_path): " + ex, ex);
        }
    }

    Path path() {
        return path;
    }

    @Override
    public String name() {
        return "file";
    }

    @Override
    public void close() {
        closed = true;
    }

    // ---------------------------------------------------------------- writing

    @Override
    public void write(Event event) {
        Objects.requireNonNull(event, "event");
        byte[] line = EventJson.toLine(event);
        // An interrupted thread would have the lock's channel closed under it: write first, then
        // hand the interrupt back.
        boolean interrupted = Thread.interrupted();
        try {
            locked(() -> {
                rotateIfNeeded(line.length);
                append(line);
                return null;
            });
        } catch (IOException ex) {
            throw new JpodException(ErrorCode.INTERNAL, "cannot write event to " + path + ": " + ex, ex);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void append(byte[] line) throws IOException {
        try (OutputStream out = Channels.newOutputStream(Files.newByteChannel(path, APPEND, FILE_ATTRIBUTE))) {
            out.write(line);
        }
    }

    private void rotateIfNeeded(int lineLength) throws IOException {
        if (maxSize <= 0) {
            return;
        }
        long size;
        try {
            size = Files.size(path);
        } catch (NoSuchFileException ex) {
            return;
        }
        if (size == 0 || size + lineLength <= maxSize) {
            return;
        }
        Files.move(path, rotated, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        LOG.info("rotated the events file {} ({} bytes, events_logfile_max_size {}) to {}", path, size, maxSize,
                rotated);
        append(EventJson.toLine(new Event(Event.Type.SYSTEM, ROTATE_STATUS, Instant.now(), null, null, null, null,
                Map.of("io.jpod.event.rotated", rotated.toString()))));
    }

    private interface IOAction<T> {
        T run() throws IOException;
    }

    private <T> T locked(IOAction<T> action) throws IOException {
        jvmLock.lock();
        try (FileChannel lc = FileChannel.open(lockFile, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                FILE_ATTRIBUTE)) {
            FileLock fileLock = lc.lock();
            try {
                return action.run();
            } finally {
                fileLock.release();
            }
        } finally {
            jvmLock.unlock();
        }
    }

    // ---------------------------------------------------------------- reading

    @Override
    public void read(EventReadOptions options, Predicate<Event> sink) throws InterruptedException {
        Predicate<Event> filter = EventFilters.of(options);
        Tail older = null;
        Tail current = null;
        try {
            Tail[] opened = lockedForRead(() -> new Tail[] {Tail.open(rotated), Tail.open(path)});
            older = opened[0];
            current = opened[1];
            Consumer consumer = new Consumer(filter, sink);
            if (older != null) {
                boolean more = older.pump(consumer);
                older.close();
                older = null;
                if (!more) {
                    return;
                }
            }
            if (current != null && !current.pump(consumer)) {
                return;
            }
            if (!options.follow()) {
                return;
            }
            follow(current, options, consumer);
            current = null; // closed by follow
        } catch (ClosedByInterruptException | FileLockInterruptionException ex) {
            Thread.interrupted();
            throw new InterruptedException("reading events from " + path + " was interrupted");
        } catch (IOException ex) {
            throw new JpodException(ErrorCode.INTERNAL, "cannot read events from " + path + ": " + ex, ex);
        } finally {
            closeQuietly(older);
            closeQuietly(current);
        }
    }

    private void follow(Tail start, EventReadOptions options, Consumer consumer)
            throws IOException, InterruptedException {
        Tail current = start;
        try {
            while (!closed) {
                if (current == null) {
                    current = lockedForRead(() -> Tail.open(path));
                }
                if (current != null) {
                    if (!current.pump(consumer)) {
                        return;
                    }
                    Object key = fileKey(path);
                    if (!Objects.equals(key, current.key)) {
                        // rotated (or removed): what was appended to the old file before is still ours
                        boolean more = current.pump(consumer);
                        current.close();
                        current = null;
                        if (!more) {
                            return;
                        }
                        LOG.debug("events file {} was rotated; following the new one", path);
                        continue;
                    }
                    current.checkTruncated();
                }
                if (options.until() != null && Instant.now().isAfter(options.until())) {
                    return;
                }
                if (Thread.interrupted()) {
                    throw new InterruptedException("following events in " + path + " was interrupted");
                }
                Thread.sleep(POLL_MILLIS);
            }
        } finally {
            closeQuietly(current);
        }
    }

    private <T> T lockedForRead(IOAction<T> action) throws IOException, InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("reading events from " + path + " was interrupted");
        }
        return locked(action);
    }

    private static Object fileKey(Path p) throws IOException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class).fileKey();
        } catch (NoSuchFileException ex) {
            return null;
        }
    }

    private static void closeQuietly(Tail t) {
        if (t != null) {
            t.close();
        }
    }

    /** Turns lines into events, filters them and hands them to the sink. */
    private static final class Consumer {
        private final Predicate<Event> filter;
        private final Predicate<Event> sink;

        Consumer(Predicate<Event> filter, Predicate<Event> sink) {
            this.filter = filter;
            this.sink = sink;
        }

        /** False when the sink wants no more. */
        boolean line(Path file, String line) {
            if (line.isBlank()) {
                return true;
            }
            Event e;
            try {
                e = EventJson.parse(line);
            } catch (IllegalArgumentException ex) {
                LOG.debug("skipping a line of {} that is not an event ({}): {}", file, ex.getMessage(),
                        line.length() > 200 ? line.substring(0, 200) + "..." : line);
                return true;
            }
            return !filter.test(e) || sink.test(e);
        }
    }

    /** An open events file read line by line from where the last read ended. */
    private static final class Tail {
        final Path file;
        final FileChannel channel;
        final Object key;
        private final ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

        private Tail(Path file, FileChannel channel, Object key) {
            this.file = file;
            this.channel = channel;
            this.key = key;
        }

        /** The file opened for reading with its file key, or null if it does not exist. */
        static Tail open(Path file) throws IOException {
            FileChannel ch;
            try {
                ch = FileChannel.open(file, StandardOpenOption.READ);
            } catch (NoSuchFileException ex) {
                return null;
            }
            try {
                return new Tail(file, ch, fileKey(file));
            } catch (IOException | RuntimeException ex) {
                ch.close();
                throw ex;
            }
        }

        /** Hands every complete line up to the end of the file to the consumer; false when it wants no more. */
        boolean pump(Consumer c) throws IOException {
            while (true) {
                buf.clear();
                int n = channel.read(buf);
                if (n <= 0) {
                    return true;
                }
                byte[] a = buf.array();
                int start = 0;
                for (int i = 0; i < n; i++) {
                    if (a[i] == '\n') {
                        partial.write(a, start, i - start);
                        String line = partial.toString(StandardCharsets.UTF_8);
                        partial.reset();
                        start = i + 1;
                        if (!c.line(file, line)) {
                            return false;
                        }
                    }
                }
                partial.write(a, start, n - start);
            }
        }

        /** Starts over if the file was truncated below what was read. */
        void checkTruncated() throws IOException {
            if (channel.size() < channel.position()) {
                LOG.debug("events file {} was truncated; reading it from the start", file);
                channel.position(0);
                partial.reset();
            }
        }

        void close() {
            try {
                channel.close();
            } catch (IOException ex) {
                LOG.debug("closing {}: {}", file, ex.toString());
            }
        }
    }
}
