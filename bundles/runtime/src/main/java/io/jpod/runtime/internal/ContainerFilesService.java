package io.jpod.runtime.internal;

import io.jpod.api.Container;
import io.jpod.api.ContainerFiles;
import io.jpod.api.ContainerStatus;
import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ContainerFiles}: each call holds the container's lock, as the engine's other operations on it do, and
 * its root filesystem mounted (counted: a running container's mount stays) for as long as it reads or writes; a
 * running container is paused while its files are read or written.
 */
final class ContainerFilesService implements ContainerFiles {
    private static final Logger LOG = LoggerFactory.getLogger(ContainerFilesService.class);
    private final EngineGate gate;
    private final Names names;
    private final Parts parts;
    private final Lifecycle lifecycle;

    ContainerFilesService(EngineGate gate, Parts parts, Names names, Lifecycle lifecycle) {
        this.gate = gate;
        this.parts = parts;
        this.names = names;
        this.lifecycle = lifecycle;
    }

    @FunctionalInterface
    private interface Job<T> {
        T run(Container c, ContainerRoot root) throws IOException;
    }

    @Override
    public PathStat stat(String idOrName, String path) {
        CopyPaths.check(path);
        return io(() -> inContainer(idOrName, false, (c, root) -> PathStats.stat(CopyPaths.resolve(root, path,
                idOrName))));
    }

    @Override
    public PathStat read(String idOrName, String path, Function<PathStat, OutputStream> sink) throws IOException {
        CopyPaths.check(path);
        return inContainer(idOrName, true, (c, root) -> {
            CopyPaths p = CopyPaths.resolve(root, path, idOrName);
            PathStat st = PathStats.stat(p);
            PathArchive.write(p.host(), p.name(), sink.apply(st));
            return st;
        });
    }

    @Override
    public void write(String idOrName, String dir, InputStream tar, WriteOptions options) throws IOException {
        CopyPaths.check(dir);
        inContainer(idOrName, true, (c, root) -> {
            CopyPaths p = CopyPaths.resolve(root, dir, idOrName, true);
            if (!PathStats.stat(p).isDirectory()) {
                throw new JpodException(ErrorCode.INVALID_ARG, "extraction point is not a directory: " + dir
                        + " in container " + idOrName + " is no directory; extract into the directory it is in");
            }
            if (p.location().readOnly()) {
                throw new JpodException(ErrorCode.READ_ONLY, p.location().mountDest().equals("/")
                        ? "container rootfs is marked read-only"
                        : "mounted volume " + p.location().mountDest() + " is marked read-only");
            }
            ArchiveExtractor.Owner owner = options != null && options.chownToUser()
                    ? CopyOwner.of(root.rootfs(), c.config().user()) : null;
            ArchiveExtractor.extract(tar, p.location().root(), p.host(), owner,
                    options != null && options.noOverwriteDirNonDir());
            return null;
        });
    }

    /**
     * Runs {@code job} on the container's files under its lock. With {@code frozen}, a running container is paused
     * for the job (as podman 3's cp did): its processes cannot swap a directory for a link between the lookup
     * of a path and its use, which would lead the copy out of the container.
     */
    private <T> T inContainer(String idOrName, boolean frozen, Job<T> job) throws IOException {
        try {
            return gate.call(() -> lifecycle.locked(names.containerId(idOrName), c -> {
                boolean pause = frozen && c.state().status() == ContainerStatus.RUNNING;
                Container ctr = pause ? lifecycle.pause(c) : c;
                RuntimeException failure = null;
                try (ContainerRoot root = ContainerRoot.open(parts, ctr)) {
                    return job.run(ctr, root);
                } catch (IOException e) {
                    failure = new UncheckedIOException(e);
                    throw failure;
                } catch (RuntimeException e) {
                    failure = e;
                    throw e;
                } finally {
                    if (pause) {
                        thaw(ctr, failure);
                    }
                }
            }));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private void thaw(Container ctr, RuntimeException failure) {
        try {
            Container now = lifecycle.sync(parts.state().container(ctr.id()));
            if (now.state().status() == ContainerStatus.PAUSED) {
                lifecycle.unpause(now);
            }
        } catch (RuntimeException e) {
            LOG.warn("container {} could not be unpaused after a copy: {}; unpause it", ctr.name(), e.getMessage());
            if (failure == null) {
                throw e;
            }
            failure.addSuppressed(e);
        }
    }

    private interface IoCall<T> {
        T call() throws IOException;
    }

    /** A stat has no stream that may fail: a failing file system is the engine's error. */
    private static <T> T io(IoCall<T> call) {
        try {
            return call.call();
        } catch (IOException e) {
            throw new JpodException(ErrorCode.INTERNAL, "cannot read the path: " + e.getMessage());
        }
    }
}
