package io.jpod.image.internal;

import static io.jpod.image.internal.ImageErrors.invalid;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Names of an archive's or a layout's files, resolved inside its directory without ever leaving it. A name is
 * walked one component at a time with {@code lstat}: a symbolic link met on the way is expanded in place (a
 * relative target from the link's directory), so a {@code ..} counts from where the link really leads, as the
 * kernel would; an absolute name or link target, or a {@code ..} above the directory, is refused. The path
 * returned holds no symbolic link, so opening it follows none.
 */
final class ArchivePaths {
    /** As the kernel's limit on links followed in one lookup. */
    private static final int MAX_LINKS = 40;

    private ArchivePaths() {
    }

    /**
     * The regular file {@code name} names in {@code root} (a directory nobody else writes to), or null when
     * there is none.
     *
     * @throws io.jpod.api.JpodException INVALID_ARG when the name or a link on its way leads outside
     */
    static Path file(Path root, String name) throws IOException {
        Path p = resolve(root, name);
        if (p == null) {
            return null;
        }
        BasicFileAttributes a = lstat(p);
        return a != null && a.isRegularFile() ? p : null;
    }

    /** Whether {@code name} is a regular file of {@code root}; false too for a name that would leave it. */
    static boolean isFile(Path root, String name) {
        try {
            return file(root, name) != null;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static Path resolve(Path root, String name) throws IOException {
        if (name == null || name.isEmpty() || name.startsWith("/") || name.indexOf('\0') >= 0) {
            throw outside(name);
        }
        Deque<String> todo = new ArrayDeque<>();
        push(todo, name);
        Deque<String> cur = new ArrayDeque<>();
        int links = 0;
        while (!todo.isEmpty()) {
            String c = todo.removeFirst();
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                if (cur.isEmpty()) {
                    throw outside(name);
                }
                cur.removeLast();
                continue;
            }
            Path p = join(root, cur).resolve(c);
            BasicFileAttributes a = lstat(p);
            if (a == null) {
                return null;
            }
            if (a.isSymbolicLink()) {
                if (++links > MAX_LINKS) {
                    throw invalid(name + " of the archive has too many levels of symbolic links");
                }
                String target = Files.readSymbolicLink(p).toString();
                if (target.startsWith("/")) {
                    throw outside(name);
                }
                push(todo, target);
                continue;
            }
            if (!todo.isEmpty() && !a.isDirectory()) {
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

    static BasicFileAttributes lstat(Path p) throws IOException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static RuntimeException outside(String name) {
        return invalid("the archive's " + name + " points outside the archive");
    }
}
