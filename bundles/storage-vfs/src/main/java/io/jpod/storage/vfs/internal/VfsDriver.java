package io.jpod.storage.vfs.internal;

import io.jpod.api.FileChange;
import io.jpod.storage.common.internal.LayerDriver;
import io.jpod.storage.common.internal.TarApplier;
import io.jpod.util.internal.AtomicFiles;
import io.jpod.util.internal.FileTrees;
import io.jpod.util.internal.HelperProcess;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * containers/storage's vfs layout: every layer is a full copy of its parent with its own changes applied,
 * in {@code <graphroot>/vfs/dir/<id>}. Copies are made with {@code cp -a} (modes, owners, times, hard
 * links, symlinks and extended attributes kept). Nothing is ever mounted: a container's root filesystem is
 * its layer directory.
 */
final class VfsDriver implements LayerDriver {
    static final String NAME = "vfs";
    /** How long {@code cp -a} of a layer may take. */
    static final Duration COPY_TIMEOUT = Duration.ofMinutes(30);

    private final Path home;

    VfsDriver(Path graphRoot) throws IOException {
        this.home = graphRoot.resolve(NAME).resolve("dir");
        // root's only, as podman's driver directories: the layers hold images' files with their own modes
        for (Path d : new Path[] {graphRoot, graphRoot.resolve(NAME), home}) {
            if (!Files.isDirectory(d)) {
                Files.createDirectories(d,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public TarApplier.Whiteouts whiteouts() {
        return TarApplier.Whiteouts.DELETE;
    }

    @Override
    public Path create(String id, String parent) throws IOException {
        Path dir = home.resolve(id);
        if (parent == null) {
            Files.createDirectory(dir);
            Files.setAttribute(dir, "unix:mode", 0755);
        } else {
            // a copy of a large layer takes a while; a stuck one (a hung file system) still ends
            HelperProcess.of("cp", "-a", "--", home.resolve(parent).toString(), dir.toString()).mergeErrors()
                    .timeout(COPY_TIMEOUT).runChecked();
        }
        return dir;
    }

    @Override
    public void rename(String from, String to) throws IOException {
        Files.move(home.resolve(from), home.resolve(to));
        AtomicFiles.syncDirectory(home);
    }

    @Override
    public Path mount(String id) {
        return home.resolve(id);
    }

    @Override
    public void unmount(String id, boolean force) {
        // nothing is mounted
    }

    @Override
    public boolean isMounted(String id) {
        return true;
    }

    @Override
    public void remove(String id) throws IOException {
        FileTrees.delete(home.resolve(id));
    }

    @Override
    public List<FileChange> changes(String id, String parent) throws IOException {
        return NaiveChanges.changes(home.resolve(id), parent == null ? null : home.resolve(parent));
    }

    @Override
    public void writeLayer(String id, String parent, OutputStream out) throws IOException {
        NaiveChanges.writeLayer(home.resolve(id), parent == null ? null : home.resolve(parent), out);
    }

    @Override
    public Set<String> layerDirs() throws IOException {
        Set<String> out = new HashSet<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(home)) {
            for (Path p : ds) {
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    out.add(p.getFileName().toString());
                }
            }
        }
        return out;
    }
}
