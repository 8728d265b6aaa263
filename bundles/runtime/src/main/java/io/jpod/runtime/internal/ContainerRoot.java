package io.jpod.runtime.internal;

import io.jpod.api.Container;
import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.api.Mount;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * A container's files as the host reaches them: its root filesystem (mounted through the storage for as long as
 * this is open, counted, so a running container's mount stays), and its bind mounts and named volumes by their
 * sources. Which mount a path falls in is decided on the cleaned path, the deepest destination first, as podman's
 * copy does; links are then resolved inside the root found.
 */
final class ContainerRoot implements AutoCloseable {
    /**
     * Where a container path lives: under {@code root} (the container's root filesystem, or a mount's source) at
     * {@code rel} (components joined by {@code /}, empty for the root itself).
     *
     * @param mountDest the destination of the mount in the container, {@code /} for the root filesystem
     */
    record Location(Path root, String rel, String mountDest, boolean readOnly) {
        /** The container path of a host path below {@link #root}. */
        String containerPath(Path host) {
            String inside = root.relativize(host).toString();
            if (inside.isEmpty()) {
                return mountDest;
            }
            return mountDest.equals("/") ? "/" + inside : mountDest + "/" + inside;
        }
    }

    private record Bind(List<String> dest, Path source, boolean readOnly, String type) {
    }

    private final String name;
    private final Path rootfs;
    private final boolean readOnlyRoot;
    private final Runnable release;
    private final List<Bind> binds = new ArrayList<>();

    /**
     * The files of the container {@code name} at {@code rootfs} with {@code mounts}, whose volume sources
     * {@code volumes} gives by name; {@code release} runs at {@link #close()}.
     */
    ContainerRoot(String name, Path rootfs, List<Mount> mounts, boolean readOnlyRoot,
            Function<String, String> volumes, Runnable release) {
        this.name = name;
        this.rootfs = rootfs;
        this.readOnlyRoot = readOnlyRoot;
        this.release = release;
        for (Mount m : mounts) {
            String type = m.type() == null ? "bind" : m.type();
            Path source = switch (type) {
                case "bind" -> m.source() == null ? null : Path.of(m.source());
                case "volume" -> Path.of(volumes.apply(m.source()));
                default -> null;
            };
            binds.add(new Bind(CopyPaths.components(m.destination()), source, m.options().contains("ro"), type));
        }
        binds.sort(Comparator.comparingInt((Bind b) -> b.dest().size()).reversed());
    }

    /** Mounts the container's root filesystem unless it is a directory of the user's ({@code --rootfs}). */
    static ContainerRoot open(Parts parts, Container ctr) {
        boolean ro = ctr.config().security() != null && ctr.config().security().readonlyRootfs();
        Function<String, String> volumes = v -> parts.state().volume(v).mountPoint();
        String given = ctr.config().rootfs();
        if (given != null && !given.isEmpty()) {
            return new ContainerRoot(ctr.name(), Path.of(given), ctr.config().mounts(), ro, volumes, () -> { });
        }
        Path root = parts.storage().mount(ctr.id());
        Runnable unmount = () -> parts.storage().unmount(ctr.id(), false);
        try {
            return new ContainerRoot(ctr.name(), root, ctr.config().mounts(), ro, volumes, unmount);
        } catch (RuntimeException e) {
            unmount.run();
            throw e;
        }
    }

    /** Where the container path {@code comps} (cleaned, from {@code /}) lives. */
    Location locate(List<String> comps) {
        for (Bind b : binds) {
            if (comps.size() >= b.dest().size() && comps.subList(0, b.dest().size()).equals(b.dest())) {
                String dest = "/" + String.join("/", b.dest());
                if (b.source() == null) {
                    throw new JpodException(ErrorCode.INVALID_ARG, "copying to or from " + dest + " of container "
                            + name + " is not supported: it is a " + b.type() + " mount, which only the "
                            + "container's processes see; copy to or from a path outside it");
                }
                return new Location(b.source(), String.join("/", comps.subList(b.dest().size(), comps.size())),
                        dest, b.readOnly());
            }
        }
        return new Location(rootfs, String.join("/", comps), "/", readOnlyRoot);
    }

    /** The container's root filesystem on the host. */
    Path rootfs() {
        return rootfs;
    }

    @Override
    public void close() {
        release.run();
    }
}
