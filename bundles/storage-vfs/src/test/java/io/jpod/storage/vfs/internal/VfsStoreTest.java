package io.jpod.storage.vfs.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.jpod.api.DBConfig;
import io.jpod.api.config.JpodConfig;
import io.jpod.spi.ProviderContext;
import io.jpod.spi.storage.Storage;
import io.jpod.storage.common.internal.MountInfo;
import io.jpod.storage.common.internal.Store;
import io.jpod.storage.common.internal.StoreContractTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/** The store contract on vfs copies, and what is vfs's own: full copies, no mounts. */
public class VfsStoreTest extends StoreContractTest {

    @Override
    protected Store open(Path graphRoot, Path runRoot) {
        try {
            return Store.open(new VfsDriver(graphRoot), graphRoot, runRoot);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected Path layerDir(String layerId) {
        return layersHome().resolve(layerId);
    }

    @Override
    protected Path layersHome() {
        return graphRoot.resolve("vfs/dir");
    }

    @Test
    public void theGraphRootAndTheDriversDirectoriesAreRootsOnly() throws IOException {
        for (Path d : List.of(graphRoot, graphRoot.resolve("vfs"), layersHome())) {
            assertEquals(d.toString(), "rwx------",
                    java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(d)));
        }
    }

    @Test
    public void layersAreFullCopiesAndNothingIsMounted() throws IOException {
        Storage.Layer b = layer(null, base());
        Storage.Layer c = layer(b.id(), child());
        Path child = layerDir(c.id());
        assertEquals("keep", read(child.resolve("etc/keep")));
        assertFalse(Files.exists(child.resolve("etc/gone")));
        assertEquals(List.of("new"), list(child.resolve("opq")));
        assertEquals(1000, Files.getAttribute(child.resolve("home/owned"), "unix:uid"));
        assertEquals(Files.getAttribute(child.resolve("bin/sh"), "unix:ino"), Files.getAttribute(child.resolve(
                "bin/hard"), "unix:ino"));
        // the parent is untouched by the child's whiteouts
        assertTrue(Files.exists(layerDir(b.id()).resolve("etc/gone")));
        assertEquals(List.of("old", "olddir"), list(layerDir(b.id()).resolve("opq")));
        assertTrue(Files.exists(graphRoot.resolve("vfs-layers/layers.json")));

        Storage.Image img = store.createImage(null, List.of(), c.id(), Map.of());
        Storage.ContainerLayer ctr = store.createContainer("c", img.id());
        Path root = store.mount("c");
        assertEquals(layerDir(ctr.layerId()), root);
        assertFalse(MountInfo.mountPoints().stream().anyMatch(p -> p.startsWith(tmp)));
        Files.writeString(root.resolve("etc/keep"), "changed");
        assertEquals("keep", read(child.resolve("etc/keep")));
        store.unmount("c", false);
        store.deleteContainer("c");
        assertFalse(Files.exists(root));
    }

    @Test
    public void theProviderOpensOnTheEngineDirectories() {
        store.close();
        DBConfig dirs = new DBConfig(tmp + "/static", tmp + "/tmp", graphRoot.toString(), runRoot.toString(), "vfs",
                tmp + "/volumes");
        try (Storage s = new VfsStorageProvider().open(new ProviderContext("vfs", new JpodConfig(null, null, null,
                null), dirs, false, null))) {
            assertEquals("vfs", s.driverName());
            assertEquals(graphRoot, s.graphRoot());
            assertEquals(runRoot, s.runRoot());
        }
        store = open(graphRoot, runRoot);
    }
}
