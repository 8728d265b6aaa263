package io.jpod.image.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpod.api.ErrorCode;
import io.jpod.api.ImageInfo;
import io.jpod.api.JpodException;
import io.jpod.util.internal.FileTrees;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.Rule;
import org.junit.Test;

/**
 * {@code load} of hand-made hostile archives on a real vfs storage: symlink chains, {@code ..}, absolute names,
 * manifests naming host files. Each is refused with a clear error, and nothing is made or read outside the spool.
 * The spool directory of a load is {@code <tmp>/storage/jpod-image/tmp/archive-*}: four levels below the test's
 * directory, where the hostile entries aim.
 */
public class HostileArchiveTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Rule
    public final VfsImages vfs = new VfsImages("jpod-hostile-archive");

    @Test
    public void aSymlinkChainCannotMakeDirectoriesOutsideTheSpool() throws IOException {
        // s leads back to the archive's root, x from there four levels up: lexically both stay inside
        byte[] archive = tar(t -> {
            dir(t, "d/a/b/c/");
            link(t, "d/a/b/c/s", "../../../..");
            link(t, "d/a/b/c/s/x", "../../../..");
            dir(t, "d/a/b/c/s/x/escaped-dir/");
            dir(t, "d/a/b/c/s/x/escaped-dir/deeper/");
            file(t, "d/a/b/c/s/x/escaped-file", "x");
        });
        JpodException e = refused(archive);
        assertFalse(Files.exists(vfs.tmp.resolve("escaped-dir")));
        assertFalse(Files.exists(vfs.tmp.resolve("escaped-file")));
        assertTrue(e.getMessage(), e.getMessage().contains("d/a/b/c/s/x")
                && e.getMessage().contains("symbolic link"));
        assertSpoolEmpty();
    }

    @Test
    public void aDirectoryEntryOverASymlinkIsNotFollowed() throws IOException {
        Path outside = Files.createDirectories(vfs.tmp.resolve("outside"));
        // a link that climbs out lexically is dropped; one to a sibling is kept, but a directory entry through it
        // is not written there
        byte[] archive = tar(t -> {
            dir(t, "real/");
            link(t, "l", "real");
            dir(t, "l/made-through-the-link/");
            link(t, "up", "../../../../outside");
            dir(t, "up/made-outside/");
        });
        JpodException e = refused(archive);
        assertTrue(e.getMessage(), e.getMessage().contains("symbolic link"));
        try (Stream<Path> s = Files.list(outside)) {
            assertEquals(0, s.count());
        }
        assertSpoolEmpty();
    }

    @Test
    public void namesThatLeaveTheArchiveAreRefused() throws IOException {
        for (String name : List.of("../escape", "a/../../escape", "/abs-escape", "./../escape")) {
            JpodException e = refused(tar(t -> file(t, name, "x")));
            assertTrue(name + ": " + e.getMessage(), e.getMessage().contains("outside the archive"));
        }
        assertFalse(Files.exists(vfs.tmp.resolve("storage/jpod-image/escape")));
        assertFalse(Files.exists(Path.of("/abs-escape")));
        assertSpoolEmpty();
    }

    @Test
    public void aManifestNamingHostFilesOrClimbingOutIsRefused() throws IOException {
        for (String path : List.of("/etc/passwd", "../../../../host.tar", "/proc/self/environ",
                vfs.tmp.resolve("host.tar").toString(), "blobs/../../x")) {
            assertLayerRefused(path, path, t -> { });
        }
    }

    @Test
    public void aManifestNamingALayerBehindLinksThatLeaveTheArchiveIsRefused() throws IOException {
        assertLayerRefused("d/a/b/c/s/x/host.tar", "d/a/b/c/s/x", t -> {
            dir(t, "d/a/b/c/");
            link(t, "d/a/b/c/s", "../../../..");
            link(t, "d/a/b/c/s/x", "../../../..");
        });
    }

    @Test
    public void aManifestNamingALayerThroughALinkChainOutOfTheArchiveIsRefused() throws IOException {
        // each link lexically inside (from a/), each one level further up physically: l5 is the test's directory
        assertLayerRefused("a/l5/host.tar", "a/l5/host.tar", t -> {
            dir(t, "a/");
            link(t, "a/l1", "..");
            link(t, "a/l2", "l1/..");
            link(t, "a/l3", "l2/..");
            link(t, "a/l4", "l3/..");
            link(t, "a/l5", "l4/..");
        });
    }

    @Test
    public void anOciLayoutWhoseBlobsLinkOutOfItIsRefused() throws IOException {
        byte[] layer = Busybox.tar(java.util.Map.of("hello", "hi"));
        Path host = vfs.tmp.resolve("host.tar");
        Files.write(host, layer);
        byte[] config = config(layer);
        for (String target : List.of(host.toString(), "../../../host.tar")) {
            Path layout = vfs.tmp.resolve("layout");
            FileTrees.delete(layout);
            Path blobs = Files.createDirectories(layout.resolve("blobs/sha256"));
            Files.write(blobs.resolve(Digests.sha256(config)), config);
            Files.createSymbolicLink(blobs.resolve(Digests.sha256(layer)), Path.of(target));
            ObjectNode m = JSON.createObjectNode();
            m.put("schemaVersion", 2);
            m.put("mediaType", Oci.MANIFEST);
            descriptor(m.putObject("config"), Oci.CONFIG, config);
            descriptor(m.putArray("layers").addObject(), Oci.LAYER, layer);
            byte[] manifest = JSON.writeValueAsBytes(m);
            Files.write(blobs.resolve(Digests.sha256(manifest)), manifest);
            ObjectNode index = JSON.createObjectNode();
            index.put("schemaVersion", 2);
            descriptor(index.putArray("manifests").addObject(), Oci.MANIFEST, manifest);
            Files.write(layout.resolve("index.json"), JSON.writeValueAsBytes(index));
            Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
            try {
                vfs.images.loadLayout(layout);
                throw new AssertionError("loaded a layout whose layer links to " + target);
            } catch (JpodException e) {
                assertEquals(e.getMessage(), ErrorCode.INVALID_ARG, e.code());
                assertTrue(e.getMessage(), e.getMessage().contains("outside"));
            }
        }
        assertEquals(List.of(), vfs.storage.images());
    }

    @Test
    public void jsonDocumentsLargerThanAnImageNeedsAreRefusedUnread() throws IOException {
        byte[] layer = Busybox.tar(java.util.Map.of("hello", "hi"));
        byte[] config = config(layer);
        // valid JSON, padded far beyond what a manifest.json holds (containers/image reads at most 1 MiB of it)
        String manifest = manifest("cfg.json", "layer.tar");
        String padded = " ".repeat(5 << 20) + manifest;
        JpodException e = refused(tar(t -> {
            file(t, "layer.tar", layer);
            file(t, "cfg.json", config);
            file(t, "manifest.json", padded);
        }));
        assertTrue(e.getMessage(), e.getMessage().contains("manifest.json") && e.getMessage().contains("larger than"));
        // and a config beyond what any image config is
        byte[] bigConfig = (" ".repeat(40 << 20) + new String(config, StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.UTF_8);
        e = refused(tar(t -> {
            file(t, "layer.tar", layer);
            file(t, "cfg.json", bigConfig);
            file(t, "manifest.json", manifest);
        }));
        assertTrue(e.getMessage(), e.getMessage().contains("cfg.json") && e.getMessage().contains("larger than"));
        assertEquals(List.of(), vfs.storage.images());
        assertSpoolEmpty();
    }

    @Test
    public void theOldLayoutsLinksBetweenIdenticalLayersStillLoad() throws IOException {
        byte[] layer = Busybox.tar(java.util.Map.of("hello", "hi"));
        ObjectNode c = JSON.createObjectNode();
        c.put("architecture", "amd64");
        c.put("os", "linux");
        c.putObject("config");
        ArrayNode ids = c.putObject("rootfs").put("type", "layers").putArray("diff_ids");
        ids.add("sha256:" + Digests.sha256(layer)).add("sha256:" + Digests.sha256(layer));
        byte[] config = JSON.writeValueAsBytes(c);
        String l1 = "1".repeat(64);
        String l2 = "2".repeat(64);
        List<ImageInfo> loaded = vfs.images.load(new ByteArrayInputStream(tar(t -> {
            dir(t, l1 + "/");
            file(t, l1 + "/layer.tar", layer);
            dir(t, l2 + "/");
            link(t, l2 + "/layer.tar", "../" + l1 + "/layer.tar");
            file(t, "cfg.json", config);
            file(t, "manifest.json", "[{\"Config\":\"cfg.json\",\"RepoTags\":[\"dup:1\"],\"Layers\":[\"" + l1
                    + "/layer.tar\",\"" + l2 + "/layer.tar\"]}]");
        })));
        assertEquals(1, loaded.size());
        assertEquals(2, loaded.get(0).layers().size());
        assertSpoolEmpty();
    }

    // ---- helpers

    private JpodException refused(byte[] archive) {
        try {
            vfs.images.load(new ByteArrayInputStream(archive));
        } catch (JpodException e) {
            assertEquals(e.getMessage(), ErrorCode.INVALID_ARG, e.code());
            return e;
        }
        throw new AssertionError("the archive was loaded");
    }

    /**
     * Loading an archive of {@code entries}, a config and a manifest whose layer is {@code layer} (a tar with that
     * config's digest lies on the host as {@code <tmp>/host.tar}) is refused naming {@code named}; nothing is stored.
     */
    private void assertLayerRefused(String layer, String named, Entries entries) throws IOException {
        byte[] host = Busybox.tar(java.util.Map.of("hello", "hi"));
        Files.write(vfs.tmp.resolve("host.tar"), host);
        byte[] config = config(host);
        String configName = "blobs/sha256/" + Digests.sha256(config);
        JpodException e = refused(tar(t -> {
            file(t, configName, config);
            entries.write(t);
            file(t, "manifest.json", manifest(configName, layer));
        }));
        assertTrue(layer + ": " + e.getMessage(), e.getMessage().contains(named));
        assertEquals(List.of(), vfs.storage.images());
        assertSpoolEmpty();
    }

    private void assertSpoolEmpty() throws IOException {
        try (Stream<Path> s = Files.list(vfs.tmp.resolve("storage/jpod-image/tmp"))) {
            assertEquals(0, s.count());
        }
    }

    private static byte[] config(byte[] layer) throws IOException {
        ObjectNode c = JSON.createObjectNode();
        c.put("architecture", "amd64");
        c.put("os", "linux");
        c.putObject("config");
        c.putObject("rootfs").put("type", "layers").putArray("diff_ids").add("sha256:" + Digests.sha256(layer));
        return JSON.writeValueAsBytes(c);
    }

    private static String manifest(String config, String layer) throws IOException {
        ArrayNode m = JSON.createArrayNode();
        ObjectNode e = m.addObject();
        e.put("Config", config);
        e.putArray("RepoTags").add("hostile:1");
        e.putArray("Layers").add(layer);
        return JSON.writeValueAsString(m);
    }

    private static void descriptor(ObjectNode d, String type, byte[] blob) {
        d.put("mediaType", type);
        d.put("digest", "sha256:" + Digests.sha256(blob));
        d.put("size", blob.length);
    }

    private interface Entries {
        void write(TarArchiveOutputStream t) throws IOException;
    }

    private static byte[] tar(Entries entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(bytes)) {
            t.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            entries.write(t);
        }
        return bytes.toByteArray();
    }

    private static void dir(TarArchiveOutputStream t, String name) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_DIR, true);
        e.setMode(040755);
        t.putArchiveEntry(e);
        t.closeArchiveEntry();
    }

    private static void link(TarArchiveOutputStream t, String name, String target) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK, true);
        e.setLinkName(target);
        t.putArchiveEntry(e);
        t.closeArchiveEntry();
    }

    private static void file(TarArchiveOutputStream t, String name, String data) throws IOException {
        file(t, name, data.getBytes(StandardCharsets.UTF_8));
    }

    private static void file(TarArchiveOutputStream t, String name, byte[] data) throws IOException {
        // preserveAbsolutePath: the name goes into the archive as given, leading slash and all
        TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_NORMAL, true);
        e.setMode(0100644);
        e.setSize(data.length);
        t.putArchiveEntry(e);
        t.write(data);
        t.closeArchiveEntry();
    }
}
