package io.jpod.runtime.internal;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.linux.Linux;
import io.jpod.util.internal.FileTrees;
import io.jpod.util.internal.RootPaths;
import io.jpod.util.internal.RootPaths.Escape;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NotDirectoryException;
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
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Extracts a client's tar into a directory of a container, as docker's {@code Untar} does, with every entry
 * hostile until checked: a name that climbs out of the destination, a hard link whose source is outside it, a
 * relative symbolic link whose target leaves it, and an entry written through a link the archive itself made are
 * refused, naming the entry. Directories on an entry's way are resolved inside the root it lives under (a link
 * already in the container to {@code /} leads to the container's root); the last component is never followed:
 * what is there is replaced (a directory over a directory is kept), and the entry is made with O_EXCL/no-follow.
 * Owners, modes and times are the archive's, unless an owner is given for all.
 */
final class ArchiveExtractor {
    /** A name component longer than NAME_MAX is no file name on Linux. */
    static final int MAX_NAME = 255;

    /** Owner for every entry, or null to keep the archive's. */
    record Owner(long uid, long gid) {
    }

    private final Path root;
    private final List<String> dest;
    private final Owner owner;
    private final boolean noOverwriteDirNonDir;
    private final Set<List<String>> madeLinks = new HashSet<>();
    private final List<Object[]> dirTimes = new ArrayList<>();
    private String entry;

    private ArchiveExtractor(Path root, List<String> dest, Owner owner, boolean noOverwriteDirNonDir) {
        this.root = root;
        this.dest = dest;
        this.owner = owner;
        this.noOverwriteDirNonDir = noOverwriteDirNonDir;
    }

    /**
     * Extracts {@code raw} (a tar, plain or gzip or bzip2) into {@code destDir}, an existing directory with no
     * link on its way below {@code root}.
     *
     * @throws JpodException INVALID_ARG naming the entry that is refused, or for a stream that is no tar
     */
    static void extract(InputStream raw, Path root, Path destDir, Owner owner, boolean noOverwriteDirNonDir)
            throws IOException {
        Path r = root.toRealPath();
        Path d = destDir.toRealPath();
        if (!d.startsWith(r)) {
            throw new IllegalArgumentException(destDir + " is not below " + root);
        }
        List<String> dest = new ArrayList<>();
        r.relativize(d).forEach(c -> {
            if (!c.toString().isEmpty()) {
                dest.add(c.toString());
            }
        });
        new ArchiveExtractor(r, dest, owner, noOverwriteDirNonDir).run(raw);
    }

    private void run(InputStream raw) throws IOException {
        TarArchiveInputStream tar = new TarArchiveInputStream(decompress(new BufferedInputStream(raw, 1 << 16)));
        while (true) {
            TarArchiveEntry e;
            try {
                e = tar.getNextEntry();
            } catch (IOException | IllegalArgumentException bad) {
                throw new JpodException(ErrorCode.INVALID_ARG, "the archive is not a valid tar"
                        + (entry == null ? "" : " after entry \"" + entry + "\"") + ": " + bad.getMessage());
            }
            if (e == null) {
                break;
            }
            entry = e.getName();
            try {
                apply(e, tar);
            } catch (FileSystemException fs) {
                throw new JpodException(ErrorCode.INTERNAL, "archive entry \"" + entry + "\": cannot write "
                        + (fs.getFile() == null ? "it" : rel(Path.of(fs.getFile()))) + ": "
                        + (fs.getReason() == null ? fs.getClass().getSimpleName() : fs.getReason()));
            } catch (IOException broken) {
                // the stream, not the file system: the archive was cut or is no tar
                throw new JpodException(ErrorCode.INVALID_ARG, "the archive broke off in entry \"" + entry + "\": "
                        + broken.getMessage());
            }
        }
        for (int i = dirTimes.size() - 1; i >= 0; i--) {
            setTimes((Path) dirTimes.get(i)[0], (FileTime) dirTimes.get(i)[1]);
        }
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
        if (n >= 6 && (m[0] & 0xff) == 0xfd && m[1] == '7' && m[2] == 'z' && m[3] == 'X' && m[4] == 'Z') {
            throw new JpodException(ErrorCode.INVALID_ARG,
                    "xz-compressed archives are not supported: send it uncompressed or gzip-compressed");
        }
        if (n >= 4 && (m[0] & 0xff) == 0x28 && (m[1] & 0xff) == 0xb5 && (m[2] & 0xff) == 0x2f
                && (m[3] & 0xff) == 0xfd) {
            throw new JpodException(ErrorCode.INVALID_ARG,
                    "zstd-compressed archives are not supported: send it uncompressed or gzip-compressed");
        }
        return in;
    }

