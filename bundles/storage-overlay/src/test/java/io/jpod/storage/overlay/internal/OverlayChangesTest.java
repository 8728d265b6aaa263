package io.jpod.storage.overlay.internal;

import io.jpod.storage.common.internal.ContainerChangesContractTest;
import io.jpod.storage.common.internal.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/** The changes read from a real overlay upper directory: /tmp made again is an opaque directory. */
public class OverlayChangesTest extends ContainerChangesContractTest {

    @Override
    protected Store open(Path graphRoot, Path runRoot) {
        try {
            return Store.open(new OverlayDriver(graphRoot), graphRoot, runRoot);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected List<String> remadeDirectory() {
        // as archive.OverlayChanges (and podman diff) report an opaque directory over the image's
        return List.of("D /tmp", "A /tmp/newin");
    }

    @Override
    protected List<String> remadeDirectoryEntries() {
        return List.of("tmp/", "tmp/.wh..wh..opq", "tmp/newin");
    }
}
