package io.jpod.oci.conmon.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads for blocking reads (a helper's stderr, conmon's sync FIFO): never the common pool, which
 * blocking reads could starve. Daemon threads that end after 10 idle seconds, so nothing is left once
 * the bundle stops.
 */
final class Io {
    private static final AtomicInteger N = new AtomicInteger();
    static final ExecutorService POOL = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 10, TimeUnit.SECONDS,
            new SynchronousQueue<>(), r -> {
                Thread t = new Thread(r, "jpod-oci-conmon-io-" + N.incrementAndGet());
                t.setDaemon(true);
                return t;
            });

    private Io() {
    }
}
