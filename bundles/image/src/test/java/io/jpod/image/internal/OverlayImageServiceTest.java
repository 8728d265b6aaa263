package io.jpod.image.internal;

import io.jpod.spi.storage.StorageProvider;
import io.jpod.storage.overlay.internal.OverlayStorageProvider;
import java.nio.file.Path;

/** The same tests on the overlay driver: layers are diff directories in {@code <graphroot>/overlay}. */
public class OverlayImageServiceTest extends ImageServiceTest {

    @Override
    protected String driver() {
        return "overlay";
    }

    @Override
    protected StorageProvider provider() {
        return new OverlayStorageProvider();
    }

    @Override
    protected Path layerDir(String layerId) {
        return tmp().resolve("storage/overlay").resolve(layerId).resolve("diff");
    }
}
