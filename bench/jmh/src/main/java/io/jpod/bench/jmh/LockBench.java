package io.jpod.bench.jmh;

import io.jpod.lock.file.internal.FileLockProvider;
import io.jpod.lock.shm.internal.ShmLockProvider;
import io.jpod.spi.lock.LockManager;
import io.jpod.spi.lock.LockProvider;
import io.jpod.spi.lock.Locker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * The lock managers: acquire + release of one numbered lock, uncontended, by 2 threads of this JVM, and
 * against a second process ({@link LockHammer}) that takes and releases the same lock in a loop.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class LockBench {
    static final int NUM_LOCKS = 64;

    @State(Scope.Benchmark)
    public static class Locks {
        @Param({"file", "shm"})
        public String kind;

        Path dir;
        LockManager manager;
        Locker locker;
        Process hammer;

        void open() {
            dir = Fixtures.tempDir("locks-" + kind);
            manager = provider(kind).open(Fixtures.context(kind, dir, NUM_LOCKS));
            locker = manager.allocateLock();
        }

        void close() {
            if (hammer != null) {
                hammer.destroy();
                try {
                    hammer.waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                hammer.destroyForcibly();
            }
            locker.free();
            manager.close();
            if ("shm".equals(kind)) { // the segment of this private tmp dir
                try {
                    Files.deleteIfExists(ShmLockProvider.segmentPath(dir.resolve("run").toString()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            Fixtures.delete(dir);
        }
    }

    static LockProvider provider(String kind) {
        return "shm".equals(kind) ? new ShmLockProvider() : new FileLockProvider();
    }

    /** Uncontended and 2-thread states. */
    @State(Scope.Benchmark)
    public static class InProcess extends Locks {
        @Setup(Level.Trial)
        public void setUp() {
            open();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            close();
        }
    }

    /** A second process holds and releases the same lock in a loop while this one measures. */
    @State(Scope.Benchmark)
    public static class TwoProcesses extends Locks {
        @Setup(Level.Trial)
        public void setUp() throws Exception {
            open();
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            hammer = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), LockHammer.class.getName(),
                    kind, dir.toString(), Integer.toString(NUM_LOCKS), Integer.toString(locker.id()))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.PIPE).start();
            // wait until it holds the lock once
            int b = hammer.getInputStream().read();
            if (b != 'R') {
                throw new IllegalStateException("the lock hammer did not start (exit " + (hammer.isAlive() ? "?"
                        : hammer.exitValue()) + ")");
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            close();
        }
    }

    @Benchmark
    @Threads(1)
    public void uncontended(InProcess s) {
        s.locker.lock();
        s.locker.unlock();
    }

    @Benchmark
    @Threads(2)
    public void twoThreads(InProcess s) {
        s.locker.lock();
        s.locker.unlock();
    }

    @Benchmark
    @Threads(1)
    public void twoProcesses(TwoProcesses s) {
        s.locker.lock();
        s.locker.unlock();
    }
}
