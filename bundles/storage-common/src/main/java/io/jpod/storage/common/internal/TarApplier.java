package io.jpod.storage.common.internal;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.linux.Linux;
import io.jpod.util.internal.FileTrees;
import io.jpod.util.internal.RootPaths;
import io.jpod.util.internal.RootPaths.Escape;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemLoopException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a layer tar (plain, gzip or bzip2) to a directory, with OCI whiteouts, without ever writing
 * outside that directory.
 *
 * <p>Every entry name is cleaned lexically ({@code /} prefixes dropped, {@code ..} that climbs above the
 * root refused). Its parent is then resolved one component at a time without following symlinks: a
 * symlink met on the way is expanded inside the root (an absolute target counts from the root, a
 * {@code ..} stops at the root, as securejoin does), so a symlink to {@code /etc} sends later entries to
 * {@code <root>/etc}, never to the host's. The last component is never followed: what is there is removed
 * (a directory over a directory is kept) and the entry is created with O_EXCL / no-follow. Hard links must
 * name a non-directory inside the root. Device nodes are skipped (logged), except the 0/0 character
 * device that is overlay's own whiteout, which the overlay driver keeps.
 */
public final class TarApplier {
    private static final Logger LOG = LoggerFactory.getLogger(TarApplier.class);
    private static final String WH_PREFIX = ".wh.";
    private static final String WH_OPAQUE = ".wh..wh..opq";
    private static final int MAX_SYMLINKS = 255;

    /** How whiteouts are written. */
    public enum Whiteouts {
        /** As overlayfs reads them: a 0/0 character device, and trusted.overlay.opaque=y on a directory. */
        OVERLAY,
        /** Applied to a full copy of the parent: the file is deleted, an opaque directory is emptied. */
        DELETE
    }

    /** What was applied: {@code sha256:<hex>} of the uncompressed tar, and its length. */
    public record Result(String diffId, long size) {
    }

    private final Path root;
    private final Whiteouts mode;
    /** Paths (relative to the root) that this layer wrote, and their ancestors. */
    private final Set<Path> touched = new HashSet<>();
    private final Set<Path> opaque = new LinkedHashSet<>();
    private final List<Object[]> dirTimes = new ArrayList<>();
    private String entry;

    private TarApplier(Path root, Whiteouts mode) {
        this.root = root;
        this.mode = mode;
    }

    /**
     * Applies {@code tar} to {@code root}, which must be an existing directory with no symlink in its own
     * path that anyone else controls.
     *
     * @throws JpodException INVALID_ARG naming the entry for an entry that tries to leave the root or
     *                       makes no sense
     */
    public static Result apply(InputStream tar, Path root, Whiteouts mode) throws IOException {
        return new TarApplier(root.toRealPath(), mode).run(tar);
    }

