package io.jpod.image.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.jpod.api.DBConfig;
import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.api.config.JpodConfig;
import io.jpod.spi.ProviderContext;
import io.jpod.spi.storage.Storage;
import io.jpod.storage.vfs.internal.VfsStorageProvider;
import io.jpod.util.internal.FileTrees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.Test;

/**
 * The kept tar of a layer is named by its diff ID, which a pull reads from the image's config (a registry's word):
 * only a sha256 digest names one, so no config can point a pull's reuse of a kept tar at another file.
 */
public class LayerTarsTest {
    @Test
    public void onlyASha256DigestNamesAKeptTar() throws Exception {
        Path tmp = Files.createTempDirectory("jpod-layer-tars");
        DBConfig dirs = new DBConfig(tmp + "/static", tmp + "/tmp", tmp + "/storage", tmp + "/run/storage", "vfs",
                tmp + "/volumes");
        Storage storage = new VfsStorageProvider().open(new ProviderContext("vfs", new JpodConfig(null, null, null,
                null), dirs, false, null));
        try {
            Path dir = tmp.resolve("tars");
            LayerTars tars = new LayerTars(dir, storage);
            String hex = "a".repeat(64);
            assertEquals(dir.resolve(hex), tars.of("sha256:" + hex));
            for (String bad : List.of("sha256:../../../../etc/passwd", "sha256:/etc/passwd", "/etc/passwd",
                    "sha256:" + "A".repeat(64), "sha512:" + hex, "sha256:" + hex + "/x", "")) {
                try {
                    Path p = tars.of(bad);
                    fail(bad + " named " + p);
                } catch (JpodException e) {
                    assertEquals(e.getMessage(), ErrorCode.INVALID_ARG, e.code());
                    assertTrue(e.getMessage(), e.getMessage().contains("diff ID"));
                }
            }
        } finally {
            storage.close();
            FileTrees.delete(tmp);
        }
    }
}
