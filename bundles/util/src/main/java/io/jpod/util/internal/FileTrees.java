package io.jpod.util.internal;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/** Deletion of a directory tree that stays inside the tree. */
public final class FileTrees {
    /** How many of the entries that could not be deleted the exception's message names. */
    private static final int NAMED = 5;

    private FileTrees() {
    }

    /** What could not be deleted: each entry with the reason. */
    public static final class NotDeletedException extends IOException {
        private final transient List<Path> paths;

        NotDeletedException(Path root, List<Path> paths, List<String> reasons) {
            super(message(root, paths, reasons));
            this.paths = List.copyOf(paths);
        }

        /** The entries left behind, deepest first. */
        public List<Path> paths() {
            return paths;
        }

        private static String message(Path root, List<Path> paths, List<String> reasons) {
            StringBuilder sb = new StringBuilder("cannot delete ").append(paths.size())
                    .append(paths.size() == 1 ? " entry" : " entries").append(" of ").append(root).append(": ");
            for (int i = 0; i < Math.min(NAMED, paths.size()); i++) {
                sb.append(i == 0 ? "" : "; ").append(paths.get(i)).append(" (").append(reasons.get(i)).append(')');
            }
            if (paths.size() > NAMED) {
                sb.append("; and ").append(paths.size() - NAMED).append(" more");
            }
            return sb.toString();
        }
    }

    /**
     * Deletes {@code root} and everything below it; nothing when it does not exist. Symbolic links are
     * deleted, never followed (a link to a directory outside the tree leaves that directory alone; a root
     * that is itself a link loses only the link). A directory on another file system (a mount point inside
     * the tree, e.g. a bind mount of a volume) is not entered: it is reported (the directories above it stay),
     * so nothing outside the tree's file system is deleted through a forgotten mount. Everything else that
     * can be deleted is, before the exception tells what could not.
     *
     * @throws NotDeletedException naming what is left and why
     */
    public static void delete(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        List<Path> failed = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        Object rootDevice = device(root);
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                if (rootDevice != null && !dir.equals(root) && !rootDevice.equals(device(dir))) {
                    failed.add(dir);
                    reasons.add("a mount point: unmount it first");
                    return FileVisitResult.SKIP_SUBTREE;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                remove(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) {
                if (!(exc instanceof NoSuchFileException)) {
                    failed.add(file);
                    reasons.add(reason(exc));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) {
                if (exc != null && !(exc instanceof NoSuchFileException)) {
                    failed.add(dir);
                    reasons.add("cannot list it: " + reason(exc));
                    return FileVisitResult.CONTINUE;
                }
                if (!failed.isEmpty() && failed.get(failed.size() - 1).startsWith(dir)) {
                    // something below it is left: the directory cannot be empty, and it says so no better
                    return FileVisitResult.CONTINUE;
                }
                remove(dir);
                return FileVisitResult.CONTINUE;
            }

            private void remove(Path p) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    failed.add(p);
                    reasons.add(reason(e));
                }
            }
        });
        if (!failed.isEmpty()) {
            throw new NotDeletedException(root, failed, reasons);
        }
    }

    private static Object device(Path p) {
        try {
            return Files.getAttribute(p, "unix:dev", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return null;
        }
    }

    private static String reason(IOException e) {
        if (e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
