package io.jpod.storage.overlay.internal;

import io.jpod.api.ErrorCode;
import io.jpod.api.FileChange;
import io.jpod.api.JpodException;
import io.jpod.linux.Linux;
import io.jpod.storage.common.internal.LayerDriver;
import io.jpod.storage.common.internal.MountInfo;
import io.jpod.storage.common.internal.TarApplier;
import io.jpod.util.internal.AtomicFiles;
import io.jpod.util.internal.FileTrees;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * containers/storage's overlay layout under {@code <graphroot>/overlay}: {@code <id>/diff} (the layer's
 * files, whiteouts as 0/0 character devices, opaque directories marked with trusted.overlay.opaque),
 * {@code <id>/work}, {@code <id>/merged} (the mount point), {@code <id>/link} (the layer's short name),
 * {@code <id>/lower} (the parents' short names, nearest first, {@code l/A:l/B}), and {@code l/<short>}, a
 * symlink to {@code ../<id>/diff}. The overlay is mounted (mount(2), through io.jpod.linux) with those short
 * paths relative to {@code <graphroot>/overlay}, which keeps the option string under the kernel's page-size
 * limit for about 130 layers.
 */
final class OverlayDriver implements LayerDriver {
    static final String NAME = "overlay";
    private static final int MAX_OPTIONS = 4095;
    private static final String LINK_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path home;

    OverlayDriver(Path graphRoot) throws IOException {
        this.home = graphRoot.resolve(NAME);
        Files.createDirectories(home.resolve("l"));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public TarApplier.Whiteouts whiteouts() {
        return TarApplier.Whiteouts.OVERLAY;
    }

    Path home() {
        return home;
    }

    @Override
    public Path create(String id, String parent) throws IOException {
        Path dir = home.resolve(id);
        Files.createDirectory(dir);
        Files.createDirectory(dir.resolve("diff"));
        Files.setAttribute(dir.resolve("diff"), "unix:mode", 0755);
        Files.createDirectory(dir.resolve("work"));
        Files.createDirectory(dir.resolve("merged"));
        String link = shortName();
        // nothing reads the new layer's directory before the store's layers.json names it, written after this:
        // its files need to be on disk by then, not to appear whole through a rename
        AtomicFiles.writeNew(dir.resolve("link"), link.getBytes(StandardCharsets.US_ASCII));
        Files.createSymbolicLink(home.resolve("l").resolve(link), Path.of("..", id, "diff"));
        if (parent != null) {
            Path p = home.resolve(parent);
            String lower = "l/" + read(p.resolve("link"));
            if (Files.exists(p.resolve("lower"))) {
                lower += ":" + read(p.resolve("lower"));
            }
            AtomicFiles.writeNew(dir.resolve("lower"), lower.getBytes(StandardCharsets.US_ASCII));
        }
        AtomicFiles.syncDirectory(dir);
        return dir.resolve("diff");
    }

    private static String shortName() {
        StringBuilder b = new StringBuilder(26);
        for (int i = 0; i < 26; i++) {
            b.append(LINK_CHARS.charAt(RANDOM.nextInt(LINK_CHARS.length())));
        }
        return b.toString();
    }

    private static String read(Path p) throws IOException {
        return Files.readString(p, StandardCharsets.US_ASCII).strip();
    }

    @Override
    public void rename(String from, String to) throws IOException {
        Files.move(home.resolve(from), home.resolve(to));
        Path link = home.resolve("l").resolve(read(home.resolve(to).resolve("link")));
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, Path.of("..", to, "diff"));
        AtomicFiles.syncDirectory(home);
    }

    @Override
    public Path mount(String id) throws IOException {
        Path dir = home.resolve(id);
        Path merged = dir.resolve("merged");
        String lower;
        if (Files.exists(dir.resolve("lower"))) {
            lower = read(dir.resolve("lower"));
        } else {
            Files.createDirectories(dir.resolve("empty"));
            lower = id + "/empty";
        }
        String options = "lowerdir=" + lower + ",upperdir=" + id + "/diff,workdir=" + id + "/work,index=off";
        if (options.length() > MAX_OPTIONS) {
            throw new JpodException(ErrorCode.INVALID_ARG, "the image of layer " + id
                    + " has too many layers for an overlay mount: " + ErrorCode.INVALID_ARG.text());
        }
        Linux.mount(home, "overlay", merged, "overlay", 0, options);
        return merged;
    }

    @Override
    public void unmount(String id, boolean force) throws IOException {
        Path merged = home.resolve(id).resolve("merged");
        if (!MountInfo.isMountPoint(merged)) {
            return;
        }
        try {
            Linux.umount(merged, 0);
        } catch (IOException e) {
            if (!force) {
                throw e;
            }
            Linux.umount(merged, Linux.MNT_DETACH);
        }
    }

    @Override
    public boolean isMounted(String id) {
        return MountInfo.isMountPoint(home.resolve(id).resolve("merged"));
    }

    @Override
    public void remove(String id) throws IOException {
        Path dir = home.resolve(id);
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        unmount(id, true);
        Path link = dir.resolve("link");
        if (Files.exists(link)) {
            Files.deleteIfExists(home.resolve("l").resolve(read(link)));
        }
        FileTrees.delete(dir);
    }

    @Override
    public List<FileChange> changes(String id, String parent) throws IOException {
        return UpperDirChanges.changes(home.resolve(id).resolve("diff"), lowerDirs(id));
    }

    @Override
    public void writeLayer(String id, String parent, OutputStream out) throws IOException {
        UpperDirChanges.writeLayer(home.resolve(id).resolve("diff"), out);
    }

    /** The diff directories of the layers under {@code id}, nearest first, as its {@code lower} file names them. */
    List<Path> lowerDirs(String id) throws IOException {
        Path lower = home.resolve(id).resolve("lower");
        if (!Files.exists(lower, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        List<Path> out = new ArrayList<>();
        for (String l : read(lower).split(":")) {
            if (!l.matches("l/[A-Z0-9]+")) {
                throw new IOException("layer " + id + " names a lower layer it cannot have: " + l);
            }
            out.add(home.resolve(l).toRealPath());
        }
        return out;
    }

    @Override
    public Set<String> layerDirs() throws IOException {
        Set<String> out = new HashSet<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(home)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (!n.equals("l") && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    out.add(n);
                }
            }
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(home.resolve("l"))) {
            for (Path p : ds) {
                if (!Files.exists(p)) {
                    Files.deleteIfExists(p);
                }
            }
        }
        return out;
    }
}
