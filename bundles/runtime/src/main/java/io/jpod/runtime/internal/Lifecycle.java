package io.jpod.runtime.internal;

import io.jpod.api.Container;
import io.jpod.api.ContainerConfig;
import io.jpod.api.ContainerState;
import io.jpod.api.ContainerStatus;
import io.jpod.api.ErrorCode;
import io.jpod.api.Event;
import io.jpod.api.JpodException;
import io.jpod.api.Mount;
import io.jpod.spi.lock.Locker;
import io.jpod.spi.oci.OciRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The container state machine, as libpod's container_api.go and container_internal.go: every step
 * holds the container's lock, syncs its state from the OCI runtime first, and refuses transitions
 * that libpod refuses with CTR_STATE_INVALID naming the current state.
 */
final class Lifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(Lifecycle.class);
    private static final int SIGKILL = 9;
    private static final Set<ContainerStatus> ACTIVE = EnumSet.of(ContainerStatus.CREATED, ContainerStatus.RUNNING,
            ContainerStatus.PAUSED, ContainerStatus.STOPPING);

    private final Parts parts;
    private final Consumer<Event> events;
    private final Function<String, OciRuntime> runtimes;
    private final java.nio.file.Path tmpDir;
    private final HostsFiles hosts;
    private final NamespaceJoins joins;
    private final StateChanges changes;
    private Consumer<Container> removed = c -> { };

    Lifecycle(Parts parts, Consumer<Event> events, Function<String, OciRuntime> runtimes, java.nio.file.Path tmpDir,
            StateChanges changes) {
        this.parts = parts;
        this.events = events;
        this.runtimes = runtimes;
        this.tmpDir = tmpDir;
        this.hosts = new HostsFiles(tmpDir);
        this.joins = new NamespaceJoins(parts, hosts);
        this.changes = changes;
    }

    /** Runs after a container left the state (its anonymous volumes go then). */
    void onRemoved(Consumer<Container> action) {
        removed = action;
    }

    /** Containers on a bridge network get a namespace of the engine's, set up by the network provider. */
    static boolean ownsNetwork(Container ctr) {
        String mode = ctr.config().networkMode();
        return mode == null || mode.isEmpty() || mode.equals("bridge");
    }

    /** Runs {@code body} on the freshly synced container under its lock. */
    <T> T locked(String id, Function<Container, T> body) {
        Container ctr = parts.state().container(id);
        Locker lock = parts.locks().retrieveLock(ctr.config().lockId());
        lock.lock();
        try {
            return body.apply(sync(parts.state().container(id)));
        } finally {
            lock.unlock();
        }
    }

    /** libpod's syncContainer: ask the runtime about a container that may have changed by itself. */
    Container sync(Container ctr) {
        if (!ACTIVE.contains(ctr.state().status())) {
            return ctr;
        }
        ContainerStatus before = ctr.state().status();
        ContainerState now = runtime(ctr).updateContainerStatus(ctr);
        if (now.equals(ctr.state())) {
            return ctr;
        }
        ctr = save(ctr.withState(now));
        if (now.status() == ContainerStatus.EXITED && before != ContainerStatus.EXITED) {
            ctr = exited(ctr, false);
        }
        return ctr;
    }

    Container init(Container ctr) {
        ContainerStatus st = ctr.state().status();
        if (st == ContainerStatus.EXITED || st == ContainerStatus.STOPPED) {
            runtime(ctr).deleteContainer(ctr);
            ctr = save(ctr.withState(ctr.state().withStatus(ContainerStatus.CONFIGURED)));
        } else if (st != ContainerStatus.CONFIGURED) {
            throw invalid(ctr, "must be in configured, stopped or exited state to be initialised");
        }
        String root = ctr.config().rootfs();
        if (root == null || root.isEmpty()) {
            root = parts.storage().mount(ctr.id()).toString();
        }
        ctr = save(ctr.withState(ctr.state().withMountPoint(root)));
        try {
            Map<String, List<String>> addresses = null;
            if (ownsNetwork(ctr)) {
                java.nio.file.Path ns = NetNs.create(tmpDir, ctr.id());
                ctr = save(ctr.withState(ctr.state().withNetNsPath(ns.toString())));
                addresses = parts.networking().setup(ctr, ns.toString());
            }
            // what the runtime gets is made from the container as stored now: its state is what comes back
            Container toCreate = joins.resolve(withVolumesBound(ctr));
            if (addresses != null) {
                toCreate = withHostsFile(toCreate, addresses);
            }
            ctr = save(ctr.withState(runtime(ctr).createContainer(toCreate)));
        } catch (RuntimeException | LinkageError e) {
            // a linkage error too: a provider bundle updated under the call (a hot swap) must not leave the
            // network namespace, its veth and the mount behind
            ctr = releaseNetwork(ctr);
            unmount(ctr);
            save(ctr.withState(ctr.state().withMountPoint(null).withError(e.getMessage())));
            throw e;
        }
        events.accept(Event.container("init", ctr));
        return ctr;
    }

    Container start(Container ctr) {
        ContainerStatus st = ctr.state().status();
        if (st == ContainerStatus.RUNNING || st == ContainerStatus.PAUSED) {
            throw invalid(ctr, "is already running; it must be in created, stopped or exited state to be started");
        }
        if (st != ContainerStatus.CREATED) {
            ctr = init(ctr);
        }
        try {
            ctr = save(ctr.withState(runtime(ctr).startContainer(ctr)));
        } catch (RuntimeException | LinkageError e) {
            // as libpod: a container that failed to start is cleaned up and its error kept
            ctr = save(ctr.withState(ctr.state().withError(e.getMessage())));
            cleanup(ctr);
            throw e;
        }
        events.accept(Event.container("start", ctr));
        return ctr;
    }

    Container stop(Container ctr, long timeoutSeconds) {
        ContainerStatus st = ctr.state().status();
        if (st == ContainerStatus.CREATED) {
            // never started: nothing runs, so stopping only cleans up
            runtime(ctr).killContainer(ctr, SIGKILL, false);
        } else if (st != ContainerStatus.RUNNING && st != ContainerStatus.PAUSED && st != ContainerStatus.STOPPING) {
            throw invalid(ctr, "is not running; only running, paused or created containers can be stopped");
        }
        long timeout = timeoutSeconds < 0 ? ctr.config().stopTimeout() : timeoutSeconds;
        ctr = save(ctr.withState(ctr.state().withStatus(ContainerStatus.STOPPING)));
        ContainerState after = runtime(ctr).stopContainer(ctr, timeout, false);
        ctr = save(ctr.withState(after.status() == ContainerStatus.EXITED ? after
                : after.withStatus(ContainerStatus.EXITED)));
        events.accept(Event.container("stop", ctr));
        return exited(ctr, true);
    }

    void kill(Container ctr, int signal) {
        if (ctr.state().status() != ContainerStatus.RUNNING) {
            throw invalid(ctr, "is not running; can only kill running containers");
        }
        try {
            runtime(ctr).killContainer(ctr, signal, false);
        } catch (JpodException e) {
            // as libpod: the process may have exited before its exit was acted on; then it is not running
            ContainerStatus now = sync(ctr).state().status();
            if (now != ContainerStatus.RUNNING && now != ContainerStatus.PAUSED) {
                throw invalid(ctr, "is not running (it exited meanwhile); can only kill running containers");
            }
            throw e;
        }
        events.accept(new Event(Event.Type.CONTAINER, "kill", Instant.now(), ctr.id(), ctr.name(),
                ctr.config().image(), null, Map.of("signal", Integer.toString(signal))));
    }

    Container pause(Container ctr) {
        if (ctr.state().status() != ContainerStatus.RUNNING) {
            throw invalid(ctr, "is not running; only running containers can be paused");
        }
        ctr = save(ctr.withState(runtime(ctr).pauseContainer(ctr)));
        events.accept(Event.container("pause", ctr));
        return ctr;
    }

    Container unpause(Container ctr) {
        if (ctr.state().status() != ContainerStatus.PAUSED) {
            throw invalid(ctr, "is not paused; only paused containers can be unpaused");
        }
        ctr = save(ctr.withState(runtime(ctr).unpauseContainer(ctr)));
        events.accept(Event.container("unpause", ctr));
        return ctr;
    }

    /**
     * After an exit: record it, release what the run held, apply the restart policy (not after a
     * stop by the user), and remove a {@code --rm} container.
     */
    private Container exited(Container ctr, boolean stoppedByUser) {
        ContainerState st = ctr.state();
        events.accept(new Event(Event.Type.CONTAINER, "died", Instant.now(), ctr.id(), ctr.name(),
                ctr.config().image(), st.exitCode(), ctr.config().labels()));
        parts.state().addContainerExitCode(ctr.id(), st.exitCode());
        ctr = cleanup(ctr);
        if (!stoppedByUser && restarts(ctr)) {
            ctr = save(ctr.withState(ctr.state().withRestartCount(ctr.state().restartCount() + 1)));
            LOG.info("restarting container {} ({} policy, restart {})", ctr.name(), ctr.config().restartPolicy(),
                    ctr.state().restartCount());
            try {
                return start(ctr);
            } catch (JpodException e) {
                LOG.warn("restarting container {} failed: {}", ctr.name(), e.getMessage());
                return parts.state().container(ctr.id());
            }
        }
        if (ctr.config().autoRemove()) {
            remove(ctr);
        }
        return ctr;
    }

    private boolean restarts(Container ctr) {
        String policy = ctr.config().restartPolicy();
        int code = ctr.state().exitCode();
        return switch (policy) {
            case "always", "unless-stopped" -> true;
            case "on-failure" -> code != 0 && (ctr.config().restartRetries() <= 0
                    || ctr.state().restartCount() < ctr.config().restartRetries());
            default -> false;
        };
    }

    /** Deletes the container from its runtime and unmounts its root filesystem; it stays exited. */
    private Container cleanup(Container ctr) {
        try {
            runtime(ctr).deleteContainer(ctr);
        } catch (RuntimeException e) {
            LOG.warn("removing container {} from its runtime: {}", ctr.name(), e.getMessage());
        }
        ctr = releaseNetwork(ctr);
        unmount(ctr);
        return save(ctr.withState(ctr.state().withMountPoint(null).withProcess(0, 0)));
    }

    /** The networks a container joins: its own list, or the default network when it names none. */
    private List<String> networksOf(Container ctr) {
        List<String> nets = ctr.config().networks();
        return nets.isEmpty() ? List.of(parts.networks().defaultNetwork()) : nets;
    }

    /** A container not running whose every network was disconnected: it may join one again. */
    private static boolean withoutNetworks(Container ctr) {
        return "none".equals(ctr.config().networkMode()) && ctr.config().networks().isEmpty()
                && !ACTIVE.contains(ctr.state().status());
    }

    /** network connect: into the running namespace at once, and into the config for the next start. */
    Container connect(Container ctr, String network, io.jpod.api.PerNetworkOptions options) {
        // what a disconnect from its last network left (compose disconnects and connects again to set aliases)
        boolean none = withoutNetworks(ctr);
        if (none) {
            ctr = ctr.withConfig(ctr.config().toBuilder().networkMode("bridge").build());
        }
        if (!ownsNetwork(ctr)) {
            throw new JpodException(ErrorCode.INVALID_ARG, "container " + ctr.name() + " has network mode "
                    + ctr.config().networkMode() + ": only containers on bridge networks can join networks");
        }
        List<String> nets = new java.util.ArrayList<>(none ? List.of() : networksOf(ctr));
        if (nets.contains(network)) {
            throw new JpodException(ErrorCode.INVALID_ARG, "container " + ctr.name() + " is already connected to "
                    + "network " + network);
        }
        nets.add(network);
        Map<String, io.jpod.api.PerNetworkOptions> opts = new java.util.LinkedHashMap<>(ctr.config().networkOptions());
        if (!options.isEmpty()) {
            opts.put(network, options);
        }
        Container joined = ctr.withConfig(ctr.config().withNetworks(nets, opts));
        String ns = ctr.state().netNsPath();
        if (ns != null && ACTIVE.contains(ctr.state().status())) {
            // the backend reads the network's static options from the config it is given
            parts.networking().connect(joined, ns, network);
        }
        Container c = save(joined);
        events.accept(new Event(Event.Type.NETWORK, "connect", Instant.now(), c.id(), network, null, null,
                Map.of("container", c.id())));
        return c;
    }

    /** network disconnect: out of the running namespace at once, and out of the config. */
    Container disconnect(Container ctr, String network) {
        List<String> nets = new java.util.ArrayList<>(networksOf(ctr));
        if (!ownsNetwork(ctr) || !nets.remove(network)) {
            throw new JpodException(ErrorCode.INVALID_ARG, "container " + ctr.name() + " is not connected to network "
                    + network);
        }
        String ns = ctr.state().netNsPath();
        if (ns != null) {
            parts.networking().disconnect(ctr, ns, network);
        }
        Map<String, io.jpod.api.PerNetworkOptions> opts = new java.util.LinkedHashMap<>(ctr.config().networkOptions());
        opts.remove(network);
        ContainerConfig left = ctr.config().withNetworks(nets, opts);
        if (nets.isEmpty() && !ACTIVE.contains(ctr.state().status())) {
            // no networks is no network, as Docker's, not the default one: none until it is connected again
            left = left.toBuilder().networkMode("none").build();
        }
        Container c = save(ctr.withConfig(left));
        events.accept(new Event(Event.Type.NETWORK, "disconnect", Instant.now(), c.id(), network, null, null,
                Map.of("container", c.id())));
        return c;
    }

    /** Volume mounts as the OCI runtime takes them: binds of the volumes' directories. */
    private Container withVolumesBound(Container ctr) {
        if (ctr.config().mounts().stream().noneMatch(m -> "volume".equals(m.type()))) {
            return ctr;
        }
        List<Mount> mounts = new java.util.ArrayList<>();
        for (Mount m : ctr.config().mounts()) {
            if ("volume".equals(m.type())) {
                mounts.add(new Mount("bind", parts.state().volume(m.source()).mountPoint(), m.destination(),
                        m.options()));
            } else {
                mounts.add(m);
            }
        }
        return ctr.withConfig(ctr.config().toBuilder().mounts(mounts).build());
    }

    /**
     * The container as the OCI runtime creates it: with its /etc/hosts naming its peers (unless the user
     * mounts one); the stored config stays as the user gave it.
     */
    private Container withHostsFile(Container ctr, Map<String, List<String>> addresses) {
        if (ctr.config().mounts().stream().anyMatch(m -> "/etc/hosts".equals(m.destination()))) {
            return ctr;
        }
        Map<Container, Map<String, List<String>>> peers = new java.util.LinkedHashMap<>();
        for (Container p : peers(ctr, addresses.keySet())) {
            peers.put(p, parts.networking().addresses(p));
        }
        try {
            java.nio.file.Path f = hosts.write(ctr, addresses, peers);
            List<Mount> mounts = new java.util.ArrayList<>(ctr.config().mounts());
            mounts.add(new Mount("bind", f.toString(), "/etc/hosts", List.of("rw")));
            return ctr.withConfig(ctr.config().toBuilder().mounts(mounts).build());
        } catch (java.io.IOException e) {
            LOG.warn("cannot write the hosts file of container {}: {}; it gets the runtime's", ctr.name(),
                    e.getMessage());
            return ctr;
        }
    }

    /** The other containers with a network namespace on one of {@code networks}. */
    private List<Container> peers(Container ctr, java.util.Collection<String> networks) {
        List<Container> out = new java.util.ArrayList<>();
        for (Container c : parts.state().allContainers()) {
            if (c.id().equals(ctr.id()) || c.state().netNsPath() == null || !ownsNetwork(c)) {
                continue;
            }
            if (parts.networking().addresses(c).keySet().stream().anyMatch(networks::contains)) {
                out.add(c);
            }
        }
        return out;
    }

    /** Tears the container's network down and removes its namespace; a no-op when it has none. */
    private Container releaseNetwork(Container ctr) {
        String ns = ctr.state().netNsPath();
        if (ns == null || !ownsNetwork(ctr)) {
            joins.release(ctr);
            return ctr;
        }
        hosts.remove(ctr, peers(ctr, parts.networking().addresses(ctr).keySet()));
        if (!java.nio.file.Files.exists(java.nio.file.Path.of(ns))) {
            // conmon's exit command tore it down while the service was away (or the host rebooted)
            LOG.debug("the network namespace {} of container {} is gone: nothing to tear down", ns, ctr.name());
        } else {
            try {
                parts.networking().teardown(ctr, ns);
            } catch (RuntimeException e) {
                LOG.warn("tearing down the network of container {}: {}", ctr.name(), e.getMessage());
            }
        }
        NetNs.remove(java.nio.file.Path.of(ns));
        return save(ctr.withState(ctr.state().withNetNsPath(null)));
    }

    private void unmount(Container ctr) {
        String root = ctr.config().rootfs();
        if ((root == null || root.isEmpty()) && ctr.state().mountPoint() != null) {
            try {
                parts.storage().unmount(ctr.id(), true);
            } catch (RuntimeException e) {
                LOG.warn("unmounting container {}: {}", ctr.name(), e.getMessage());
            }
        }
    }

    /** Removes an exited container with everything it owns; its exit code stays for wait. */
    void remove(Container ctr) {
        ContainerStatus st = ctr.state().status();
        if (ACTIVE.contains(st) && st != ContainerStatus.CREATED) {
            throw invalid(ctr, "is " + st.word() + "; running or paused containers cannot be removed without force");
        }
        if (st == ContainerStatus.CREATED) {
            ctr = cleanup(ctr);
        }
        if (ctr.config().rootfs() == null || ctr.config().rootfs().isEmpty()) {
            try {
                parts.storage().deleteContainer(ctr.id());
            } catch (JpodException e) {
                LOG.debug("container {} had no storage: {}", ctr.name(), e.getMessage());
            }
        }
        removeLog(ctr);
        parts.state().removeContainer(ctr.id());
        changes.changed();
        events.accept(Event.container("remove", ctr));
        parts.locks().retrieveLock(ctr.config().lockId()).free();
        removed.accept(ctr);
    }

    /** The log outlives each run (logs reads it after an exit), not the container: removal takes it and its dir. */
    private void removeLog(Container ctr) {
        try {
            Path log = runtime(ctr).logPath(ctr);
            Files.deleteIfExists(log);
            Path dir = log.getParent();
            if (dir != null && dir.getFileName().toString().equals(ctr.id())) {
                Files.deleteIfExists(dir);
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("the log of container {} stays: {}", ctr.name(), e.toString());
        }
    }

    /** The exit code of a container that may have been removed meanwhile. */
    OptionalInt recordedExit(String id) {
        return parts.state().containerExitCode(id);
    }

    private OciRuntime runtime(Container ctr) {
        return runtimes.apply(ctr.config().ociRuntime());
    }

    private Container save(Container ctr) {
        parts.state().saveContainer(ctr);
        changes.changed();
        return ctr;
    }

    static JpodException invalid(Container ctr, String what) {
        return new JpodException(ErrorCode.CTR_STATE_INVALID, "container " + ctr.id() + " " + what
                + " (current state: " + ctr.state().status().word() + "): container state improper");
    }
}
