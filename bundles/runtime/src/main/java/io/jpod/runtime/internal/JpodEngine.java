package io.jpod.runtime.internal;

import io.jpod.api.Container;
import io.jpod.api.ContainerStatus;
import io.jpod.api.Containers;
import io.jpod.api.DBConfig;
import io.jpod.api.EngineSystem;
import io.jpod.api.Event;
import io.jpod.api.Events;
import io.jpod.api.Networks;
import io.jpod.api.Pods;
import io.jpod.api.Volumes;
import io.jpod.api.config.JpodConfig;
import io.jpod.spi.oci.OciRuntime;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An assembled engine: libpod's Runtime over the opened providers. It makes the engine's services, one per
 * resource, which the assembler registers together and withdraws together; it owns their gate, the exit
 * watcher and the providers' closing.
 */
final class JpodEngine {
    private static final Logger LOG = LoggerFactory.getLogger(JpodEngine.class);

    private final JpodConfig config;
    private final DBConfig dbConfig;
    private final Parts parts;
    private final Map<String, String> providerNames;
    private final EngineGate gate = new EngineGate();
    private final EventsService events;
    private final Lifecycle lifecycle;
    private final ExitWatcher exits;
    private final Map<Class<?>, Object> services = new LinkedHashMap<>();
    private volatile Runnable onShutdown = () -> { };
    private volatile Healthchecks health;
    private boolean watching;

    JpodEngine(JpodConfig config, DBConfig dbConfig, Parts parts, Map<String, String> providerNames) {
        this.config = config;
        this.dbConfig = dbConfig;
        this.parts = parts;
        this.providerNames = Map.copyOf(providerNames);
        StateChanges changes = new StateChanges();
        Names names = new Names(parts.state());
        this.events = new EventsService(gate, parts.eventer());
        // the healthchecks follow the containers' starts and stops by their events
        this.lifecycle = new Lifecycle(parts, e -> {
            events.record(e);
            Healthchecks h = health;
            if (h != null) {
                h.observe(e);
            }
        }, parts::runtime, Path.of(dbConfig.tmpDir()), changes);
        ExecSessionTable table = new ExecSessionTable(lifecycle, parts::runtime, id -> parts.state().hasContainer(id));
        ContainerRemoval removal = new ContainerRemoval(parts, lifecycle, table);
        VolumesService volumes = new VolumesService(gate, parts, Path.of(dbConfig.volumePath()), names, events,
                removal);
        lifecycle.onRemoved(volumes::removeAnonymous);
        ContainerCreation creation = new ContainerCreation(config, parts, names, volumes, events);
        this.exits = new ExitWatcher(gate, parts, lifecycle);
        services.put(Containers.class, new ContainersService(gate, parts, names, lifecycle, creation, removal,
                changes, new ContainerRenaming(parts, names, lifecycle, events)));
        services.put(io.jpod.api.ExecSessions.class, new ExecSessionsService(gate, parts, names, table));
        services.put(io.jpod.api.ContainerChanges.class, new ContainerChangesService(gate, parts, names, lifecycle));
        services.put(io.jpod.api.ContainerFiles.class, new ContainerFilesService(gate, parts, names, lifecycle));
        this.health = new Healthchecks(parts, lifecycle, table, events::record, new HealthLog(Path.of(
                dbConfig.tmpDir())));
        services.put(io.jpod.api.ContainerHealth.class, new HealthchecksService(gate, names, health));
        PodCreation pods = new PodCreation(parts, names, events, creation, removal,
                new InfraContainer(Path.of(dbConfig.staticDir()), InfraContainer.CATATONIT));
        services.put(Pods.class, new PodsService(gate, parts, events, removal, pods, new PodLifecycle(parts,
                lifecycle)));
        services.put(Volumes.class, volumes);
        services.put(Networks.class, new NetworksService(gate, parts, names, lifecycle, events, removal));
        services.put(Events.class, events);
        services.put(io.jpod.api.ContainerStats.class, new ContainerStatsService(gate, parts));
        services.put(EngineSystem.class, new SystemService(this, gate, parts, lifecycle, events));
        new StorageReconciler(parts.state(), parts.storage()).reconcile();
    }

    /** The engine's services by the interface each is registered under, in registration order. */
    Map<Class<?>, Object> services() {
        return services;
    }

    <T> T service(Class<T> type) {
        return type.cast(services.get(type));
    }

    /**
     * Starts acting on exits: the runtimes' exit directories watched, a sweep now (exits while no service
     * ran) and every {@code sweepMillis}.
     */
    synchronized void watchExits(long sweepMillis) {
        if (watching) {
            return;
        }
        watching = true;
        Set<Path> dirs = new LinkedHashSet<>();
        for (OciRuntime rt : parts.runtimes().values()) {
            try {
                rt.exitDirectory().ifPresent(dirs::add);
            } catch (RuntimeException e) {
                // a vendor's runtime that fails here still has its exits found by the sweep
                LOG.warn("OCI runtime {} gave no exit directory: {}; its exits are found by the sweep", rt.name(),
                        e.getMessage());
            }
        }
        exits.start(dirs, sweepMillis);
        health.resume();
    }

    /** Told once the engine has shut down, by whoever called {@link #shutdown}. */
    void onShutdown(Runnable listener) {
        onShutdown = listener;
    }

    JpodConfig config() {
        return config;
    }

    DBConfig dbConfig() {
        return dbConfig;
    }

    Parts parts() {
        return parts;
    }

    Map<String, String> providerNames() {
        return providerNames;
    }

    /** For the assembly's steps (refresh, renumber): an event that does not fail them. */
    void event(Event e) {
        events.record(e);
    }

    int migrate(String newRuntime) {
        return service(EngineSystem.class).migrate(newRuntime);
    }

    /**
     * Stops the engine: the gate closes after the calls in flight, so every later call fails with
     * RUNTIME_STOPPED. With {@code force}, running containers are stopped first. Containers keep running
     * otherwise (conmon).
     */
    void shutdown(boolean force) {
        gate.close();
        exits.close();
        health.close();
        if (force) {
            stopRunningContainers();
        }
        close();
        onShutdown.run();
    }

    private void stopRunningContainers() {
        for (Container ctr : parts.state().allContainers()) {
            try {
                lifecycle.locked(ctr.id(), c -> {
                    ContainerStatus st = c.state().status();
                    return st == ContainerStatus.RUNNING || st == ContainerStatus.PAUSED
                            ? lifecycle.stop(c, c.config().stopTimeout()) : c;
                });
            } catch (RuntimeException e) {
                LOG.error("could not stop container {} at shutdown: {}", ctr.name(), e.getMessage());
            }
        }
    }

    /** Closes the providers in the reverse order of their opening. */
    private void close() {
        List<AutoCloseable> order = new ArrayList<>();
        order.add(parts.locks());
        order.add(parts.network());
        order.addAll(parts.runtimes().values());
        order.add(parts.eventer());
        order.add(parts.storage());
        order.add(parts.state());
        for (AutoCloseable c : order) {
            if (c == null) {
                continue;
            }
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("closing {} failed: {}", c.getClass().getName(), e.toString());
            }
        }
    }

    boolean isStopped() {
        return gate.isClosed();
    }
}
