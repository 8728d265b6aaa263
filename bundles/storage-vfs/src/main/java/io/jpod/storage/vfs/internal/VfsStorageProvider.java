package io.jpod.storage.vfs.internal;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.spi.JpodName;
import io.jpod.spi.ProviderContext;
import io.jpod.spi.storage.Storage;
import io.jpod.spi.storage.StorageProvider;
import io.jpod.storage.common.internal.Roots;
import io.jpod.storage.common.internal.Store;
import java.io.IOException;
import java.nio.file.Path;
import org.osgi.service.component.annotations.Component;

/** The {@code vfs} storage driver: every layer a full copy, nothing mounted; works on any file system. */
@Component(service = StorageProvider.class)
@JpodName("vfs")
public class VfsStorageProvider implements StorageProvider {

    @Override
    public Storage open(ProviderContext context) {
        Path graphRoot = Roots.graphRoot(context);
        try {
            return Store.open(new VfsDriver(graphRoot), graphRoot, Roots.runRoot(context));
        } catch (IOException e) {
            throw new JpodException(ErrorCode.INTERNAL, "cannot open the vfs storage at " + graphRoot + ": "
                    + e.getMessage(), e);
        }
    }
}
