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
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
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

    /** Unpacks an archive (plain or gzip tar) into a fresh temp directory; nothing may leave it. */
    Path extract(InputStream archive) {
        Path dir;
        try {
            dir = Files.createTempDirectory(tmp, "archive-");
        } catch (IOException e) {
            throw new JpodException(ErrorCode.INTERNAL, "cannot create a directory in " + tmp + ": "
                    + e.getMessage(), e);
        }
        try {
            Path real = dir.toRealPath();
            int count = 0;
            TarArchiveInputStream tar = new TarArchiveInputStream(decompress(archive, "the archive"));
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                String name = e.getName();
                Path p = dir.resolve(name).normalize();
                if (name.startsWith("/") || !p.startsWith(dir)) {
                    throw invalid("the archive's entry " + name + " points outside the archive");
                }
                count++;
                if (p.equals(dir)) {
                    continue;
                }
                if (e.isDirectory()) {
                    Files.createDirectories(p);
                    continue;
                }
                Files.createDirectories(p.getParent());
                if (!p.getParent().toRealPath().startsWith(real)) {
                    throw invalid("the archive's entry " + name + " points outside the archive");
                }
                if (e.isSymbolicLink()) {
                    // old docker-archives link identical layers: only links that stay inside are kept
                    Path target = p.getParent().resolve(e.getLinkName()).normalize();
                    if (!e.getLinkName().startsWith("/") && target.startsWith(dir)) {
                        Files.deleteIfExists(p);
                        Files.createSymbolicLink(p, p.getParent().relativize(target));
                    }
                } else if (e.isFile()) {
                    Files.copy(tar, p, StandardCopyOption.REPLACE_EXISTING);
                }
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
