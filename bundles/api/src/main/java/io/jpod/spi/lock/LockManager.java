package io.jpod.spi.lock;

import java.util.OptionalInt;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Numbered locks shared by every process of the engine, as libpod's lock.Manager. The numbers are
 * 0 .. num_locks-1; a number is allocated to one container, pod or volume at a time.
 */
@ConsumerType
public interface LockManager extends AutoCloseable {

    /** Allocates a free lock. Fails with LOCKS_EXHAUSTED when every lock is taken. */
    Locker allocateLock();

    /** The lock of a number, allocated or not, for an object that already holds it. */
    Locker retrieveLock(int id);

    /** Marks a given number allocated (used when reading objects back after renumbering or refresh). */
    Locker allocateAndRetrieveLock(int id);

    /** Frees every lock: used before renumbering. */
    void freeAllLocks();

    /** How many locks are free, or empty when the manager cannot tell. */
    OptionalInt availableLocks();

    /** How many locks exist. */
    int numLocks();

    @Override
    void close();
}
