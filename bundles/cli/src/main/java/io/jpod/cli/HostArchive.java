package io.jpod.cli;

import io.jpod.linux.Linux;
import io.jpod.util.internal.FileTrees;
import io.jpod.util.internal.RootPaths;
import io.jpod.util.internal.RootPaths.Escape;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * The host's side of {@code jpod cp}: a host path as a tar (links inside stored as links, owners and modes kept),
 * and a tar from the service extracted into a host directory as podman's client does it: entries owned by the
 * user who runs the command, devices left out, a name that climbs out of the directory or goes through a link the
 * archive made refused, the last component never followed.
 */
final class HostArchive {
    private HostArchive() {
    }

    /** Writes {@code src} (a top-level link followed, as podman's cp does) as entries named {@code name}. */
    static void write(Path src, String name, OutputStream out) throws IOException {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        add(tar, src.toRealPath(), name);
        tar.finish();
        tar.flush();
    }

    private static void add(TarArchiveOutputStream tar, Path p, String name) throws IOException {
        Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,size,lastModifiedTime",
                LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) a.get("mode");
        int type = mode & 0170000;
        TarArchiveEntry e;
        if (type == 0040000) {
            e = new TarArchiveEntry(name + "/", TarConstants.LF_DIR);
        } else if (type == 0120000) {
            e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
            e.setLinkName(Files.readSymbolicLink(p).toString());
        } else if (type == 0100000) {
            e = new TarArchiveEntry(name, TarConstants.LF_NORMAL);
            e.setSize((Long) a.get("size"));
        } else if (type == 0010000) {
            e = new TarArchiveEntry(name, TarConstants.LF_FIFO);
        } else {
            // devices and sockets stay on the host
            return;
        }
        e.setMode(mode & 07777);
        e.setUserId(((Integer) a.get("uid")).longValue());
        e.setGroupId(((Integer) a.get("gid")).longValue());
        e.setModTime((FileTime) a.get("lastModifiedTime"));
        tar.putArchiveEntry(e);
        if (type == 0100000) {
            try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
                long left = e.getSize();
                byte[] buf = new byte[1 << 16];
                while (left > 0) {
                    int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                    if (n < 0) {
                        throw new IOException(p + " shrank while it was copied");
                    }
                    tar.write(buf, 0, n);
                    left -= n;
                }
            }
        }
        tar.closeArchiveEntry();
        if (type == 0040000) {
            List<Path> children = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(p)) {
                ds.forEach(children::add);
            }
            children.sort((x, y) -> x.getFileName().toString().compareTo(y.getFileName().toString()));
            for (Path c : children) {
                add(tar, c, name.equals(".") ? c.getFileName().toString() : name + "/" + c.getFileName());
            }
        }
    }

    /**
     * Extracts {@code in} into the existing directory {@code dir}; an entry whose first component is
     * {@code renameFrom} gets {@code renameTo} instead (a file copied to another name), when both are given.
     */
    static void extract(InputStream in, Path dir, String renameFrom, String renameTo, boolean noOverwriteDirNonDir)
            throws IOException {
        Path root = dir.toRealPath();
        Set<List<String>> madeLinks = new HashSet<>();
        List<Object[]> dirTimes = new ArrayList<>();
        TarArchiveInputStream tar = new TarArchiveInputStream(in);
        TarArchiveEntry e;
        while ((e = tar.getNextEntry()) != null) {
            List<String> comps = clean(e.getName());
            if (comps.isEmpty()) {
                continue;
            }
            if (renameFrom != null && comps.get(0).equals(renameFrom)) {
                comps.set(0, renameTo);
            }
            for (int i = 1; i < comps.size(); i++) {
                if (madeLinks.contains(comps.subList(0, i))) {
                    throw new IllegalArgumentException("archive entry \"" + e.getName()
                            + "\" refused: it would be written through a symbolic link the archive made");
                }
            }
            madeLinks.remove(comps);
            Path parent = RootPaths.resolveDir(root, comps.subList(0, comps.size() - 1), Escape.REFUSE,
                    RootPaths.MAX_LINKS, p -> Files.createDirectory(p));
            Path target = parent.resolve(comps.get(comps.size() - 1));
            BasicFileAttributes old = RootPaths.lstat(target);
            if (old != null && !(old.isDirectory() && e.isDirectory())) {
                if (noOverwriteDirNonDir && old.isDirectory() != e.isDirectory()) {
                    throw new IllegalArgumentException(old.isDirectory()
                            ? "cannot overwrite directory \"" + target + "\" with non-directory"
                            : "cannot overwrite non-directory \"" + target + "\" with directory");
                }
                FileTrees.delete(target);
                old = null;
            }
            if (e.isDirectory()) {
                if (old == null) {
                    Files.createDirectory(target);
                }
                Linux.chmod(target, e.getMode() & 07777);
                dirTimes.add(new Object[] {target, e.getLastModifiedTime()});
            } else if (e.isSymbolicLink()) {
                Files.createSymbolicLink(target, Path.of(e.getLinkName()));
                madeLinks.add(List.copyOf(comps));
            } else if (e.isLink()) {
                List<String> lc = clean(e.getLinkName());
                Path src = lc.isEmpty() ? null : RootPaths.resolveDir(root, lc.subList(0, lc.size() - 1),
                        Escape.REFUSE, RootPaths.MAX_LINKS, null);
                if (src == null || !Files.isRegularFile(src = src.resolve(lc.get(lc.size() - 1)),
                        LinkOption.NOFOLLOW_LINKS)) {
                    throw new IllegalArgumentException("archive entry \"" + e.getName()
                            + "\" refused: its hard link's source is no file of the archive");
                }
                Files.createLink(target, src);
            } else if (e.isFIFO()) {
                Linux.mkfifo(target, e.getMode() & 07777);
            } else if (e.isFile() && !e.isCharacterDevice() && !e.isBlockDevice()) {
                try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                    tar.transferTo(out);
                }
                Linux.chmod(target, e.getMode() & 07777);
                setTimes(target, e.getLastModifiedTime());
            }
        }
        for (int i = dirTimes.size() - 1; i >= 0; i--) {
            setTimes((Path) dirTimes.get(i)[0], (FileTime) dirTimes.get(i)[1]);
        }
    }

    private static List<String> clean(String name) {
        if (name == null || name.indexOf('\0') >= 0 || name.getBytes(StandardCharsets.UTF_8).length > 4096) {
            throw new IllegalArgumentException("archive entry refused: no path of at most 4096 bytes");
        }
        Deque<String> parts = new ArrayDeque<>();
        for (String p : name.split("/")) {
            if (p.isEmpty() || p.equals(".")) {
                continue;
            }
            if (p.equals("..")) {
                if (parts.isEmpty()) {
                    throw new IllegalArgumentException("archive entry \"" + name
                            + "\" refused: it leads outside the destination directory");
                }
                parts.removeLast();
            } else {
                parts.addLast(p);
            }
        }
        return new ArrayList<>(parts);
    }

    private static void setTimes(Path p, FileTime t) throws IOException {
        if (t != null) {
            Files.getFileAttributeView(p, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setTimes(t, t, null);
        }
    }
}
