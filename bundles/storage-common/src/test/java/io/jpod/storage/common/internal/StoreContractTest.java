package io.jpod.storage.common.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.spi.storage.Storage;
import io.jpod.util.internal.FileTrees;
import io.jpod.util.internal.HelperProcess;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * What every storage driver must do, run by each driver's test with real mounts where it mounts. Subclasses
 * say how to open their store and where a layer's files live.
 */
public abstract class StoreContractTest {
    protected Path tmp;
    protected Path graphRoot;
    protected Path runRoot;
    protected Store store;

    /** Opens the driver's store on the given roots. */
    protected abstract Store open(Path graphRoot, Path runRoot);

    /** The directory in which a layer's own files are (overlay: its diff; vfs: its full copy). */
    protected abstract Path layerDir(String layerId);

    /** The directory that holds one directory per layer. */
    protected abstract Path layersHome();

    @Before
    public void setUpStore() throws IOException {
        tmp = Files.createTempDirectory("jpod-storage-");
        graphRoot = tmp.resolve("graph");
        runRoot = tmp.resolve("run");
        store = open(graphRoot, runRoot);
    }

    @After
    public void tearDownStore() throws IOException {
        try {
            if (store != null) {
                for (Storage.ContainerLayer c : store.containers()) {
                    store.unmount(c.id(), true);
                }
                store.close();
            }
        } finally {
            List<Path> left = MountInfo.mountPoints().stream().filter(p -> p.startsWith(tmp)).toList();
            for (Path p : left) {
                HelperProcess.of("umount", "-l", p.toString()).mergeErrors().runChecked();
            }
            FileTrees.delete(tmp);
            assertEquals("mounts left behind", List.of(), left);
        }
    }

    protected Storage.Layer layer(String parent, byte[] tar) {
        return store.createLayer(parent, new ByteArrayInputStream(tar));
    }

    protected static byte[] base() {
        return Tars.tar().dir("bin").file("bin/sh", "#!shell", 0755, 0, 0).dir("etc").file("etc/keep", "keep")
                .file("etc/gone", "gone").dir("opq").file("opq/old", "old").dir("opq/olddir").file("opq/olddir/f",
                        "f").dir("home", 0700, 1000, 1000).file("home/owned", "mine", 0600, 1000, 1000)
                .symlink("etc/link", "keep").hardlink("bin/hard", "bin/sh").bytes();
    }

    protected static byte[] child() {
        return Tars.tar().dir("etc").whiteout("etc/gone").file("etc/added", "added").dir("opq").opaque("opq")
                .file("opq/new", "new").bytes();
    }

    protected static String read(Path p) throws IOException {
        return Files.readString(p, StandardCharsets.UTF_8);
    }

    protected static List<String> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    public void mergedViewHasWhiteoutsAndOpaqueDirectoriesApplied() throws IOException {
        Storage.Layer b = layer(null, base());
        Storage.Layer c = layer(b.id(), child());
        assertEquals(b.id(), c.parent());
        Storage.Image img = store.createImage(null, List.of("localhost/test:latest"), c.id(), Map.of());
        store.createContainer("ctr1", img.id());
        Path root = store.mount("ctr1");
        assertEquals("keep", read(root.resolve("etc/keep")));
        assertEquals("added", read(root.resolve("etc/added")));
        assertFalse(Files.exists(root.resolve("etc/gone"), LinkOption.NOFOLLOW_LINKS));
        assertEquals(List.of("new"), list(root.resolve("opq")));
        assertEquals(List.of("added", "keep", "link"), list(root.resolve("etc")));
        assertEquals("keep", read(root.resolve("etc/link")));
        assertEquals(Path.of("keep"), Files.readSymbolicLink(root.resolve("etc/link")));
        assertEquals(0755, (int) Files.getAttribute(root.resolve("bin/sh"), "unix:mode") & 07777);
        assertEquals(1000, Files.getAttribute(root.resolve("home/owned"), "unix:uid"));
        assertEquals(0700, (int) Files.getAttribute(root.resolve("home"), "unix:mode") & 07777);
        assertEquals(Tars.MTIME, Files.getLastModifiedTime(root.resolve("etc/keep")));
        assertEquals(Files.getAttribute(root.resolve("bin/sh"), "unix:ino"), Files.getAttribute(root.resolve(
                "bin/hard"), "unix:ino"));
        // writes go to the container's layer only
        Files.writeString(root.resolve("etc/keep"), "changed");
        Files.delete(root.resolve("bin/sh"));
        assertEquals("keep", read(layerDir(b.id()).resolve("etc/keep")));
        assertTrue(Files.exists(layerDir(b.id()).resolve("bin/sh")));
        assertFalse(store.unmount("ctr1", false));
        // the changes are kept across mounts
        root = store.mount("ctr1");
        assertEquals("changed", read(root.resolve("etc/keep")));
        assertFalse(Files.exists(root.resolve("bin/sh")));
        store.deleteContainer("ctr1");
        assertTrue(store.containers().isEmpty());
    }

