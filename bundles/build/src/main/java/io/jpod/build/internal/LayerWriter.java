package io.jpod.build.internal;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes the layer tar of a COPY, ADD or WORKDIR step: the files as they will be in the image (owner and mode as
 * the flags say), their missing parent directories with the parent image's attributes where it has them.
 */
final class LayerWriter implements Closeable {
    /** The owner and mode given to what is written; {@code chmod} null keeps each file's own mode. */
    record Owner(long uid, long gid, Integer chmod) {
    }

    private final TarArchiveOutputStream tar;
    private final ImageFiles.Listing parent;
    private final Set<String> written = new HashSet<>();
    private int entries;

    LayerWriter(OutputStream out, ImageFiles.Listing parent) {
        this.tar = new TarArchiveOutputStream(out);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        this.parent = parent;
    }

    /**
     * The directories above {@code path} (image-absolute, cleaned), then {@code path} itself as a directory; those
     * the parent image lacks are made 0755 and owned as {@code owner} says (Docker's MkdirAllAndChownNew).
     */
    void directory(String path, Owner owner) throws IOException {
        parents(path, owner);
        if (!path.equals("/") && written.add(path)) {
            ImageFiles.Entry e = parent.get(path);
            if (e != null && e.dir()) {
                dirEntry(path, e.mode(), e.uid(), e.gid());
            } else {
                dirEntry(path, 0755, owner.uid(), owner.gid());
            }
        }
    }

    private void parents(String path) throws IOException {
        parents(path, new Owner(0, 0, null));
    }

    private void parents(String path, Owner owner) throws IOException {
        int i = 0;
        while ((i = path.indexOf('/', i + 1)) > 0) {
            String p = path.substring(0, i);
            if (written.add(p)) {
                ImageFiles.Entry e = parent.get(p);
                if (e != null && e.dir()) {
                    dirEntry(p, e.mode(), e.uid(), e.gid());
                } else {
                    dirEntry(p, 0755, owner.uid(), owner.gid());
                }
            }
        }
    }

    private void dirEntry(String path, int mode, long uid, long gid) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(path.substring(1) + "/", TarConstants.LF_DIR);
        e.setMode(040000 | (mode & 07777));
        e.setUserId(uid);
        e.setGroupId(gid);
        e.setModTime(System.currentTimeMillis());
        put(e, null);
    }

    /** A host file, link or directory tree (links not followed) at {@code dest}. */
    void copy(Path src, String dest, Owner owner, boolean top) throws IOException {
        PosixFileAttributes a = Files.readAttributes(src, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (a.isDirectory()) {
            if (!top) {
                parents(dest);
                if (written.add(dest)) {
                    dirEntry(dest, owner.chmod() != null ? owner.chmod() : mode(a.permissions()), owner.uid(),
                            owner.gid());
                }
            } else {
                directory(dest, owner);
            }
            List<Path> children;
            try (Stream<Path> s = Files.list(src)) {
                children = s.sorted().toList();
            }
            for (Path c : children) {
                copy(c, (dest.equals("/") ? "" : dest) + "/" + c.getFileName(), owner, false);
            }
            return;
        }
        parents(dest, owner);
        written.add(dest);
        if (a.isSymbolicLink()) {
            TarArchiveEntry e = new TarArchiveEntry(dest.substring(1), TarConstants.LF_SYMLINK);
            e.setLinkName(Files.readSymbolicLink(src).toString());
            e.setMode(0120777);
            e.setUserId(owner.uid());
            e.setGroupId(owner.gid());
            e.setModTime(a.lastModifiedTime().toMillis());
            put(e, null);
        } else if (a.isRegularFile()) {
            TarArchiveEntry e = new TarArchiveEntry(dest.substring(1));
            e.setMode(0100000 | (owner.chmod() != null ? owner.chmod() : mode(a.permissions())));
            e.setUserId(owner.uid());
            e.setGroupId(owner.gid());
            e.setSize(a.size());
            e.setModTime(a.lastModifiedTime().toMillis());
            put(e, src);
        }
    }

    /** An entry of an archive ADD extracts, already renamed under its destination, with its own owner. */
    void archiveEntry(TarArchiveEntry e, InputStream data) throws IOException {
        String name = "/" + e.getName().replaceAll("/+$", "");
        parents(name);
        written.add(name);
        tar.putArchiveEntry(e);
        if (e.isFile()) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = data.read(buf)) > 0) {
                tar.write(buf, 0, n);
            }
        }
        tar.closeArchiveEntry();
        entries++;
    }

    private void put(TarArchiveEntry e, Path content) throws IOException {
        tar.putArchiveEntry(e);
        if (content != null) {
            try (InputStream in = Files.newInputStream(content, LinkOption.NOFOLLOW_LINKS)) {
                byte[] buf = new byte[1 << 16];
                int n;
                long left = e.getSize();
                while (left > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, left))) > 0) {
                    tar.write(buf, 0, n);
                        left -= n;
                }
                if (left > 0) {
                    throw new IOException(content + " shrank while it was copied");
                }
            }
        }
        tar.closeArchiveEntry();
        entries++;
    }

    int entries() {
        return entries;
    }

    static int mode(Set<PosixFilePermission> p) {
        int m = 0;
        PosixFilePermission[] all = PosixFilePermission.values();
        // OWNER_READ .. OTHERS_EXECUTE, most significant first
        for (int i = 0; i < all.length; i++) {
            if (p.contains(all[i])) {
                m |= 1 << (8 - i);
            }
        }
        return m;
    }

    @Override
    public void close() throws IOException {
        tar.close();
    }
}
