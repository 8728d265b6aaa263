package io.jpod.lock.file.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
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

public class FileLockManagerTest extends AbstractLockManagerContractTest {
    private Path tmp;
    private Path locks;

    @Before
    public void setUp() throws Exception {
        tmp = Files.createTempDirectory("jpod-lock-file-test-");
        locks = tmp.resolve("locks");
    }

    @Override
    protected LockManager open(int numLocks) {
        return new FileLockManager(locks, numLocks);
    }

    @Override
    protected String location() {
        return locks.toString();
    }

    @Override
    protected String exhaustedMessage() {
        return "all 8 locks are in use";
    }

    @Override
    protected Class<?> holderClass() {
        return LockHolder.class;
    }

    @After
    public void tearDown() throws Exception {
        try (var walk = Files.walk(tmp)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Test
    public void theLockFilesAreForTheirOwnerOnly() throws Exception {
        try (LockManager m = open(8)) {
            Locker allocated = m.allocateLock();
            m.allocateAndRetrieveLock(5);
            // a number without a file is locked through a file made for the time it is held
            Locker unallocated = m.retrieveLock(7);
            unallocated.lock();
            try {
                assertEquals("rwx------", mode(locks));
                for (int id : new int[] {allocated.id(), 5, 7}) {
                    assertEquals("lock file " + id, "rw-------", mode(locks.resolve(Integer.toString(id))));
                }
            } finally {
                unallocated.unlock();
            }
        }
        // what an older version left: any local user could take a shared lock and stall the engine
        Files.setPosixFilePermissions(locks, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(locks.resolve("5"), PosixFilePermissions.fromString("rw-r--r--"));
        try (LockManager m = open(8)) {
            assertEquals("rwx------", mode(locks));
            assertEquals("rw-------", mode(locks.resolve("5")));
            assertEquals(6, m.availableLocks().getAsInt());
        }
    }

    private static String mode(Path p) throws java.io.IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    public void oneFilePerAllocatedNumber() {
        try (LockManager m = new FileLockManager(locks, 8)) {
            Locker l = m.allocateLock();
            assertTrue(Files.exists(locks.resolve(Integer.toString(l.id()))));
            l.free();
            assertFalse(Files.exists(locks.resolve(Integer.toString(l.id()))));
            // retrieving and locking a number that is not allocated (tmp_dir wiped at boot) does not allocate it
            Locker unallocated = m.retrieveLock(l.id());
            unallocated.lock();
            assertTrue(Files.exists(locks.resolve(Integer.toString(l.id()))));
            unallocated.unlock();
            assertFalse("locking must not allocate", Files.exists(locks.resolve(Integer.toString(l.id()))));
            assertEquals(8, m.availableLocks().getAsInt());
        }
    }

    @Test
    public void anInterruptDoesNotEndTheWaitNorDropTheLock() throws Exception {
        try (LockManager m = new FileLockManager(locks, 4)) {
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
            l.unlock();
            waiter.join();
            assertTrue(got.get());
            assertTrue("the interrupt is kept for the caller", keptInterrupt.get());
        }
    }

    @Test
    public void providerChecksNumLocks() {
        for (int bad : new int[] {0, -1, 1_048_577}) {
            try {
                new FileLockProvider().open(Contexts.context(tmp, bad, false));
                fail("num_locks " + bad);
            } catch (JpodException e) {
                assertEquals(ErrorCode.INVALID_ARG, e.code());
                assertEquals("num_locks must be between 1 and 1048576, got " + bad
                        + ": set engine.num_locks in jpod.conf", e.getMessage());
            }
        }
        try (LockManager m = new FileLockProvider().open(Contexts.context(tmp, 3, false))) {
            assertEquals(3, m.numLocks());
            assertEquals(0, m.allocateLock().id());
            assertTrue(Files.exists(tmp.resolve("locks").resolve("0")));
        }
    }

    /** The second process of the contract test. */
    public static final class LockHolder {
        public static void main(String[] args) throws Exception {
            try (LockManager m = new FileLockManager(Path.of(args[0]), Integer.parseInt(args[1]))) {
                hold(m, Path.of(args[2]));
            }
        }
    }
}
