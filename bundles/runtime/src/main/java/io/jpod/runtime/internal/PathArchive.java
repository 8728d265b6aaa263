package io.jpod.runtime.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A container path as the tar docker's archive endpoint gives: the path under its name, a directory with
 * everything below it (sorted, as Go's Walk), links stored as links and never followed, a file met again through
 * a hard link stored as a hard link, numeric owners, sockets left out.
 */
final class PathArchive {
    private static final Logger LOG = LoggerFactory.getLogger(PathArchive.class);
    private static final int S_IFMT = 0170000, S_IFDIR = 0040000, S_IFLNK = 0120000, S_IFREG = 0100000,
            S_IFCHR = 0020000, S_IFBLK = 0060000, S_IFIFO = 0010000;

    private final TarArchiveOutputStream tar;
    private final Map<String, String> seen = new HashMap<>();

    private PathArchive(OutputStream out) {
        tar = new TarArchiveOutputStream(out);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
    }

    /** Writes {@code host} as entries named {@code name} ({@code .} for a directory's contents), then the end. */
    static void write(Path host, String name, OutputStream out) throws IOException {
        PathArchive a = new PathArchive(out);
        a.add(host, name.equals("/") ? "." : name);
        a.tar.finish();
        a.tar.flush();
    }

    private void add(Path p, String name) throws IOException {
        Map<String, Object> a = PathStats.attributes(p);
        int mode = (Integer) a.get("mode");
        int type = mode & S_IFMT;
        TarArchiveEntry e;
        switch (type) {
            case S_IFDIR -> e = new TarArchiveEntry(name + "/", TarConstants.LF_DIR);
            case S_IFLNK -> {
                e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
                e.setLinkName(Files.readSymbolicLink(p).toString());
            }
            case S_IFREG -> {
                String key = a.get("dev") + ":" + a.get("ino");
                String first = (Integer) a.get("nlink") > 1 ? seen.putIfAbsent(key, name) : null;
                if (first != null) {
                    e = new TarArchiveEntry(name, TarConstants.LF_LINK);
                    e.setLinkName(first);
                } else {
                    e = new TarArchiveEntry(name, TarConstants.LF_NORMAL);
                    e.setSize((Long) a.get("size"));
                }
            }
            case S_IFCHR, S_IFBLK -> {
                e = new TarArchiveEntry(name, type == S_IFCHR ? TarConstants.LF_CHR : TarConstants.LF_BLK);
                long rdev = (Long) a.get("rdev");
                e.setDevMajor((int) (((rdev >>> 32) & 0xfffff000L) | ((rdev >>> 8) & 0xfff)));
                e.setDevMinor((int) (((rdev >>> 12) & 0xffffff00L) | (rdev & 0xff)));
            }
            case S_IFIFO -> e = new TarArchiveEntry(name, TarConstants.LF_FIFO);
            default -> {
                // docker's archive leaves sockets out too
                LOG.debug("{}: a socket, not archived", p);
                return;
            }
        }
        e.setMode(mode & 07777);
        e.setUserId(((Integer) a.get("uid")).longValue());
        e.setGroupId(((Integer) a.get("gid")).longValue());
        e.setModTime((FileTime) a.get("lastModifiedTime"));
        tar.putArchiveEntry(e);
        if (type == S_IFREG && !e.isLink()) {
            try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
                copy(in, e.getSize());
            }
        }
        tar.closeArchiveEntry();
        if (type == S_IFDIR) {
            List<Path> children = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(p)) {
                ds.forEach(children::add);
            }
            children.sort((x, y) -> x.getFileName().toString().compareTo(y.getFileName().toString()));
            for (Path c : children) {
                add(c, name + "/" + c.getFileName());
            }
        }
    }

    /** Exactly the size the header gave: a file that a running container grows or shrinks meanwhile is cut or padded. */
    private void copy(InputStream in, long size) throws IOException {
        byte[] buf = new byte[1 << 16];
        long left = size;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                break;
            }
            tar.write(buf, 0, n);
            left -= n;
        }
        java.util.Arrays.fill(buf, (byte) 0);
        while (left > 0) {
            int n = (int) Math.min(buf.length, left);
            tar.write(buf, 0, n);
            left -= n;
        }
    }
}