    private Result run(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
        Hashing hashed = new Hashing(decompress(in));
        try (TarArchiveInputStream tar = new TarArchiveInputStream(hashed)) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                entry = e.getName();
                try {
                    applyEntry(e, tar);
                } catch (InvalidPathException ex) {
                    throw invalid("invalid path: " + ex.getMessage());
                }
            }
            entry = null;
            byte[] rest = new byte[8192];
            while (hashed.read(rest) >= 0) {
                // the digest covers the whole stream, trailing blocks included
            }
        }
        for (Path dir : opaque) {
            if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                Xattrs.setTrusted(dir, "trusted.overlay.opaque", "y");
            }
        }
        for (int i = dirTimes.size() - 1; i >= 0; i--) {
            Object[] d = dirTimes.get(i);
            setTimes((Path) d[0], (FileTime) d[1]);
        }
        return new Result("sha256:" + HexFormat.of().formatHex(hashed.digest.digest()), hashed.count);
    }

    private static InputStream decompress(BufferedInputStream in) throws IOException {
        in.mark(8);
        byte[] m = new byte[6];
        int n = in.readNBytes(m, 0, m.length);
        in.reset();
        if (n >= 2 && (m[0] & 0xff) == 0x1f && (m[1] & 0xff) == 0x8b) {
            return GzipCompressorInputStream.builder().setInputStream(in).setDecompressConcatenated(true).get();
        }
        if (n >= 3 && m[0] == 'B' && m[1] == 'Z' && m[2] == 'h') {
            return new BZip2CompressorInputStream(in, true);
        }
        if (n >= 4 && (m[0] & 0xff) == 0x28 && (m[1] & 0xff) == 0xb5 && (m[2] & 0xff) == 0x2f
                && (m[3] & 0xff) == 0xfd) {
            throw new JpodException(ErrorCode.INVALID_ARG,
                    "zstd-compressed layers are not supported: decompress the layer first (zstd -d)");
        }
        if (n >= 6 && (m[0] & 0xff) == 0xfd && m[1] == '7' && m[2] == 'z' && m[3] == 'X' && m[4] == 'Z') {
            throw new JpodException(ErrorCode.INVALID_ARG,
                    "xz-compressed layers are not supported: decompress the layer first (xz -d)");
        }
        return in;
    }

    private void applyEntry(TarArchiveEntry e, InputStream data) throws IOException {
        if (e.isGlobalPaxHeader()) {
            return;
        }
        List<String> comps = clean(e.getName());
        if (comps.isEmpty()) {
            if (e.isDirectory()) {
                setAttrs(root, e, false);
                dirTimes.add(new Object[] {root, e.getLastModifiedTime()});
                return;
            }
            throw invalid("an entry that is not a directory has no name");
        }
        String last = comps.get(comps.size() - 1);
        Path dir = resolveDir(comps.subList(0, comps.size() - 1), true);
        if (last.equals(WH_OPAQUE)) {
            opaqueDir(dir);
            return;
        }
        if (last.startsWith(WH_PREFIX)) {
            String name = last.substring(WH_PREFIX.length());
            if (name.isEmpty() || name.equals(".") || name.equals("..") || name.contains("/")) {
                throw invalid("invalid whiteout");
            }
            whiteout(dir.resolve(name));
            return;
        }
        Path target = dir.resolve(last);
        BasicFileAttributes existing = lstat(target);
        if (existing != null && !(existing.isDirectory() && e.isDirectory())) {
            FileTrees.delete(target);
            existing = null;
        }
        if (e.isDirectory()) {
            if (existing == null) {
                Files.createDirectory(target);
            }
            setAttrs(target, e, false);
            dirTimes.add(new Object[] {target, e.getLastModifiedTime()});
        } else if (e.isSymbolicLink()) {
            String link = e.getLinkName();
            if (link == null || link.isEmpty()) {
                throw invalid("symlink without a target");
            }
            Files.createSymbolicLink(target, Path.of(link));
            setAttrs(target, e, true);
        } else if (e.isLink()) {
            List<String> lc = clean(e.getLinkName());
            if (lc.isEmpty()) {
                throw invalid("hard link to the layer root");
            }
            Path linkDir = resolveDir(lc.subList(0, lc.size() - 1), false);
            Path source = linkDir == null ? null : linkDir.resolve(lc.get(lc.size() - 1));
            BasicFileAttributes sa = source == null ? null : lstat(source);
            if (sa == null) {
                throw invalid("hard link to " + e.getLinkName() + ", which is not in the layer");
            }
            if (sa.isDirectory()) {
                throw invalid("hard link to a directory");
            }
            Files.createLink(target, source);
        } else if (e.isCharacterDevice() || e.isBlockDevice()) {
            if (mode == Whiteouts.OVERLAY && e.isCharacterDevice() && e.getDevMajor() == 0 && e.getDevMinor() == 0) {
                Linux.whiteout(target);
            } else {
                LOG.warn("layer entry {}: device node {}:{} skipped (device nodes are not extracted)", entry,
                        e.getDevMajor(), e.getDevMinor());
                return;
            }
        } else if (e.isFIFO()) {
            // the JDK changes owners, modes and times through open(), which would block on a FIFO; the owner
            // first, since a change of owner clears the set-user-ID and set-group-ID bits
            Linux.mkfifo(target, 0600);
            Linux.lchown(target, e.getLongUserId(), e.getLongGroupId());
            Linux.chmod(target, e.getMode() & 07777);
        } else if (e.isFile()) {
            try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                data.transferTo(out);
            }
            setAttrs(target, e, false);
        } else {
            LOG.warn("layer entry {}: unsupported tar entry type skipped", entry);
            return;
        }
        touch(target);
    }

    /** Cleans a tar name: no root, no {@code .}, {@code ..} resolved lexically and refused above the root. */
    private List<String> clean(String name) {
        if (name == null || name.indexOf('\0') >= 0) {
            throw invalid("invalid name");
        }
        Deque<String> parts = new ArrayDeque<>();
        for (String p : name.split("/")) {
            if (p.isEmpty() || p.equals(".")) {
                continue;
            }
            if (p.equals("..")) {
                if (parts.isEmpty()) {
                    throw invalid("path escapes the layer root");
                }
                parts.removeLast();
            } else {
                parts.addLast(p);
            }
        }
        return new ArrayList<>(parts);
    }

    /**
     * Resolves directory components below the root without leaving it: symlinks are expanded inside the
     * root, missing directories are created (or null is returned when {@code create} is false).
     */
    private Path resolveDir(List<String> comps, boolean create) throws IOException {
        try {
            return RootPaths.resolveDir(root, comps, Escape.CLAMP, MAX_SYMLINKS, create ? TarApplier::makeDir : null);
        } catch (FileSystemLoopException e) {
            throw invalid("too many levels of symbolic links");
        } catch (NotDirectoryException e) {
            throw invalid(root.relativize(Path.of(e.getFile())) + " is not a directory");
        }
    }

    private static void makeDir(Path p) throws IOException {
        Files.createDirectory(p);
        Files.setAttribute(p, "unix:mode", 0755, LinkOption.NOFOLLOW_LINKS);
    }

    private void whiteout(Path p) throws IOException {
        if (mode == Whiteouts.OVERLAY) {
            if (lstat(p) != null) {
                FileTrees.delete(p);
            }
            Linux.whiteout(p);
            touch(p);
        } else {
            deleteUntouched(p);
        }
    }

    private void opaqueDir(Path dir) throws IOException {
        if (mode == Whiteouts.OVERLAY) {
            opaque.add(dir);
            touch(dir);
        } else {
            for (Path child : list(dir)) {
                deleteUntouched(child);
            }
        }
    }

    /** Deletes what a lower layer put at {@code p}, keeping what this layer wrote there. */
    private void deleteUntouched(Path p) throws IOException {
        BasicFileAttributes a = lstat(p);
        if (a == null) {
            return;
        }
        if (!touched.contains(root.relativize(p))) {
            FileTrees.delete(p);
        } else if (a.isDirectory()) {
            for (Path child : list(p)) {
                deleteUntouched(child);
            }
        }
    }

    private static List<Path> list(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            ds.forEach(out::add);
        }
        return out;
    }

    private void touch(Path p) {
        for (Path r = root.relativize(p); r != null && !r.toString().isEmpty(); r = r.getParent()) {
            if (!touched.add(r)) {
                break;
            }
        }
    }

    private void setAttrs(Path p, TarArchiveEntry e, boolean symlink) throws IOException {
        Files.setAttribute(p, "unix:uid", (int) e.getLongUserId(), LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(p, "unix:gid", (int) e.getLongGroupId(), LinkOption.NOFOLLOW_LINKS);
        if (symlink) {
            try {
                setTimes(p, e.getLastModifiedTime());
            } catch (IOException | UnsupportedOperationException ex) {
                // a symlink's own times cannot be set everywhere; they matter little
            }
        } else if (e.isFile() || e.isDirectory()) {
            Files.setAttribute(p, "unix:mode", e.getMode() & 07777, LinkOption.NOFOLLOW_LINKS);
            if (!e.isDirectory()) {
                setTimes(p, e.getLastModifiedTime());
            }
        }
    }

    private static void setTimes(Path p, FileTime t) throws IOException {
        if (t != null) {
            Files.getFileAttributeView(p, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setTimes(t, t, null);
        }
    }

    static BasicFileAttributes lstat(Path p) throws IOException {
        return RootPaths.lstat(p);
    }

    private JpodException invalid(String what) {
        return new JpodException(ErrorCode.INVALID_ARG, "layer entry \"" + entry + "\": " + what + ": "
                + ErrorCode.INVALID_ARG.text());
    }

    /** Counts and hashes what the tar reader consumes. */
    private static final class Hashing extends FilterInputStream {
        final MessageDigest digest;
        long count;

        Hashing(InputStream in) {
            super(in);
            try {
                digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                digest.update((byte) b);
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                digest.update(b, off, n);
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] buf = new byte[8192];
            long done = 0;
            while (done < n) {
                int r = read(buf, 0, (int) Math.min(buf.length, n - done));
                if (r < 0) {
                    break;
                }
                done += r;
            }
            return done;
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
