package io.jpod.rest.internal;

import io.jpod.api.ContainerStats;
import io.jpod.api.ContainerFiles;
import io.jpod.api.ContainerHealth;
import io.jpod.api.Containers;
import io.jpod.api.EngineSystem;
import io.jpod.api.Events;
import io.jpod.api.ExecSessions;
import io.jpod.api.Networks;
import io.jpod.api.Pods;
import io.jpod.api.Volumes;
import java.util.List;
import java.util.function.Supplier;
import org.osgi.framework.BundleContext;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Tracks the engine's services; {@link #get()} is the set of one assembly while all of them are
 * registered, null while the engine is down or half registered or withdrawn.
 */
final class EngineTracker implements Supplier<EngineServices>, AutoCloseable {
    private final ServiceTracker<Containers, Containers> containers;
    private final ServiceTracker<ExecSessions, ExecSessions> execs;
    private final ServiceTracker<Pods, Pods> pods;
    private final ServiceTracker<Volumes, Volumes> volumes;
    private final ServiceTracker<Networks, Networks> networks;
    private final ServiceTracker<Events, Events> events;
    private final ServiceTracker<EngineSystem, EngineSystem> system;
    private final ServiceTracker<ContainerStats, ContainerStats> stats;
    private final ServiceTracker<ContainerFiles, ContainerFiles> files;
    private final ServiceTracker<ContainerHealth, ContainerHealth> health;
    private final ServiceTracker<io.jpod.api.ContainerChanges, io.jpod.api.ContainerChanges> changes;

    EngineTracker(BundleContext context) {
        containers = new ServiceTracker<>(context, Containers.class, null);
        execs = new ServiceTracker<>(context, ExecSessions.class, null);
        pods = new ServiceTracker<>(context, Pods.class, null);
        volumes = new ServiceTracker<>(context, Volumes.class, null);
        networks = new ServiceTracker<>(context, Networks.class, null);
        events = new ServiceTracker<>(context, Events.class, null);
        system = new ServiceTracker<>(context, EngineSystem.class, null);
        stats = new ServiceTracker<>(context, ContainerStats.class, null);
        files = new ServiceTracker<>(context, ContainerFiles.class, null);
        health = new ServiceTracker<>(context, ContainerHealth.class, null);
        changes = new ServiceTracker<>(context, io.jpod.api.ContainerChanges.class, null);
        all().forEach(ServiceTracker::open);
    }

    private List<ServiceTracker<?, ?>> all() {
        return List.of(containers, execs, pods, volumes, networks, events, system, stats, files, health, changes);
    }

    @Override
    public EngineServices get() {
        // the system service is registered last and withdrawn first: with it, the others of its assembly are there
        EngineSystem s = system.getService();
        Containers c = containers.getService();
        ExecSessions x = execs.getService();
        Pods p = pods.getService();
        Volumes v = volumes.getService();
        Networks n = networks.getService();
        Events e = events.getService();
        ContainerStats st = stats.getService();
        ContainerFiles f = files.getService();
        if (s == null || c == null || x == null || p == null || v == null || n == null || e == null || st == null
                || f == null) {
            return null;
        }
        // optional: an engine without healthchecks still serves everything else
        return new EngineServices(c, x, p, v, n, e, s, st, f, health.getService(), changes.getService());
    }

    @Override
    public void close() {
        all().forEach(ServiceTracker::close);
    }
}