    @Test
    public void aContainerWithoutAnImageHasAnEmptyRoot() throws IOException {
        store.createContainer("scratch", null);
        Path root = store.mount("scratch");
        assertEquals(List.of(), list(root));
        Files.writeString(root.resolve("f"), "x");
        store.unmount("scratch", false);
        store.deleteContainer("scratch");
    }

    @Test
    public void mountsAreCounted() throws IOException {
        Storage.Layer b = layer(null, base());
        Storage.Image img = store.createImage(null, List.of(), b.id(), Map.of());
        store.createContainer("c", img.id());
        Path p1 = store.mount("c");
        Path p2 = store.mount("c");
        assertEquals(p1, p2);
        assertEquals(2, store.mountCount("c"));
        assertTrue(store.unmount("c", false));
        assertTrue(Files.exists(p1.resolve("bin/sh")));
        assertFalse(store.unmount("c", false));
        assertEquals(0, store.mountCount("c"));
        assertFalse(store.unmount("c", false));
        store.mount("c");
        store.mount("c");
        assertFalse(store.unmount("c", true));
        assertEquals(0, store.mountCount("c"));
        // deleting a mounted container unmounts it
        store.mount("c");
        store.deleteContainer("c");
        try {
            store.mount("c");
            fail();
        } catch (JpodException e) {
            assertEquals(ErrorCode.NO_SUCH_CTR, e.code());
        }
    }

    @Test
    public void layersAreAddressedByDiffIdAndCounted() throws IOException {
        Storage.Layer b1 = layer(null, base());
        Storage.Layer b2 = store.createLayer(null, new ByteArrayInputStream(Tars.tar().dir("bin").file("bin/sh",
                "#!shell", 0755, 0, 0).dir("etc").file("etc/keep", "keep").file("etc/gone", "gone").dir("opq").file(
                "opq/old", "old").dir("opq/olddir").file("opq/olddir/f", "f").dir("home", 0700, 1000, 1000).file(
                "home/owned", "mine", 0600, 1000, 1000).symlink("etc/link", "keep").hardlink("bin/hard", "bin/sh")
                .gzip()));
        assertEquals("the same content (gzip or not) is the same layer", b1.id(), b2.id());
        assertEquals(b1.diffId(), "sha256:" + b1.id());
        assertEquals(1, store.layers().size());
        Storage.Layer c = layer(b1.id(), child());
        Storage.Layer other = layer(null, child());
        assertNotEquals("the chain ID depends on the parent", c.id(), other.id());
        assertEquals(c.diffId(), other.diffId());
        store.deleteLayer(other.id());

        Storage.Image i1 = store.createImage(null, List.of("localhost/one:latest"), b1.id(), Map.of());
        Storage.Image i2 = store.createImage(null, List.of("localhost/two:latest"), c.id(), Map.of());
        assertEquals(2, store.layerRefs(b1.id()));
        store.deleteImage(i1.id());
        assertTrue(Files.exists(layerDir(b1.id()).resolve("etc/keep")));
        assertEquals(1, store.layerRefs(b1.id()));
        store.createContainer("c", i2.id());
        try {
            store.deleteImage(i2.id());
            fail();
        } catch (JpodException e) {
            assertEquals(ErrorCode.IMAGE_IN_USE, e.code());
        }
        store.deleteContainer("c");
        store.deleteImage("localhost/two:latest");
        assertEquals(List.of(), store.layers());
        assertFalse(Files.exists(layerDir(b1.id())));
        assertFalse(Files.exists(layerDir(c.id())));
    }

