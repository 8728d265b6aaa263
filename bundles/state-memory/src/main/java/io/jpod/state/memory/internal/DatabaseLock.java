package io.jpod.state.memory.internal;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The exclusive lock on a state database's lock file, which makes this process the only one to open the database. */
public final class DatabaseLock {
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseLock.class);

    private DatabaseLock() {
    }

    /**
     * Locks {@code channel} (open on {@code lockFile}, which guards the database {@code file}), waiting up to
     * {@code wait} for another holder to let go.
     */
    public static FileLock acquire(FileChannel channel, Path file, Path lockFile, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        boolean logged = false;
        while (true) {
            try {
                FileLock lock = channel.tryLock();
                if (lock != null) {
                    return lock;
                }
            } catch (OverlappingFileLockException e) {
                // held by another state in this very process: wait as for another process
            } catch (IOException e) {
                throw new JpodException(ErrorCode.INTERNAL, "cannot lock the state database " + file + ": "
                        + DatabaseErrors.reason(e));
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new JpodException(ErrorCode.INTERNAL, "the state database " + file
                        + " is in use by another jpod service (waited " + wait.toMillis() + " ms for its lock "
                        + lockFile + "): stop the other service first, or set static_dir to"
                        + " another directory to run a second one");
            }
            if (!logged) {
                LOG.info("the state database {} is in use by another process; waiting up to {} ms", file, wait.toMillis());
                logged = true;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new JpodException(ErrorCode.INTERNAL, "interrupted while waiting for the state database " + file);
            }
        }
    }
}
