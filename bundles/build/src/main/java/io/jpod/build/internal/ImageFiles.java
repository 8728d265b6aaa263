package io.jpod.build.internal;

import io.jpod.api.Container;
import io.jpod.api.ContainerChanges;
import io.jpod.api.ContainerConfig;
import io.jpod.api.Containers;
import io.jpod.util.internal.RootPaths.Escape;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What is in an image's root filesystem, as a build step needs to know it: which paths are directories (a COPY
 * into an existing directory, a WORKDIR to make), their owners and modes, the user and group names, and for COPY
 * --from the files themselves. Read through a container of the engine that is created for it, never started,
 * and removed, once for each image: what was read is kept in {@link ImageListings}, and the image a step commits
 * gets its listing from its parent's and the step's layer.
 */
final class ImageFiles {
    record Entry(boolean dir, int mode, long uid, long gid) {
    }

    /** The paths of an image (absolute, cleaned), and its /etc/passwd and /etc/group. */
    record Listing(Map<String, Entry> entries, String passwd, String group) {
        static final Listing EMPTY = new Listing(Map.of(), "", "");

        Entry get(String path) {
            return entries.get(path);
        }

        boolean isDir(String path) {
            Entry e = entries.get(path);
            return e != null && e.dir();
        }
    }

    private final Containers containers;
    private final ContainerChanges changes;
    private final Path tmp;
    private final ImageListings kept;
    private final Map<String, Listing> listings = new HashMap<>();
    private final Map<String, Path> roots = new HashMap<>();

    ImageFiles(Containers containers, ContainerChanges changes, Path tmp, ImageListings kept) {
        this.containers = containers;
        this.changes = changes;
        this.tmp = tmp;
        this.kept = kept;
    }

    Listing list(String imageId) throws IOException {
        if (imageId == null) {
            return Listing.EMPTY;
        }
        Listing l = listings.get(imageId);
        if (l == null) {
            l = kept.get(imageId);
            if (l == null) {
                l = read(imageId);
                kept.put(imageId, l);
            }
            listings.put(imageId, l);
        }
        return l;
    }

    /**
     * Records the listing of {@code child}, committed from {@code parent} with {@code layer} (null: no files
     * changed), where the parent's is known; otherwise it is read when a step asks for it.
     */
    void committed(String parent, String child, Path layer) throws IOException {
        Listing p = parent == null ? Listing.EMPTY : listings.get(parent);
        if (p == null || child == null || listings.containsKey(child)) {
            return;
        }
        Listing l;
        if (layer == null) {
            l = p;
        } else {
            try (InputStream in = Files.newInputStream(layer)) {
                l = ImageListings.apply(p, in);
            }
        }
        listings.put(child, l);
        kept.put(child, l);
    }

    /** The image's files unpacked in a private directory (links inside kept as they are). */
    Path rootfs(String imageId) throws IOException {
        Path p = roots.get(imageId);
        if (p == null) {
            p = Files.createTempDirectory(tmp, "rootfs-");
            Path tar = export(imageId);
            try (InputStream in = Files.newInputStream(tar)) {
                ContextArchive.extract(in, p, Escape.CLAMP);
            } finally {
                Files.deleteIfExists(tar);
            }
            roots.put(imageId, p);
        }
        return p;
    }

    private Listing read(String imageId) throws IOException {
        Path tar = export(imageId);
        try (InputStream in = Files.newInputStream(tar)) {
            return ImageListings.apply(Listing.EMPTY, in);
        } finally {
            Files.deleteIfExists(tar);
        }
    }

    private Path export(String imageId) throws IOException {
        Container c = containers.createContainer(ContainerConfig.builder().image(imageId).imageId(imageId)
                .command(List.of("/bin/true")).networkMode("none")
                .labels(Map.of(StepContainers.LABEL, "files")).build());
        Path tar = Files.createTempFile(tmp, "export-", ".tar");
        try (OutputStream out = Files.newOutputStream(tar)) {
            changes.exportRootfs(c.config().id(), out);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tar);
            throw e;
        } finally {
            containers.removeContainer(c.config().id(), true);
        }
        return tar;
    }
}
