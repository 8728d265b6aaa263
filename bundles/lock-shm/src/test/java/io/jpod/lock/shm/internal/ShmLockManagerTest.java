package io.jpod.lock.shm.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.spi.lock.LockManager;
import io.jpod.spi.lock.Locker;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

public class ShmLockManagerTest {
    private Path tmp;
    private Path segment;

    @Before
    public void setUp() throws Exception {
        tmp = Files.createTempDirectory("jpod-shm-test-");
        segment = ShmLockProvider.segmentPath(tmp.toString());
    }

    @After
    public void tearDown() throws Exception {
        Files.deleteIfExists(segment);
        Files.deleteIfExists(tmp.resolve("marker"));
        Files.deleteIfExists(tmp);
    }

    @Test
    public void segmentLivesUnderDevShmAndIsPerTmpDir() {
        assertEquals(Path.of("/dev/shm/jpod_locks"), ShmLockProvider.segmentPath("/run/jpod"));
        assertTrue(segment.startsWith("/dev/shm"));
        assertNotEquals(segment, ShmLockProvider.segmentPath(tmp + "-other"));
    }

    @Test
    public void allocatesDistinctNumbersUntilExhausted() {
        try (LockManager m = new ShmLockManager(segment, 8, false)) {
            Set<Integer> ids = new HashSet<>();
            for (int i = 0; i < 8; i++) {
                assertTrue(ids.add(m.allocateLock().id()));
            }
            assertEquals(0, m.availableLocks().getAsInt());
            try {
                m.allocateLock();
                fail();
            } catch (JpodException e) {
                assertEquals(ErrorCode.LOCKS_EXHAUSTED, e.code());
                assertTrue(e.getMessage(), e.getMessage().contains("all 8 locks"));
            }
            m.retrieveLock(3).free();
            assertEquals(3, m.allocateLock().id());
            m.freeAllLocks();
            assertEquals(8, m.availableLocks().getAsInt());
            assertEquals(5, m.allocateAndRetrieveLock(5).id());
            try {
                m.allocateAndRetrieveLock(5);
                fail();
            } catch (JpodException e) {
                assertEquals(ErrorCode.INVALID_ARG, e.code());
            }
            try {
                m.retrieveLock(8);
                fail();
            } catch (JpodException e) {
                assertTrue(e.getMessage(), e.getMessage().contains("out of range"));
            }
        }
    }

    @Test
    public void aDifferentLockCountNeedsRenumbering() {
        try (LockManager m = new ShmLockManager(segment, 8, false)) {
            m.allocateLock();
        }
        try {
            new ShmLockManager(segment, 16, false).close();
            fail();
        } catch (JpodException e) {
            assertEquals(ErrorCode.CONFIG_INVALID, e.code());
            assertTrue(e.getMessage(), e.getMessage().contains("has 8 locks but engine.num_locks is 16"));
            assertTrue(e.getMessage(), e.getMessage().contains("renumber"));
        }
        try (LockManager m = new ShmLockManager(segment, 16, true)) {
            assertEquals(16, m.availableLocks().getAsInt());
        }
        try (LockManager m = new ShmLockManager(segment, 16, false)) {
            assertEquals(16, m.numLocks());
        }
    }

    @Test
    public void excludesThreads() throws Exception {
        try (LockManager m = new ShmLockManager(segment, 4, false)) {
            Locker l = m.allocateLock();
            int[] counter = {0};
            Thread[] ts = new Thread[2];
            for (int t = 0; t < ts.length; t++) {
                ts[t] = new Thread(() -> {
                    for (int i = 0; i < 2000; i++) {
                        l.lock();
                        int v = counter[0];
                        counter[0] = v + 1;
                        l.unlock();
                    }
                });
                ts[t].start();
            }
            for (Thread t : ts) {
                t.join();
            }
            assertEquals(4000, counter[0]);

            l.lock();
            AtomicBoolean got = new AtomicBoolean();
            CountDownLatch started = new CountDownLatch(1);
            Thread waiter = new Thread(() -> {
                started.countDown();
                m.retrieveLock(l.id()).lock();
                got.set(true);
            });
            waiter.start();
            started.await();
            waiter.join(300);
            assertFalse("a second thread must wait while the lock is held", got.get());
            l.unlock();
            waiter.join();
            assertTrue(got.get());
            try {
                l.unlock();
                fail("unlocking a lock that is not held");
            } catch (JpodException e) {
                assertEquals(ErrorCode.INVALID_ARG, e.code());
            }
        }
    }

