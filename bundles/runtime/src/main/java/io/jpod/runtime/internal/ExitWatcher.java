package io.jpod.runtime.internal;

import io.jpod.api.Container;
import io.jpod.api.ContainerStatus;
import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one path by which a container's exit is acted on (cleanup, restart policy, {@code --rm}): the exit
 * files the OCI runtimes' monitors write, watched with inotify (a {@link WatchService}) on their exit
 * directories; at start, the exit files written while no engine ran; and a sweep of the active containers
 * every {@link #SWEEP_MS} for exits that left no file (a monitor killed, a runtime without an exit
 * directory). Each container's exit is handled on a pool under that container's lock only, so one slow
 * container does not hold up the others.
 */
final class ExitWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ExitWatcher.class);
    static final long SWEEP_MS = 10_000;
    private static final Set<ContainerStatus> ACTIVE = EnumSet.of(ContainerStatus.RUNNING, ContainerStatus.PAUSED,
            ContainerStatus.STOPPING, ContainerStatus.CREATED);
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final EngineGate gate;
    private final Parts parts;
    private final Lifecycle lifecycle;
    private final Set<String> pending = ConcurrentHashMap.newKeySet();
    private final ExecutorService handlers;
    private final ScheduledExecutorService sweeper;
    private WatchService watch;
    private Thread watcher;

    ExitWatcher(EngineGate gate, Parts parts, Lifecycle lifecycle) {
        this.gate = gate;
        this.parts = parts;
        this.lifecycle = lifecycle;
        this.handlers = Executors.newFixedThreadPool(4, daemon("jpod-exit-handler"));
        this.sweeper = Executors.newSingleThreadScheduledExecutor(daemon("jpod-exit-sweep"));
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name + "-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Watches {@code exitDirs}, sweeps once now and then every {@code sweepMillis}. */
    synchronized void start(Collection<Path> exitDirs, long sweepMillis) {
        try {
            watch = FileSystems.getDefault().newWatchService();
            for (Path dir : exitDirs) {
                Files.createDirectories(dir);
                dir.register(watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
            }
            watcher = new Thread(this::watchLoop, "jpod-exit-watch");
            watcher.setDaemon(true);
            watcher.start();
        } catch (IOException e) {
            LOG.warn("cannot watch the exit directories {}: {}; exits are found by the sweep every {} ms", exitDirs,
                    e.getMessage(), sweepMillis);
        }
        recordExitsWhileAway(exitDirs);
        sweeper.scheduleWithFixedDelay(this::sweep, 0, sweepMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * The exits conmon recorded while no engine ran, acted on before the engine's services are registered,
     * so that no client sees such a container running: an exit file is a cheap look, unlike asking the
     * runtime, which the sweep does for the rest.
     */
    private void recordExitsWhileAway(Collection<Path> exitDirs) {
        try {
            for (Container c : parts.state().allContainers()) {
                if (ACTIVE.contains(c.state().status())
                        && exitDirs.stream().anyMatch(d -> Files.exists(d.resolve(c.id())))) {
                    handle(c.id());
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("recording the exits while the engine was away: {}", e.toString());
        }
    }

    private void watchLoop() {
        try {
            while (true) {
                WatchKey key = watch.take();
                for (WatchEvent<?> ev : key.pollEvents()) {
                    if (ev.kind() == StandardWatchEventKinds.OVERFLOW) {
                        sweeper.execute(this::sweep);
                    } else if (ev.context() instanceof Path p) {
                        exited(p.getFileName().toString());
                    }
                }
                key.reset();
            }
        } catch (InterruptedException | ClosedWatchServiceException | RejectedExecutionException e) {
            LOG.debug("exit watch ends: {}", e.toString());
        }
    }

    /** Every active container once: exits while no service ran, and exits that left no file. */
    void sweep() {
        try {
            for (Container c : parts.state().allContainers()) {
                if (ACTIVE.contains(c.state().status())) {
                    exited(c.id());
                }
            }
        } catch (RuntimeException e) {
            LOG.debug("exit sweep: {}", e.toString());
        }
    }

    /** Hands a container's possible exit to the pool, once however many times it is told. */
    private void exited(String id) {
        if (!id.matches("[0-9a-f]{64}") || !pending.add(id)) {
            return;
        }
        try {
            handlers.execute(() -> {
                pending.remove(id);
                handle(id);
            });
        } catch (RejectedExecutionException closing) {
            pending.remove(id);
        }
    }

    private void handle(String id) {
        try {
            // the sync under the container's lock records the exit and runs what follows it, once
            gate.call(() -> lifecycle.locked(id, c -> c));
        } catch (JpodException e) {
            if (!JpodException.is(e, ErrorCode.NO_SUCH_CTR) && !JpodException.is(e, ErrorCode.RUNTIME_STOPPED)) {
                LOG.warn("acting on the exit of container {}: {}", id, e.getMessage());
            }
        } catch (RuntimeException e) {
            LOG.warn("acting on the exit of container {}: {}", id, e.toString());
        }
    }

    @Override
    public synchronized void close() {
        sweeper.shutdownNow();
        if (watch != null) {
            try {
                watch.close();
            } catch (IOException e) {
                LOG.debug("closing the exit watch: {}", e.toString());
            }
        }
        handlers.shutdown();
        try {
            if (!handlers.awaitTermination(10, TimeUnit.SECONDS)) {
                handlers.shutdownNow();
            }
            if (watcher != null) {
                watcher.join(2000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
