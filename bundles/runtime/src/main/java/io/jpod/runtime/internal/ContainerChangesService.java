package io.jpod.runtime.internal;

import io.jpod.api.Container;
import io.jpod.api.ContainerChanges;
import io.jpod.api.ErrorCode;
import io.jpod.api.FileChange;
import io.jpod.api.JpodException;
import java.io.OutputStream;
import java.util.List;
import java.util.function.Function;

/**
 * {@link ContainerChanges}: each call holds the container's lock, as the engine's other operations on it do; the
 * storage reads the container's layer (mounting its root filesystem, counted, only for {@code export}).
 */
final class ContainerChangesService implements ContainerChanges {
    private final EngineGate gate;
    private final Parts parts;
    private final Names names;
    private final Lifecycle lifecycle;

    ContainerChangesService(EngineGate gate, Parts parts, Names names, Lifecycle lifecycle) {
        this.gate = gate;
        this.parts = parts;
        this.names = names;
        this.lifecycle = lifecycle;
    }

    @Override
    public List<FileChange> changes(String idOrName) {
        return withLayer(idOrName, "diff", c -> MountPointFilter.visible(parts.storage().changes(c.id())));
    }

    @Override
    public void exportRootfs(String idOrName, OutputStream out) {
        withLayer(idOrName, "export", c -> {
            parts.storage().exportRootfs(c.id(), out);
            return null;
        });
    }

    @Override
    public void writeLayer(String idOrName, OutputStream out, boolean pause) {
        withLayer(idOrName, "commit", c -> PausedWhile.run(lifecycle, c, pause, () -> {
            parts.storage().writeLayer(c.id(), out);
            return null;
        }));
    }

    private <T> T withLayer(String idOrName, String what, Function<Container, T> body) {
        return gate.call(() -> lifecycle.locked(names.containerId(idOrName), c -> {
            String rootfs = c.config().rootfs();
            if (rootfs != null && !rootfs.isEmpty()) {
                throw new JpodException(ErrorCode.INVALID_ARG, "container " + c.name() + " runs on a root "
                        + "filesystem of its own (--rootfs " + rootfs + "), not on a layer of the storage: " + what
                        + " needs a container made from an image; archive " + rootfs + " itself instead");
            }
            return body.apply(c);
        }));
    }
}
