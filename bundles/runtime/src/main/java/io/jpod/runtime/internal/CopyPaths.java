package io.jpod.runtime.internal;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.util.internal.RootPaths;
import io.jpod.util.internal.RootPaths.Escape;
import java.io.IOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A path a client names in a container, resolved as docker's {@code ResolvePath} does: its directory with every
 * link followed inside the container's root (a link to {@code /} or {@code ..} stops at that root, never the
 * host's), its last component not followed unless the path ends in {@code /} or {@code /.}.
 *
 * @param location  the root the path lives under (the container's or a mount's) and the path below it
 * @param host      the host path: no link on its way, the last component possibly a link
 * @param name      the name docker gives the path's entries and stat: the last component as spelled ({@code .}
 *                  for {@code dir/.}, {@code /} for the root)
 * @param contents  the path ends in {@code /.}: a directory's contents, not the directory
 * @param slash     the path ends in {@code /} or {@code /.}
 */
record CopyPaths(ContainerRoot.Location location, Path host, String name, boolean contents, boolean slash) {
    /** The links followed in one lookup at most, as the kernel's limit. */
    static final int MAX_LINKS = RootPaths.MAX_LINKS;
    /** PATH_MAX: a longer name is no path on Linux. */
    static final int MAX_PATH = 4096;

    /** The components of a container path, cleaned lexically from {@code /} ({@code ..} stops at the root). */
    static List<String> components(String path) {
        Deque<String> out = new ArrayDeque<>();
        for (String c : path.split("/")) {
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                out.pollLast();
            } else {
                out.addLast(c);
            }
        }
        return new ArrayList<>(out);
    }

    /** Refuses a path no client could mean. */
    static void check(String path) {
        if (path == null || path.isEmpty()) {
            throw new JpodException(ErrorCode.INVALID_ARG, "Path cannot be empty: give the path in the container");
        }
        if (path.indexOf('\0') >= 0) {
            throw new JpodException(ErrorCode.INVALID_ARG, "the path holds a NUL character: give a path without it");
        }
        if (path.length() > MAX_PATH) {
            throw new JpodException(ErrorCode.INVALID_ARG, "the path is longer than " + MAX_PATH
                    + " characters: give a shorter one");
        }
    }

    /**
     * Resolves {@code path} in the container whose files {@code root} reaches.
     *
     * @throws JpodException NO_SUCH_PATH when it is not there (its message is docker's), INVALID_ARG for a
     *                       loop of links or a non-directory named with a trailing {@code /}
     */
    static CopyPaths resolve(ContainerRoot root, String path, String container) {
        return resolve(root, path, container, false);
    }

    /** With {@code followLast}, a link at the end is followed too (a directory to extract into, as docker's). */
    static CopyPaths resolve(ContainerRoot root, String path, String container, boolean followLast) {
        check(path);
        boolean contents = path.endsWith("/.") || path.equals(".");
        boolean slash = contents || path.endsWith("/");
        boolean follow = slash || followLast;
        List<String> comps = components(path);
        ContainerRoot.Location loc = root.locate(comps);
        List<String> rel = loc.rel().isEmpty() ? List.of() : List.of(loc.rel().split("/"));
        String name = contents ? "." : comps.isEmpty() ? "/" : comps.get(comps.size() - 1);
        Path host;
        try {
            if (rel.isEmpty()) {
                host = loc.root();
            } else if (follow) {
                host = RootPaths.resolve(loc.root(), loc.rel(), Escape.CLAMP, MAX_LINKS);
            } else {
                Path dir = RootPaths.resolveDir(loc.root(), rel.subList(0, rel.size() - 1), Escape.CLAMP, MAX_LINKS,
                        null);
                host = dir == null ? null : dir.resolve(rel.get(rel.size() - 1));
            }
            BasicFileAttributes a = host == null ? null : RootPaths.lstat(host);
            if (a == null) {
                throw notFound(path, container);
            }
            if (slash && !a.isDirectory()) {
                throw new JpodException(ErrorCode.INVALID_ARG, path + " in container " + container
                        + " is not a directory: leave the trailing / off to name the file");
            }
        } catch (FileSystemLoopException e) {
            throw new JpodException(ErrorCode.INVALID_ARG, path + " in container " + container
                    + ": too many levels of symbolic links");
        } catch (IOException e) {
            throw new JpodException(ErrorCode.INTERNAL, "cannot look up " + path + " in container " + container
                    + ": " + e.getMessage());
        }
        return new CopyPaths(loc, host, name, contents, slash);
    }

    /**
     * Where a link at {@link #host} leads, followed inside the container: an absolute container path. A dangling
     * link's target is where it would be.
     */
    String linkTarget() throws IOException {
        Path full;
        try {
            full = RootPaths.resolve(location.root(), location.rel(), Escape.CLAMP, MAX_LINKS);
        } catch (FileSystemLoopException e) {
            full = null;
        }
        if (full != null) {
            return location.containerPath(full);
        }
        String target = Files.readSymbolicLink(host).toString();
        String dir = location.containerPath(host.getParent());
        return "/" + String.join("/", components(target.startsWith("/") ? target : dir + "/" + target));
    }

    /** Whether the path, a link at its end followed inside the container, is a directory. */
    boolean followedDirectory() throws IOException {
        try {
            Path full = RootPaths.resolve(location.root(), location.rel(), Escape.CLAMP, MAX_LINKS);
            BasicFileAttributes a = full == null ? null : RootPaths.lstat(full);
            return a != null && a.isDirectory();
        } catch (FileSystemLoopException e) {
            return false;
        }
    }

    static JpodException notFound(String path, String container) {
        return new JpodException(ErrorCode.NO_SUCH_PATH, "Could not find the file " + path + " in container "
                + container);
    }
}