    @Test
    public void excludesAnotherProcessAndSharesAllocations() throws Exception {
        Path marker = tmp.resolve("marker");
        try (LockManager m = new ShmLockManager(segment, 8, false)) {
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), LockHolder.class.getName(), segment.toString(), "8",
                    marker.toString()).redirectErrorStream(true).start();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line = out.readLine();
                assertTrue("child said: " + line, line != null && line.startsWith("locked "));
                int childId = Integer.parseInt(line.substring(7).trim());
                Locker mine = m.allocateLock();
                assertNotEquals("allocations are shared between processes", childId, mine.id());
                Locker same = m.retrieveLock(childId);
                same.lock();
                Files.writeString(marker, "parent locked\n", StandardOpenOption.APPEND);
                same.unlock();
                assertEquals("child locked\nchild unlocking\nparent locked\n", Files.readString(marker));
                assertEquals(0, child.waitFor());
            } finally {
                child.destroyForcibly();
            }
        }
    }

    @Test
    public void anInterruptDoesNotEndTheWaitNorDropOtherLocks() throws Exception {
        try (LockManager m = new ShmLockManager(segment, 4, false)) {
            Locker l = m.allocateLock();
            l.lock();
            AtomicBoolean got = new AtomicBoolean();
            AtomicBoolean keptInterrupt = new AtomicBoolean();
            Thread waiter = new Thread(() -> {
                Locker same = m.retrieveLock(l.id());
                same.lock();
                got.set(true);
                keptInterrupt.set(Thread.interrupted());
                same.unlock();
            });
            waiter.start();
            Thread.sleep(100);
            waiter.interrupt();
            waiter.join(200);
            assertFalse("an interrupt must not hand out a held lock", got.get());
            // the segment is still usable: an interrupt must not have closed its channel
            Thread.currentThread().interrupt();
            Locker other = m.allocateLock();
            assertTrue("the caller's interrupt is kept", Thread.interrupted());
            other.lock();
            other.unlock();
            l.unlock();
            waiter.join();
            assertTrue(got.get());
            assertTrue("the interrupt is kept for the caller", keptInterrupt.get());
        }
    }

    @Test
    public void providerChecksNumLocksAndRenumbers() {
        for (int bad : new int[] {0, -1, 1_048_577}) {
            try {
                new ShmLockProvider().open(Contexts.context(tmp, bad, false));
                fail("num_locks " + bad);
            } catch (JpodException e) {
                assertEquals(ErrorCode.INVALID_ARG, e.code());
                assertEquals("num_locks must be between 1 and 1048576, got " + bad
                        + ": set engine.num_locks in jpod.conf", e.getMessage());
            }
        }
        try (LockManager m = new ShmLockProvider().open(Contexts.context(tmp, 4, false))) {
            m.allocateAndRetrieveLock(2);
            assertTrue(Files.exists(segment));
        }
        try (LockManager m = new ShmLockProvider().open(Contexts.context(tmp, 4, false))) {
            assertEquals("allocations survive reopening", 3, m.availableLocks().getAsInt());
        }
        try {
            new ShmLockProvider().open(Contexts.context(tmp, 6, false)).close();
            fail();
        } catch (JpodException e) {
            assertEquals("lock segment " + segment + " has 4 locks but engine.num_locks is 6: run `jpod system renumber`"
                    + " to resize it", e.getMessage());
        }
        try (LockManager m = new ShmLockProvider().open(Contexts.context(tmp, 6, true))) {
            assertEquals(6, m.availableLocks().getAsInt());
        }
        assertTrue("close keeps the segment for other processes", Files.exists(segment));
    }

    /** Child process: allocates and takes a lock, reports it, writes the marker, then releases. */
    public static final class LockHolder {
        public static void main(String[] args) throws Exception {
            try (LockManager m = new ShmLockManager(Path.of(args[0]), Integer.parseInt(args[1]), false)) {
                Locker l = m.allocateLock();
                l.lock();
                Files.writeString(Path.of(args[2]), "child locked\n");
                System.out.println("locked " + l.id());
                System.out.flush();
                Thread.sleep(500);
                Files.writeString(Path.of(args[2]), "child unlocking\n", StandardOpenOption.APPEND);
                l.unlock();
            }
        }
    }
}
