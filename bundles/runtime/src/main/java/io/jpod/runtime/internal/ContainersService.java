package io.jpod.runtime.internal;

import io.jpod.api.AttachStreams;
import io.jpod.api.Container;
import io.jpod.api.ContainerConfig;
import io.jpod.api.ContainerResources;
import io.jpod.api.ContainerStatus;
import io.jpod.api.Containers;
import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.api.LogLine;
import io.jpod.api.LogOptions;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The containers service (libpod's container_api.go): each operation holds the container's lock through
 * {@link Lifecycle}; lookups and lists read the state as stored, so a read never changes anything.
 */
final class ContainersService implements Containers {
    private final EngineGate gate;
    private final Parts parts;
    private final Names names;
    private final Lifecycle lifecycle;
    private final ContainerCreation creation;
    private final ContainerRemoval removal;
    private final ContainerLogs logs;
    private final StateChanges changes;
    private final ContainerRenaming renaming;
    private final ContainerUpdate updates;

    ContainersService(EngineGate gate, Parts parts, Names names, Lifecycle lifecycle, ContainerCreation creation,
            ContainerRemoval removal, StateChanges changes, ContainerRenaming renaming) {
        this.gate = gate;
        this.parts = parts;
        this.names = names;
        this.lifecycle = lifecycle;
        this.creation = creation;
        this.removal = removal;
        this.changes = changes;
        this.logs = new ContainerLogs(gate, parts);
        this.renaming = renaming;
        this.updates = new ContainerUpdate(parts, changes);
    }

    @Override
    public Container createContainer(ContainerConfig spec) {
        return gate.call(() -> creation.create(spec));
    }

    @Override
    public Container container(String idOrName) {
        return gate.call(() -> parts.state().lookupContainer(Names.requireId(idOrName)));
    }

    @Override
    public List<Container> containers(Predicate<Container> filter) {
        return gate.call(() -> parts.state().allContainers().stream().filter(filter == null ? c -> true : filter)
                .toList());
    }

    @Override
    public void removeContainer(String idOrName, boolean force) {
        gate.run(() -> removal.remove(idOrName, force));
    }

    @Override
    public Container init(String idOrName) {
        return gate.call(() -> lifecycle.locked(withDependencies(idOrName), lifecycle::init));
    }

    @Override
    public Container start(String idOrName) {
        return gate.call(() -> lifecycle.locked(withDependencies(idOrName), lifecycle::start));
    }

    /**
     * The container's ID, once the containers whose namespaces it joins (a pod's infra container) run, as
     * libpod starts a container's dependencies first; each under its own lock.
     */
    private String withDependencies(String idOrName) {
        String id = names.containerId(idOrName);
        for (String dep : NamespaceJoins.dependencies(parts.state().container(id).config())) {
            lifecycle.locked(dep, c -> c.state().status() == ContainerStatus.RUNNING
                    || c.state().status() == ContainerStatus.PAUSED ? c : lifecycle.start(c));
        }
        return id;
    }

    @Override
    public Container stop(String idOrName, long timeoutSeconds) {
        return gate.call(() -> lifecycle.locked(names.containerId(idOrName), c -> lifecycle.stop(c, timeoutSeconds)));
    }

    @Override
    public void kill(String idOrName, int signal) {
        gate.run(() -> lifecycle.locked(names.containerId(idOrName), c -> {
            lifecycle.kill(c, signal);
            return null;
        }));
    }

    @Override
    public Container pause(String idOrName) {
        return gate.call(() -> lifecycle.locked(names.containerId(idOrName), lifecycle::pause));
    }

    @Override
    public Container unpause(String idOrName) {
        return gate.call(() -> lifecycle.locked(names.containerId(idOrName), lifecycle::unpause));
    }

    @Override
    public Container restart(String idOrName, long timeoutSeconds) {
        return gate.call(() -> lifecycle.locked(withDependencies(idOrName), c -> {
            ContainerStatus st = c.state().status();
            if (st == ContainerStatus.RUNNING || st == ContainerStatus.PAUSED) {
                c = lifecycle.stop(c, timeoutSeconds);
            }
            return lifecycle.start(c);
        }));
    }

    @Override
    public int waitFor(String idOrName, Set<ContainerStatus> conditions, long intervalMillis)
            throws InterruptedException {
        Set<ContainerStatus> until = conditions == null || conditions.isEmpty()
                ? EnumSet.of(ContainerStatus.EXITED, ContainerStatus.STOPPED) : EnumSet.copyOf(conditions);
        // as libpod: "stopped" and "exited" both mean the container's exit, whichever state it is seen in
        if (until.contains(ContainerStatus.STOPPED) || until.contains(ContainerStatus.EXITED)) {
            until.add(ContainerStatus.STOPPED);
            until.add(ContainerStatus.EXITED);
        }
        String id;
        try {
            id = gate.call(() -> names.containerId(idOrName));
        } catch (JpodException e) {
            OptionalInt code = JpodException.is(e, ErrorCode.NO_SUCH_CTR)
                    ? lifecycle.recordedExit(idOrName) : OptionalInt.empty();
            if (code.isPresent()) {
                return code.getAsInt();
            }
            throw e;
        }
        while (true) {
            long seen = changes.generation();
            Container c;
            try {
                c = gate.call(() -> parts.state().container(id));
            } catch (JpodException e) {
                if (JpodException.is(e, ErrorCode.NO_SUCH_CTR)) {
                    OptionalInt code = lifecycle.recordedExit(id);
                    if (code.isPresent()) {
                        return code.getAsInt();
                    }
                }
                throw e;
            }
            if (until.contains(c.state().status())) {
                return c.state().exitCode();
            }
            // the exit handler tells of every change; the interval bounds a wait on a missed one
            changes.awaitAfter(seen, Math.max(10, intervalMillis));
        }
    }

    @Override
    public List<LogLine> logs(String idOrName, int tail, Instant since) {
        return logs.read(idOrName, tail, since);
    }

    @Override
    public void logs(String idOrName, LogOptions options, Predicate<LogLine> sink) throws InterruptedException {
        logs.follow(idOrName, options, sink);
    }

    @Override
    public void attach(String idOrName, AttachStreams streams) throws InterruptedException {
        // a container that is not created in its runtime is initialised first: its conmon holds the output
        // from the start on, so that a client that attaches and then starts it misses nothing
        Container c = gate.call(() -> lifecycle.locked(withDependencies(idOrName), x -> {
            ContainerStatus st = x.state().status();
            return st == ContainerStatus.CONFIGURED || st == ContainerStatus.EXITED || st == ContainerStatus.STOPPED
                    ? lifecycle.init(x) : x;
        }));
        // not under the container's lock nor the gate: attach lasts as long as the container runs
        gate.call(() -> parts.runtime(c.config().ociRuntime())).attach(c,
                streams == null ? new AttachStreams(null, null, null) : streams);
    }

    @Override
    public void resizeTerminal(String idOrName, int height, int width) {
        TerminalSize.check(height, width);
        gate.run(() -> lifecycle.locked(names.containerId(idOrName), c -> {
            // as libpod's AttachResize
            if (c.state().status() != ContainerStatus.CREATED && c.state().status() != ContainerStatus.RUNNING) {
                throw Lifecycle.invalid(c, "can only be resized when created or running");
            }
            if (c.config().terminal()) {
                parts.runtime(c.config().ociRuntime()).resizeTerminal(c, height, width);
            }
            return null;
        }));
    }

    @Override
    public Container update(String idOrName, ContainerResources resources, String restartPolicy, int restartRetries) {
        return gate.call(() -> lifecycle.locked(names.containerId(idOrName),
                c -> updates.update(c, resources, restartPolicy, restartRetries)));
    }

    @Override
    public Container rename(String idOrName, String newName) {
        return gate.call(() -> renaming.rename(idOrName, newName));
    }

    @Override
    public String generateName() {
        return gate.call(names::uniqueName);
    }
}
