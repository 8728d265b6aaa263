package io.jpod.runtime.internal;

import io.jpod.api.Container;
import io.jpod.api.Pod;
import io.jpod.api.Volume;
import io.jpod.spi.lock.LockManager;
import io.jpod.spi.state.State;

/** Lock bookkeeping shared by renumber and refresh, as libpod's renumberLocks and refresh. */
final class Renumber {
    private Renumber() {
    }

    /** Frees every lock and gives every object a new one. Returns how many objects were renumbered. */
    static int renumber(Parts parts) {
        State state = parts.state();
        LockManager locks = parts.locks();
        locks.freeAllLocks();
        int n = 0;
        for (Container c : state.allContainers()) {
            state.saveContainer(c.withConfig(c.config().withLockId(locks.allocateLock().id())));
            n++;
        }
        for (Pod p : state.allPods()) {
            state.savePod(p.withLockId(locks.allocateLock().id()));
            n++;
        }
        for (Volume v : state.allVolumes()) {
            state.saveVolume(v.withLockId(locks.allocateLock().id()));
            n++;
        }
        return n;
    }

    /** After a reboot: frees every lock and marks the numbers the stored objects hold allocated again. */
    static void reacquire(Parts parts) {
        State state = parts.state();
        LockManager locks = parts.locks();
        locks.freeAllLocks();
        for (Container c : state.allContainers()) {
            locks.allocateAndRetrieveLock(c.config().lockId());
        }
        for (Pod p : state.allPods()) {
            locks.allocateAndRetrieveLock(p.lockId());
        }
        for (Volume v : state.allVolumes()) {
            locks.allocateAndRetrieveLock(v.lockId());
        }
    }
}