    private void apply(TarArchiveEntry e, InputStream data) throws IOException {
        if (e.isGlobalPaxHeader()) {
            return;
        }
        List<String> comps = clean(e.getName(), "its name");
        if (comps.isEmpty()) {
            if (e.isDirectory()) {
                // the destination itself ("./"): docker leaves it as it is
                return;
            }
            throw refused("an entry that is not a directory has no name");
        }
        for (int i = 1; i < comps.size(); i++) {
            if (madeLinks.contains(comps.subList(0, i))) {
                throw refused("it would be written through the symbolic link " + String.join("/", comps.subList(0, i))
                        + " the archive made");
            }
        }
        // whatever this entry is, it replaces a link an earlier entry made there
        madeLinks.remove(comps);
        Path dir = parentDir(comps.subList(0, comps.size() - 1));
        Path target = dir.resolve(comps.get(comps.size() - 1));
        BasicFileAttributes existing = RootPaths.lstat(target);
        if (existing != null && !(existing.isDirectory() && e.isDirectory())) {
            if (noOverwriteDirNonDir && existing.isDirectory()) {
                throw refused("cannot overwrite directory " + rel(target) + " with non-directory");
            }
            if (noOverwriteDirNonDir && e.isDirectory()) {
                throw refused("cannot overwrite non-directory " + rel(target) + " with directory");
            }
            FileTrees.delete(target);
            existing = null;
        }
        if (e.isDirectory()) {
            if (existing == null) {
                Files.createDirectory(target);
            }
            own(target, e);
            Linux.chmod(target, e.getMode() & 07777);
            dirTimes.add(new Object[] {target, e.getLastModifiedTime()});
        } else if (e.isSymbolicLink()) {
            String link = e.getLinkName();
            if (link == null || link.isEmpty() || link.indexOf('\0') >= 0
                    || link.getBytes(StandardCharsets.UTF_8).length > CopyPaths.MAX_PATH) {
                throw refused("a symbolic link needs a target of at most " + CopyPaths.MAX_PATH + " bytes");
            }
            if (!link.startsWith("/")) {
                // as docker's: a relative target may not climb out of the destination
                List<String> from = new ArrayList<>(comps.subList(0, comps.size() - 1));
                from.add(link);
                clean(String.join("/", from), "the target of its link " + link);
            }
            Files.createSymbolicLink(target, Path.of(link));
            own(target, e);
            try {
                setTimes(target, e.getLastModifiedTime());
            } catch (IOException | UnsupportedOperationException noLutimes) {
                // a link's own times matter little
            }
            madeLinks.add(List.copyOf(comps));
        } else if (e.isLink()) {
            List<String> lc = clean(e.getLinkName(), "the source of its hard link " + e.getLinkName());
            if (lc.isEmpty()) {
                throw refused("a hard link to the destination directory");
            }
            for (int i = 1; i <= lc.size(); i++) {
                if (i < lc.size() && madeLinks.contains(lc.subList(0, i))) {
                    throw refused("its hard link goes through the symbolic link " + String.join("/", lc.subList(0, i))
                            + " the archive made");
                }
            }
            Path source = existingDir(lc.subList(0, lc.size() - 1));
            BasicFileAttributes sa = source == null ? null : RootPaths.lstat(source = source.resolve(lc.get(lc.size() - 1)));
            if (sa == null) {
                throw refused("its hard link's source " + e.getLinkName() + " is not there");
            }
            if (sa.isDirectory()) {
                throw refused("a hard link to a directory");
            }
            Files.createLink(target, source);
        } else if (e.isCharacterDevice() || e.isBlockDevice()) {
            Linux.mknod(target, (e.isCharacterDevice() ? Linux.S_IFCHR : Linux.S_IFBLK) | 0600,
                    Linux.makedev(e.getDevMajor(), e.getDevMinor()));
            own(target, e);
            Linux.chmod(target, e.getMode() & 07777);
        } else if (e.isFIFO()) {
            // the JDK would open() a FIFO to change it: the owner first (it clears set-ID bits), then the mode
            Linux.mkfifo(target, 0600);
            own(target, e);
            Linux.chmod(target, e.getMode() & 07777);
        } else if (e.isFile()) {
            try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                data.transferTo(out);
            }
            own(target, e);
            Linux.chmod(target, e.getMode() & 07777);
            setTimes(target, e.getLastModifiedTime());
        } else {
            throw refused("tar entries of this type are not supported (only files, directories, links, devices "
                    + "and FIFOs)");
        }
    }

    /** An entry's name (or link) cleaned below the destination; refused when it climbs out or is no name. */
    private List<String> clean(String name, String what) {
        if (name == null || name.indexOf('\0') >= 0 || name.getBytes(StandardCharsets.UTF_8).length > CopyPaths.MAX_PATH) {
            throw refused(what + " is no path of at most " + CopyPaths.MAX_PATH + " bytes");
        }
        Deque<String> parts = new ArrayDeque<>();
        for (String p : name.split("/")) {
            if (p.isEmpty() || p.equals(".")) {
                continue;
            }
            if (p.equals("..")) {
                if (parts.isEmpty()) {
                    throw refused(what + " leads outside the destination directory");
                }
                parts.removeLast();
            } else {
                if (p.getBytes(StandardCharsets.UTF_8).length > MAX_NAME) {
                    throw refused(what + " has a component longer than " + MAX_NAME + " bytes");
                }
                parts.addLast(p);
            }
        }
        return new ArrayList<>(parts);
    }

    /** The directory an entry goes into, below the destination, links resolved inside the root, made if missing. */
    private Path parentDir(List<String> comps) throws IOException {
        List<String> all = new ArrayList<>(dest);
        all.addAll(comps);
        try {
            return RootPaths.resolveDir(root, all, Escape.CLAMP, CopyPaths.MAX_LINKS, this::makeDir);
        } catch (FileSystemLoopException e) {
            throw refused("too many levels of symbolic links");
        } catch (NotDirectoryException e) {
            throw refused(rel(Path.of(e.getFile())) + " is not a directory");
        }
    }

    private Path existingDir(List<String> comps) throws IOException {
        List<String> all = new ArrayList<>(dest);
        all.addAll(comps);
        try {
            return RootPaths.resolveDir(root, all, Escape.CLAMP, CopyPaths.MAX_LINKS, null);
        } catch (FileSystemLoopException e) {
            throw refused("too many levels of symbolic links");
        }
    }

    private void makeDir(Path p) throws IOException {
        Files.createDirectory(p);
        if (owner != null) {
            Linux.lchown(p, owner.uid(), owner.gid());
        }
        Linux.chmod(p, 0755);
    }

    private void own(Path p, TarArchiveEntry e) throws IOException {
        long uid = owner != null ? owner.uid() : e.getLongUserId();
        long gid = owner != null ? owner.gid() : e.getLongGroupId();
        if (uid < 0 || gid < 0 || uid > 0xfffffffeL || gid > 0xfffffffeL) {
            throw refused("owner " + uid + ":" + gid + " is no user and group ID");
        }
        Linux.lchown(p, uid, gid);
    }

    private static void setTimes(Path p, FileTime t) throws IOException {
        if (t != null) {
            Files.getFileAttributeView(p, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setTimes(t, t, null);
        }
    }

    /** A host path as the container path below the root it lives under, for messages. */
    private String rel(Path p) {
        return root.relativize(p).toString();
    }

    private JpodException refused(String what) {
        return new JpodException(ErrorCode.INVALID_ARG, "archive entry \"" + entry + "\" refused: " + what);
    }
}
