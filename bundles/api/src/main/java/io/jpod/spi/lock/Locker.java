package io.jpod.spi.lock;

import org.osgi.annotation.versioning.ConsumerType;

/** One numbered lock, as libpod's lock.Locker: exclusive between threads and processes. */
@ConsumerType
public interface Locker {

    int id();

    /** Blocks until the lock is held by the calling thread. Not reentrant. */
    void lock();

    /** Releases the lock; the calling thread must hold it. */
    void unlock();

    /** Returns the number to the pool of free locks. */
    void free();
}
