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
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
    private static final Logger LOG = LoggerFactory.getLogger(OverlayDriver.class);
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
        return create(id, parent, true);
    }

    /**
     * A container's layer is empty and everything in its directory is derived ({@link #repair} makes it again
     * at the next open), so it is not synced: three fsyncs fewer in every create.
     */
    @Override
    public Path createReadWrite(String id, String parent) throws IOException {
        return create(id, parent, false);
    }

    private Path create(String id, String parent, boolean durable) throws IOException {
        Path dir = home.resolve(id);
        Files.createDirectory(dir);
        Files.createDirectory(dir.resolve("diff"));
        Files.setAttribute(dir.resolve("diff"), "unix:mode", 0755);
        Files.createDirectory(dir.resolve("work"));
        Files.createDirectory(dir.resolve("merged"));
        String link = shortName();
        // nothing reads the new layer's directory before the store's layers.json names it, written after this:
        // a durable layer's files need to be on disk by then, not to appear whole through a rename
        writeNew(dir.resolve("link"), link, durable);
        Files.createSymbolicLink(home.resolve("l").resolve(link), Path.of("..", id, "diff"));
        if (parent != null) {
            writeNew(dir.resolve("lower"), lowerOf(parent), durable);
        }
        if (durable) {
            AtomicFiles.syncDirectory(dir);
        }
        return dir.resolve("diff");
    }

    private static void writeNew(Path file, String content, boolean durable) throws IOException {
        byte[] b = content.getBytes(StandardCharsets.US_ASCII);
        if (durable) {
            AtomicFiles.writeNew(file, b);
        } else {
            Files.write(file, b, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        }
    }

    /** The {@code lower} of a child of {@code parent}: the parent's link, then the parent's own lower list. */
    private String lowerOf(String parent) throws IOException {
        Path p = home.resolve(parent);
        String lower = "l/" + read(p.resolve("link"));
        if (Files.exists(p.resolve("lower"))) {
            lower += ":" + read(p.resolve("lower"));
        }
        return lower;
    }

    /**
     * What containers/storage's overlay driver does at its start (its {@code recreateSymlinks}), and more: a
     * missing or cut short {@code link} gets a new short name, a missing {@code l/} link is made, a
     * {@code lower} that does not name the parent's links is written again, and a container layer's missing
     * directories are made (empty, as it was created). An image layer whose directory is gone cannot be made
     * again: that is logged, and its users fail to mount. Each layer's lower list for its children is kept for
     * the pass, so a parent's files are read once, not once per child.
     */
    @Override
    public void repair(List<Recorded> layers) {
        Map<String, String> lowerForChildren = new HashMap<>();
        for (Recorded l : layers) {
            try {
                String parentLower = l.parent() == null ? null : lowerForChildren.containsKey(l.parent())
                        ? lowerForChildren.get(l.parent()) : lowerOf(l.parent());
                String link = repair(l.id(), l.container(), parentLower);
                if (link != null) {
                    lowerForChildren.put(l.id(), "l/" + link + (parentLower == null ? "" : ":" + parentLower));
                }
            } catch (IOException e) {
                // the store opens all the same: what uses the layer fails on its own, naming it
                LOG.warn("layer {} cannot be repaired: {}", l.id(), e.toString());
            }
        }
    }

    /** Repairs one layer whose lower list is {@code lower} (null for none); its short name, null when it has none. */
    private String repair(String id, boolean container, String lower) throws IOException {
        Path dir = home.resolve(id);
        List<String> made = new ArrayList<>();
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            if (!container) {
                LOG.warn("layer {} has no directory {}: its content is lost; remove the images that use it", id,
                        dir);
                return null;
            }
            Files.createDirectory(dir);
            made.add("its directory");
        }
        for (String sub : new String[] {"diff", "work", "merged"}) {
            Path d = dir.resolve(sub);
            if (!Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)) {
                if (sub.equals("diff") && !container) {
                    LOG.warn("layer {} has no diff directory: its content is lost; remove the images that use it", id);
                }
                Files.createDirectory(d);
                if (sub.equals("diff")) {
                    Files.setAttribute(d, "unix:mode", 0755);
                }
                made.add(sub);
            }
        }
        String link = linkName(dir.resolve("link"));
        if (link == null) {
            link = shortName();
            AtomicFiles.write(dir.resolve("link"), link.getBytes(StandardCharsets.US_ASCII));
            made.add("link");
        }
        Path symlink = home.resolve("l").resolve(link);
        if (!Files.exists(symlink, LinkOption.NOFOLLOW_LINKS)) {
            Files.createSymbolicLink(symlink, Path.of("..", id, "diff"));
            AtomicFiles.syncDirectory(home.resolve("l"));
            made.add("l/" + link);
        }
        if (lower != null) {
            Path file = dir.resolve("lower");
            if (!lower.equals(Files.exists(file, LinkOption.NOFOLLOW_LINKS) ? read(file) : null)) {
                AtomicFiles.write(file, lower.getBytes(StandardCharsets.US_ASCII));
                made.add("lower");
            }
        }
        if (!made.isEmpty()) {
            AtomicFiles.syncDirectory(dir);
            LOG.info("layer {}: made again what a crash took: {}", id, String.join(", ", made));
        }
        return link;
    }

    /** The short name in a {@code link} file; null when it is missing or not one (cut short by a crash). */
    private static String linkName(Path file) throws IOException {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        String s = read(file);
        return s.length() == 26 && s.chars().allMatch(c -> LINK_CHARS.indexOf(c) >= 0) ? s : null;
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
