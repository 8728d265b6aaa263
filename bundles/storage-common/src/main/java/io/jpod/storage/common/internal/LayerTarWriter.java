package io.jpod.storage.common.internal;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes files of a tree as an uncompressed tar (POSIX pax for long names and large numbers), with the OCI
 * whiteouts of an image layer. Names are relative ({@code etc/passwd}, directories with a trailing slash).
 * A file's content is read through its {@link SafeDir}, and exactly the size lstat gave is written (a file
 * that grew is cut there, one that shrank is padded), so a file the container changes meanwhile cannot
 * break the archive. Hard links to a file written before become link entries. Sockets are left out, as
 * docker leaves them out.
 */
public final class LayerTarWriter implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(LayerTarWriter.class);
    public static final String WH_PREFIX = ".wh.";
    public static final String WH_OPAQUE = ".wh..wh..opq";
    private static final int S_IFSOCK = 0140000;

    private final BufferedOutputStream buffered;
    private final boolean layer;
    private final TarArchiveOutputStream tar;
    private final Map<Object, String> linked = new HashMap<>();
    private final byte[] buffer = new byte[1 << 16];
    private long entries;

    /** A writer of an image layer: names beginning with {@code .wh.} are whiteouts, not files. */
    public LayerTarWriter(OutputStream out) {
        this(out, true);
    }

    /** A writer of a plain tar of files ({@code export}), where any name is a file's. */
    public static LayerTarWriter plain(OutputStream out) {
        return new LayerTarWriter(out, false);
    }

    private LayerTarWriter(OutputStream out, boolean layer) {
        this.layer = layer;
        // the archive's 10 KiB blocks gathered into larger writes: an HTTP answer or a file takes fewer calls
        this.buffered = new BufferedOutputStream(out, 1 << 18);
        this.tar = new TarArchiveOutputStream(buffered, StandardCharsets.UTF_8.name());
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
    }

    /**
     * Writes entry {@code child} of {@code dir} as {@code name}; returns whether it was written (sockets are
     * not).
     */
    public boolean add(String name, SafeDir dir, String child, FileStat st) throws IOException {
        if (layer && child.startsWith(WH_PREFIX)) {
            // a layer reads such a name as a deletion: the container's file would delete another of the image
            LOG.warn("{} left out: a name beginning with {} marks a deletion in an image layer", name, WH_PREFIX);
            return false;
        }
        TarArchiveEntry e;
        String first = null;
        switch (st.type()) {
            case FileStat.S_IFDIR -> e = new TarArchiveEntry(name + "/", TarConstants.LF_DIR, true);
            case FileStat.S_IFLNK -> {
                e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
                try {
                    e.setLinkName(dir.readLink(child, st));
                } catch (IOException ex) {
                    return skipped(name, ex);
                }
            }
            case FileStat.S_IFCHR, FileStat.S_IFBLK -> {
                e = new TarArchiveEntry(name, st.type() == FileStat.S_IFCHR ? TarConstants.LF_CHR
                        : TarConstants.LF_BLK, true);
                e.setDevMajor(st.devMajor());
                e.setDevMinor(st.devMinor());
            }
            case FileStat.S_IFIFO -> e = new TarArchiveEntry(name, TarConstants.LF_FIFO, true);
            case FileStat.S_IFREG -> {
                first = st.nlink() > 1 ? linked.putIfAbsent(st.fileKey(), name) : null;
                if (first != null) {
                    e = new TarArchiveEntry(name, TarConstants.LF_LINK, true);
                    e.setLinkName(first);
                } else {
                    e = new TarArchiveEntry(name, TarConstants.LF_NORMAL, true);
                    e.setSize(st.size());
                }
            }
            default -> {
                if (st.type() != S_IFSOCK) {
                    LOG.warn("{} is of no type a tar holds (mode {}); left out", name, Integer.toOctalString(st.mode()));
                }
                return false;
            }
        }
        e.setMode(st.permissions());
        e.setUserId(st.uid());
        e.setGroupId(st.gid());
        e.setModTime(st.mtime());
        // opened before the header is written: a file gone meanwhile is left out, the archive stays whole
        InputStream content = null;
        if (st.isRegular() && first == null && st.size() > 0) {
            try {
                content = dir.open(child);
            } catch (IOException ex) {
                if (first == null) {
                    linked.remove(st.fileKey());
                }
                return skipped(name, ex);
            }
        }
        try (InputStream in = content) {
            tar.putArchiveEntry(e);
            if (in != null) {
                copyExactly(in, st.size());
            }
            tar.closeArchiveEntry();
        }
        entries++;
        return true;
    }

    private static boolean skipped(String name, IOException e) {
        LOG.warn("{} left out: {}", name, e.getMessage());
        return false;
    }

    private void copyExactly(InputStream in, long size) throws IOException {
        long left = size;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                break;
            }
            tar.write(buffer, 0, n);
            left -= n;
        }
        if (left > 0) {
            java.util.Arrays.fill(buffer, (byte) 0);
            while (left > 0) {
                int n = (int) Math.min(buffer.length, left);
                tar.write(buffer, 0, n);
                left -= n;
            }
        }
    }

    /** {@code parent/.wh.child}: the path {@code child} of directory {@code parent} ("" for the root) is deleted. */
    public void whiteout(String parent, String child) throws IOException {
        marker((parent.isEmpty() ? "" : parent + "/") + WH_PREFIX + child);
    }

    /** {@code dir/.wh..wh..opq}: nothing of the layers below shows in {@code dir}. */
    public void opaque(String dir) throws IOException {
        marker((dir.isEmpty() ? "" : dir + "/") + WH_OPAQUE);
    }

    private void marker(String name) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_NORMAL, true);
        e.setMode(0);
        e.setModTime(FileTime.fromMillis(0));
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
        entries++;
    }

    /** How many entries were written. */
    public long entries() {
        return entries;
    }

    /** Writes the end of the archive; the stream under it stays open. */
    public void finish() throws IOException {
        tar.finish();
        tar.flush();
        // the archive's own flush does not reach the stream under it
        buffered.flush();
    }

    @Override
    public void close() throws IOException {
        finish();
    }
}
