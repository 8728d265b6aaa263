package io.jpod.image.internal;

import static io.jpod.image.internal.ImageErrors.invalid;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.util.internal.FileTrees;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.slf4j.LoggerFactory;

/**
 * The temp directory archives and layers are read into before anything is stored, emptied at every start
 * (what is in it belonged to a read that did not finish). Reading here takes no lock.
 */
final class ArchiveSpool {
    private final Path tmp;

    /** Empties {@code tmp}, or creates it. */
    ArchiveSpool(Path tmp) throws IOException {
        this.tmp = tmp;
        FileTrees.delete(tmp);
        Files.createDirectories(tmp);
    }

    /**
     * Unpacks an archive (plain or gzip tar) into a fresh temp directory; nothing may leave it. Every entry is
     * placed without following a link: its name is cleaned lexically ({@code ..} above the root and absolute names
     * refused), and each directory on its way is checked with {@code lstat}, so an entry under a symbolic link
     * (which image archives never hold) is refused rather than written where the link leads. Symbolic links are
     * kept only when relative and lexically inside (old docker-archives link identical layers); they are read
     * through {@link ArchivePaths}, which never leaves the directory either. Hard links must name a file of the
     * archive; devices, FIFOs and other types are refused.
     */
    Path extract(InputStream archive) {
        Path dir;
        try {
            dir = Files.createTempDirectory(tmp, "archive-");
        } catch (IOException e) {
            throw new JpodException(ErrorCode.INTERNAL, "cannot create a directory in " + tmp + ": "
                    + e.getMessage(), e);
        }
        try {
            int count = 0;
            TarArchiveInputStream tar = new TarArchiveInputStream(decompress(archive, "the archive"));
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                if (e.isGlobalPaxHeader()) {
                    continue;
                }
                count++;
                place(dir, e, tar);
            }
            if (count == 0) {
                throw invalid("the archive is empty or not a tar archive");
            }
            return dir;
        } catch (IOException | RuntimeException e) {
            ArchiveSpool.deleteQuietly(dir);
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw invalid("cannot read the archive: " + e.getMessage());
        }
    }

    private static void place(Path dir, TarArchiveEntry e, InputStream data) throws IOException {
        String name = e.getName();
        List<String> comps = clean(name);
        if (comps.isEmpty()) {
            return;
        }
        Path parent = directory(dir, comps.subList(0, comps.size() - 1), name);
        Path p = parent.resolve(comps.get(comps.size() - 1));
        BasicFileAttributes existing = ArchivePaths.lstat(p);
        if (e.isDirectory()) {
            if (existing == null) {
                Files.createDirectory(p);
            } else if (!existing.isDirectory()) {
                throw invalid("the archive's entry " + name + " is a directory over a file of the same name");
            }
            return;
        }
        if (existing != null) {
            if (existing.isDirectory()) {
                throw invalid("the archive's entry " + name + " is a file over a directory of the same name");
            }
            Files.delete(p);
        }
        if (e.isSymbolicLink()) {
            Path target = parent.resolve(e.getLinkName()).normalize();
            if (!e.getLinkName().startsWith("/") && target.startsWith(dir)) {
                Path rel = parent.relativize(target);
                Files.createSymbolicLink(p, rel.toString().isEmpty() ? Path.of(".") : rel);
            }
        } else if (e.isLink()) {
            Path source = ArchivePaths.file(dir, String.join("/", clean(e.getLinkName())));
            if (source == null) {
                throw invalid("the archive's entry " + name + " is a hard link to " + e.getLinkName()
                        + ", which is not a file of the archive");
            }
            Files.createLink(p, source);
        } else if (e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO()) {
            throw invalid("the archive's entry " + name + " is a device or FIFO, which image archives do not hold");
        } else if (e.isFile()) {
            try (OutputStream out = Files.newOutputStream(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS)) {
                data.transferTo(out);
            }
        } else {
            throw invalid("the archive's entry " + name + " is of a type image archives do not hold");
        }
    }

    /** A tar name as components: no root, no {@code .}, {@code ..} resolved lexically and refused above the root. */
    private static List<String> clean(String name) {
        if (name == null || name.startsWith("/") || name.indexOf('\0') >= 0) {
            throw invalid("the archive's entry " + name + " points outside the archive");
        }
        Deque<String> parts = new ArrayDeque<>();
        for (String c : name.split("/")) {
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                if (parts.isEmpty()) {
                    throw invalid("the archive's entry " + name + " points outside the archive");
                }
                parts.removeLast();
            } else {
                parts.addLast(c);
            }
        }
        return new ArrayList<>(parts);
    }

    /** The directory {@code comps} name below {@code dir}, made where missing; a symbolic link on the way is refused. */
    private static Path directory(Path dir, List<String> comps, String name) throws IOException {
        Path p = dir;
        for (String c : comps) {
            p = p.resolve(c);
            BasicFileAttributes a = ArchivePaths.lstat(p);
            if (a == null) {
                Files.createDirectory(p);
            } else if (a.isSymbolicLink()) {
                throw invalid("the archive's entry " + name + " lies under the symbolic link " + dir.relativize(p)
                        + ": an image archive's entries are never reached through a link");
            } else if (!a.isDirectory()) {
                throw invalid("the archive's entry " + name + " lies under " + dir.relativize(p)
                        + ", which is not a directory");
            }
        }
        return p;
    }

    /** Copies a (plain, gzip or zstd) layer into the spool, uncompressed, computing its diff ID. */
    SpooledLayer spool(InputStream raw, String what) throws IOException {
        Path f = Files.createTempFile(tmp, "layer-", ".tar");
        MessageDigest md = Digests.sha256();
        long n;
        try (OutputStream out = new DigestOutputStream(new BufferedOutputStream(Files.newOutputStream(f), 1 << 16),
                md)) {
            n = decompress(raw, what).transferTo(out);
        } catch (ZipException e) {
            Files.deleteIfExists(f);
            throw invalid(what + " is not valid gzip: " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(f);
            throw e;
        }
        return new SpooledLayer(f, Digests.SHA256 + Digests.hex(md.digest()), n);
    }

    /**
     * A spooled layer of a tar kept already ({@code kept}, of that diff ID): a hard link in the spool, which
     * stays whole when the kept one is removed (a copy where a link cannot be made).
     */
    SpooledLayer link(Path kept, String diffId) throws IOException {
        Path f = tmp.resolve("link-" + java.util.UUID.randomUUID()
                + "-" + Digests.hex(diffId).substring(0, 12) + ".tar");
        try {
            Files.createLink(f, kept);
        } catch (UnsupportedOperationException | IOException e) {
            if (e instanceof java.nio.file.NoSuchFileException) {
                throw (IOException) e;
            }
            Files.copy(kept, f, StandardCopyOption.REPLACE_EXISTING);
        }
        return new SpooledLayer(f, diffId, Files.size(f));
    }

    /** A new empty file in the spool, for what a push compresses. */
    Path newFile(String prefix) throws IOException {
        return Files.createTempFile(tmp, prefix, ".tmp");
    }

    private static InputStream decompress(InputStream raw, String what) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
        in.mark(8);
        byte[] m = in.readNBytes(4);
        in.reset();
        if (m.length >= 2 && (m[0] & 0xff) == 0x1f && (m[1] & 0xff) == 0x8b) {
            return new GZIPInputStream(in, 1 << 16);
        }
        if (m.length >= 4 && (m[0] & 0xff) == 0x28 && (m[1] & 0xff) == 0xb5 && (m[2] & 0xff) == 0x2f
                && (m[3] & 0xff) == 0xfd) {
            return new io.airlift.compress.zstd.ZstdInputStream(in);
        }
        return in;
    }

    /** Removes a spool directory after the real work is done or failed: a failure is only logged. */
    static void deleteQuietly(Path dir) {
        try {
            FileTrees.delete(dir);
        } catch (IOException e) {
            LoggerFactory.getLogger(ArchiveSpool.class).warn("cannot remove {}: {}", dir, e.getMessage());
        }
    }
}
