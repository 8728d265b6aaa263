package io.jpod.image.internal;

import io.jpod.api.DBConfig;
import io.jpod.api.config.JpodConfig;
import io.jpod.spi.ProviderContext;
import io.jpod.spi.storage.Storage;
import io.jpod.storage.vfs.internal.VfsStorageProvider;
import io.jpod.util.internal.FileTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.rules.ExternalResource;

/** A real vfs storage in a temporary directory of its own, and an image service on it, for one test; removed after. */
final class VfsImages extends ExternalResource {
    private final String prefix;
    Path tmp;
    Storage storage;
    ImageService images;

    VfsImages(String prefix) {
        this.prefix = prefix;
    }

    @Override
    protected void before() throws IOException {
        tmp = Files.createTempDirectory(prefix);
        DBConfig dirs = new DBConfig(tmp + "/static", tmp + "/tmp", tmp + "/storage", tmp + "/run/storage", "vfs",
                tmp + "/volumes");
        storage = new VfsStorageProvider().open(new ProviderContext("vfs", new JpodConfig(null, null, null, null),
                dirs, false, null));
        images = new ImageService(storage, ImageUsers.NONE);
    }

    @Override
    protected void after() {
        storage.close();
        try {
            FileTrees.delete(tmp);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
