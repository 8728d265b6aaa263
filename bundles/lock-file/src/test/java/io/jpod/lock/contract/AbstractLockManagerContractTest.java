package io.jpod.lock.contract;

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
import org.junit.Test;

/** What every lock manager does: exclusion between threads and between processes. */
public abstract class AbstractLockManagerContractTest {

    /** A manager of {@code numLocks} locks at the test's own location. */
    protected abstract LockManager open(int numLocks);

    /** The location a second process opens: what {@link #holderClass()} takes as its first argument. */
    protected abstract String location();

    /** What the message of exhausting 8 locks says. */
    protected abstract String exhaustedMessage();

    /** A main class that opens the location with args[1] locks and calls {@link #hold}. */
    protected abstract Class<?> holderClass();

    /** The second process: allocates and takes a lock, says so, writes the marker, then releases it. */
    public static void hold(LockManager m, Path marker) throws Exception {
        Locker l = m.allocateLock();
        l.lock();
        Files.writeString(marker, "child locked\n");
        System.out.println("locked " + l.id());
        System.out.flush();
        Thread.sleep(500);
        Files.writeString(marker, "child unlocking\n", StandardOpenOption.APPEND);
        l.unlock();
    }

    @Test
    public void excludesThreads() throws Exception {
        try (LockManager m = open(4)) {
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
        Path marker = Files.createTempFile("jpod-lock-marker-", "");
        Files.delete(marker);
        try (LockManager m = open(8)) {
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), holderClass().getName(), location(), "8",
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
                Files.deleteIfExists(marker);
            }
        }
    }

    @Test
    public void allocatesDistinctNumbersUntilExhausted() {
        try (LockManager m = open(8)) {
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
                assertTrue(e.getMessage(), e.getMessage().contains(exhaustedMessage()));
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
}
