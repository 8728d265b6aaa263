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
