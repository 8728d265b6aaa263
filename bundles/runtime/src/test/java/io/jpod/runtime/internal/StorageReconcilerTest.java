package io.jpod.runtime.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.jpod.api.Container;
import io.jpod.api.ContainerConfig;
import io.jpod.api.Containers;
import io.jpod.api.DBConfig;
import io.jpod.api.EngineSystem;
import io.jpod.api.ProviderKind;
import io.jpod.api.config.JpodConfig;
import io.jpod.api.config.RuntimeOptions;
import io.jpod.config.ConfigLoader;
import io.jpod.events.file.internal.FileEventerProvider;
import io.jpod.lock.file.internal.FileLockProvider;
import io.jpod.spi.Provider;
import io.jpod.spi.ProviderContext;
import io.jpod.spi.network.NetworkBackend;
import io.jpod.spi.network.NetworkProvider;
import io.jpod.spi.oci.OciRuntime;
import io.jpod.spi.oci.OciRuntimeProvider;
import io.jpod.spi.storage.Storage;
import io.jpod.state.memory.internal.MemoryStateProvider;
import io.jpod.storage.vfs.internal.VfsStorageProvider;
import io.jpod.util.internal.FileTrees;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** Storage and state made to agree at start, on a real vfs store in a temporary directory. */
public class StorageReconcilerTest {
    /** An empty layer: a tar of two zero blocks. */
    private static final byte[] EMPTY_TAR = new byte[1024];

    private Path dir;
    private final Map<ProviderKind, Map<String, Provider<?>>> installed = new EnumMap<>(ProviderKind.class);
    private JpodEngine engine;

    @Before
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("jpod-reconcile-");
        for (ProviderKind k : ProviderKind.values()) {
            installed.put(k, new HashMap<>());
        }
        installed.get(ProviderKind.STATE).put("memory", new MemoryStateProvider());
        installed.get(ProviderKind.LOCKS).put("file", new FileLockProvider());
        installed.get(ProviderKind.EVENTS).put("file", new FileEventerProvider());
        OciRuntimeProvider rt = c -> StandIns.standIn(OciRuntime.class, c);
        installed.get(ProviderKind.OCI_RUNTIME).put("itest", rt);
        NetworkProvider net = c -> StandIns.standIn(NetworkBackend.class, c);
        installed.get(ProviderKind.NETWORK).put("itest", net);
        installed.get(ProviderKind.STORAGE).put("vfs", new VfsStorageProvider());
    }

    @After
    public void tearDown() throws IOException {
        if (engine != null) {
            engine.service(EngineSystem.class).shutdown(false);
        }
        FileTrees.delete(dir);
    }

    private JpodEngine assemble() throws IOException {
        Path conf = dir.resolve("jpod.conf");
        Files.writeString(conf, StandIns.jpodConf(dir, "").replace("driver = \"itest\"", "driver = \"vfs\""));
        engine = new Assembly(ConfigLoader.of(List.of(conf)).load(RuntimeOptions.NONE), RuntimeOptions.NONE,
                installed).assemble();
        return engine;
    }

    /** The engine's store opened on its own, as it is while no engine runs. */
    private Storage openStorage() {
        DBConfig dirs = new DBConfig(dir + "/engine", dir + "/run", dir + "/storage", dir + "/run/storage", "vfs",
                dir + "/volumes");
        return new VfsStorageProvider().open(new ProviderContext("vfs", new JpodConfig(null, null, null, null), dirs,
                false, null));
    }

    private String storeImage() {
        try (Storage s = openStorage()) {
            Storage.Layer base = s.createLayer(null, new ByteArrayInputStream(EMPTY_TAR));
            return s.createImage(null, List.of("localhost/base:latest"), base.id(), Map.of()).id();
        }
    }

    private Path layerDir(String layerId) {
        return dir.resolve("storage/vfs/dir").resolve(layerId);
    }

    private static ContainerConfig spec(String name, String image) {
        return ContainerConfig.builder().name(name).image(image).command(List.of("true")).build();
    }

    @Test
    public void aLayerLeftWithoutItsContainerIsRemovedAtStartAndNoLongerPinsItsImage() throws IOException {
        String imageId = storeImage();
        String orphanLayer;
        try (Storage s = openStorage()) {
            // what a crash between the storage write and the state write leaves
            orphanLayer = s.createContainer("c".repeat(64), imageId).layerId();
        }
        assertTrue(Files.isDirectory(layerDir(orphanLayer)));

        Storage storage = assemble().parts().storage();

        assertEquals(List.of(), storage.containers());
        assertFalse(Files.exists(layerDir(orphanLayer)));
        storage.deleteImage(imageId);
        assertEquals(List.of(), storage.images());
        assertEquals(List.of(), storage.layers());
    }

    @Test
    public void aMountedLayerWithoutItsContainerIsKept() throws IOException {
        String imageId = storeImage();
        String layer;
        try (Storage s = openStorage()) {
            // a running container that a state which does not outlive the engine (memory) has forgotten
            layer = s.createContainer("d".repeat(64), imageId).layerId();
            s.mount("d".repeat(64));
        }
        Storage storage = assemble().parts().storage();
        assertEquals(List.of("d".repeat(64)), storage.containers().stream().map(Storage.ContainerLayer::id).toList());
        assertTrue(Files.isDirectory(layerDir(layer)));
        assertTrue(storage.mounted("d".repeat(64)));
    }

    @Test
    public void containersOfTheStateKeepTheirLayersAndOnesWithoutALayerAreOnlyReported() throws IOException {
        storeImage();
        JpodEngine e = assemble();
        Container kept = e.service(Containers.class).createContainer(spec("kept", "localhost/base:latest"));
        Container lost = e.service(Containers.class).createContainer(spec("lost", "localhost/base:latest"));
        Storage storage = e.parts().storage();
        String keptLayer = storage.containers().stream().filter(c -> c.id().equals(kept.id())).findFirst()
                .orElseThrow().layerId();
        // the layer of one goes behind the engine's back
        storage.deleteContainer(lost.id());

        StorageReconciler.Result r = new StorageReconciler(e.parts().state(), storage).reconcile();

        assertEquals(List.of(), r.removed());
        assertEquals(List.of(lost.id()), r.missing());
        assertTrue("a container without a layer is reported, not removed", e.parts().state().hasContainer(lost.id()));
        assertEquals(List.of(kept.id()), storage.containers().stream().map(Storage.ContainerLayer::id).toList());
        assertTrue(Files.isDirectory(layerDir(keptLayer)));

        // a container of another namespace is invisible to this one's lookups, yet not an orphan
        e.parts().state().setNamespace("other");
        r = new StorageReconciler(e.parts().state(), storage).reconcile();
        assertEquals(List.of(), r.removed());
        assertEquals(List.of(kept.id()), storage.containers().stream().map(Storage.ContainerLayer::id).toList());
        assertTrue(Files.isDirectory(layerDir(keptLayer)));
    }
}