    @Test
    public void imagesHaveNamesPrefixesAndShortNames() {
        Storage.Layer b = layer(null, base());
        byte[] config = "{\"config\":{}}".getBytes(StandardCharsets.UTF_8);
        byte[] manifest = "{\"schemaVersion\":2}".getBytes(StandardCharsets.UTF_8);
        Storage.Image a = store.createImage(null, List.of("localhost/busybox:latest", "localhost/busybox:1"), b.id(),
                Map.of("config", config, "manifest", manifest));
        assertEquals(Store.sha256(config), a.id());
        assertEquals("sha256:" + Store.sha256(manifest), a.digest());
        assertEquals(a.id(), store.image("busybox").id());
        assertEquals(a.id(), store.image("busybox:1").id());
        assertEquals(a.id(), store.image("localhost/busybox:1").id());
        assertEquals(a.id(), store.image(a.id().substring(0, 12)).id());
        assertEquals(a.id(), store.image("sha256:" + a.id()).id());
        assertEquals("{\"config\":{}}", new String(store.imageBigData("busybox", "config"), StandardCharsets.UTF_8));
        assertNull(store.imageBigData("busybox", "nothing"));
        try {
            store.image("nosuch");
            fail();
        } catch (JpodException e) {
            assertEquals(ErrorCode.NO_SUCH_IMAGE, e.code());
        }
        try {
            store.createImage(a.id(), List.of(), b.id(), Map.of());
            fail();
        } catch (JpodException e) {
            assertEquals(ErrorCode.IMAGE_EXISTS, e.code());
        }
        // a name given to a new image moves from the old one
        Storage.Image n = store.createImage(null, List.of("localhost/busybox:latest"), b.id(), Map.of());
        assertEquals(List.of("localhost/busybox:1"), store.image(a.id()).names());
        assertEquals(n.id(), store.image("busybox").id());
        store.setNames(a.id(), List.of("localhost/busybox:latest", "example.org/x/busybox:2"));
        assertEquals(List.of(), store.image(n.id()).names());
        assertEquals(a.id(), store.image("busybox:2").id());
        try {
            store.setNames(a.id(), List.of("bad name"));
            fail();
        } catch (JpodException e) {
            assertEquals(ErrorCode.INVALID_ARG, e.code());
        }
        assertEquals(2, store.images().size());
        assertEquals(2, store.layerRefs(b.id()));
    }

    @Test
    public void everythingSurvivesAReopen() throws IOException {
        Storage.Layer b = layer(null, base());
        Storage.Layer c = layer(b.id(), child());
        Storage.Image img = store.createImage(null, List.of("localhost/keep:latest"), c.id(), Map.of("manifest",
                new byte[] {1, 2, 3}));
        store.createContainer("c", img.id());
        Path root = store.mount("c");
        Files.writeString(root.resolve("written"), "by the container");
        String driver = store.driverName();
        try {
            open(graphRoot, runRoot);
            fail("a second store on the same graphroot");
        } catch (JpodException e) {
            assertEquals(ErrorCode.INVALID_ARG, e.code());
        }
        store.close();
        store = null;
        // leftovers of a crash: a staging layer and an image directory no metadata names
        Path staging = layersHome().resolve("staging-0123456789abcdef");
        Files.createDirectories(staging);
        Path orphanImage = graphRoot.resolve(driver + "-images").resolve("f".repeat(64));
        Files.createDirectories(orphanImage);
        store = open(graphRoot, runRoot);
        assertEquals(List.of(b.id(), c.id()), store.layers().stream().filter(l -> l.diffId() != null).map(
                Storage.Layer::id).toList());
        assertEquals(img.id(), store.image("keep").id());
        assertEquals(List.of("c"), store.containers().stream().map(Storage.ContainerLayer::id).toList());
        assertEquals(1, store.mountCount("c"));
        assertEquals(1, store.layerRefs(b.id()));
        assertEquals(2, store.layerRefs(c.id()));
        assertEquals(3, store.imageBigData(img.id(), "manifest").length);
        assertFalse(Files.exists(staging));
        assertFalse(Files.exists(orphanImage));
        assertEquals(root, store.mount("c"));
        assertEquals("by the container", read(root.resolve("written")));
        assertEquals("added", read(root.resolve("etc/added")));
        store.unmount("c", true);
        // metadata files are complete JSON, written through a temp file
        for (String f : List.of(driverName() + "-layers/layers.json", driverName() + "-images/images.json",
                driverName() + "-containers/containers.json")) {
            assertTrue(f, Files.readString(graphRoot.resolve(f)).strip().startsWith("["));
        }
        try (Stream<Path> s = Files.walk(graphRoot)) {
            assertEquals(List.of(), s.filter(p -> p.getFileName().toString().contains(".tmp-")).toList());
        }
    }

