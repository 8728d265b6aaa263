package io.jpod.runtime.internal;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * Holds calls to the engine's services against its shutdown: a call holds the read side, a shutdown takes
 * the write side, so it waits for the calls in flight and every later call fails with RUNTIME_STOPPED.
 */
final class EngineGate {
    private final ReentrantReadWriteLock valid = new ReentrantReadWriteLock();
    private volatile boolean closed;

    <T> T call(Supplier<T> body) {
        valid.readLock().lock();
        try {
            check();
            return body.get();
        } finally {
            valid.readLock().unlock();
        }
    }

    void run(Runnable body) {
        call(() -> {
            body.run();
            return null;
        });
    }

    /** Fails once the engine is shut down; for calls that must not hold the gate while they block (follows). */
    void check() {
        if (closed) {
            throw new JpodException(ErrorCode.RUNTIME_STOPPED,
                    "the engine has been shut down: runtime has already been stopped");
        }
    }

    /** Closes the gate after the calls in flight; RUNTIME_STOPPED when it was closed already. */
    void close() {
        valid.writeLock().lock();
        try {
            check();
            closed = true;
        } finally {
            valid.writeLock().unlock();
        }
    }

    boolean isClosed() {
        return closed;
    }
}
