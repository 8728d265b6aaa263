package io.jpod.lock.shm.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.lock.contract.AbstractLockManagerContractTest;
import io.jpod.spi.lock.LockManager;
import io.jpod.spi.lock.Locker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

public class ShmLockManagerTest extends AbstractLockManagerContractTest {
    private Path tmp;
    private Path segment;

    @Before
    public void setUp() throws Exception {
        tmp = Files.createTempDirectory("jpod-shm-test-");
        segment = ShmLockProvider.segmentPath(tmp.toString());
    }

    @Override
    protected LockManager open(int numLocks) {
        return new ShmLockManager(segment, numLocks, false);
    }

    @Override
    protected String location() {
        return segment.toString();
    }

    @Override
    protected String exhaustedMessage() {
        return "all 8 locks";
    }

    @Override
    protected Class<?> holderClass() {
        return LockHolder.class;
    }

    @After
    public void tearDown() throws Exception {
        Files.deleteIfExists(segment);
        Files.deleteIfExists(tmp.resolve("marker"));
        Files.deleteIfExists(tmp);
    }

    @Test
    public void theSegmentIsForItsOwnerOnly() throws Exception {
        try (LockManager m = open(4)) {
            m.allocateLock();
            assertEquals("rw-------", mode(segment));
        }
        // what an older version left: any local user could take a shared lock and stall the engine
        Files.setPosixFilePermissions(segment, PosixFilePermissions.fromString("rw-r--r--"));
        try (LockManager m = open(4)) {
            assertEquals("rw-------", mode(segment));
            assertEquals(3, m.availableLocks().getAsInt());
        }
    }

    private static String mode(Path p) throws java.io.IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    public void segmentLivesUnderDevShmAndIsPerTmpDir() {
        assertEquals(Path.of("/dev/shm/jpod_locks"), ShmLockProvider.segmentPath("/run/jpod"));
        assertTrue(segment.startsWith("/dev/shm"));
        assertNotEquals(segment, ShmLockProvider.segmentPath(tmp + "-other"));
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

    /** The second process of the contract test. */
    public static final class LockHolder {
        public static void main(String[] args) throws Exception {
            try (LockManager m = new ShmLockManager(Path.of(args[0]), Integer.parseInt(args[1]), false)) {
                hold(m, Path.of(args[2]));
            }
        }
    }
}