    @Test
    public void aFailedLayerLeavesNothing() throws IOException {
        Storage.Layer b = layer(null, base());
        try {
            layer(b.id(), Tars.tar().file("ok", "x").file("../../escape", "x").bytes());
            fail();
        } catch (JpodException e) {
            assertEquals(ErrorCode.INVALID_ARG, e.code());
            assertTrue(e.getMessage(), e.getMessage().contains("../../escape"));
        }
        assertEquals(1, store.layers().size());
        assertEquals(0, store.layerRefs(b.id()));
        assertEquals(List.of(b.id()), List.copyOf(store.layerIds()));
        try (Stream<Path> s = Files.list(layersHome())) {
            assertEquals(0, s.filter(p -> p.getFileName().toString().startsWith("staging-")).count());
        }
        assertFalse(Files.exists(tmp.resolve("escape")));
        try {
            layer("nosuchparent", base());
            fail();
        } catch (JpodException e) {
            assertEquals(ErrorCode.INVALID_ARG, e.code());
        }
    }

    @Test
    public void symlinksOfAParentLayerAreNotWrittenThrough() throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret"), "host");
        Storage.Layer b = layer(null, Tars.tar().symlink("abs", outside.toString()).symlink("rel",
                "../../../../../../../../outside").symlink("file", outside.resolve("secret").toString()).bytes());
        Storage.Layer c = layer(b.id(), Tars.tar().file("abs/pwned", "x").file("rel/pwned", "x").file("file", "new")
                .file("abs/secret", "overwritten").bytes());
        store.createImage(null, List.of(), c.id(), Map.of());
        try {
            layer(b.id(), Tars.tar().hardlink("h", "abs/secret").bytes());
            fail("a hard link through a parent's symlink to a host file");
        } catch (JpodException e) {
            assertEquals(ErrorCode.INVALID_ARG, e.code());
        }
        assertEquals(List.of("secret"), list(outside));
        assertEquals("host", read(outside.resolve("secret")));
        assertEquals(1, Files.getAttribute(outside.resolve("secret"), "unix:nlink"));
    }

    @Test
    public void extractionDoesNotBlockTheStoreAndPinsItsParent() throws Exception {
        Storage.Layer b = layer(null, base());
        byte[] tar = child();
        java.io.PipedOutputStream feed = new java.io.PipedOutputStream();
        java.io.PipedInputStream in = new java.io.PipedInputStream(feed, 1 << 16);
        java.util.concurrent.ExecutorService ex = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            java.util.concurrent.Future<Storage.Layer> f = ex.submit(() -> store.createLayer(b.id(), in));
            feed.write(tar, 0, 1024);
            feed.flush();
            Thread.sleep(200);
            // the extraction waits for more input: the store still answers, and the parent cannot go away
            java.util.concurrent.Future<List<Storage.Layer>> other = java.util.concurrent.ForkJoinPool.commonPool()
                    .submit(() -> store.layers());
            try {
                assertEquals(1, other.get(5, java.util.concurrent.TimeUnit.SECONDS).size());
            } catch (java.util.concurrent.TimeoutException e) {
                StringBuilder dump = new StringBuilder();
                Thread.getAllStackTraces().forEach((t, st) -> {
                    dump.append(t.getName()).append('\n');
                    for (StackTraceElement el : st) {
                        dump.append("  ").append(el).append('\n');
                    }
                });
                throw new AssertionError("the store blocked during an extraction:\n" + dump, e);
            }
            try {
                store.deleteLayer(b.id());
                fail("deleted the parent of a layer being extracted");
            } catch (JpodException e) {
                assertEquals(ErrorCode.INVALID_ARG, e.code());
            }
            feed.write(tar, 1024, tar.length - 1024);
            feed.close();
            Storage.Layer c = f.get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(b.id(), c.parent());
            assertEquals(1, store.layerRefs(b.id()));
            store.deleteLayer(c.id());
            assertEquals(List.of(), store.layers());
        } finally {
            ex.shutdownNow();
        }
    }

    @Test
    public void containersNeedUniqueIdsAndExistingImages() {
        store.createContainer("a", null);
        try {
            store.createContainer("a", null);
            fail();
        } catch (JpodException e) {
            assertEquals(ErrorCode.CTR_EXISTS, e.code());
        }
        try {
            store.createContainer("b", "nosuchimage");
            fail();
        } catch (JpodException e) {
            assertEquals(ErrorCode.NO_SUCH_IMAGE, e.code());
        }
        String ctrLayer = store.containers().get(0).layerId();
        try {
            layer(ctrLayer, base());
            fail();
        } catch (JpodException e) {
            assertEquals(ErrorCode.INVALID_ARG, e.code());
        }
        store.deleteContainer("a");
    }

    @Test
    public void aMountCountFileCutShortOpensAsNoMounts() throws IOException {
        // mountpoints.json is run state, written without fsync: a power cut can leave it short (and no mounts)
        Storage.Layer b = layer(null, base());
        Storage.Image img = store.createImage(null, List.of("localhost/short:latest"), b.id(), Map.of());
        store.createContainer("c", img.id());
        store.mount("c");
        store.unmount("c", false);
        Path counts = runRoot.resolve(driverName() + "-layers/mountpoints.json");
        store.close();
        store = null;
        for (String cut : new String[] {"", "[{\"layer\":\""}) {
            Files.writeString(counts, cut);
            store = open(graphRoot, runRoot);
            assertEquals(List.of("c"), store.containers().stream().map(Storage.ContainerLayer::id).toList());
            assertEquals("[]", read(counts));
            Path root = store.mount("c");
            assertEquals(1, store.mountCount("c"));
            assertTrue(Files.exists(root.resolve("etc/keep")));
            assertFalse(store.unmount("c", false));
            store.close();
            store = null;
        }
        store = open(graphRoot, runRoot);
        store.deleteContainer("c");
    }

    @Test
    public void theLockAndTheMetadataAreForRootOnly() throws IOException {
        Storage.Layer b = layer(null, base());
        Storage.Image img = store.createImage(null, List.of("localhost/modes:latest"), b.id(), Map.of("manifest",
                new byte[] {1}));
        store.createContainer("c", img.id());
        store.mount("c");
        store.unmount("c", false);
        String d = driverName();
        Path imageDir = graphRoot.resolve(d + "-images").resolve(img.id());
        List<Path> files = List.of(graphRoot.resolve("storage.lock"), graphRoot.resolve(d + "-layers/layers.json"),
                graphRoot.resolve(d + "-images/images.json"), imageDir.resolve("=" + java.util.Base64.getUrlEncoder()
                        .withoutPadding().encodeToString("manifest".getBytes(StandardCharsets.UTF_8))),
                graphRoot.resolve(d + "-containers/containers.json"), runRoot.resolve(d + "-layers/mountpoints.json"));
        List<Path> dirs = List.of(graphRoot.resolve(d + "-layers"), graphRoot.resolve(d + "-images"), imageDir,
                graphRoot.resolve(d + "-containers"), runRoot.resolve(d + "-layers"));
        // the store makes the runroot (a driver may have made the graphroot before it, for its own files)
        assertEquals("rwx------", mode(runRoot));
        for (Path f : files) {
            assertEquals(f.toString(), "rw-------", mode(f));
        }
        for (Path dir : dirs) {
            assertEquals(dir.toString(), "rwx------", mode(dir));
        }
        // what an older version left: readable by all, and a lock file anyone could lock
        store.close();
        store = null;
        for (Path f : files) {
            Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        }
        for (Path dir : dirs) {
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        store = open(graphRoot, runRoot);
        for (Path f : files) {
            assertEquals(f + " after a reopen", "rw-------", mode(f));
        }
        for (Path dir : dirs) {
            assertEquals(dir + " after a reopen", "rwx------", mode(dir));
        }
        assertEquals(img.id(), store.image("localhost/modes:latest").id());
        store.deleteContainer("c");
    }

    private static String mode(Path p) throws IOException {
        return java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p,
                LinkOption.NOFOLLOW_LINKS));
    }

    protected String driverName() {
        return store.driverName();
    }
}
