package io.jpod.storage.overlay.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.jpod.api.DBConfig;
import io.jpod.api.config.JpodConfig;
import io.jpod.api.config.StorageConfig;
import io.jpod.spi.ProviderContext;
import io.jpod.spi.storage.Storage;
import io.jpod.storage.common.internal.MountInfo;
import io.jpod.storage.common.internal.Store;
import io.jpod.storage.common.internal.StoreContractTest;
import io.jpod.storage.common.internal.Tars;
import io.jpod.storage.common.internal.Xattrs;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/** The store contract with real overlay mounts, and what is overlay's own: its layout and mount options. */
public class OverlayStoreTest extends StoreContractTest {

    @Override
    protected Store open(Path graphRoot, Path runRoot) {
        try {
            return Store.open(new OverlayDriver(graphRoot), graphRoot, runRoot);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected Path layerDir(String layerId) {
        return layersHome().resolve(layerId).resolve("diff");
    }

    @Override
    protected Path layersHome() {
        return graphRoot.resolve("overlay");
    }

    @Test
    public void layersAreLaidOutAsContainersStorageDoes() throws IOException {
        Storage.Layer b = layer(null, base());
        Storage.Layer c = layer(b.id(), child());
        Path home = layersHome();
        String bl = Files.readString(home.resolve(b.id()).resolve("link"));
        String cl = Files.readString(home.resolve(c.id()).resolve("link"));
        assertEquals(26, bl.length());
        assertEquals(Path.of("..", b.id(), "diff"), Files.readSymbolicLink(home.resolve("l").resolve(bl)));
        assertEquals(Path.of("..", c.id(), "diff"), Files.readSymbolicLink(home.resolve("l").resolve(cl)));
        assertFalse(Files.exists(home.resolve(b.id()).resolve("lower")));
        assertEquals("l/" + bl, Files.readString(home.resolve(c.id()).resolve("lower")));
        // the child's diff holds the whiteout device and the opaque mark, not the lower files
        Path diff = layerDir(c.id());
        assertTrue(Files.readAttributes(diff.resolve("etc/gone"), java.nio.file.attribute.BasicFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS).isOther());
        assertEquals("y", Xattrs.getTrusted(diff.resolve("opq"), "trusted.overlay.opaque"));
        assertFalse(Files.exists(diff.resolve("etc/keep")));
        assertTrue(Files.exists(graphRoot.resolve("overlay-layers/layers.json")));

        Storage.Image img = store.createImage(null, List.of("localhost/x:latest"), c.id(), Map.of());
        Storage.ContainerLayer ctr = store.createContainer("c", img.id());
        String ctrLink = Files.readString(home.resolve(ctr.layerId()).resolve("link"));
        assertEquals("l/" + cl + ":l/" + bl, Files.readString(home.resolve(ctr.layerId()).resolve("lower")));
        Path merged = store.mount("c");
        assertEquals(home.resolve(ctr.layerId()).resolve("merged"), merged);
        assertTrue(MountInfo.isMountPoint(merged));
        String mounts = Files.readString(Path.of("/proc/self/mountinfo"));
        assertTrue(mounts, mounts.contains("lowerdir=l/" + cl + ":l/" + bl));
        assertTrue(Files.exists(runRoot.resolve("overlay-layers/mountpoints.json")));
        assertFalse(store.unmount("c", false));
        assertFalse(MountInfo.isMountPoint(merged));
        store.deleteContainer("c");
        assertFalse(Files.exists(home.resolve(ctr.layerId())));
        assertFalse(Files.exists(home.resolve("l").resolve(ctrLink), LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    public void aDeepChainMountsThroughShortLinks() throws IOException {
        String parent = null;
        for (int i = 0; i < 60; i++) {
            parent = store.createLayer(parent, new ByteArrayInputStream(Tars.tar().file("f" + i, "layer " + i)
                    .whiteout("f" + (i - 1)).bytes())).id();
        }
        Storage.Image img = store.createImage(null, List.of(), parent, Map.of());
        store.createContainer("deep", img.id());
        Path root = store.mount("deep");
        List<String> names = new ArrayList<>();
        try (var s = Files.list(root)) {
            s.forEach(p -> names.add(p.getFileName().toString()));
        }
        assertEquals(List.of("f59"), names);
        assertEquals("layer 59", Files.readString(root.resolve("f59")));
        store.unmount("deep", false);
    }

    @Test
    public void aRebootDropsStaleMountCounts() throws IOException {
        Storage.Layer b = layer(null, base());
        Storage.Image img = store.createImage(null, List.of(), b.id(), Map.of());
        store.createContainer("c", img.id());
        Path merged = store.mount("c");
        store.mount("c");
        store.close();
        // what a reboot does: the mount is gone (the runroot would be emptied too, but need not be)
        io.jpod.util.internal.HelperProcess.of("umount", merged.toString()).mergeErrors().runChecked();
        store = open(graphRoot, runRoot);
        assertEquals(0, store.mountCount("c"));
        assertEquals(merged, store.mount("c"));
        assertEquals(1, store.mountCount("c"));
        assertTrue(Files.exists(merged.resolve("bin/sh")));
        store.unmount("c", false);
    }

    @Test
    public void whatAPowerCutTakesOfContainerLayersIsMadeAgainAtOpen() throws IOException {
        // a container layer's files are not synced when it is created: everything in it can be derived
        Storage.Layer b = layer(null, base());
        Storage.Layer c = layer(b.id(), child());
        Storage.Image img = store.createImage(null, List.of("localhost/cut:latest"), c.id(), Map.of());
        Path home = layersHome();
        String imageLink = Files.readString(home.resolve(b.id()).resolve("link"));
        List<String> layers = new ArrayList<>();
        for (String ctr : new String[] {"gone", "short", "nolower", "emptylink"}) {
            layers.add(store.createContainer(ctr, img.id()).layerId());
        }
        store.close();
        store = null;
        // what a power cut can leave: no directory at all, files and links missing, files cut to nothing
        io.jpod.util.internal.FileTrees.delete(home.resolve(layers.get(0)));
        String shortLink = Files.readString(home.resolve(layers.get(1)).resolve("link"));
        Files.delete(home.resolve("l").resolve(shortLink));
        Files.delete(home.resolve(layers.get(1)).resolve("work"));
        Files.delete(home.resolve(layers.get(1)).resolve("merged"));
        Files.delete(home.resolve(layers.get(2)).resolve("lower"));
        Files.writeString(home.resolve(layers.get(3)).resolve("link"), "");
        // and an image layer's link in l/, which no fsync of l/ has ever kept
        Files.delete(home.resolve("l").resolve(imageLink));
        store = open(graphRoot, runRoot);
        for (String ctr : new String[] {"gone", "short", "nolower", "emptylink"}) {
            Path root = store.mount(ctr);
            assertEquals(ctr, "added", read(root.resolve("etc/added")));
            assertEquals(ctr, "keep", read(root.resolve("etc/keep")));
            Files.writeString(root.resolve("mine"), ctr);
            assertFalse(store.unmount(ctr, false));
        }
        String lower = Files.readString(home.resolve(layers.get(2)).resolve("lower"));
        assertEquals(Files.readString(home.resolve(layers.get(1)).resolve("lower")), lower);
        assertTrue(lower.endsWith(":l/" + imageLink));
        assertEquals(26, Files.readString(home.resolve(layers.get(3)).resolve("link")).length());
        // a second open finds nothing to do, and the containers' own files stay
        store.close();
        store = open(graphRoot, runRoot);
        assertEquals("gone", read(store.mount("gone").resolve("mine")));
        store.unmount("gone", false);
        for (String ctr : new String[] {"gone", "short", "nolower", "emptylink"}) {
            store.deleteContainer(ctr);
        }
        assertEquals(List.of("l", b.id(), c.id()).stream().sorted().toList(), list(home));
    }

    @Test
    public void anImageLayerWithoutItsDirectoryDoesNotStopTheStoreFromOpening() throws IOException {
        Storage.Layer b = layer(null, base());
        Storage.Layer c = layer(b.id(), child());
        store.createImage(null, List.of("localhost/lost:latest"), c.id(), Map.of());
        store.close();
        store = null;
        io.jpod.util.internal.FileTrees.delete(layersHome().resolve(b.id()));
        store = open(graphRoot, runRoot);
        assertEquals(c.id(), store.image("localhost/lost:latest").topLayer());
    }

    @Test
    public void theProviderOpensOnTheEngineDirectories() throws IOException {
        store.close();
        DBConfig dirs = new DBConfig(tmp + "/static", tmp + "/tmp", graphRoot.toString(), runRoot.toString(),
                "overlay", tmp + "/volumes");
        ProviderContext ctx = new ProviderContext("overlay", new JpodConfig(null, null, null, null), dirs, false,
                null);
        try (Storage s = new OverlayStorageProvider().open(ctx)) {
            assertEquals("overlay", s.driverName());
            assertEquals(graphRoot, s.graphRoot());
            assertEquals(runRoot, s.runRoot());
        }
        store = open(graphRoot, runRoot);
        ProviderContext fuse = new ProviderContext("overlay", new JpodConfig(null, null, null, new StorageConfig("overlay",
                graphRoot.toString(), runRoot.toString(), Map.of("mount_program", "/usr/bin/fuse-overlayfs"))),
                dirs, false, null);
        try {
            new OverlayStorageProvider().open(fuse).close();
            org.junit.Assert.fail();
        } catch (io.jpod.api.JpodException e) {
            assertEquals(io.jpod.api.ErrorCode.CONFIG_INVALID, e.code());
        }
    }
}
