package io.jpod.util.internal;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;

/**
 * Names resolved inside a root directory that others (an image, an archive, a container) may have filled with
 * symbolic links, without ever leaving it. A name is walked one component at a time with {@code lstat}: a link met
 * on the way is expanded in place (a relative target from the link's directory), so a {@code ..} counts from where
 * the link really leads, as the kernel would. The path returned holds no symbolic link, so opening it follows none.
 */
public final class RootPaths {
    /** As the kernel's limit on links followed in one lookup. */
    public static final int MAX_LINKS = 40;

    /** What an absolute name or link target, or a {@code ..} above the root, means. */
    public enum Escape {
        /** Refused with {@link OutsideRootException}: the root is a directory of files, not a filesystem. */
        REFUSE,
        /** The root is {@code /}, as the root filesystem's own processes see it (as securejoin does). */
        CLAMP
    }

    /** Makes a directory a walk found missing. */
    @FunctionalInterface
    public interface DirMaker {
        void make(Path dir) throws IOException;
    }

    /** A name, or a link on its way, that leads outside the root (with {@link Escape#REFUSE}). */
    public static final class OutsideRootException extends FileSystemException {
        private static final long serialVersionUID = 1L;

        OutsideRootException(String name) {
            super(name, null, "leads outside the root");
        }
    }

    private RootPaths() {
    }

    /**
     * The host path of {@code name} (components separated by {@code /}) inside {@code root}, every link expanded;
     * null when a component is missing or one before the last is no directory.
     *
     * @throws OutsideRootException with {@link Escape#REFUSE}, when the name or a link leads outside
     * @throws FileSystemLoopException when more than {@code maxLinks} links are met
     */
    public static Path resolve(Path root, String name, Escape escape, int maxLinks) throws IOException {
        if (escape == Escape.REFUSE && name.startsWith("/")) {
            throw new OutsideRootException(name);
        }
        Deque<String> todo = new ArrayDeque<>();
        push(todo, name);
        return walk(root, todo, name, escape, maxLinks, false, null);
    }

    /**
     * The host path of the directory {@code comps} names inside {@code root}, every link expanded. A missing
     * component is made by {@code maker}; without one (null), a missing component or one that is no directory
     * gives null.
     *
     * @throws NotDirectoryException with a maker, naming the component that is no directory
     * @throws OutsideRootException with {@link Escape#REFUSE}, when a component or a link leads outside
     * @throws FileSystemLoopException when more than {@code maxLinks} links are met
     */
    public static Path resolveDir(Path root, Collection<String> comps, Escape escape, int maxLinks, DirMaker maker)
            throws IOException {
        return walk(root, new ArrayDeque<>(comps), String.join("/", comps), escape, maxLinks, true, maker);
    }

    private static Path walk(Path root, Deque<String> todo, String name, Escape escape, int maxLinks,
            boolean dirsOnly, DirMaker maker) throws IOException {
        Deque<String> cur = new ArrayDeque<>();
        int links = 0;
        while (!todo.isEmpty()) {
            String c = todo.removeFirst();
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                if (!cur.isEmpty()) {
                    cur.removeLast();
                } else if (escape == Escape.REFUSE) {
                    throw new OutsideRootException(name);
                }
                continue;
            }
            Path p = join(root, cur).resolve(c);
            BasicFileAttributes a = lstat(p);
            if (a == null) {
                if (maker == null) {
                    return null;
                }
                maker.make(p);
                cur.addLast(c);
                continue;
            }
            if (a.isSymbolicLink()) {
                if (++links > maxLinks) {
                    throw new FileSystemLoopException(name);
                }
                String target = Files.readSymbolicLink(p).toString();
                if (target.startsWith("/")) {
                    if (escape == Escape.REFUSE) {
                        throw new OutsideRootException(name);
                    }
                    cur.clear();
                }
                push(todo, target);
                continue;
            }
            if ((dirsOnly || !todo.isEmpty()) && !a.isDirectory()) {
                if (maker != null) {
                    throw new NotDirectoryException(p.toString());
                }
                return null;
            }
            cur.addLast(c);
        }
        return join(root, cur);
    }

    private static void push(Deque<String> todo, String path) {
        String[] parts = path.split("/");
        for (int i = parts.length - 1; i >= 0; i--) {
            todo.addFirst(parts[i]);
        }
    }

    private static Path join(Path root, Deque<String> comps) {
        Path p = root;
        for (String c : comps) {
            p = p.resolve(c);
        }
        return p;
    }

    /** The attributes of {@code p} itself (a link is not followed); null when there is no such file. */
    public static BasicFileAttributes lstat(Path p) throws IOException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }
}
