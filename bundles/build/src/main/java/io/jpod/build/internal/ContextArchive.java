package io.jpod.build.internal;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.util.internal.FileTrees;
import io.jpod.util.internal.RootPaths;
import io.jpod.util.internal.RootPaths.Escape;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * A tar (plain, gzip or bzip2) unpacked into a private directory, every entry checked as hostile: an absolute
 * name or one that climbs out with {@code ..} is refused, a parent is resolved inside the directory without
 * ever following a link out of it, files are created without following links, hard links must name a file
 * inside. Symbolic links are kept as they are: what reads through them later resolves them inside the root.
 * Owners are not kept (COPY gives files to root unless told otherwise); device nodes and FIFOs are skipped.
 */
final class ContextArchive {
    private ContextArchive() {
    }

    /** Unpacks a client's context: names and links that lead outside are refused. */
    static void extract(InputStream body, Path root) throws IOException {
        extract(body, root, Escape.REFUSE);
    }

    /**
     * Unpacks a tar; with {@link Escape#CLAMP} (an image's root filesystem) an absolute link on the way counts
     * from the root, as it would inside a container.
     */
    static void extract(InputStream body, Path root, Escape escape) throws IOException {
        Path real = root.toRealPath();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(decompress(body))) {
            TarArchiveEntry e;
            List<Object[]> dirTimes = new ArrayList<>();
            while ((e = tar.getNextEntry()) != null) {
                if (e.isGlobalPaxHeader()) {
                    continue;
                }
                entry(tar, e, real, dirTimes, escape);
            }
            for (int i = dirTimes.size() - 1; i >= 0; i--) {
                Files.setLastModifiedTime((Path) dirTimes.get(i)[0], (FileTime) dirTimes.get(i)[1]);
            }
        } catch (JpodException ex) {
            throw ex;
        } catch (IOException ex) {
            if (ex instanceof RootPaths.OutsideRootException) {
                throw refused(ex.getMessage(), "leads outside the context");
            }
            throw new JpodException(ErrorCode.INVALID_ARG, "the build context is not a readable tar archive: "
                    + ex.getMessage());
        }
    }

    private static void entry(InputStream data, TarArchiveEntry e, Path root, List<Object[]> dirTimes,
            Escape escape) throws IOException {
        String name = e.getName();
        List<String> comps = components(name);
        if (comps.isEmpty()) {
            return;
        }
        Path dir = RootPaths.resolveDir(root, comps.subList(0, comps.size() - 1), escape, RootPaths.MAX_LINKS,
                Files::createDirectory);
        Path target = dir.resolve(comps.get(comps.size() - 1));
        BasicFileAttributes existing = RootPaths.lstat(target);
        if (existing != null && !(existing.isDirectory() && e.isDirectory())) {
            FileTrees.delete(target);
        }
        if (e.isDirectory()) {
            if (existing == null || !existing.isDirectory()) {
                Files.createDirectory(target);
            }
            Files.setPosixFilePermissions(target, mode(e.getMode() | 0700));
            dirTimes.add(new Object[] {target, e.getLastModifiedTime()});
        } else if (e.isSymbolicLink()) {
            if (e.getLinkName() == null || e.getLinkName().isEmpty()) {
                throw refused(name, "is a symbolic link without a target");
            }
            Files.createSymbolicLink(target, Path.of(e.getLinkName()));
        } else if (e.isLink()) {
            List<String> lc = components(e.getLinkName());
            Path source = lc.isEmpty() ? null : RootPaths.resolve(root, String.join("/", lc), escape,
                    RootPaths.MAX_LINKS);
            if (source == null || !Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)) {
                throw refused(name, "is a hard link to " + e.getLinkName() + ", which is no file in the context");
            }
            Files.createLink(target, source);
        } else if (e.isFile()) {
            try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                data.transferTo(out);
            }
            Files.setPosixFilePermissions(target, mode(e.getMode()));
            Files.setLastModifiedTime(target, e.getLastModifiedTime());
        }
        // device nodes and FIFOs have no place in a context: skipped
    }

    /** A name's components; refused when absolute or when {@code ..} climbs out. */
    static List<String> components(String name) {
        if (name == null || name.indexOf('\0') >= 0) {
            throw refused(String.valueOf(name), "is no valid name");
        }
        if (name.startsWith("/")) {
            throw refused(name, "is an absolute name");
        }
        List<String> out = new ArrayList<>();
        for (String c : name.split("/")) {
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                if (out.isEmpty()) {
                    throw refused(name, "climbs out of the context with ..");
                }
                out.remove(out.size() - 1);
                continue;
            }
            out.add(c);
        }
        return out;
    }

    private static JpodException refused(String name, String why) {
        return new JpodException(ErrorCode.INVALID_ARG, "the build context's entry " + name + " " + why
                + ": send a context whose entries stay inside it");
    }

    static Set<PosixFilePermission> mode(int mode) {
        Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] all = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
            PosixFilePermission.OWNER_READ};
        for (int i = 0; i < all.length; i++) {
            if ((mode & (1 << i)) != 0) {
                s.add(all[i]);
            }
        }
        return s;
    }

    /**
     * Whether the body starts as an archive would (gzip, bzip2, a tar header whose checksum adds up, or the end
     * block of an empty tar); {@code in} must support mark. Anything else is a Dockerfile sent alone
     * ({@code docker build - < Dockerfile}).
     */
    static boolean looksLikeArchive(InputStream in) throws IOException {
        in.mark(512);
        byte[] h = in.readNBytes(512);
        in.reset();
        if (h.length == 0) {
            return true;
        }
        if (h.length >= 2 && (h[0] & 0xff) == 0x1f && (h[1] & 0xff) == 0x8b
                || h.length >= 3 && h[0] == 'B' && h[1] == 'Z' && h[2] == 'h') {
            return true;
        }
        if (h.length < 512) {
            return false;
        }
        long sum = 0;
        boolean zero = true;
        for (int i = 0; i < 512; i++) {
            sum += i >= 148 && i < 156 ? ' ' : h[i] & 0xff;
            zero &= h[i] == 0;
        }
        if (zero) {
            return true;
        }
        String field = new String(h, 148, 8, java.nio.charset.StandardCharsets.US_ASCII).replace('\0', ' ').trim();
        return field.matches("[0-7]{1,8}") && Long.parseLong(field, 8) == sum;
    }

    private static InputStream decompress(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
        in.mark(4);
        int a = in.read();
        int b = in.read();
        int c = in.read();
        in.reset();
        if (a == 0x1f && b == 0x8b) {
            return GzipCompressorInputStream.builder().setInputStream(in).setDecompressConcatenated(true).get();
        }
        if (a == 'B' && b == 'Z' && c == 'h') {
            return new BZip2CompressorInputStream(in, true);
        }
        return in;
    }

    /** Removes what the ignore patterns exclude, below {@code root}. */
    static void applyIgnore(Path root, IgnorePatterns ignore) throws IOException {
        if (ignore.isEmpty()) {
            return;
        }
        prune(root, root, ignore);
    }

    private static void prune(Path root, Path dir, IgnorePatterns ignore) throws IOException {
        List<Path> children;
        try (var s = Files.list(dir)) {
            children = s.toList();
        }
        for (Path p : children) {
            String rel = root.relativize(p).toString();
            boolean isDir = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
            boolean excluded = ignore.excluded(rel);
            if (isDir && (!excluded || ignore.hasExceptions())) {
                prune(root, p, ignore);
                if (excluded && isEmpty(p)) {
                    Files.delete(p);
                }
            } else if (excluded) {
                FileTrees.delete(p);
            }
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }
}
