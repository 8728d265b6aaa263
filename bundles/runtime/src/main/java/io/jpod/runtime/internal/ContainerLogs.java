package io.jpod.runtime.internal;

import io.jpod.api.Container;
import io.jpod.api.ContainerStatus;
import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.api.LogLine;
import io.jpod.api.LogOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;

/** A container's log as its OCI runtime's monitor writes it (k8s-file), read or followed. */
final class ContainerLogs {
    private final EngineGate gate;
    private final Parts parts;

    ContainerLogs(EngineGate gate, Parts parts) {
        this.gate = gate;
        this.parts = parts;
    }

    List<LogLine> read(String idOrName, int tail, Instant since) {
        return gate.call(() -> {
            Container c = parts.state().lookupContainer(Names.requireId(idOrName));
            try {
                return K8sFileLog.read(parts.runtime(c.config().ociRuntime()).logPath(c), tail, since);
            } catch (IOException e) {
                throw unreadable(c, e);
            }
        });
    }

    void follow(String idOrName, LogOptions options, Predicate<LogLine> sink) throws InterruptedException {
        Container c = gate.call(() -> parts.state().lookupContainer(Names.requireId(idOrName)));
        Path log = gate.call(() -> parts.runtime(c.config().ociRuntime()).logPath(c));
        try (LogFollower follower = new LogFollower(log)) {
            follower.read(options == null ? LogOptions.all() : options, () -> mayGrow(c.id()), sink, 100);
        } catch (IOException e) {
            throw unreadable(c, e);
        }
    }

    /** Whether a container's process runs (or is paused, or stopping), as stored: its log may still grow. */
    private boolean mayGrow(String id) {
        try {
            ContainerStatus st = gate.call(() -> parts.state().container(id)).state().status();
            return st == ContainerStatus.RUNNING || st == ContainerStatus.PAUSED || st == ContainerStatus.STOPPING;
        } catch (JpodException gone) {
            return false;
        }
    }

    private static JpodException unreadable(Container c, IOException e) {
        return new JpodException(ErrorCode.INTERNAL, "cannot read the log of container " + c.name() + ": "
                + e.getMessage());
    }
}
