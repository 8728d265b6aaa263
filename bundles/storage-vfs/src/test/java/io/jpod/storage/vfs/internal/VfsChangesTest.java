package io.jpod.storage.vfs.internal;

import io.jpod.storage.common.internal.ContainerChangesContractTest;
import io.jpod.storage.common.internal.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/** The changes found by comparing the container's copy with the image's: /tmp made again is a changed one. */
public class VfsChangesTest extends ContainerChangesContractTest {

    @Override
    protected Store open(Path graphRoot, Path runRoot) {
        try {
            return Store.open(new VfsDriver(graphRoot), graphRoot, runRoot);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected List<String> remadeDirectory() {
        return List.of("C /tmp", "A /tmp/newin", "D /tmp/old");
    }

    @Override
    protected List<String> remadeDirectoryEntries() {
        return List.of("tmp/", "tmp/newin", "tmp/.wh.old");
    }
}
