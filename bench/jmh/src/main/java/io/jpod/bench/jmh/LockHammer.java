package io.jpod.bench.jmh;

import io.jpod.spi.lock.LockManager;
import io.jpod.spi.lock.Locker;
import java.nio.file.Path;

/**
 * The second process of {@link LockBench#twoProcesses}: opens the same lock location, then takes and
 * releases lock {@code args[3]} in a loop until it is killed. Prints {@code R} once it got the lock.
 * Arguments: kind (file|shm), the benchmark's directory, num_locks, lock number.
 */
public final class LockHammer {
    private LockHammer() {
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[1]);
        LockManager m = LockBench.provider(args[0]).open(Fixtures.context(args[0], dir, Integer.parseInt(args[2])));
        Locker l = m.retrieveLock(Integer.parseInt(args[3]));
        l.lock();
        l.unlock();
        System.out.print('R');
        System.out.flush();
        while (true) {
            l.lock();
            l.unlock();
        }
    }
}
