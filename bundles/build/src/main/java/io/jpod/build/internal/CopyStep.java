package io.jpod.build.internal;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.util.internal.RootPaths;
import io.jpod.util.internal.RootPaths.Escape;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * A COPY or ADD step as Docker's reference says: sources from the context (or with {@code --from} a stage or an
 * image), globs, a directory's contents copied rather than the directory, a destination that is a directory when it
 * ends with {@code /}, when there are several sources or when the image has a directory there; {@code --chown}
 * (names from the image's /etc/passwd and /etc/group) and {@code --chmod}; ADD of a local tar archive extracts it.
 * The layer is written here, from the files, and committed on top of the parent.
 */
final class CopyStep {
    private final DockerfileBuild build;
    private final StageState s;
    private final Instruction i;

    CopyStep(DockerfileBuild build, StageState s, Instruction i) {
        this.build = build;
        this.s = s;
        this.i = i;
    }

    void run() throws IOException {
        boolean add = i.keyword().equals("ADD");
        for (String f : List.of("link", "checksum", "keep-git-dir")) {
            if (i.flags().containsKey(f)) {
                throw DockerfileException.at(i.line(), i.keyword() + " --" + f + " is not supported by jpod's "
                        + "builder: drop it");
            }
        }
        List<String> args = i.json() ? i.args().stream().map(this::word).toList()
                : Words.words(i.text(), build.escape(), s::variable);
        if (args.size() < 2) {
            throw DockerfileException.at(i.line(), i.keyword() + " requires at least two arguments, but only "
                    + args.size() + " provided. Destination could not be determined");
        }
        List<String> sources = args.subList(0, args.size() - 1);
        String destArg = args.get(args.size() - 1);
        String from = i.flags().get("from");
        String dest = destArg.startsWith("/") ? destArg
                : (s.workingDir.isEmpty() ? "/" : s.workingDir + "/") + destArg;
        dest = "/" + IgnorePatterns.clean(dest);
        // the key first: a cached step needs neither the parent's files nor its layer
        String fromImage = null;
        List<Path> srcs = null;
        Set<Path> downloaded = new HashSet<>();
        String sum;
        if (from != null) {
            for (String src : sources) {
                if (src.matches("(?i)^https?://.*")) {
                    throw DockerfileException.at(i.line(), i.keyword() + " --from source can't be a URL (" + src
                            + "): use ADD without --from");
                }
            }
            // an image never changes: its ID and the names copied from it say what the files are
            fromImage = build.fromImage(word(from), i.line());
            sum = BuildCache.key(fromImage, sources.toArray(String[]::new));
        } else {
            srcs = contextSources(sources, add, downloaded);
            sum = SourceDigest.of(srcs);
        }
        String createdBy = "/bin/sh -c #(nop) " + i.keyword() + " " + (fromImage == null ? "" : "--from="
                + fromImage.substring(0, Math.min(12, fromImage.length())) + " ") + "multi:" + sum + " in "
                + dest + " ";
        String key = BuildCache.key(s.imageId, createdBy, s.cacheText(), String.valueOf(destArg),
                flag("chown"), flag("chmod"), String.valueOf(sources.size()));
        if (build.cached(s, key)) {
            return;
        }
        if (fromImage != null) {
            Path root = build.files().rootfs(fromImage);
            srcs = new ArrayList<>();
            for (String src : sources) {
                srcs.addAll(resolve(root, src, Escape.CLAMP));
            }
        }
        ImageFiles.Listing parent = build.files().list(s.imageId);
        boolean destDir = destArg.endsWith("/") || destArg.equals(".") || sources.size() > 1 || srcs.size() > 1
                && hasGlob(sources);
        if (parent.isDir(dest)) {
            destDir = true;
        }
        if (srcs.size() > 1 && !destDir) {
            throw DockerfileException.at(i.line(), "When using " + i.keyword() + " with more than one source file, "
                    + "the destination must be a directory and end with a /");
        }
        LayerWriter.Owner owner = owner(parent);
        Path layer = Files.createTempFile(build.work(), "layer-", ".tar");
        try {
            try (LayerWriter w = new LayerWriter(Files.newOutputStream(layer), parent)) {
                if (destDir) {
                    w.directory(dest, owner);
                }
                for (Path p : srcs) {
                    boolean isDir = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
                    // a remote archive is copied as it is, as Docker's builder does: only local ones are extracted
                    if (add && from == null && !isDir && !downloaded.contains(p) && isArchive(p)) {
                        w.directory(dest, new LayerWriter.Owner(0, 0, null));
                        extract(p, dest, w);
                    } else if (isDir) {
                        w.copy(p, dest, owner, true);
                    } else {
                        String target = destDir ? (dest.equals("/") ? "" : dest) + "/" + p.getFileName() : dest;
                        w.copy(p, target, owner, false);
                    }
                }
            }
            build.commit(s, layer, List.of(), createdBy, key);
        } finally {
            Files.deleteIfExists(layer);
        }
    }

    /** The context's files the sources name (ADD: a URL fetched into the build's directory). */
    private List<Path> contextSources(List<String> sources, boolean add, Set<Path> downloaded) throws IOException {
        List<Path> srcs = new ArrayList<>();
        for (String src : sources) {
            if (src.matches("(?i)^https?://.*")) {
                if (!add) {
                    throw DockerfileException.at(i.line(), i.keyword() + " source can't be a URL (" + src
                            + "): use ADD without --from");
                }
                Path p = RemoteSource.fetch(src, build.work(), i.line());
                downloaded.add(p);
                srcs.add(p);
                continue;
            }
            if (src.matches("(?i)^git://.*|.*\\.git(#.*)?$") && src.contains("://")) {
                throw DockerfileException.at(i.line(), i.keyword() + " of a git repository (" + src + ") is not "
                        + "supported by jpod's builder: clone it into the context and COPY it");
            }
            srcs.addAll(resolve(build.context(), src, Escape.REFUSE));
        }
        return srcs;
    }

    private String flag(String name) {
        String v = i.flags().get(name);
        return v == null ? "" : word(v);
    }

    private String word(String text) {
        return Words.word(text, build.escape(), s::variable);
    }

    private static boolean hasGlob(List<String> sources) {
        return sources.stream().anyMatch(x -> x.matches(".*[*?\\[].*"));
    }

    /** The host paths a source names (a glob may name several), every link on the way expanded inside the root. */
    private List<Path> resolve(Path root, String src, Escape escape) throws IOException {
        String rel = src.replaceAll("^/+", "");
        if (escape == Escape.REFUSE) {
            String cleaned = IgnorePatterns.clean(rel);
            if (climbs(rel)) {
                throw new JpodException(ErrorCode.INVALID_ARG, i.keyword() + " failed: forbidden path outside the "
                        + "build context: " + src + " (line " + i.line() + ")");
            }
            rel = cleaned;
        }
        if (!src.matches(".*[*?\\[].*")) {
            Path p;
            try {
                p = RootPaths.resolve(root, rel.isEmpty() ? "." : rel, escape, RootPaths.MAX_LINKS);
            } catch (RootPaths.OutsideRootException e) {
                throw new JpodException(ErrorCode.INVALID_ARG, i.keyword() + " failed: forbidden path outside the "
                        + "build context: " + src + " (line " + i.line() + ")");
            }
            if (p == null || !Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                throw new JpodException(ErrorCode.INVALID_ARG, i.keyword() + " failed: file not found in build "
                        + "context or excluded by .dockerignore: stat " + src + ": file does not exist");
            }
            return List.of(p);
        }
        PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + IgnorePatterns.clean(rel));
        List<Path> out = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(p -> !p.equals(root) && m.matches(root.relativize(p))).sorted().forEach(out::add);
        }
        if (out.isEmpty()) {
            throw new JpodException(ErrorCode.INVALID_ARG, i.keyword() + " failed: no source files were specified "
                    + "(" + src + " matches nothing in the build context)");
        }
        List<Path> resolved = new ArrayList<>();
        for (Path p : out) {
            try {
                Path r = RootPaths.resolve(root, root.relativize(p).toString(), escape, RootPaths.MAX_LINKS);
                if (r != null) {
                    resolved.add(r);
                }
            } catch (RootPaths.OutsideRootException e) {
                throw new JpodException(ErrorCode.INVALID_ARG, i.keyword() + " failed: forbidden path outside the "
                        + "build context: " + root.relativize(p) + " (line " + i.line() + ")");
            }
        }
        return resolved;
    }

    private static boolean climbs(String rel) {
        int depth = 0;
        for (String c : rel.split("/")) {
            if (c.equals("..")) {
                if (--depth < 0) {
                    return true;
                }
            } else if (!c.isEmpty() && !c.equals(".")) {
                depth++;
            }
        }
        return false;
    }

    private LayerWriter.Owner owner(ImageFiles.Listing parent) {
        Integer chmod = null;
        String cm = i.flags().get("chmod");
        if (cm != null) {
            String v = word(cm);
            if (!v.matches("[0-7]{3,4}")) {
                throw DockerfileException.at(i.line(), "invalid --chmod=" + v + ": give an octal mode such as 755");
            }
            chmod = Integer.parseInt(v, 8);
        }
        String co = i.flags().get("chown");
        if (co == null) {
            return new LayerWriter.Owner(0, 0, chmod);
        }
        String v = word(co);
        String[] ug = v.split(":", 2);
        long uid = id(ug[0], parent.passwd(), "user", v);
        long gid;
        if (ug.length == 2) {
            gid = id(ug[1], parent.group(), "group", v);
        } else if (ug[0].matches("\\d+")) {
            gid = uid;
        } else {
            gid = primaryGroup(ug[0], parent.passwd(), v);
        }
        return new LayerWriter.Owner(uid, gid, chmod);
    }

    private long id(String name, String file, String what, String flag) {
        if (name.matches("\\d+")) {
            return Long.parseLong(name);
        }
        for (String line : file.split("\n")) {
            String[] f = line.split(":");
            if (f.length >= 3 && f[0].equals(name) && f[2].matches("\\d+")) {
                return Long.parseLong(f[2]);
            }
        }
        throw DockerfileException.at(i.line(), "--chown=" + flag + ": no " + what + " " + name + " in the image's "
                + (what.equals("user") ? "/etc/passwd" : "/etc/group"));
    }

    private long primaryGroup(String user, String passwd, String flag) {
        for (String line : passwd.split("\n")) {
            String[] f = line.split(":");
            if (f.length >= 4 && f[0].equals(user) && f[3].matches("\\d+")) {
                return Long.parseLong(f[3]);
            }
        }
        throw DockerfileException.at(i.line(), "--chown=" + flag + ": no user " + user + " in the image's /etc/passwd");
    }

    private static boolean isArchive(Path p) throws IOException {
        byte[] h;
        try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
            h = in.readNBytes(512);
        }
        if (h.length >= 2 && (h[0] & 0xff) == 0x1f && (h[1] & 0xff) == 0x8b) {
            return true;
        }
        if (h.length >= 3 && h[0] == 'B' && h[1] == 'Z' && h[2] == 'h') {
            return true;
        }
        return h.length == 512 && new String(h, 257, 5, java.nio.charset.StandardCharsets.US_ASCII).equals("ustar");
    }

    /** ADD of a local archive: its entries under the destination, names checked, owners kept. */
    private void extract(Path archive, String dest, LayerWriter w) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(archive, LinkOption.NOFOLLOW_LINKS), 1 << 16);
        raw.mark(4);
        int a = raw.read();
        int b = raw.read();
        raw.reset();
        InputStream in = a == 0x1f && b == 0x8b ? GzipCompressorInputStream.builder().setInputStream(raw).setDecompressConcatenated(true).get()
                : a == 'B' && b == 'Z' ? new BZip2CompressorInputStream(raw, true) : raw;
        try (TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            TarArchiveEntry e;
            String base = dest.equals("/") ? "" : dest.substring(1) + "/";
            while ((e = tar.getNextEntry()) != null) {
                if (e.isGlobalPaxHeader()) {
                    continue;
                }
                List<String> comps;
                try {
                    comps = ContextArchive.components(e.getName().replaceAll("^/+", ""));
                } catch (JpodException ex) {
                    throw new JpodException(ErrorCode.INVALID_ARG, "ADD " + archive.getFileName() + ": the archive's "
                            + "entry " + e.getName() + " climbs out of its destination");
                }
                if (comps.isEmpty()) {
                    continue;
                }
                if (e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO()) {
                    continue;
                }
                e.setName(base + String.join("/", comps) + (e.isDirectory() ? "/" : ""));
                if (e.isLink()) {
                    List<String> lc = ContextArchive.components(e.getLinkName().replaceAll("^/+", ""));
                    e.setLinkName(base + String.join("/", lc));
                }
                w.archiveEntry(e, tar);
            }
        }
    }
}
