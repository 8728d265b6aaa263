package io.jpod.runtime.internal;

/** Tells waiters that some container's state changed, so that a wait looks again at once instead of polling. */
final class StateChanges {
    private long generation;

    synchronized void changed() {
        generation++;
        notifyAll();
    }

    synchronized long generation() {
        return generation;
    }

    /** Waits until a change after {@code seen}, or {@code millis}. */
    synchronized void awaitAfter(long seen, long millis) throws InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000L;
        while (generation == seen) {
            long left = (end - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                return;
            }
            wait(left);
        }
    }
}
