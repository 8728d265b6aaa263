package io.jpod.runtime.internal;

import io.jpod.api.Container;
import io.jpod.api.ContainerStatus;
import io.jpod.api.ErrorCode;
import io.jpod.api.Event;
import io.jpod.api.HealthState;
import io.jpod.api.Healthcheck;
import io.jpod.api.JpodException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's healthcheck scheduler, in the service where podman needs systemd timers: each running container
 * with a healthcheck is checked every interval after its last check ended (as Docker times them), from its start
 * until it stops, pauses or is removed, as the container events tell. Its health is recorded in the
 * {@link HealthLog} after each check, so an engine assembled again (a restart of the service, a reload) goes on
 * from it: {@link #resume()} schedules the running containers. One timer thread for the engine, and a small pool
 * that runs the checks (a check blocks for as long as its process runs); both end with {@link #close()}.
 */
final class Healthchecks implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Healthchecks.class);
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final int SIGKILL = 9;

    /** A running container's checks; replaced when it starts again, so a run of the last start is dropped. */
    private static final class Monitor {
        final String id;
        HealthState state;
        ScheduledFuture<?> next;
        boolean closed;

        Monitor(String id, HealthState state) {
            this.id = id;
            this.state = state;
        }
    }

    private final Parts parts;
    private final Lifecycle lifecycle;
    private final Consumer<Event> events;
    private final HealthLog log;
    private final ScheduledThreadPoolExecutor timer;
    private final ExecutorService runs;
    private final HealthcheckRun check;
    private final Map<String, Monitor> monitors = new ConcurrentHashMap<>();

    Healthchecks(Parts parts, Lifecycle lifecycle, ExecSessionTable table, Consumer<Event> events, HealthLog log) {
        this.parts = parts;
        this.lifecycle = lifecycle;
        this.events = events;
        this.log = log;
        this.timer = new ScheduledThreadPoolExecutor(1, daemon("jpod-healthcheck-timer"));
        timer.setRemoveOnCancelPolicy(true);
        ThreadPoolExecutor pool = new ThreadPoolExecutor(4, 4, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                daemon("jpod-healthcheck"));
        pool.allowCoreThreadTimeOut(true);
        this.runs = pool;
        this.check = new HealthcheckRun(table, timer);
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name + "-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Schedules the containers that run now, with the health they had when the last engine recorded it. */
    void resume() {
        try {
            for (Container c : parts.state().allContainers()) {
                if (c.state().status() == ContainerStatus.RUNNING && active(c) != null) {
                    watch(c.id(), log.read(c.id()).orElse(HealthState.starting()));
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("resuming the healthchecks: {}", e.toString());
        }
    }

    /**
     * Told of every engine event, under the container's lock: only hands the change to the timer thread. A start
     * begins with a new health ({@code starting}), an unpause goes on with the one it had.
     */
    void observe(Event e) {
        if (e.type() != Event.Type.CONTAINER || e.id() == null) {
            return;
        }
        String id = e.id();
        Runnable change = switch (e.status()) {
            case "start" -> () -> started(id, true);
            case "unpause" -> () -> started(id, false);
            case "pause", "died", "stop" -> () -> unwatch(id);
            case "remove" -> () -> {
                unwatch(id);
                log.remove(id);
            };
            default -> null;
        };
        if (change != null) {
            try {
                timer.execute(change);
            } catch (RejectedExecutionException closing) {
                LOG.debug("healthchecks closed: {} of {} not acted on", e.status(), id);
            }
        }
    }

    private static Healthcheck active(Container c) {
        Healthcheck hc = c.config().healthcheck();
        return hc != null && hc.active() ? hc : null;
    }

    private void started(String id, boolean fresh) {
        Container c = container(id);
        if (c == null || c.state().status() != ContainerStatus.RUNNING || active(c) == null) {
            return;
        }
        HealthState state = fresh ? HealthState.starting() : log.read(id).orElse(HealthState.starting());
        if (fresh) {
            record(id, state);
        }
        watch(id, state);
    }

    private void watch(String id, HealthState state) {
        Monitor m = new Monitor(id, state);
        Monitor old = monitors.put(id, m);
        if (old != null) {
            close(old);
        }
        Container c = container(id);
        if (c != null) {
            scheduleNext(m, active(c));
        }
    }

    private void unwatch(String id) {
        Monitor m = monitors.remove(id);
        if (m != null) {
            close(m);
        }
    }

    private static void close(Monitor m) {
        synchronized (m) {
            m.closed = true;
            if (m.next != null) {
                m.next.cancel(false);
            }
        }
    }

    private void scheduleNext(Monitor m, Healthcheck hc) {
        if (hc == null || hc.effectiveInterval() < 0) {
            return;
        }
        synchronized (m) {
            if (m.closed) {
                return;
            }
            try {
                m.next = timer.schedule(() -> due(m), hc.effectiveInterval(), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException closing) {
                m.closed = true;
            }
        }
    }

    /** On the timer thread: the check goes to the pool, and the next is scheduled once it ended. */
    private void due(Monitor m) {
        try {
            runs.execute(() -> {
                Healthcheck hc = null;
                try {
                    Container c = container(m.id);
                    hc = c == null ? null : active(c);
                    if (hc == null || c.state().status() != ContainerStatus.RUNNING) {
                        monitors.remove(m.id, m);
                        return;
                    }
                    runOnce(m, c, hc);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (RuntimeException e) {
                    LOG.warn("the healthcheck of container {} failed to run: {}", m.id, e.toString());
                }
                scheduleNext(m, hc);
            });
        } catch (RejectedExecutionException closing) {
            LOG.debug("healthchecks closed: the check of {} not run", m.id);
        }
    }

    private HealthState runOnce(Monitor m, Container c, Healthcheck hc) throws InterruptedException {
        HealthState.Result result = check.run(c.id(), hc);
        HealthState after;
        synchronized (m) {
            if (m.closed) {
                // stopped, paused or started again meanwhile: this run's result is no longer of it
                return m.state;
            }
            after = HealthTransitions.apply(m.state, result, hc, c.state().startedAt());
            m.state = after;
            // under the monitor: a removal that closes it meanwhile removes the log after this write, not before
            record(c.id(), after);
        }
        Map<String, String> attrs = new LinkedHashMap<>(c.config().labels());
        attrs.put("health_status", after.status());
        events.accept(new Event(Event.Type.CONTAINER, "health_status", Instant.now(), c.id(), c.name(),
                c.config().image(), null, attrs));
        if (HealthState.UNHEALTHY.equals(after.status())) {
            onFailure(c, hc);
        }
        return after;
    }

    private void record(String id, HealthState s) {
        try {
            log.write(id, s);
        } catch (RuntimeException e) {
            LOG.warn("{}", e.getMessage());
        }
    }

    /** {@code --health-on-failure}: podman's actions on an unhealthy container. */
    private void onFailure(Container c, Healthcheck hc) {
        String action = hc.onFailure();
        if ("none".equals(action)) {
            return;
        }
        LOG.info("container {} is unhealthy: {} it (--health-on-failure)", c.name(), action);
        try {
            lifecycle.locked(c.id(), ctr -> {
                if (ctr.state().status() != ContainerStatus.RUNNING) {
                    return ctr;
                }
                return switch (action) {
                    case "kill" -> {
                        lifecycle.kill(ctr, SIGKILL);
                        yield ctr;
                    }
                    case "stop" -> lifecycle.stop(ctr, ctr.config().stopTimeout());
                    case "restart" -> lifecycle.start(lifecycle.stop(ctr, ctr.config().stopTimeout()));
                    default -> ctr;
                };
            });
        } catch (RuntimeException e) {
            LOG.warn("could not {} the unhealthy container {}: {}", action, c.name(), e.getMessage());
        }
    }

    /** {@code podman healthcheck run}: the container's check now, in the caller's thread. */
    HealthState runNow(String id) throws InterruptedException {
        Container c = parts.state().container(id);
        Healthcheck hc = active(c);
        if (hc == null) {
            throw new JpodException(ErrorCode.INVALID_ARG, "container " + c.id() + " has no defined healthcheck");
        }
        if (c.state().status() != ContainerStatus.RUNNING) {
            throw new JpodException(ErrorCode.CTR_STATE_INVALID, "container " + c.id() + " is not running");
        }
        Monitor m = monitors.computeIfAbsent(id, k -> new Monitor(k, log.read(k).orElse(HealthState.starting())));
        return runOnce(m, c, hc);
    }

    /** The health as last recorded: the running container's, or what a stopped one had. */
    Optional<HealthState> health(String id) {
        Monitor m = monitors.get(id);
        if (m != null) {
            synchronized (m) {
                return Optional.of(m.state);
            }
        }
        Container c = container(id);
        return c == null || active(c) == null ? Optional.empty() : log.read(id);
    }

    private Container container(String id) {
        try {
            return parts.state().container(id);
        } catch (JpodException e) {
            if (JpodException.is(e, ErrorCode.NO_SUCH_CTR)) {
                return null;
            }
            throw e;
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        runs.shutdownNow();
        monitors.values().forEach(Healthchecks::close);
        monitors.clear();
        try {
            if (!runs.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("healthchecks still running after 5 s; leaving them to end");
            }
            timer.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
