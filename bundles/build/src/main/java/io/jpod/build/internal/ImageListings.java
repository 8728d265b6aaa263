package io.jpod.build.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jpod.util.internal.AtomicFiles;
import io.jpod.util.internal.FileTrees;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listings of images' root filesystems, kept between builds: an image never changes, so what was read of it
 * once (through a container's export) holds as long as the image is there. A step's image gets its listing from
 * its parent's and the layer the step committed, without reading it again. One JSON file per image ID, readable by
 * root only; the build cache's prune removes them all.
 */
final class ImageListings {
    private static final Logger LOG = LoggerFactory.getLogger(ImageListings.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ID = Pattern.compile("[0-9a-f]{64}");
    private static final String WHITEOUT = ".wh.";
    private static final String OPAQUE = ".wh..wh..opq";

    /** What is kept of an entry: [dir 0|1, mode, uid, gid]. */
    record Stored(Map<String, long[]> entries, String passwd, String group) {
    }

    private final Path dir;

    ImageListings(Path dir) {
        this.dir = dir;
    }

    /** The listing kept for the image, or null. */
    ImageFiles.Listing get(String imageId) {
        Path f = file(imageId);
        if (f == null || !Files.isRegularFile(f)) {
            return null;
        }
        try {
            Stored s = JSON.readValue(Files.readAllBytes(f), Stored.class);
            Map<String, ImageFiles.Entry> entries = new HashMap<>(s.entries().size() * 2);
            s.entries().forEach((k, v) -> entries.put(k, new ImageFiles.Entry(v[0] != 0, (int) v[1], v[2], v[3])));
            return new ImageFiles.Listing(entries, s.passwd() == null ? "" : s.passwd(),
                    s.group() == null ? "" : s.group());
        } catch (IOException | RuntimeException e) {
            LOG.warn("the listing {} is unreadable and is read from the image again: {}", f, e.getMessage());
            return null;
        }
    }

    void put(String imageId, ImageFiles.Listing l) {
        Path f = file(imageId);
        if (f == null) {
            return;
        }
        Map<String, long[]> entries = new HashMap<>(l.entries().size() * 2);
        l.entries().forEach((k, e) -> entries.put(k, new long[] {e.dir() ? 1 : 0, e.mode(), e.uid(), e.gid()}));
        try {
            Files.createDirectories(dir);
            AtomicFiles.write(f, JSON.writeValueAsBytes(new Stored(entries, l.passwd(), l.group())),
                    AtomicFiles.OWNER_ONLY);
        } catch (IOException e) {
            LOG.warn("the listing {} could not be written: {}", f, e.getMessage());
        }
    }

    /** Removes every listing kept; returns how many there were. */
    int prune() {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int n;
        try (var s = Files.list(dir)) {
            n = (int) s.count();
            FileTrees.delete(dir);
        } catch (IOException e) {
            LOG.warn("the listings in {} could not be removed: {}", dir, e.getMessage());
            return 0;
        }
        return n;
    }

    /**
     * The listing of an image made of {@code parent} and the layer tar {@code layer} (as the image store applies
     * it: whiteouts remove a path and what is under it, an opaque directory hides the parent's contents of it).
     */
    static ImageFiles.Listing apply(ImageFiles.Listing parent, InputStream layer) throws IOException {
        Map<String, ImageFiles.Entry> entries = new HashMap<>(parent.entries());
        String passwd = parent.passwd();
        String group = parent.group();
        try (TarArchiveInputStream in = new TarArchiveInputStream(layer)) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                if (e.isGlobalPaxHeader()) {
                    continue;
                }
                String name = "/" + IgnorePatterns.clean(e.getName());
                if (name.equals("/")) {
                    continue;
                }
                int slash = name.lastIndexOf('/');
                String base = name.substring(slash + 1);
                String parentDir = slash == 0 ? "" : name.substring(0, slash);
                if (base.equals(OPAQUE)) {
                    removeUnder(entries, parentDir);
                    continue;
                }
                if (base.startsWith(WHITEOUT)) {
                    String gone = parentDir + "/" + base.substring(WHITEOUT.length());
                    entries.remove(gone);
                    removeUnder(entries, gone);
                    passwd = gone.equals("/etc/passwd") || gone.equals("/etc") ? "" : passwd;
                    group = gone.equals("/etc/group") || gone.equals("/etc") ? "" : group;
                    continue;
                }
                if (!e.isDirectory()) {
                    // a file over a directory replaces the directory and what was in it
                    removeUnder(entries, name);
                }
                entries.put(name, new ImageFiles.Entry(e.isDirectory(), e.getMode() & 07777, e.getLongUserId(),
                        e.getLongGroupId()));
                if (e.isFile() && e.getSize() < (1 << 20)) {
                    if (name.equals("/etc/passwd")) {
                        passwd = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    } else if (name.equals("/etc/group")) {
                        group = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    }
                }
            }
        }
        return new ImageFiles.Listing(entries, passwd, group);
    }

    private static void removeUnder(Map<String, ImageFiles.Entry> entries, String dir) {
        String prefix = dir + "/";
        entries.keySet().removeIf(k -> k.startsWith(prefix));
    }

    private Path file(String imageId) {
        return imageId != null && ID.matcher(imageId).matches() ? dir.resolve(imageId + ".json") : null;
    }
}
